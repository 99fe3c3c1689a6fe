import ArgumentParser
import FluxionTUI
import Foundation

/// `fluxion tui`: the explorer (TUI.md).
struct TuiCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui", abstract: "The explorer: type a function, see it, its derivative and its Jacobian.",
    discussion: """
      Example: fluxion tui --fn 'lambda x: jnp.sin(x) * x**3'
      FILE is a script that fills the workspace; its header (# fn: …, # x: …, # range: A B) sets \
      the function, the point and the plot range, as the built-in examples do.
      """)

  @Argument(help: "A script for the workspace.") var file: String?
  @Option(name: .customLong("fn"), help: "The function, e.g. 'lambda x: x**3'.") var function: String?
  @Option(name: .long, help: "The session file to restore and autosave (default: $XDG_DATA_HOME/fluxion/session.json).")
  var session: String?
  @Flag(name: .long, help: "Draw without braille or box characters.") var ascii = false
  @Flag(name: .long, help: "Mouse wheel zooms the plot.") var mouse = false
  @Flag(name: .customLong("no-color"), help: "No colours (as NO_COLOR).") var noColor = false

  func run() throws {
    try Self.start(
      ExplorerOptions(file: file, function: function, session: session, ascii: ascii, mouse: mouse, color: !noColor))
  }

  static func start(_ o: ExplorerOptions) throws {
    do {
      let status = try ExplorerApp.run(o)
      if status != 0 { throw ExitCode(status) }
    } catch let e as ExplorerError {
      FileHandle.standardError.write(Data("fluxion: \(e.description)\n".utf8))
      throw ExitCode(2)
    }
  }
}

import ArgumentParser
import Fluxion
import FluxionLang
import FluxionTUI
import Foundation

/// `fluxion`: the explorer (with a terminal), or the seed report; and the subcommands that run
/// scripts and differentiate functions from the command line (LANGUAGE.md, "Command line").
@main
struct FluxionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fluxion",
    abstract: "A differentiation explorer: JAX's transformations on functions you type.",
    discussion: """
      Without a subcommand: the explorer in a terminal, or (without one) the seed report — the \
      founding examples computed through the language.
      """,
    version: "fluxion 0.1.0",
    subcommands: [
      TuiCommand.self, Run.self, Eval.self, GradCommand.self, JacobianCommand.self, PlotCommand.self, JaxprCommand.self,
      ExplainCommand.self,
    ])

  func run() throws {
    // The explorer when a person is at a terminal; the seed report otherwise (pipes, CI).
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && !term.isEmpty && term != "dumb" {
      try TuiCommand.start(ExplorerOptions())
    } else {
      try SeedReport.print()
    }
  }

  /// Runs on a thread with a large stack, so scripts recurse as deep as Python lets them
  /// (1000 frames) and deeper nesting is a RecursionError rather than a crash.
  static func main() {
    // Writing past the file-size limit fails with EFBIG (reported) instead of killing the process.
    signal(SIGXFSZ, SIG_IGN)
    let thread = Thread { mainOnThisThread() }
    thread.stackSize = 1 << 29
    thread.start()
    while true { sleep(1000) }
  }

  /// The first long option that appears twice among `arguments` (before a `--`), if any.
  static func repeatedOption(_ arguments: [String]) -> String? {
    var seen = Set<Substring>()
    for a in arguments {
      if a == "--" { break }
      guard a.hasPrefix("--"), a.count > 2 else { continue }
      let name = a.split(separator: "=", maxSplits: 1)[0]
      if !seen.insert(name).inserted { return String(name) }
    }
    return nil
  }

  /// Parses and runs, with usage errors as one line and exit status 2.
  static func mainOnThisThread() -> Never {
    // `--at` reads its value unconditionally, so negative numbers are values (`--at -1.5`).
    // `--range A B` is rewritten for the same reason (PlotCommand.normalizeRange).
    let given = Array(CommandLine.arguments.dropFirst())
    // An option given twice is a usage error, not the last one silently winning.
    if let repeated = repeatedOption(given) {
      FileHandle.standardError.write(Data("fluxion: \(repeated) is given more than once\n".utf8))
      Foundation.exit(2)
    }
    let arguments = PlotCommand.normalizeRange(given)
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
      Foundation.exit(0)
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch let failure as ScriptFailure {
      Foundation.exit(failure.status)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        Swift.print(fullMessage(for: error))
        Foundation.exit(0)
      }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "usage error"
      FileHandle.standardError.write(Data("fluxion: \(message)\n".utf8))
      Foundation.exit(2)
    }
  }
}

/// Options every subcommand takes.
struct CommonOptions: ParsableArguments {
  @Option(name: .long, help: "A script run first; its names are visible to EXPR and VALUE.")
  var setup: String?

  @Flag(name: .long, help: "Print the result as one line of JSON.")
  var json = false

  @Flag(name: .long, help: "Enable 64-bit floats and ints (jax_enable_x64).")
  var x64 = false
}

/// A script that failed: its traceback has been printed; the process exits with `status`.
struct ScriptFailure: Error {
  var status: Int32 = 1
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a script; print() goes to stdout.",
    discussion: """
      Examples:
        fluxion run model.py
        echo 'import jax.numpy as jnp; print(jnp.arange(3))' | fluxion run -
        fluxion run --json model.py     # the last expression's value as JSON
      """)

  @Argument(help: "The script to run, or - for standard input.")
  var file: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    let data: Data
    let name: String
    if file == "-" {
      data = FileHandle.standardInput.readDataToEndOfFile()
      name = "<stdin>"
    } else {
      guard let contents = FileManager.default.contents(atPath: file) else {
        throw ValidationError("can't open file '\(file)': No such file or directory")
      }
      data = contents
      name = file
    }
    try Runner(common).script(bytes: [UInt8](data), filename: name)
  }
}

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run code given on the command line.",
    discussion: """
      Examples:
        fluxion eval 'import jax; jax.grad(lambda x: x**3)(2.0)'
        fluxion eval --json 'import jax.numpy as jnp; jnp.eye(2)'
      """)

  @Argument(help: "The code to run.")
  var code: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    try Runner(common).script(code, filename: "<string>")
  }
}

struct GradCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grad",
    abstract: "The gradient of EXPR at a point.",
    discussion: """
      Examples:
        fluxion grad 'lambda x: x**3' --at 2.0
        fluxion grad 'lambda x, y: x * y' --at '(2.0, 3.0)' --argnums 0 1
        fluxion grad loss --setup model.py --at '(W, b)'
      """)

  @Argument(help: "An expression that evaluates to a callable.")
  var expr: String

  @Option(name: .long, parsing: .unconditional, help: "The point: an expression (a tuple means several arguments).")
  var at: String

  @Option(name: .long, parsing: .upToNextOption, help: "Which arguments to differentiate.")
  var argnums: [Int] = []

  @OptionGroup var common: CommonOptions

  func run() throws {
    let runner = Runner(common)
    try runner.withFunction(expr, at: at) { interp, f, args throws(PyError) in
      let argnums: Value =
        argnums.count == 1 ? .int(argnums[0]) : argnums.isEmpty ? .int(0) : .tuple(argnums.map { .int($0) })
      let g = try interp.callLibrary("jax", "grad", [f], ["argnums": argnums])
      return try interp.callValue(g, args)
    }
  }
}

struct JacobianCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "jacobian",
    abstract: "The Jacobian of EXPR at a point.",
    discussion: """
      Examples:
        fluxion jacobian 'lambda x: jnp.sin(x) * x' --setup prelude.py --at '[1., 2.]'
        fluxion jacobian 'lambda x: x**2' --at '[1., 2., 3.]' --mode fwd --csv
        fluxion jacobian f --setup model.py --at W --check
      """)

  enum Mode: String, ExpressibleByArgument { case rev, fwd }

  @Argument(help: "An expression that evaluates to a callable.")
  var expr: String

  @Option(name: .long, parsing: .unconditional, help: "The point: an expression (a tuple means several arguments).")
  var at: String

  @Option(name: .long, help: "rev (jacrev) or fwd (jacfwd).")
  var mode: Mode = .rev

  @Flag(name: .long, help: "Write rows of numbers, with a header naming the indices.")
  var csv = false

  @Flag(
    name: .long,
    help: """
      Check every entry against central finite differences in float64 and print the table; exit \
      status 1 when an entry fails.
      """)
  var check = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    let runner = Runner(common)
    var report: GradientCheck?
    try runner.withFunction(expr, at: at, csv: csv) { interp, f, args throws(PyError) in
      let name = mode == .rev ? "jacrev" : "jacfwd"
      let j = try interp.callValue(try interp.callLibrary("jax", name, [f], [:]), args)
      if check {
        guard args.count == 1, case .array(let t) = j, let values = j.doubles else {
          throw PyError("TypeError", "--check needs a function of one array to one array")
        }
        report = try GradientCheck.run(interp, f, at: args[0], jacobian: values, float64: t.dtype == .float64)
      }
      return j
    }
    guard let report else { return }
    // The table follows the Jacobian on stdout; with --json (one line of JSON) it goes to stderr.
    if common.json {
      FileHandle.standardError.write(Data((report.table + "\n").utf8))
    } else {
      print(report.table)
    }
    if !report.passed { throw ScriptFailure() }
  }
}

struct JaxprCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "jaxpr",
    abstract: "The traced program (jaxpr) of EXPR at a point.",
    discussion: """
      Examples:
        fluxion jaxpr 'lambda x: jnp.sin(x) * x**3' --setup prelude.py --at 1.0
        fluxion jaxpr 'lambda x: jnp.sin(x) * x**3' --at 1.0 --grad --optimized
      """)

  @Argument(help: "An expression that evaluates to a callable.")
  var expr: String

  @Option(name: .long, parsing: .unconditional, help: "The point: an expression (a tuple means several arguments).")
  var at: String

  @Flag(name: .long, help: "The program of its gradient instead.")
  var grad = false

  @Flag(name: .long, help: "After the optimisation passes jit runs.")
  var optimized = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    let runner = Runner(common)
    try runner.withFunction(expr, at: at, jaxpr: true) { interp, f, args throws(PyError) in
      var fn = f
      if grad { fn = try interp.callLibrary("jax", "grad", [f], [:]) }
      return try interp.jaxpr(of: fn, args, optimized: optimized)
    }
  }
}

import Foundation
import Synchronization

/// How the explorer is started (`fluxion tui` options).
public struct ExplorerOptions: Sendable {
  public var file: String?
  public var function: String?
  public var ascii = false
  public var mouse = false
  public var color = true
  /// The session file (restored at start when no FILE or --fn is given, autosaved on quit).
  public var session: String?

  public init(
    file: String? = nil, function: String? = nil, session: String? = nil, ascii: Bool = false, mouse: Bool = false,
    color: Bool = true
  ) {
    self.file = file
    self.function = function
    self.session = session
    self.ascii = ascii
    self.mouse = mouse
    self.color = color
  }
}

/// Messages from the evaluator's thread to the input loop, with a pipe that wakes the loop's
/// `poll` as soon as one arrives.
final class Inbox: Sendable {
  private let messages = Mutex<[Message]>([])
  let readEnd: Int32
  private let writeEnd: Int32

  init() {
    var fds: [Int32] = [0, 0]
    if pipe(&fds) != 0 { fds = [-1, -1] }
    readEnd = fds[0]
    writeEnd = fds[1]
    if readEnd >= 0 {
      _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
    }
  }

  func post(_ m: Message) {
    messages.withLock { $0.append(m) }
    var byte: UInt8 = 1
    _ = write(writeEnd, &byte, 1)
  }

  func take() -> [Message] {
    var drain = [UInt8](repeating: 0, count: 256)
    while read(readEnd, &drain, drain.count) > 0 {}
    return messages.withLock { m in
      defer { m.removeAll() }
      return m
    }
  }
}

public enum ExplorerApp {
  /// The state the explorer starts in: the first example, or FILE's header and text, or a
  /// function given with `--fn`.
  public static func initialState(_ o: ExplorerOptions, width: Int, height: Int) throws -> State {
    var s = State(width: width, height: height)
    var example = Examples.first
    if let file = o.file {
      let text: String
      do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw ExplorerError("cannot read \(file): \(error.localizedDescription)")
      }
      // A script without a header is a workspace for the cube (or for --fn).
      example =
        Example(script: text, name: file)
        ?? {
          var e = Examples.first
          e.workspace = text
          e.title = file
          return e
        }()
    }
    if let f = o.function { example.function = f }
    Explorer.load(example, into: &s)
    s.ascii = o.ascii
    s.color = o.color && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    s.mouse = o.mouse
    return s
  }

  /// Runs the explorer until it quits; returns the exit status.
  public static func run(_ o: ExplorerOptions) throws -> Int32 {
    var probe = try initialState(o, width: 120, height: 40)
    // What to tell the shell once the terminal is restored (a session that could not be saved).
    var farewell: String?
    defer { if let farewell { FileHandle.standardError.write(Data("fluxion: \(farewell)\n".utf8)) } }
    let terminal: CursesTerminal
    do throws(CursesTerminal.Unavailable) {
      terminal = try CursesTerminal(color: probe.color, mouse: o.mouse)
    } catch {
      throw ExplorerError(error.reason)
    }
    defer { terminal.end() }
    let sessionPath = o.session ?? SessionFile.defaultPath
    // A session file refused at start (malformed, newer) is left as it is: no autosave over it.
    var keepSession = true
    var restored: String?
    if (o.file == nil && o.function == nil) || o.session != nil {
      do throws(SessionFileError) {
        if let saved = try SessionFile.read(sessionPath) {
          saved.apply(to: &probe)
          restored = "session restored from \(sessionPath)"
        }
      } catch {
        keepSession = false
        restored = "session refused: \(error.description)"
      }
    }
    let inbox = Inbox()
    let evaluator = Evaluator(post: { inbox.post($0) })
    defer { evaluator.stop() }
    var (w, h) = terminal.size
    var state = probe
    if !terminal.unicode { state.ascii = true }
    state.width = w
    state.height = h
    var commands: [Command] = [Explorer.reevaluate(&state)]
    state.status = restored ?? state.status
    @discardableResult
    func save(_ why: String) -> Bool {
      do throws(SessionFileError) {
        try SessionFile(state).write(sessionPath)
        keepSession = true
        state.status = "\(why) \(sessionPath)"
        return true
      } catch {
        state.status = error.description
        return false
      }
    }
    let trace = LatencyTrace.fromEnvironment()
    defer { trace?.finish() }
    while true {
      // Commands a command gives (a loaded session re-evaluates) run in the next round.
      var following: [Command] = []
      for c in commands {
        switch c {
        case .evaluate(let r): evaluator.submit(r)
        case .cancelEvaluation: evaluator.cancel()
        case .quit:
          // A session that cannot be saved (a full disk) is said on the way out; the file
          // there is left as it was.
          if keepSession, !save("saved to") {
            farewell = "the session was not saved: \(state.status)"
            return 1
          }
          return 0
        case .suspend:
          terminal.suspend()
        case .save:
          save("saved to")
        case .load:
          do throws(SessionFileError) {
            if let saved = try SessionFile.read(sessionPath) {
              saved.apply(to: &state)
              following.append(Explorer.reevaluate(&state))
              state.status = "loaded \(sessionPath)"
            } else {
              state.status = "no saved session at \(sessionPath)"
            }
          } catch {
            state.status = error.description
          }
        case .export(let path):
          switch Export.contents(for: path, state) {
          case .success(let data):
            do throws(SessionFileError) {
              try SessionFile.writeAtomically(data, to: path)
              state.status = "exported \(path)"
            } catch {
              state.status = error.description
            }
          case .failure(let e):
            state.status = e.description
          }
        }
      }
      commands = following
      if !commands.isEmpty { continue }
      terminal.draw(Explorer.view(state))
      if let marker = trace?.frameShown(state) { terminal.passThrough(marker) }
      var fds = [
        pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
        pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0),
      ]
      // A running evaluation ticks its elapsed time; otherwise wait for input.
      _ = poll(&fds, 2, state.evaluatingSince != nil ? 100 : 1000)
      let readAt = trace != nil ? LatencyTrace.now() : 0
      var messages = inbox.take()
      let (keys, resized) = terminal.readKeys()
      if resized {
        (w, h) = terminal.size
        messages.append(.resize(width: w, height: h))
      }
      messages += keys.map { .key($0) }
      messages.append(.tick(Date()))
      for m in messages {
        let (next, more) = Explorer.update(state, m)
        state = next
        commands += more
        if case .key(let k) = m {
          trace?.read(k, at: readAt, generation: state.generation)
        } else {
          trace?.received(m, at: readAt)
        }
      }
    }
  }
}

public struct ExplorerError: Error, CustomStringConvertible {
  public let description: String
  init(_ d: String) { description = d }
}

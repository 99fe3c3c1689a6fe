import Foundation
import Testing

@testable import FluxionTUI

/// Drives the explorer without a terminal: keys go through `update`, evaluation commands run
/// the real evaluator's work synchronously (on a thread with a deep stack, as the explorer's
/// own), and its messages are folded back in.
final class ExplorerHarness {
  var state: State
  private var work: Work?
  private let inbox = Inbox()

  init(width: Int = 120, height: Int = 40, example: Example = Examples.first) {
    state = State(width: width, height: height)
    Explorer.load(example, into: &state)
    state.now = Date(timeIntervalSince1970: 0)
    run([Explorer.reevaluate(&state)])
  }

  /// Sends keys, running the commands they give.
  func press(_ keys: Key...) {
    for k in keys { send(.key(k)) }
  }

  func type(_ text: String) {
    for ch in text { send(.key(.char(ch))) }
  }

  func send(_ m: Message) {
    let (s, commands) = Explorer.update(state, m)
    state = s
    run(commands)
  }

  /// The screen as text lines.
  var screen: String { Explorer.view(state).text }

  private func run(_ commands: [Command]) {
    for c in commands {
      guard case .evaluate(let r) = c else { continue }
      let inbox = self.inbox
      nonisolated(unsafe) var w = work
      let done = DispatchSemaphore(value: 0)
      let thread = Thread {
        var local = w ?? Work(post: { m in inbox.post(m) })
        local.run(r, token: CancellationToken())
        w = local
        done.signal()
      }
      thread.stackSize = 1 << 26
      thread.start()
      done.wait()
      work = w
      let messages = inbox.take()
      for var m in messages {
        // Timings vary from run to run; snapshots show a fixed one.
        if case .evaluated(var e) = m {
          e.milliseconds = 1
          m = .evaluated(e)
        }
        let (s, more) = Explorer.update(state, m)
        state = s
        run(more)
      }
    }
  }
}

/// Snapshot files in Tests/FluxionTUITests/Snapshots: compared exactly; written only when
/// FLUXION_RECORD_SNAPSHOTS=1 (never in CI: a missing or changed snapshot fails).
enum Snapshot {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

  static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = folder.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["FLUXION_RECORD_SNAPSHOTS"] == "1" {
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try? (text + "\n").write(to: url, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "missing snapshot \(name).txt (record it with FLUXION_RECORD_SNAPSHOTS=1 and read it)",
        sourceLocation: sourceLocation)
      return
    }
    #expect(text + "\n" == expected, "snapshot \(name) differs", sourceLocation: sourceLocation)
  }
}

import Foundation
import Synchronization
import Testing

@testable import Fluxion
@testable import FluxionTUI

/// Messages posted from the evaluator's threads and taken on the test's, under a lock whose
/// ordering ThreadSanitizer is told of (it does not see the Synchronization module's futexes).
final class PostedMessages: Sendable {
  private let messages = Mutex<[Message]>([])
  func post(_ m: Message) { messages.withAnnotatedLock(self) { $0.append(m) } }
  func take() -> [Message] {
    messages.withAnnotatedLock(self) { m in
      defer { m.removeAll() }
      return m
    }
  }
}

/// 10 000 scripted keystrokes into the explorer with the real two-lane evaluator behind it,
/// without waiting for evaluations (so most are cancelled by the next key): every result shown
/// is the result of the text it was computed for, the last text's results and Jacobian arrive,
/// and memory stays flat. Run under ThreadSanitizer by `make tsan`.
@Suite struct SoakTests {
  /// Resident memory of this process, in bytes (Linux /proc).
  static var residentBytes: Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
  }

  /// At least `count` keystrokes: edits that make valid and invalid functions, and cursor
  /// moves, each piece typed then erased (so the text ends as it began).
  static func script(count: Int) -> [Key] {
    let pieces = [" + jnp.sin(x)", " * 2", "**", " - jnp.tanh(x * 3)", ")", " + x.sum()"]
    var keys: [Key] = []
    var k = 0
    while keys.count < count {
      let piece = pieces[k % pieces.count]
      keys += piece.map { Key.char($0) }
      if k % 5 == 4 { keys += [.left, .left, .right, .right, .end] }
      keys += Array(repeating: .backspace, count: piece.count)
      k += 1
    }
    return keys
  }

  @Test func tenThousandKeystrokesWithCancellations() throws {
    let messages = PostedMessages()
    let evaluator = Evaluator(post: { m in messages.post(m) })
    defer { evaluator.stop() }
    var state = State()
    state.function = LineEditor("lambda x: x**3")
    state.fields[.x] = LineEditor("jnp.array([0.5, -1.0])")
    state.workspace = TextArea("import jax\nimport jax.numpy as jnp\n")
    /// The function text each generation was computed for.
    var texts: [Int: String] = [:]
    var shown = 0
    func submit(_ commands: [Command]) {
      for c in commands {
        switch c {
        case .evaluate(let r):
          texts[r.generation] = r.function
          evaluator.submit(r)
        case .cancelEvaluation: evaluator.cancel()
        default: break
        }
      }
    }
    func fold() {
      let batch = messages.take()
      for m in batch { state = Explorer.update(state, m).0 }
      if let e = state.evaluation {
        // What is on screen was computed for a text typed, never another one's.
        #expect(texts[e.generation] != nil, "generation \(e.generation) was never requested")
        if e.generation == state.generation, state.error == nil {
          #expect(texts[e.generation] == state.function.string)
          shown += 1
        }
      }
      if state.jacobian.generation >= 0 {
        #expect(state.jacobian.generation <= state.generation)
      }
    }
    func settle() throws {
      let deadline = Date().addingTimeInterval(120)
      while !state.isComplete {
        try #require(Date() < deadline, "the evaluation of generation \(state.generation) never completed")
        usleep(500)
        fold()
      }
    }
    guard case .evaluate(let first) = Explorer.reevaluate(&state) else { return }
    texts[first.generation] = first.function
    evaluator.submit(first)
    var memoryAt1000 = 0
    let keys = Self.script(count: 10_000)
    #expect(keys.count >= 10_000)
    for (i, key) in keys.enumerated() {
      state.focus = .function
      let (s, commands) = Explorer.update(state, .key(key))
      state = s
      submit(commands)
      fold()
      // Every 50 keys, a pause long enough for the text then to be evaluated to the end.
      if i % 50 == 49 { try settle() }
      if i == 1000 { memoryAt1000 = Self.residentBytes }
    }
    try settle()
    let grown = Self.residentBytes - memoryAt1000
    print(
      "soak: results shown for their own text \(shown) times; resident memory grew \(grown / 1024) KiB from key 1000")
    let e = try #require(state.evaluation)
    #expect(e.generation == state.generation)
    #expect(state.function.string == "lambda x: x**3")
    #expect(e.results.first?.value == "[0.125, -1]")
    #expect(state.jacobian.done && state.jacobian.generation == state.generation)
    #expect(state.jacobian.values == [0.75, 0, 0, 3])
    // Flat: the 9000 keys after the first thousand grow the process by less than 32 MiB. The
    // process's memory is only this test's when it runs alone (`make test` runs it so, with
    // FLUXION_SOAK_MEMORY=1); among the other suites running in parallel it is printed only.
    if ProcessInfo.processInfo.environment["FLUXION_SOAK_MEMORY"] == "1" {
      #expect(grown < 32 << 20, "resident memory grew \(grown) bytes")
    }
  }
}

import Foundation
import Synchronization
import Testing

@testable import FluxionTUI

/// The real evaluator: its two lanes (results on one, the Jacobian on the other, each with its
/// own session) under a burst of requests, folded through `update` as the explorer does. Run
/// under ThreadSanitizer by `make tsan`.
@Suite struct EvaluatorTests {
  /// Submits the state's request after each edit, then folds the evaluator's messages in until
  /// the state is complete.
  static func settle(_ state: inout State, edits: [String], x: String) throws {
    let messages = PostedMessages()
    let evaluator = Evaluator(post: { m in messages.post(m) })
    defer { evaluator.stop() }
    state.fields[.x] = LineEditor(x)
    for text in edits {
      state.function = LineEditor(text)
      guard case .evaluate(let r) = Explorer.reevaluate(&state) else { return }
      evaluator.submit(r)
    }
    let deadline = Date().addingTimeInterval(60)
    while !state.isComplete {
      try #require(Date() < deadline, "the evaluation of generation \(state.generation) never completed")
      let batch = messages.take()
      if batch.isEmpty { usleep(1000) }
      for m in batch { state = Explorer.update(state, m).0 }
    }
  }

  @Test func aBurstOfEditsEndsOnTheLastTextsResultsAndJacobian() throws {
    var state = State()
    try Self.settle(&state, edits: (1...12).map { "lambda x: x * jnp.sum(x ** \($0))" }, x: "jnp.array([1., 2.])")
    let e = try #require(state.evaluation)
    #expect(e.generation == state.generation)
    // f(x) = x·Σx¹²: ∂fᵢ/∂xⱼ = δᵢⱼ Σx¹² + xᵢ·12xⱼ¹¹, with Σx¹² = 4097.
    #expect(e.results.first?.value == "[4097, 8194]")
    #expect(state.jacobian.generation == state.generation && state.jacobian.done)
    let expected: [Double] = [4109, 24576, 24, 53249]
    #expect(state.jacobian.values == expected)
    #expect(state.jacobian.gradient?.passed == true)
  }

  @Test func aFailureAfterGoodTextsCompletesWithTheError() throws {
    var state = State()
    try Self.settle(&state, edits: ["lambda x: x**2", "lambda x: x**3", "lambda x: x**"], x: "2.0")
    #expect(state.error != nil)
    #expect(state.finishedGeneration == state.generation)
  }
}

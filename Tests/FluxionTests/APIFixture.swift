import Foundation
import Testing

@testable import Fluxion

/// Expected results from Fixtures/api_functions.json (written by Tests/fixtures/
/// make_api_fixtures.py under JAX 0.10.2; each case's JAX source is in the fixture and in a
/// comment above the test that mirrors it).
enum APIFixture {
  nonisolated(unsafe) static let cases = loadCases("api_functions")

  /// `got` against case `name` (its element `index` when the case is a tuple or list): dtype,
  /// shape, weak type (unless `weak` is false) and values within `ulps` of float32, or within
  /// `atol` of JAX's value where that is given.
  static func check(
    _ got: Tensor, _ name: String, _ index: Int? = nil, ulps: Double = 4, atol: Double? = nil, weak: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard var want = cases[name] else {
      Issue.record("no fixture \(name)", sourceLocation: sourceLocation)
      return
    }
    if let index, let list = want as? [Any] { want = list[index] }
    var problem = mismatch(got, want, ulps: ulps, checkWeak: weak)
    if let atol, problem?.hasPrefix("element") == true {
      let (a, b) = ((try? got.doubles) ?? [], (try? fixtureTensor(want).doubles) ?? [])
      let far = zip(a, b).enumerated().first { !(Swift.abs($0.element.0 - $0.element.1) <= atol) }
      problem = far.map { "element \($0.offset): \($0.element.0) != \($0.element.1) (beyond \(atol))" }
    }
    #expect(problem == nil, "\(name)\(index.map { "[\($0)]" } ?? ""): \(problem ?? "")", sourceLocation: sourceLocation)
  }

  /// `got` holds JAX's error of case `name`: the same exception type and message.
  static func checkError(_ got: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let want = (cases[name] as? [String: Any])?["error"] as? [String: Any]
    #expect(want != nil, "fixture \(name) is not an error", sourceLocation: sourceLocation)
    #expect(got.error?.kind.rawValue == want?["type"] as? String, "\(name): \(got)", sourceLocation: sourceLocation)
    #expect(got.error?.message == want?["message"] as? String, "\(name)", sourceLocation: sourceLocation)
  }

  /// A case whose result is text (a printed jaxpr).
  static func text(_ name: String) -> String? { (cases[name] as? [String: Any])?["text"] as? String }
}

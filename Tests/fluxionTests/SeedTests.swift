import Foundation
import Testing

@testable import Fluxion

/// The founding examples: what `fluxion` computes for each seed script against the value JAX
/// gave for the script's last expression (shared/seed/*.expected.json, copied to Fixtures/).
struct SeedTests {
  /// The arrays of an expected value, in order (tuples, lists and pytree children flattened).
  static func arrays(_ v: Any) -> [Any] {
    if let d = v as? [String: Any] {
      if d["dtype"] != nil { return [d] }
      if let children = d["children"] as? [Any] { return children.flatMap(arrays) }
      return d.keys.sorted().flatMap { arrays(d[$0] as Any) }
    }
    if let list = v as? [Any] { return list.flatMap(arrays) }
    return [v]
  }

  static func expected(_ name: String) throws -> [Any] {
    let url = try #require(
      Bundle.module.url(forResource: "\(name).expected", withExtension: "json", subdirectory: "Fixtures"))
    return arrays(try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed]))
  }

  @Test("the seed's last value matches JAX", arguments: Seeds.all.map(\.name))
  func seedMatchesJAX(_ name: String) throws {
    let example = try #require(Seeds.all.first { $0.name == name })
    let got = example.run().values
    let want = try Self.expected(name)
    #expect(got.count == want.count, "\(name): \(got.count) arrays, JAX has \(want.count)")
    for (i, (g, w)) in zip(got, want).enumerated() {
      guard let w = w as? [String: Any] else {
        #expect(try g.doubles == [(w as? Bool ?? false) ? 1 : 0], "\(name)[\(i)]")
        continue
      }
      #expect(g.shape == (w["shape"] as? [Int] ?? []), "\(name)[\(i)] shape")
      #expect("\(g.dtype)" == w["dtype"] as? String, "\(name)[\(i)] dtype")
      let flat = Self.arrays(w["data"] as Any).compactMap { ($0 as? NSNumber)?.doubleValue }
      let values = try g.doubles
      #expect(values.count == flat.count, "\(name)[\(i)] size")
      for (a, b) in zip(values, flat) {
        // float32 results, computed in other orders than XLA's: a relative 2e-6 (a few ulp).
        #expect(Swift.abs(a - b) <= 2e-6 * Swift.max(1, Swift.abs(b)), "\(name)[\(i)]: \(a) vs JAX \(b)")
      }
    }
  }
}

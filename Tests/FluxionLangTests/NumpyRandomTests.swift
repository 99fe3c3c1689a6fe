import FluxionLang
import Foundation
import Testing

/// `numpy.random` against NumPy's own numbers: Fixtures/numpy_random.json was written by
/// Fixtures/numpy_random.py under NumPy 2.4 (MT19937 legacy draws, PCG64 Generator draws incl.
/// the ziggurat normals). Every value agrees exactly except some of the ziggurat's normals
/// (Generator `standard_normal` / `normal`): the innermost layers of the tables computed here
/// differ from NumPy's in the last few bits (NumPy's were made with another libm), so a draw
/// that lands in one of them is off by a few ulps; the same words are consumed either way.
@Suite struct NumpyRandomTests {
  struct Case: Sendable {
    let code: String
    let value: JSONRandomValue
  }

  static let cases: [Case] = {
    guard let url = Bundle.module.url(forResource: "numpy_random", withExtension: "json", subdirectory: "Fixtures"),
      let data = try? Data(contentsOf: url),
      let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let list = root["cases"] as? [[String: Any]]
    else { return [] }
    return list.compactMap { c in
      guard let code = c["code"] as? String, let v = c["value"] else { return nil }
      return Case(code: code, value: JSONRandomValue(v))
    }
  }()

  @Test func fixtureIsThere() { #expect(Self.cases.count > 60) }

  @Test(arguments: cases.map(\.code))
  func drawsMatchNumpy(_ code: String) throws {
    let expected = try #require(Self.cases.first { $0.code == code }).value
    let interp = Interpreter()
    let source = "import numpy as np\n" + code.replacingOccurrences(of: "; ", with: "\n")
    let value = try interp.run(source)
    let json = try interp.json(value ?? .none)
    let got = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    let (a, b) = (JSONRandomValue(got).flattened, expected.flattened)
    try #require(a.count == b.count, "\(code): \(a.count) values, NumPy gave \(b.count)")
    let ziggurat = code.contains("default_rng") && code.contains("normal")
    for (k, (x, y)) in zip(a, b).enumerated() {
      let ok = ziggurat ? Swift.abs(x - y) <= 1e-13 * Swift.abs(y) : x == y
      if !ok {
        Issue.record("\(code): value \(k) is \(x), NumPy's is \(y)")
        return
      }
    }
  }
}

/// A JSON value with arrays' `data` taken out of `{"dtype", "shape", "data"}`.
indirect enum JSONRandomValue: Equatable, Sendable {
  case number(Double)
  case list([JSONRandomValue])
  case other(String)

  init(_ v: Any) {
    switch v {
    case let n as NSNumber: self = .number(n.doubleValue)
    case let l as [Any]: self = .list(l.map(JSONRandomValue.init))
    case let d as [String: Any]:
      if let data = d["data"] { self = JSONRandomValue(data) } else { self = .other("\(d)") }
    default: self = .other("\(v)")
    }
  }

  /// The numbers, depth first.
  var flattened: [Double] {
    switch self {
    case .number(let d): [d]
    case .list(let l): l.flatMap(\.flattened)
    case .other: [.nan]
    }
  }
}

import CKernels
import Foundation
import Testing

@testable import FluxionBackend

/// float32 results that must be XLA:CPU's bits (JAX 0.10.2), against fixtures made with JAX by
/// Tests/fixtures/make_xla_numerics_fixtures.py: the unary kernels of xla_math.c, small dots,
/// short row sums and divisions by a broadcast divisor. Every element is compared bit for bit
/// (NaNs included). The Makefile runs this suite again at vector widths 8 and 1.
struct XLANumericsTests {
  static func fixtureURL(_ name: String, _ ext: String) throws -> URL {
    try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
  }

  /// The unary fixture: inputs, and each function's results, as bit patterns.
  struct UnaryFixture {
    let inputs: [UInt32]
    let results: [String: [UInt32]]

    static let shared: UnaryFixture? = try? load()

    static func load() throws -> UnaryFixture {
      let data = try Data(contentsOf: try XLANumericsTests.fixtureURL("xla_unary_f32", "bin"))
      let words = data.withUnsafeBytes { raw in
        (0..<(raw.count / 4)).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
      }
      guard words.count >= 3, words[0] == 0x3155_5846 else { throw CocoaError(.fileReadCorruptFile) }
      let (n, f) = (Int(words[1]), Int(words[2]))
      var at = 3
      let inputs = Array(words[at..<(at + n)])
      at += n
      var results: [String: [UInt32]] = [:]
      for _ in 0..<f {
        let nameBytes = data[(at * 4)..<(at * 4 + 16)].prefix { $0 != 0 }
        let name = String(decoding: nameBytes, as: UTF8.self)
        at += 4
        results[name] = Array(words[at..<(at + n)])
        at += n
      }
      return UnaryFixture(inputs: inputs, results: results)
    }
  }

  typealias Kernel = @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
  static let kernels: [(String, Kernel)] = [
    ("exp", fx_exp_f32), ("expm1", fx_expm1_f32), ("log", fx_log_f32), ("log1p", fx_log1p_f32),
    ("tanh", fx_tanh_f32), ("logistic", fx_logistic_f32), ("sin", fx_sin_f32), ("cos", fx_cos_f32),
    ("tan", fx_tan_f32), ("sinh", fx_sinh_f32), ("cosh", fx_cosh_f32), ("arcsin", fx_asin_f32), ("arccos", fx_acos_f32),
  ]

  @Test("float32 unary kernel gives XLA's bits on every fixture input", arguments: 0..<13)
  func unaryKernelIsBitExact(_ i: Int) throws {
    let fixture = try #require(UnaryFixture.shared)
    let (name, kernel) = Self.kernels[i]
    let expected = try #require(fixture.results[name])
    let x = fixture.inputs.map { Float(bitPattern: $0) }
    // The whole array, and again from an odd offset in odd-sized pieces (vector tails).
    var whole = [Float](repeating: 0, count: x.count)
    kernel(x, &whole, x.count)
    var pieces = [Float](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xp in
      pieces.withUnsafeMutableBufferPointer { yp in
        var s = 0
        var len = 1
        while s < x.count {
          let c = Swift.min(len, x.count - s)
          kernel(xp.baseAddress! + s, yp.baseAddress! + s, c)
          s += c
          len = len % 37 + 2
        }
      }
    }
    for (label, got) in [("whole", whole), ("pieces", pieces)] {
      let bad = (0..<x.count).filter { got[$0].bitPattern != expected[$0] }
      let first = bad.prefix(3).map { j in
        "x=0x\(String(fixture.inputs[j], radix: 16)) got 0x\(String(got[j].bitPattern, radix: 16)) "
          + "want 0x\(String(expected[j], radix: 16))"
      }
      let message = "\(name) (\(label), width \(fx_vector_width())): \(bad.count) of \(x.count) differ: \(first)"
      #expect(bad.isEmpty, Comment(rawValue: message))
    }
    #expect(x.count > 50_000)
  }

  /// The JSON fixture of small products, row sums and divisions.
  static func small() throws -> [String: Any] {
    let data = try Data(contentsOf: try fixtureURL("xla_small", "json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func array(_ bits: Any?, _ shape: Any?) throws -> DenseArray {
    let b = try #require(bits as? [NSNumber]).map { Float(bitPattern: $0.uint32Value) }
    let s = try #require(shape as? [Int])
    return DenseArray.from(b, shape: s)
  }

  static func bitPatterns(_ a: DenseArray) -> [UInt32] { a.elements(Float.self).map(\.bitPattern) }

  static func expected(_ bits: Any?) throws -> [UInt32] { try #require(bits as? [NSNumber]).map(\.uint32Value) }

  @Test func smallDotsAreBitExact() throws {
    let dots = try #require(try Self.small()["dots"] as? [[String: Any]])
    var bad: [String] = []
    for d in dots {
      let lhs = try Self.array(d["lhs"], d["lhs_shape"])
      let rhs = try Self.array(d["rhs"], d["rhs_shape"])
      let c = try #require(d["contracting"] as? [[Int]])
      let b = try #require(d["batch"] as? [[Int]])
      let y = Linalg.dotGeneral(lhs, rhs, contracting: (c[0], c[1]), batch: (b[0], b[1]))
      #expect(y.shape == (d["shape"] as? [Int]))
      if Self.bitPatterns(y) != (try Self.expected(d["result"])) { bad.append("\(lhs.shape)·\(rhs.shape) \(c)") }
    }
    #expect(dots.count > 300)
    #expect(bad.isEmpty, "\(bad.count) products differ from JAX: \(bad.prefix(5))")
  }

  @Test func shortRowSumsAreBitExact() throws {
    let sums = try #require(try Self.small()["sums"] as? [[String: Any]])
    for s in sums {
      let x = try Self.array(s["x"], s["shape"])
      let y = Reduction.reduce(.sum, x, axes: [x.rank - 1])
      #expect(Self.bitPatterns(y) == (try Self.expected(s["result"])), "sum of \(x.shape) along the last axis")
    }
  }

  /// Divisions by a broadcast divisor, of one value or along some axes (x · fl(1/d), flushed),
  /// and by a full array (IEEE division) are XLA's bits.
  @Test func divisionsAreBitExact() throws {
    let divisions = try #require(try Self.small()["divisions"] as? [[String: Any]])
    var checked = 0
    for d in divisions {
      let a = try Self.array(d["a"], d["a_shape"])
      let b = try Self.array(d["b"], d["b_shape"])
      let y = Elementwise.binary(.div, a, b)
      #expect(Self.bitPatterns(y) == (try Self.expected(d["result"])), "\(a.shape) / \(b.shape)")
      checked += 1
    }
    #expect(checked == 9)
  }

  /// arctan's bits depend on the array's length as XLA's do: glibc's atanf for one element,
  /// XLA's atan for 2 to 49, and for longer arrays glibc's over all but the last n mod 4.
  @Test func arctanOfEachLengthIsBitExact() throws {
    let cases = try #require(try Self.small()["arctans"] as? [[String: Any]])
    for c in cases {
      let x = try Self.array(c["x"], c["shape"])
      let y = try #require(Elementwise.unary(UnaryKernel.atan, x))
      let (got, want) = (Self.bitPatterns(y), try Self.expected(c["result"]))
      let differ = zip(got, want).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
      #expect(differ.isEmpty, "arctan of \(x.count) elements differs from JAX at \(differ.prefix(5))")
    }
    #expect(cases.count == 17)
  }

  /// erf of one element is XLA's scalar variant (±1 from 3.7439213 on), of more the vector one
  /// (±1 from 3.832507 on).
  @Test func erfOfEachLengthIsBitExact() throws {
    let cases = try #require(try Self.small()["erfs"] as? [[String: Any]])
    for c in cases {
      let x = try Self.array(c["x"], c["shape"])
      let y = try #require(Elementwise.unary(UnaryKernel.erf, x))
      #expect(Self.bitPatterns(y) == (try Self.expected(c["result"])), "erf of \(x.count) elements")
    }
    #expect(cases.count == 7)
  }

  /// exp and log of a whole array of 3, 5, 6 or 7 elements are glibc's, and from element 8 on
  /// for 11 and 13–15 elements, as XLA:CPU leaves them to libm; the polynomial otherwise.
  @Test func expAndLogOfEachLengthAreBitExact() throws {
    let cases = try #require(try Self.small()["explogs"] as? [[String: Any]])
    for c in cases {
      let x = try Self.array(c["x"], c["shape"])
      let a = try Self.array(c["abs"], c["shape"])
      let e = try #require(Elementwise.unary(UnaryKernel.exp, x))
      let l = try #require(Elementwise.unary(UnaryKernel.log, a))
      #expect(Self.bitPatterns(e) == (try Self.expected(c["exp"])), "exp of \(x.count) elements")
      #expect(Self.bitPatterns(l) == (try Self.expected(c["log"])), "log of \(x.count) elements")
    }
    #expect(cases.count == 13)
  }

  @Test func arctan2IsBitExact() throws {
    let cases = try #require(try Self.small()["atan2s"] as? [[String: Any]])
    for c in cases {
      let a = try Self.array(c["a"], c["a_shape"])
      let b = try Self.array(c["b"], c["b_shape"])
      let y = Elementwise.binary(.atan2, a, b)
      let (got, want) = (Self.bitPatterns(y), try Self.expected(c["result"]))
      let differ = zip(got, want).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
      #expect(differ.isEmpty, "arctan2 of \(a.shape) by \(b.shape) differs from JAX at \(differ.prefix(5))")
    }
    #expect(cases.count == 4)
  }
}

import Foundation
import Testing

@testable import Fluxion

/// One array from Fixtures/printing.json (Tests/fixtures/make_printing_fixture.py) with the
/// `str` and `repr` text JAX prints for it.
struct PrintingCase: Decodable, Sendable, CustomTestStringConvertible {
  let expr: String
  let dtype: String
  let shape: [Int]
  let weakType: Bool
  let data: PrintData
  let str: String
  let repr: String

  var testDescription: String { expr }

  private enum CodingKeys: String, CodingKey {
    case expr, dtype, shape, data, str, repr
    case weakType = "weak_type"
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    expr = try container.decode(String.self, forKey: .expr)
    dtype = try container.decode(String.self, forKey: .dtype)
    shape = try container.decode([Int].self, forKey: .shape)
    weakType = try container.decode(Bool.self, forKey: .weakType)
    str = try container.decode(String.self, forKey: .str)
    repr = try container.decode(String.self, forKey: .repr)
    switch dtype {
    case "bool": data = .bool(try container.decode([Bool].self, forKey: .data))
    case "int32": data = .int32(try container.decode([Int32].self, forKey: .data))
    case "uint32": data = .uint32(try container.decode([UInt32].self, forKey: .data))
    case "int64": data = .int64(try container.decode([Int64].self, forKey: .data))
    case "uint64": data = .uint64(try container.decode([UInt64].self, forKey: .data))
    case "float32":
      let bits = try Self.bitPatterns(container, digits: 8)
      data = .float32(bits.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
    case "float64":
      data = .float64(try Self.bitPatterns(container, digits: 16).map(Double.init(bitPattern:)))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .dtype, in: container, debugDescription: "unsupported dtype \(dtype)")
    }
  }

  /// Float data written as hex IEEE bit patterns: `"0x3f800000"`.
  private static func bitPatterns(_ container: KeyedDecodingContainer<CodingKeys>, digits: Int)
    throws -> [UInt64]
  {
    try container.decode([String].self, forKey: .data).map { text in
      guard text.hasPrefix("0x"), text.count == digits + 2,
        let bits = UInt64(text.dropFirst(2), radix: 16)
      else {
        throw DecodingError.dataCorruptedError(
          forKey: .data, in: container, debugDescription: "bad float bits \(text)")
      }
      return bits
    }
  }

  /// Every case of the fixture.
  static func all() throws -> [PrintingCase] {
    struct Fixture: Decodable {
      let cases: [PrintingCase]
    }
    guard
      let url = Bundle.module.url(
        forResource: "printing", withExtension: "json", subdirectory: "Fixtures")
    else {
      throw CocoaError(.fileNoSuchFile)
    }
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
  }
}

@Suite struct PrintingTests {
  @Test func fixtureHasTheReferenceCases() throws {
    let cases = try PrintingCase.all()
    #expect(cases.count >= 59)
    #expect(cases.contains { $0.expr == "jnp.arange(2000.)" })
  }

  @Test(arguments: try PrintingCase.all())
  func strAndReprMatchJAX(_ example: PrintingCase) {
    let str = ArrayFormatter.str(example.data, shape: example.shape)
    #expect(str == example.str, "str of \(example.expr)")
    let repr = ArrayFormatter.repr(
      example.data, shape: example.shape, dtypeName: example.dtype, weakType: example.weakType)
    #expect(repr == example.repr, "repr of \(example.expr)")
  }

  @Test func malformedShapesPrintAsFlatData() {
    #expect(ArrayFormatter.str(.int32([1, 2, 3]), shape: [2, 2]) == "[1 2 3]")
    #expect(ArrayFormatter.str(.float32([1]), shape: [-1]) == "[1.]")
    #expect(ArrayFormatter.str(.bool([]), shape: []) == "[]")
    #expect(
      ArrayFormatter.repr(.float32([]), shape: [], dtypeName: "float32", weakType: false)
        == "Array([], shape=(0,), dtype=float32)")
  }
}

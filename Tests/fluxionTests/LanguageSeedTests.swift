import FluxionLang
import Foundation
import Testing

@testable import fluxion

/// The founding examples run through the language: the embedded scripts are the seed files,
/// and each prints JAX's text and ends in JAX's value (the value's JSON compared within
/// float32 tolerance, as ../shared/oracle/compare.py does).
struct LanguageSeedTests {
  static func fixture(_ name: String, _ ext: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// Two decoded JSON values equal as compare.py judges them (floats within 1e-5 + 1e-4·|x|).
  static func close(_ a: Any, _ b: Any) -> Bool {
    switch (a, b) {
    case (let x as [Any], let y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { close($0, $1) }
    case (let x as [String: Any], let y as [String: Any]):
      return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { close(x[$0]!, y[$0]!) }
    case (let x as NSNumber, let y as NSNumber):
      // Booleans decode as NSNumber too: they must match exactly.
      if x.objCType.pointee == 99 || y.objCType.pointee == 99 { return x == y }
      return Swift.abs(x.doubleValue - y.doubleValue) <= 1e-5 + 1e-4 * Swift.abs(y.doubleValue)
    case (let x as String, let y as String): return x == y
    case (is NSNull, is NSNull): return true
    default: return false
    }
  }

  @Test("the embedded script is the seed file", arguments: SeedScripts.all.map(\.name))
  func embeddedIsTheFile(_ name: String) throws {
    let source = try #require(SeedScripts.all.first { $0.name == name }?.source)
    #expect(source + "\n" == (try Self.fixture(name, "py")))
  }

  @Test("a seed prints JAX's text and ends in JAX's value", arguments: SeedScripts.all.map(\.name))
  func seedThroughTheLanguage(_ name: String) throws {
    let interp = Interpreter()
    var printed = ""
    interp.write = { printed += $0 }
    let value = try interp.run(try Self.fixture(name, "py"), filename: "\(name).py")
    let got = try JSONSerialization.jsonObject(
      with: Data(try interp.json(value ?? .none).utf8), options: [.fragmentsAllowed])
    let want = try JSONSerialization.jsonObject(
      with: Data(try Self.fixture("\(name).expected", "json").utf8), options: [.fragmentsAllowed])
    #expect(Self.close(got, want), "\(name): the value differs from JAX's")
    // Byte for byte: the engine computes exp, log, tanh, small dots and sums as XLA does.
    #expect(printed == (try Self.fixture("\(name).expected", "out")))
  }
}

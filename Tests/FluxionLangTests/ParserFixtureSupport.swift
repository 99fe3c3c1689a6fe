import Foundation
import Testing

/// Tests/FluxionLangTests/Fixtures/parser.json, written by Tests/fixtures/make_lang_fixtures.py
/// from CPython 3.11's `ast` module.
struct ParserFixture: Decodable {
  struct ParseCase: Decodable, CustomTestStringConvertible {
    let source: String
    let dump: String
    var testDescription: String { source.debugDescription }
  }
  struct ErrorCase: Decodable, CustomTestStringConvertible {
    let source: String
    let type: String
    let message: String
    let line: Int
    let column: Int
    /// `traceback.format_exception_only` of CPython's error (the file is `<unknown>`).
    let rendered: String
    var testDescription: String { source.debugDescription }
  }
  struct Script: Decodable, CustomTestStringConvertible {
    let name: String
    let dump: String
    var testDescription: String { name }
  }
  let parse: [ParseCase]
  let errors: [ErrorCase]
  let scripts: [Script]

  static let shared: ParserFixture = {
    guard let url = Bundle.module.url(forResource: "parser", withExtension: "json", subdirectory: "Fixtures"),
      let data = try? Data(contentsOf: url),
      let fixture = try? JSONDecoder().decode(ParserFixture.self, from: data)
    else { return ParserFixture(parse: [], errors: [], scripts: []) }
    return fixture
  }()

  static func script(_ name: String) throws -> String {
    let url = try #require(
      Bundle.module.url(forResource: "scripts/" + name, withExtension: nil, subdirectory: "Fixtures")
        ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/scripts"))
    return try String(contentsOf: url, encoding: .utf8)
  }
}

import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `fluxion plot` as a user runs it.
struct PlotCommandTests {
  func run(_ args: [String]) throws -> CommandLineTests.Result { try CommandLineTests.run(["plot"] + args) }

  @Test func theSeedCubeAsBraille() throws {
    let r = try run(["lambda x: x**3", "--range", "-2", "2"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 24)
    #expect(lines.allSatisfy { $0.count <= 80 })
    #expect(lines.first == "f ━  f' ┅  on [-2, 2]")
    #expect(r.stdout.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    #expect(lines.last?.contains("-2.0") == true && lines.last?.contains("2.0") == true)
    // No colour escapes on stdout.
    #expect(!r.stdout.contains("\u{1B}"))
  }

  @Test func asciiSizeAndNegativeValues() throws {
    let r = try run([
      "lambda x: x**2", "--range", "-3", "-1", "--ascii", "--width", "50", "--height", "12", "--at", "-1.5",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 12)
    #expect(lines.allSatisfy { $0.count <= 50 })
    #expect(r.stdout.unicodeScalars.allSatisfy { $0.value <= 0x7F })
    #expect(r.stdout.contains("x=-1.5  f=2.25  f'=-3"))
  }

  @Test func aSliceOfAFunctionOfAnArray() throws {
    let setup = try CommandLineTests.temporaryFile("import jax.numpy as jnp\n")
    let r = try run([
      "lambda x: jnp.sum(x**2)", "--setup", setup, "--at", "[1., 2.]", "--along", "[1., 0.]", "--range", "-1", "1",
      "--json", "--width", "2",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    // Two dot columns a cell: 4 samples at t = -1, -1/3, 1/3, 1.
    #expect(r.stdout.hasPrefix("{\"range\": [-1.0, 1.0], \"series\": [{\"label\": \"f\", \"xs\": [-1.0, "))
    #expect(r.stdout.contains("\"ys\": [4.0, 4.44444"))
    #expect(r.stdout.contains("{\"label\": \"f'\""))
  }

  @Test func jsonWritesNonFiniteValuesAsTokens() throws {
    let setup = try CommandLineTests.temporaryFile("import jax.numpy as jnp\n")
    let r = try run(["lambda x: jnp.log(x)", "--setup", setup, "--range", "-1", "1", "--width", "2", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\"ys\": [NaN, NaN, -1.0986"))
    #expect(r.stdout.hasSuffix("}]}\n"))
  }

  @Test func svgFileParses() throws {
    let path = try CommandLineTests.temporaryFile("", name: "plot.svg")
    let setup = try CommandLineTests.temporaryFile("import jax.numpy as jnp\n")
    let r = try run(["lambda x: jnp.tan(x)", "--setup", setup, "--svg", path])
    #expect(r.status == 0, "\(r.stderr)")
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(XMLParser(data: data).parse())
    #expect(String(decoding: data, as: UTF8.self).contains("<polyline"))
  }

  @Test func badValuesAreOneLineWithStatusTwo() throws {
    for args in [
      ["lambda x: x**3", "--range", "3", "-3"], ["lambda x: x**3", "--range", "1", "1"],
      ["lambda x: x**3", "--range", "1"], ["lambda x: x**3", "--width", "0"], ["lambda x: x**3", "--height", "0"],
      ["lambda x: x**3", "--svg", "/nonexistent-dir-for-fluxion/plot.svg"], ["3"], ["'not callable'"],
      ["lambda x: x", "--along", "1"],
    ] {
      let r = try run(args)
      #expect(r.status == 2, "\(args): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(args)")
    }
  }

  @Test func aFunctionFailingEverywhereIsATraceback() throws {
    let r = try run(["lambda x: undefined_name"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("NameError"))
  }

  @Test func helpShowsAnExample() throws {
    let h = try run(["--help"])
    #expect(h.status == 0)
    #expect(h.stdout.contains("fluxion plot 'lambda x: x**3' --range -2 2"))
  }
}

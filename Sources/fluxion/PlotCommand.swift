import ArgumentParser
import Fluxion
import FluxionLang
import FluxionTUI
import Foundation

/// `fluxion plot`: f and f' over a range as text (braille, or ASCII), as JSON samples, or as
/// an SVG file; with `--at X --along V`, the slice t ↦ f(X + t·V) of a function of an array.
struct PlotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot",
    abstract: "Plot EXPR and its derivative over a range.",
    discussion: """
      Examples:
        fluxion plot 'lambda x: x**3' --range -2 2
        fluxion plot 'lambda x: jnp.tan(x)' --setup prelude.py --ascii --width 60
        fluxion plot 'lambda x: (x**2).sum()' --at '[1., 2.]' --along '[1., 0.]'
        fluxion plot 'lambda x: x**3' --at 1 --svg cube.svg

      --at alone with a number draws the cursor and the tangent line there; with an \
      array (and --along, ones by default) the plot is the slice t ↦ f(x + t·v) and its \
      jvp along v.
      """)

  @Argument(help: "An expression that evaluates to a callable.")
  var expr: String

  @Option(
    name: .long, parsing: .singleValue, help: ArgumentHelp("The range: two numbers A B, A < B.", valueName: "A B"))
  var range: [Double] = []

  @Option(name: .long, parsing: .unconditional, help: "A point: the cursor (a number) or the slice's x (an array).")
  var at: String?

  @Option(name: .long, parsing: .unconditional, help: "The slice's direction v (with --at).")
  var along: String?

  @Option(name: .long, parsing: .unconditional, help: "Columns of the text plot.")
  var width = 80

  @Option(name: .long, parsing: .unconditional, help: "Lines of the text plot, the legend line included.")
  var height = 24

  @Flag(name: .long, help: "ASCII only: no braille or box-drawing characters.")
  var ascii = false

  @Option(name: .long, help: "Also write the plot as an SVG document to this file.")
  var svg: String?

  @OptionGroup var common: CommonOptions

  /// `--range A B` becomes `--range=A --range=B`, so that negative numbers are values.
  static func normalizeRange(_ arguments: [String]) -> [String] {
    guard arguments.first == "plot" else { return arguments }
    var out: [String] = []
    var i = 0
    while i < arguments.count {
      let a = arguments[i]
      if a == "--" {
        out.append(contentsOf: arguments[i...])
        break
      }
      if a == "--range" {
        var taken = 0
        while taken < 2, i + 1 < arguments.count, Double(arguments[i + 1]) != nil {
          out.append("--range=" + arguments[i + 1])
          i += 1
          taken += 1
        }
        if taken == 0 { out.append(a) }
      } else {
        out.append(a)
      }
      i += 1
    }
    return out
  }

  var interval: (Double, Double) { range.count == 2 ? (range[0], range[1]) : (-3, 3) }

  func validate() throws {
    if !range.isEmpty {
      guard range.count == 2 else { throw ValidationError("--range takes two numbers A B (got \(range.count))") }
      guard range[0].isFinite, range[1].isFinite else { throw ValidationError("--range needs finite numbers") }
      guard range[0] < range[1] else {
        throw ValidationError(
          "--range A B needs A < B (got \(PlotNumber.format(range[0], significant: 17)) and \(PlotNumber.format(range[1], significant: 17)))"
        )
      }
    }
    guard (1...2000).contains(width) else { throw ValidationError("--width must be between 1 and 2000 (got \(width))") }
    guard (1...1000).contains(height) else {
      throw ValidationError("--height must be between 1 and 1000 (got \(height))")
    }
    if along != nil && at == nil { throw ValidationError("--along needs --at (the point the slice goes through)") }
    if let svg {
      var isDirectory: ObjCBool = false
      let url = URL(fileURLWithPath: svg)
      let dir = url.deletingLastPathComponent().path
      if FileManager.default.fileExists(atPath: svg, isDirectory: &isDirectory), isDirectory.boolValue {
        throw ValidationError("can't write the SVG file '\(svg)': it is a directory")
      }
      if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) || !isDirectory.boolValue {
        throw ValidationError("can't write the SVG file '\(svg)': no directory '\(dir)'")
      }
      if !FileManager.default.isWritableFile(atPath: dir)
        && !(FileManager.default.fileExists(atPath: svg) && FileManager.default.isWritableFile(atPath: svg))
      {
        throw ValidationError("can't write the SVG file '\(svg)': permission denied")
      }
    }
  }

  func run() throws {
    let session = Session()
    let interp = session.interpreter
    interp.x64 = common.x64
    if let setup = common.setup {
      guard let data = FileManager.default.contents(atPath: setup) else {
        throw ValidationError("can't open setup file '\(setup)': No such file or directory")
      }
      if let e = session.evaluateWorkspace(String(decoding: data, as: UTF8.self), filename: setup) {
        try fail(interp, e)
      }
    }
    let function: Value
    var point: Value?
    var direction: Value?
    function = try Runner.optionValue("EXPR", expr) { () throws(PyError) in
      try session.evaluate(expr, filename: "<expr>")
    }
    if let at {
      point = try Runner.optionValue("--at", at) { () throws(PyError) in try session.evaluate(at, filename: "<value>") }
    }
    if let along {
      direction = try Runner.optionValue("--along", along) { () throws(PyError) in
        try session.evaluate(along, filename: "<value>")
      }
    }
    guard interp.callable(function) else {
      throw ValidationError("EXPR '\(expr)' is not callable (it is a \(function.typeName))")
    }
    // A number alone is the cursor; an array (or any point with --along) is a slice.
    var slice: PlotSlice?
    var cursor: Double?
    if let p = point {
      let scalar = (p.shape ?? []).isEmpty && p.doubles?.count == 1
      if let v = direction {
        slice = PlotSlice(at: p, along: v)
      } else if scalar {
        cursor = p.doubles?.first
      } else {
        do {
          slice = PlotSlice(at: p, along: try interp.callLibrary("jax.numpy", "ones_like", [p]))
        } catch {
          try fail(interp, error)
        }
      }
    }
    let (a, b) = interval
    let marks: PlotMarks = ascii ? .ascii : .braille
    let samples: PlotSamples
    do {
      samples = try PlotSampler.sample(
        function, interpreter: interp, from: a, to: b, count: PlotCanvas.sampleCount(width: width, marks: marks),
        slice: slice)
    } catch {
      try fail(interp, error)
    }
    if common.json {
      print(try json(interp, samples.series, a, b))
    }
    var canvas = PlotCanvas(series: samples.series, x: PlotInterval(a, b), marks: marks, cursor: cursor)
    if let c = cursor, samples.series.count == 2 {
      canvas.tangent = PlotTangent(at: c, value: samples.series[0], slope: samples.series[1])
    }
    let what = slice == nil ? "" : (ascii ? "f(x + t*v)  " : "f(x + t·v)  ")
    let title = what + canvas.legendText + "  on [\(PlotNumber.format(a)), \(PlotNumber.format(b))]"
    // The SVG first: when it cannot be written, nothing is printed either.
    if let svg {
      let document = PlotSVG.document(canvas, title: title)
      do throws(SessionFileError) {
        try SessionFile.writeAtomically(Data(document.utf8), to: svg)
      } catch {
        let reason = error.description.split(separator: "(", maxSplits: 1).last.map { String($0.dropLast()) }
        throw ValidationError("can't write the SVG file '\(svg)': \(reason ?? error.description)")
      }
    }
    if !common.json {
      print(PlotText.render(canvas, width: width, height: height, title: title), terminator: "")
    }
  }

  /// `{"range": [a, b], "series": [{"label": "f", "xs": [...], "ys": [...]}, ...]}`, numbers as
  /// the rest of --json writes them (NaN, Infinity, -Infinity for non-finite ones).
  private func json(_ interp: Interpreter, _ series: [Series], _ a: Double, _ b: Double) throws -> String {
    func numbers(_ v: [Double]) throws -> String { try interp.json(.list(PyList(v.map { .float($0) }))) }
    let items = try series.map { s in
      "{\"label\": \(jsonString(s.label)), \"xs\": \(try numbers(s.xs)), \"ys\": \(try numbers(s.ys))}"
    }
    return "{\"range\": \(try numbers([a, b])), \"series\": [\(items.joined(separator: ", "))]}"
  }

  /// A script error: JSON on stdout with --json, else the traceback on stderr; exit status 1.
  private func fail(_ interp: Interpreter, _ error: PyError) throws -> Never {
    if common.json {
      print(interp.errorJSON(error))
    } else {
      FileHandle.standardError.write(Data((interp.traceback(error) + "\n").utf8))
    }
    throw ScriptFailure()
  }
}

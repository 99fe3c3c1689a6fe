import Fluxion
import FluxionLang
import Foundation
import Testing

@testable import FluxionTUI

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Ticks, autoscale and curve breaking: pure functions of numbers.
struct PlotScaleTests {
  @Test(
    arguments: [
      (0.0, 1.0, 5, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
      (-3.0, 3.0, 5, [-3, -2, -1, 0, 1, 2, 3]),
      (3.0, -3.0, 5, [-3, -2, -1, 0, 1, 2, 3]),
      (0.0, 100.0, 5, [0, 20, 40, 60, 80, 100]),
      (-2.0, 2.0, 8, [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]),
      (0.1, 0.4, 3, [0.1, 0.2, 0.3, 0.4]),
      (-1e-9, 1e-9, 4, [-1e-9, -5e-10, 0, 5e-10, 1e-9]),
      (1e300, 1e301, 5, [2e300, 4e300, 6e300, 8e300, 1e301]),
      (-1e308, 1e308, 4, [-1e308, -5e307, 0, 5e307, 1e308]),
      (-7.3, -2.1, 5, [-7, -6, -5, -4, -3]),
      (5.0, 5.0, 5, [5]),
      (0.0, 0.0, 5, [0]),
      (0.0, .infinity, 5, []),
      (.nan, 1.0, 5, []),
    ] as [(Double, Double, Int, [Double])])
  func niceTicks(lo: Double, hi: Double, target: Int, expected: [Double]) {
    #expect(PlotTicks.ticks(lo, hi, target: target) == expected)
  }

  @Test func ticksAreNeverNegativeZero() {
    for t in PlotTicks.ticks(-1, 1, target: 4) { #expect(t != 0 || t.sign == .plus) }
    #expect(PlotTicks.ticks(-0.0, -0.0).first?.sign == .plus)
  }

  @Test func tickLabelsAreShort() {
    #expect(PlotTicks.labels([-3, -2, -1, 0, 1, 2, 3], step: 1) == ["-3", "-2", "-1", "0", "1", "2", "3"])
    #expect(PlotTicks.labels([-0.5, 0, 0.5, 1], step: 0.5) == ["-0.5", "0", "0.5", "1.0"])
    #expect(PlotTicks.labels([0, 0.0002, 0.0004], step: 0.0002) == ["0", "0.0002", "0.0004"])
    #expect(PlotTicks.labels([-1e-9, -5e-10, 0, 5e-10], step: 5e-10) == ["-1e-9", "-5e-10", "0", "5e-10"])
    #expect(PlotTicks.labels([1, 1 + 2e-13], step: 2e-13) == ["1.0000000000000", "1.0000000000002"])
    #expect(PlotTicks.labels([0, 5e5, 1e6, 1.5e6], step: 5e5) == ["0", "5e5", "1e6", "1.5e6"])
    #expect(PlotTicks.labels([2e300, 1e301], step: 2e300) == ["2e300", "1e301"])
    #expect(PlotTicks.labels([-20, 0, 20], step: 20) == ["-20", "0", "20"])
    // Rounding that would print -0.0 prints 0.0.
    #expect(PlotTicks.labels([-1e-12], step: 0.1) == ["0.0"])
  }

  @Test func readoutNumbers() {
    #expect(PlotNumber.format(0.22094) == "0.2209")
    #expect(PlotNumber.format(-0.0) == "0")
    #expect(PlotNumber.format(.nan) == "nan")
    #expect(PlotNumber.format(-.infinity) == "-inf")
    #expect(PlotNumber.format(1.2e16) == "1.2e16")
    #expect(PlotNumber.format(-3e-7) == "-3e-7")
    #expect(PlotNumber.format(12) == "12")
  }

  @Test func autoscaleOfTanShowsTheBranches() {
    let xs = PlotSampler.points(from: -3, to: 3, count: 200)
    let s = Series(label: "f", color: .cyan, xs: xs, ys: xs.map { Foundation.tan($0) })
    let r = PlotScale.autoscale([s])
    #expect(r.lo > -20 && r.hi < 20, "\(r)")
    #expect(r.lo < -3 && r.hi > 3, "\(r)")
    // With its derivative (1/cos², ≥ 1, spikes to 1e4): it may widen tan's range by half.
    let d = Series(label: "f'", color: .yellow, xs: xs, ys: xs.map { 1 / (Foundation.cos($0) * Foundation.cos($0)) })
    let r2 = PlotScale.autoscale([s, d])
    #expect(r2.lo > -20 && r2.hi < 25, "\(r2)")
  }

  @Test(arguments: [24, 60, 120, 160, 200, 400, 1000])
  func autoscaleOfTanAtAnySampleCount(count: Int) {
    let xs = PlotSampler.points(from: -3, to: 3, count: count)
    let r = PlotScale.autoscale(values: xs.map { Foundation.tan($0) })
    #expect(r.lo > -20 && r.hi < 20 && r.lo < -3 && r.hi > 3, "\(r)")
  }

  @Test func autoscaleKeepsTheWholeOfASmoothCurve() {
    let xs = PlotSampler.points(from: -2, to: 2, count: 100)
    let r = PlotScale.autoscale([Series(label: "f", color: .cyan, xs: xs, ys: xs.map { $0 * $0 * $0 })])
    #expect(r.lo <= -8 && r.hi >= 8 && r.lo > -9 && r.hi < 9, "\(r)")
    // f' of x³ (up to 12) is within reach: all of it is shown.
    let d = Series(label: "f'", color: .yellow, xs: xs, ys: xs.map { 3 * $0 * $0 })
    let r2 = PlotScale.autoscale([Series(label: "f", color: .cyan, xs: xs, ys: xs.map { $0 * $0 * $0 }), d])
    #expect(r2.lo <= -8 && r2.hi >= 12 && r2.hi < 13.5, "\(r2)")
    let r5 = PlotScale.autoscale(values: xs.map { Foundation.pow($0, 5) })
    #expect(r5.lo <= -32 && r5.hi >= 32, "\(r5)")
    let e = PlotScale.autoscale(values: PlotSampler.points(from: -3, to: 10, count: 100).map { Foundation.exp($0) })
    #expect(e.hi >= Foundation.exp(10), "\(e)")
  }

  @Test func autoscaleOfDegenerateData() {
    #expect(PlotScale.autoscale(values: []) == PlotInterval(-1, 1))
    #expect(PlotScale.autoscale(values: [.nan, .infinity]) == PlotInterval(-1, 1))
    #expect(PlotScale.autoscale(values: [0, 0, 0]) == PlotInterval(-1, 1))
    let c = PlotScale.autoscale(values: [5, 5])
    #expect(c.lo < 5 && c.hi > 5)
    let huge = PlotScale.autoscale(values: [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude])
    #expect(huge.lo.isFinite && huge.hi.isFinite && huge.hi > huge.lo)
    #expect(PlotScale.resolve(.fixed(2, -2), []) == PlotInterval(-2, 2))
  }

  @Test func curvesBreakAtNaNAndAcrossAsymptotes() {
    let visible = PlotInterval(-10, 10)
    #expect(PlotCurve.runs([1, 2, .nan, 3, 4], visible: visible) == [0..<2, 3..<5])
    #expect(PlotCurve.runs([.nan, .infinity], visible: visible) == [])
    // tan x across π/2: rising to 50, then from -50 rising again.
    #expect(PlotCurve.runs([3, 8, 50, -50, -8, -3], visible: visible) == [0..<3, 3..<6])
    // A steep but continuous rise is kept connected.
    #expect(PlotCurve.runs([-9, -8, -1e6, 1e6, 8, 9].sorted(), visible: visible) == [0..<6])
    // Two samples alone, leaping from beyond one edge to beyond the other: broken.
    #expect(PlotCurve.runs([50, -50], visible: visible) == [0..<1, 1..<2])
    let xs = PlotSampler.points(from: -3, to: 3, count: 200)
    let tan = xs.map { Foundation.tan($0) }
    #expect(PlotCurve.runs(tan, visible: PlotScale.autoscale(values: tan)).count == 3)
    let inv = PlotSampler.points(from: -1, to: 1, count: 100).map { 1 / $0 }
    #expect(PlotCurve.runs(inv, visible: PlotScale.autoscale(values: inv)).count == 2)
    let steep = xs.map { Foundation.tanh(50 * $0) }
    #expect(PlotCurve.runs(steep, visible: PlotScale.autoscale(values: steep)).count == 1)
  }
}

/// Drawing into a Grid: marks, axes, cursor, tangent; and the text and SVG exports.
struct PlotCanvasTests {
  func line(_ n: Int, _ a: Double, _ b: Double, _ f: (Double) -> Double) -> Series {
    let xs = PlotSampler.points(from: a, to: b, count: n)
    return Series(label: "f", color: .cyan, xs: xs, ys: xs.map(f))
  }

  @Test func brailleOfADiagonal() {
    // 4×2 cells (too small for axes) = 8×8 dots; y = x from corner to corner.
    let canvas = PlotCanvas(series: [line(8, 0, 1) { $0 }], x: PlotInterval(0, 1), y: .fixed(0, 1))
    var grid = Grid(width: 4, height: 2)
    canvas.draw(into: &grid, x: 0, y: 0, width: 4, height: 2)
    #expect(grid.text == "  ⡠⠊\n⡠⠊")
    #expect(grid[2, 0].style.foreground == .cyan)
  }

  @Test func aSharedCellTakesTheLaterSeriesColour() {
    var flat = line(8, 0, 1) { _ in 0.5 }
    flat.color = .red
    let canvas = PlotCanvas(series: [line(8, 0, 1) { $0 }, flat], x: PlotInterval(0, 1), y: .fixed(0, 1))
    var grid = Grid(width: 4, height: 2)
    canvas.draw(into: &grid, x: 0, y: 0, width: 4, height: 2)
    // y = 0.5 is dot row 3.5, drawn on row 4: the top dots of the second cell row.
    #expect(grid.text == "  ⡠⠊\n⡩⠋⠉⠉")
    #expect((0..<4).allSatisfy { grid[$0, 1].style.foreground == .red })
    #expect(grid[3, 0].style.foreground == .cyan)
  }

  @Test func brailleWithAxes() {
    let canvas = PlotCanvas(series: [line(40, -1, 1) { $0 }], x: PlotInterval(-1, 1), y: .fixed(-1, 1))
    var grid = Grid(width: 24, height: 7)
    canvas.draw(into: &grid, x: 0, y: 0, width: 24, height: 7)
    // The line from corner to corner; the zero axes dotted (⠄ along y = 0, ⠨ along x = 0).
    let expected = """
       1┤          ⠨      ⣀⠤⠒⠉
        │          ⠨ ⢀⡠⠔⠊⠉
       0┤⠄⠄⠄⠄⠄⠄⠄⠄⢄⡤⠼⠎⠅⠄⠄⠄⠄⠄⠄⠄⠄
        │    ⣀⠤⠔⠊⠁ ⠨
      -1┤⣀⠤⠒⠉      ⠨
        └┬─────────┬─────────┬
        -1         0         1
      """
    #expect(grid.text == expected, "\n\(grid.text)")
  }

  @Test func halfBlocks() {
    let canvas = PlotCanvas(
      series: [line(4, 0, 1) { $0 }], x: PlotInterval(0, 1), y: .fixed(0, 1), marks: .halfBlock)
    var grid = Grid(width: 4, height: 2)
    canvas.draw(into: &grid, x: 0, y: 0, width: 4, height: 2)
    #expect(grid.text == "  ▄▀\n▄▀")
  }

  @Test func aNaNGapLeavesItsColumnsEmpty() throws {
    var s = line(80, -2, 2) { $0 * 0.5 }
    for i in 30..<50 { s.ys[i] = .nan }
    var canvas = PlotCanvas(series: [s], x: PlotInterval(-2, 2), y: .fixed(-1.5, 1.5))
    canvas.readout = false
    var grid = Grid(width: 40, height: 10)
    canvas.draw(into: &grid, x: 0, y: 0, width: 40, height: 10)
    let layout = canvas.layout(x: 0, y: 0, width: 40, height: 10)
    let before = try #require(layout.column(ofX: s.xs[29]))
    let after = try #require(layout.column(ofX: s.xs[50]))
    #expect(after - before > 5)
    func curveCells(_ col: Int) -> Int { (0..<10).filter { grid[col, $0].style.foreground == .cyan }.count }
    for col in (before + 1)..<after { #expect(curveCells(col) == 0, "column \(col)") }
    #expect(curveCells(before) > 0 && curveCells(after) > 0)
  }

  @Test func asciiUsesOnlyASCII() {
    let xs = PlotSampler.points(from: -3, to: 3, count: 120)
    let f = Series(label: "f", color: .cyan, xs: xs, ys: xs.map { Foundation.tan($0) })
    let d = Series(label: "f'", color: .yellow, xs: xs, ys: xs.map { 1 / (Foundation.cos($0) * Foundation.cos($0)) })
    var canvas = PlotCanvas(series: [f, d], x: PlotInterval(-3, 3), marks: .ascii, cursor: 0.7)
    canvas.tangent = PlotTangent(at: 0.7, value: f, slope: d)
    #expect(canvas.tangent != nil)
    let text = PlotText.render(canvas, width: 60, height: 20, title: canvas.legendText)
    #expect(text.unicodeScalars.allSatisfy { $0.value <= 0x7F })
    #expect(text.contains("*") && text.contains("+") && text.contains("|"))
    #expect(text.hasPrefix("f *  f' ."))
    #expect(text.contains("x=0.7"))
    #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 21)
  }

  @Test func asymptotesDrawNoWall() throws {
    // 1/x: a vertical wall at x = 0 would fill the middle column from top to bottom.
    let s = line(200, -1, 1) { 1 / $0 }
    var canvas = PlotCanvas(series: [s], x: PlotInterval(-1, 1), marks: .ascii)
    canvas.readout = false
    var grid = Grid(width: 40, height: 20)
    canvas.draw(into: &grid, x: 0, y: 0, width: 40, height: 20)
    let layout = canvas.layout(x: 0, y: 0, width: 40, height: 20)
    let middle = try #require(layout.column(ofX: 0))
    let column = (layout.plotY..<(layout.plotY + layout.plotHeight)).map { grid[middle, $0].character }
    #expect(column.filter { $0 == "*" }.count < layout.plotHeight / 2, "\(column)")
  }

  @Test func cursorAndReadout() throws {
    let f = line(101, -2, 2) { $0 * $0 * $0 }
    let d = Series(label: "f'", color: .yellow, xs: f.xs, ys: f.xs.map { 3 * $0 * $0 })
    var canvas = PlotCanvas(series: [f, d], x: PlotInterval(-2, 2), cursor: 1)
    canvas.tangent = PlotTangent(at: 1, value: f, slope: d)
    let t = try #require(canvas.tangent)
    #expect(Swift.abs(t.y - 1) < 1e-3 && Swift.abs(t.slope - 3) < 1e-2)
    var grid = Grid(width: 60, height: 16)
    canvas.draw(into: &grid, x: 0, y: 0, width: 60, height: 16)
    #expect(grid.text.contains("x=1  f=1  f'=3"))
    let layout = canvas.layout(x: 0, y: 0, width: 60, height: 16)
    let col = try #require(layout.column(ofX: 1))
    #expect((layout.plotY..<(layout.plotY + layout.plotHeight)).contains { grid[col, $0].character == "│" })
  }

  @Test func degenerateRegionsAndDataDoNotCrash() {
    let nan = Series(label: "f", color: .cyan, xs: [0, 1, 2], ys: [.nan, .nan, .nan])
    let empty = Series(label: "g", color: .red, xs: [], ys: [])
    let ragged = Series(label: "h", color: .red, xs: [0, 1, 2], ys: [1])
    let huge = Series(label: "k", color: .red, xs: [0, 1, 2], ys: [-1e308, 1e308, -1e308])
    for marks in PlotMarks.allCases {
      for (w, h) in [(0, 0), (1, 1), (2, 1), (1, 5), (12, 4), (80, 24), (3, 200)] {
        for x in [PlotInterval(0, 0), PlotInterval(-1e-300, 1e-300), PlotInterval(.nan, 1), PlotInterval(0, 2)] {
          var canvas = PlotCanvas(series: [nan, empty, ragged, huge], x: x, marks: marks, cursor: 1)
          canvas.tangent = PlotTangent(x: 1, y: 1e308, slope: 1e308)
          var grid = Grid(width: 10, height: 10)
          canvas.draw(into: &grid, x: -3, y: 2, width: w, height: h)
          _ = PlotText.lines(canvas, width: w, height: h, title: "t")
          _ = PlotSVG.document(canvas, width: w, height: h)
        }
      }
    }
  }

  @Test func svgIsWellFormedAndBrokenAtAsymptotes() throws {
    let xs = PlotSampler.points(from: -3, to: 3, count: 200)
    var ys = xs.map { Foundation.tan($0) }
    ys[10] = .nan
    let f = Series(label: "f <tan> & co", color: .cyan, xs: xs, ys: ys)
    let d = Series(label: "f'", color: .yellow, xs: xs, ys: xs.map { 1 / (Foundation.cos($0) * Foundation.cos($0)) })
    var canvas = PlotCanvas(series: [f, d], x: PlotInterval(-3, 3), cursor: 0.5)
    canvas.tangent = PlotTangent(at: 0.5, value: f, slope: d)
    let svg = PlotSVG.document(canvas, title: "tan \"x\"")
    let delegate = SVGCounter()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = delegate
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    #expect(delegate.elements["svg"] == 1)
    // f: broken at the NaN and at the two asymptotes (4 pieces at least); f' at its spikes.
    #expect((delegate.elements["polyline"] ?? 0) >= 6)
    #expect(delegate.texts.contains("f <tan> & co"))
    #expect(!svg.contains("e+") && !svg.contains("nan") && !svg.contains("inf"))
  }
}

final class SVGCounter: NSObject, XMLParserDelegate {
  var elements: [String: Int] = [:]
  var texts: [String] = []
  private var text = ""

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements[name, default: 0] += 1
    text = ""
  }
  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    if name == "text" { texts.append(text) }
  }
}

/// Sampling through a session: vmap, the per-point fallback, slices, vector outputs.
struct PlotSamplerTests {
  func session(_ workspace: String = "") -> Session {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax\nimport jax.numpy as jnp\n" + workspace) == nil)
    return s
  }

  @Test func cubeAndItsDerivative() throws {
    let s = session()
    let f = try s.compile("lambda x: x**3")
    let r = try PlotSampler.sample(f, from: -2, to: 2, count: 5)
    #expect(r.vectorized)
    #expect(r.series.map(\.label) == ["f", "f'"])
    #expect(r.series[0].xs == [-2, -1, 0, 1, 2])
    #expect(r.series[0].ys == [-8, -1, 0, 1, 8])
    #expect(r.series[1].ys == [12, 3, 0, 3, 12])
    #expect(r.series[0].color != r.series[1].color)
  }

  @Test func aFunctionRaisingOnSomePointsFallsBackPointByPoint() throws {
    let s = session(
      """
      def g(x):
          if x < 0:
              raise ValueError("negative")
          return x * 2.0
      """)
    let f = try s.compile("g")
    let r = try PlotSampler.sample(f, from: -2, to: 2, count: 5)
    #expect(!r.vectorized)
    #expect(r.failedPoints == 2)
    #expect(r.firstError?.kind == "ValueError")
    let ys = r.series[0].ys
    #expect(ys[0].isNaN && ys[1].isNaN)
    #expect(Array(ys[2...]) == [0, 2, 4])
    let ds = r.series[1].ys
    #expect(ds[0].isNaN && ds[1].isNaN)
    #expect(Array(ds[2...]) == [2, 2, 2])
  }

  @Test func pointByPointAnIntegerOutputHasNoDerivative() throws {
    let s = session(
      """
      def step(x):
          if x < 0:
              return 0
          return 1
      """)
    let r = try PlotSampler.sample(try s.compile("step"), from: -2, to: 2, count: 5)
    #expect(!r.vectorized)
    #expect(r.series[0].ys == [0, 0, 1, 1, 1])
    #expect(r.series[1].ys.allSatisfy { $0.isNaN })
    #expect(r.derivativeError?.kind == "TypeError")
  }

  @Test func logGivesNaNWithoutFallingBack() throws {
    let f = try session().compile("lambda x: jnp.log(x)")
    let r = try PlotSampler.sample(f, from: -1, to: 1, count: 5)
    #expect(r.vectorized)
    #expect(r.series[0].ys[0].isNaN && r.series[0].ys[2] == -.infinity && r.series[0].ys[4] == 0)
  }

  @Test func aFunctionFailingEverywhereThrows() throws {
    let f = try session().compile("lambda x: undefined_name + x")
    #expect(throws: PyError.self) { try PlotSampler.series(f, from: -1, to: 1, count: 10) }
    do {
      _ = try PlotSampler.series(f, from: -1, to: 1, count: 10)
    } catch {
      #expect(error.kind == "NameError")
    }
  }

  @Test func aNonDifferentiableDerivativeIsReportedNotThrown() throws {
    // An integer output: f is fine, grad refuses it at every point.
    let f = try session().compile("lambda x: jnp.round(x).astype(jnp.int32)")
    let r = try PlotSampler.sample(f, from: -1, to: 1, count: 3)
    #expect(r.series[0].ys == [-1, 0, 1])
    #expect(r.series[1].ys.allSatisfy { $0.isNaN })
    #expect(r.derivativeError != nil)
  }

  @Test func vectorOutputsAreComponents() throws {
    let f = try session().compile("lambda x: jnp.stack([x, x**2, -x])")
    let r = try PlotSampler.sample(f, from: -1, to: 1, count: 3)
    #expect(r.series.map(\.label) == ["f[0]", "f[1]", "f[2]"])
    #expect(r.series[1].ys == [1, 0, 1])
    #expect(r.series[2].ys == [1, 0, -1])
    let many = try session().compile("lambda x: x * jnp.arange(10.)")
    #expect(try PlotSampler.series(many, from: 0, to: 1, count: 4).count == PlotSampler.maxComponents)
    let pair = try session().compile("lambda x: (x, 2 * x)")
    #expect(try PlotSampler.series(pair, from: 0, to: 1, count: 2).map(\.ys) == [[0, 1], [0, 2]])
  }

  @Test func sliceAlongADirection() throws {
    let s = session()
    let f = try s.compile("lambda x: jnp.sum(x**2)")
    let slice = PlotSlice(at: try s.evaluate("jnp.array([1., 2.])"), along: try s.evaluate("jnp.array([1., 0.])"))
    let r = try PlotSampler.sample(f, from: -1, to: 1, count: 3, slice: slice)
    // f(x + t v) = (1 + t)² + 4, its jvp along v 2(1 + t).
    #expect(r.series[0].ys == [4, 5, 8])
    #expect(r.series[1].ys == [0, 2, 4])
    let bad = PlotSlice(at: try s.evaluate("jnp.array([1., 2.])"), along: try s.evaluate("jnp.ones(3)"))
    #expect(throws: PyError.self) { try PlotSampler.sample(f, from: -1, to: 1, count: 3, slice: bad) }
  }

  @Test func cancellationStopsSampling() throws {
    let s = session()
    let f = try s.compile("lambda x: x**3")
    let token = CancellationToken()
    token.cancel()
    s.cancellation = token
    do {
      _ = try PlotSampler.series(f, from: -1, to: 1, count: 100)
      Issue.record("a cancelled sampling returned")
    } catch {
      #expect(error.kind == "CancelledError")
    }
  }

  @Test func oddCountsAndRanges() throws {
    let f = try session().compile("lambda x: jnp.sin(x)")
    #expect(try PlotSampler.series(f, from: 0, to: 1, count: 0)[0].ys.isEmpty)
    #expect(try PlotSampler.series(f, from: 1, to: 1, count: 1)[0].xs == [1])
    #expect(try PlotSampler.series(f, from: 2, to: 1, count: 2)[0].xs == [1, 2])
    #expect(throws: PyError.self) { try PlotSampler.series(f, from: .nan, to: 1, count: 2) }
  }

  /// Not a benchmark (a debug build): prints the time of a keystroke's sampling.
  @Test func samplingTime() throws {
    let f = try session().compile("lambda x: jnp.sin(x) * x**3")
    _ = try PlotSampler.series(f, from: -3, to: 3, count: 200)
    let clock = ContinuousClock()
    var best = Duration.seconds(10)
    for _ in 0..<20 {
      let t = clock.measure { _ = try? PlotSampler.series(f, from: -3, to: 3, count: 200) }
      best = min(best, t)
    }
    print("PlotSampler: 200 points of sin(x)*x**3 and its grad, best of 20: \(best)")
  }
}

import Synchronization

/// The plot pane: the curves of the last evaluation, drawn by the plot module. R→R shows f and
/// f' over x; a function of an array shows the slice t ↦ f(x + t·v) and its jvp along v.
enum PlotPane {
  /// The last canvas drawn, its size and its cells: most frames (a key's echo, the Jacobian's
  /// rows) show the same plot as the frame before, and drawing it is most of a frame's work.
  private struct Drawn: Sendable {
    var canvas: PlotCanvas
    var grid: Grid
  }
  private static let last = Mutex<Drawn?>(nil)

  /// The canvas's cells in a region of `width` × `height`, as `PlotCanvas.draw` makes them.
  static func cells(_ canvas: PlotCanvas, width: Int, height: Int) -> Grid {
    let hit = last.withLock { d -> Grid? in
      guard let d, d.grid.width == width, d.grid.height == height, d.canvas == canvas else { return nil }
      return d.grid
    }
    if let hit { return hit }
    var grid = Grid(width: width, height: height)
    canvas.draw(into: &grid, x: 0, y: 0, width: width, height: height)
    last.withLock { $0 = Drawn(canvas: canvas, grid: grid) }
    return grid
  }

  static func isSlice(_ s: State) -> Bool {
    switch s.evaluation?.kind {
    case .vectorToScalar?, .vectorToVector?: true
    default: false
    }
  }

  static func canvas(_ s: State) -> PlotCanvas? {
    guard let e = s.evaluation, !e.series.isEmpty else { return nil }
    let cursor = isSlice(s) ? 0 : e.pointX
    var tangent: PlotTangent?
    if s.tangent || s.taylor, let c = cursor, let y = e.valueAtPoint, let m = e.slope {
      tangent = PlotTangent(x: c, y: y, slope: m, curvature: s.taylor ? e.curvature : nil)
    }
    let y: PlotYRange = s.yRange.map { .fixed($0.lowerBound, $0.upperBound) } ?? .auto
    var canvas = PlotCanvas(
      series: e.series, x: PlotInterval(s.range.lowerBound, s.range.upperBound), y: y,
      marks: s.ascii ? .ascii : .braille, cursor: cursor, readout: true, tangent: tangent)
    if let y = e.valueAtPoint, let m = e.slope, e.series.count == 2 { canvas.cursorValues = [y, m] }
    if let c = e.componentsAtPoint, c.count == e.series.count { canvas.cursorValues = c }
    if !s.color {
      canvas.series = canvas.series.map { c in
        var plain = c
        plain.color = .default
        return plain
      }
    }
    return canvas
  }

  static func title(_ s: State, _ canvas: PlotCanvas?) -> String {
    let r = "[\(Format.short(s.range.lowerBound)), \(Format.short(s.range.upperBound))]"
    let legend = canvas?.legendText ?? ""
    let what = isSlice(s) ? "t ↦ f(x + t·v)  \(legend)  t on \(r)" : "\(legend)  on \(r)"
    let taylor = s.taylor ? (s.evaluation?.curvature.map { "  Taylor 1, 2 (f''=\(Format.short($0)))" } ?? "") : ""
    return "Plot  " + what + taylor + (s.autoscale ? "" : "  y fixed") + (s.stale ? "  stale" : "")
  }

  static func draw(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    let canvas = canvas(s)
    let inner = Explorer.box(&g, r, title: title(s, canvas), focused: s.focus == .plot, b, s)
    guard inner.height > 0, inner.width > 0 else { return }
    guard let canvas else {
      if case .other(let what)? = s.evaluation?.kind {
        g.put("no plot for \(what)", x: inner.x + 1, y: inner.y, style: Style(.gray), limit: inner.width - 2)
      }
      return
    }
    g.paste(cells(canvas, width: inner.width, height: inner.height), x: inner.x, y: inner.y)
  }

  /// The y range autoscale gives the curves now (what `a` fixes when it turns autoscale off).
  static func autoscaledRange(_ s: State) -> ClosedRange<Double>? {
    guard let c = canvas(s) else { return nil }
    let y = c.yInterval
    return y.lo...y.hi
  }
}

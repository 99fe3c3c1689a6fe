/// The tangent line drawn at the cursor: through (x, y) with the given slope; with a
/// curvature (f'' there), the second-order Taylor polynomial too.
public struct PlotTangent: Sendable, Equatable {
  public var x: Double
  public var y: Double
  public var slope: Double
  public var curvature: Double?

  public init(x: Double, y: Double, slope: Double, curvature: Double? = nil) {
    self.x = x
    self.y = y
    self.slope = slope
    self.curvature = curvature
  }

  /// The second-order Taylor polynomial at x.
  func quadratic(_ at: Double) -> Double {
    let d = at - x
    return y + slope * d + 0.5 * (curvature ?? 0) * d * d
  }

  /// The tangent of `value` at `x` with the slope read from `slope` (f and f' of a sampling),
  /// nil where either is not finite there.
  public init?(at x: Double, value: Series, slope: Series) {
    let y = value.value(at: x)
    let m = slope.value(at: x)
    guard x.isFinite, y.isFinite, m.isFinite else { return nil }
    self.init(x: x, y: y, slope: m)
  }
}

/// One entry of a plot's legend: the series' label and a swatch drawn in its style.
public struct PlotLegendItem: Sendable, Equatable {
  public var label: String
  public var symbol: String
  public var style: Style
}

/// Where a plot's parts go in its region, and the ranges it shows.
public struct PlotLayout: Sendable, Equatable {
  /// The cells the curves are drawn in (absolute grid coordinates).
  public var plotX: Int
  public var plotY: Int
  public var plotWidth: Int
  public var plotHeight: Int
  public var x: PlotInterval
  public var y: PlotInterval
  public var marks: PlotMarks
  /// Whether axes and tick labels are drawn (not in regions too small for them).
  public var axes: Bool
  public var xTicks: [Double] = []
  public var xLabels: [String] = []
  public var yTicks: [Double] = []
  public var yLabels: [String] = []
  /// Width of the y tick labels' column.
  public var labelWidth: Int = 0

  var dotWidth: Int { plotWidth * marks.dotsPerCell.x }
  var dotHeight: Int { plotHeight * marks.dotsPerCell.y }

  /// Dot coordinates of a data point (any size; clipping happens when drawing).
  func dot(_ px: Double, _ py: Double) -> (Double, Double) {
    let fx = x.fraction(px) * Double(Swift.max(0, dotWidth - 1))
    let fy = (y.hi - py) / y.width * Double(Swift.max(0, dotHeight - 1))
    return (fx, fy)
  }

  /// The grid column that shows `value` (nil outside the plot area).
  public func column(ofX value: Double) -> Int? {
    guard value.isFinite, plotWidth > 0 else { return nil }
    let d = dot(value, y.lo).0.rounded()
    guard d >= 0, d <= Double(dotWidth - 1) else { return nil }
    return plotX + Int(d) / marks.dotsPerCell.x
  }

  /// The grid row that shows `value` (nil outside the plot area).
  public func row(ofY value: Double) -> Int? {
    guard value.isFinite, plotHeight > 0 else { return nil }
    let d = dot(x.lo, value).1.rounded()
    guard d >= 0, d <= Double(dotHeight - 1) else { return nil }
    return plotY + Int(d) / marks.dotsPerCell.y
  }

  /// The x at the middle of a grid column of the plot area (for moving a cursor by cells).
  public func x(ofColumn column: Int) -> Double {
    let dx = marks.dotsPerCell.x
    let d = Double((column - plotX) * dx) + Double(dx - 1) / 2
    return x.lo + d / Double(Swift.max(1, dotWidth - 1)) * x.width
  }
}

/// A plot of curves drawn into a region of a `Grid`: axes with 1-2-5 ticks and labels, the
/// curves (broken at NaN/Inf and across asymptotes), an optional cursor with a read-out and an
/// optional tangent line.
///
/// ```swift
/// let s = try PlotSampler.series(f, from: -3, to: 3, count: PlotCanvas.sampleCount(width: 60))
/// var canvas = PlotCanvas(series: s, x: PlotInterval(-3, 3))
/// canvas.cursor = 0.7
/// canvas.tangent = PlotTangent(at: 0.7, value: s[0], slope: s[1])
/// canvas.draw(into: &grid, x: 1, y: 5, width: 60, height: 16)
/// ```
public struct PlotCanvas: Sendable, Equatable {
  public var series: [Series]
  public var x: PlotInterval
  public var y: PlotYRange
  public var marks: PlotMarks
  /// A vertical line at this x, with the series' values there in a read-out.
  public var cursor: Double?
  public var readout: Bool
  /// Each series' value at the cursor when the caller knows it exactly (the explorer's f(x) and
  /// grad); otherwise the read-out interpolates between samples.
  public var cursorValues: [Double]? = nil
  public var tangent: PlotTangent?
  public var axisStyle = Style(.gray)
  public var labelStyle = Style.plain
  public var zeroStyle = Style(.gray, dim: true)
  public var tangentStyle = Style(.white, dim: true)
  public var taylorStyle = Style(.magenta)
  public var cursorStyle = Style(.gray)

  public init(
    series: [Series], x: PlotInterval, y: PlotYRange = .auto, marks: PlotMarks = .braille, cursor: Double? = nil,
    readout: Bool = true, tangent: PlotTangent? = nil
  ) {
    self.series = series
    self.x = x
    self.y = y
    self.marks = marks
    self.cursor = cursor
    self.readout = readout
    self.tangent = tangent
  }

  /// Samples worth computing for a plot region `width` cells wide: one per dot column.
  public static func sampleCount(width: Int, marks: PlotMarks = .braille) -> Int {
    Swift.max(2, Swift.min(100_000, Swift.max(1, width) * marks.dotsPerCell.x))
  }

  /// The legend: each series' label with a swatch (ASCII in ASCII mode).
  public var legend: [PlotLegendItem] {
    series.enumerated().map { k, s in
      let symbol: String
      switch marks {
      case .ascii: symbol = k % 2 == 0 ? "*" : "."
      case .braille, .halfBlock: symbol = k % 2 == 0 ? "━" : "┅"
      }
      return PlotLegendItem(label: s.label, symbol: symbol, style: Style(s.color))
    }
  }

  /// The legend as plain text: `f ━  f' ┅`.
  public var legendText: String { legend.map { "\($0.label) \($0.symbol)" }.joined(separator: "  ") }

  /// The y range the plot shows.
  public var yInterval: PlotInterval { PlotScale.resolve(y, series) }

  /// Where everything goes in a region of that size at (x, y).
  public func layout(x left: Int, y top: Int, width: Int, height: Int) -> PlotLayout {
    let w = Swift.max(0, width)
    let h = Swift.max(0, height)
    let xr = x.widened
    let yr = yInterval
    var layout = PlotLayout(
      plotX: left, plotY: top, plotWidth: w, plotHeight: h, x: xr, y: yr, marks: marks, axes: false)
    guard w >= 12 && h >= 4 else { return layout }
    let plotHeight = h - 2
    // y ticks: at most one label every other row.
    var target = Swift.max(1, plotHeight / 2)
    var yTicks: [Double] = []
    var yLabels: [String] = []
    while target >= 1 {
      let step = PlotTicks.step(yr.lo, yr.hi, target: target) ?? 1
      yTicks = PlotTicks.ticks(yr.lo, yr.hi, step: step)
      yLabels = PlotTicks.labels(yTicks, step: step)
      layout.plotHeight = plotHeight
      let rows = yTicks.compactMap { layout.row(ofY: $0) }
      let spaced = zip(rows, rows.dropFirst()).allSatisfy { Swift.abs($0 - $1) >= 2 }
      if spaced || target == 1 { break }
      target -= 1
    }
    var labelWidth = yLabels.map { Grid.columns($0) }.max() ?? 0
    if w - labelWidth - 1 < 8 {
      labelWidth = 0
      yLabels = yLabels.map { _ in "" }
    }
    layout.axes = true
    layout.labelWidth = labelWidth
    layout.plotX = left + labelWidth + 1
    layout.plotWidth = w - labelWidth - 1
    layout.plotHeight = plotHeight
    layout.yTicks = yTicks
    layout.yLabels = yLabels
    // x ticks: labels at least two columns apart, within the region.
    target = Swift.max(1, layout.plotWidth / 8)
    while target >= 1 {
      let step = PlotTicks.step(xr.lo, xr.hi, target: target) ?? 1
      let ticks = PlotTicks.ticks(xr.lo, xr.hi, step: step)
      let labels = PlotTicks.labels(ticks, step: step)
      var end = Int.min
      var fits = true
      for (v, label) in zip(ticks, labels) {
        guard let c = layout.column(ofX: v) else { continue }
        let start = c - Grid.columns(label) / 2
        if start < end + 2 { fits = false }
        end = start + Grid.columns(label)
      }
      if fits || target == 1 {
        layout.xTicks = ticks
        layout.xLabels = fits ? labels : labels.map { _ in "" }
        break
      }
      target -= 1
    }
    return layout
  }

  /// Draws the plot into `grid` at (x, y), `width` × `height` cells (clipped to the grid).
  public func draw(into grid: inout Grid, x left: Int, y top: Int, width: Int, height: Int) {
    guard width > 0, height > 0 else { return }
    // Clear the part of the region inside the grid (Grid.fill traps on a rectangle that lies
    // wholly to the left of or above the grid, so clip it here).
    let x0 = Swift.max(0, left)
    let y0 = Swift.max(0, top)
    let x1 = Swift.min(grid.width, left + width)
    let y1 = Swift.min(grid.height, top + height)
    if x1 > x0 && y1 > y0 { grid.fill(x: x0, y: y0, width: x1 - x0, height: y1 - y0) }
    let layout = self.layout(x: left, y: top, width: width, height: height)
    if layout.axes { drawAxes(&grid, layout, left: left) }
    guard layout.plotWidth > 0, layout.plotHeight > 0 else { return }
    var raster = DotRaster(columns: layout.plotWidth, rows: layout.plotHeight, marks: marks)
    rasterize(&raster, layout)
    for row in 0..<raster.rows {
      for col in 0..<raster.columns {
        guard let ch = raster.character(column: col, row: row, marks: marks) else { continue }
        let layer = raster.layer(column: col, row: row)
        let style: Style
        switch layer {
        case DotRaster.zeroAxis: style = zeroStyle
        case DotRaster.tangent: style = tangentStyle
        case DotRaster.taylor: style = taylorStyle
        case let k where k >= 0 && k < series.count: style = Style(series[k].color)
        default: style = .plain
        }
        grid[layout.plotX + col, layout.plotY + row] = Cell(ch, style)
      }
    }
    if let c = cursor, let col = layout.column(ofX: c) {
      for row in layout.plotY..<(layout.plotY + layout.plotHeight) {
        var cell = grid[col, row]
        if cell.character == " " {
          grid[col, row] = Cell(marks == .ascii ? "|" : "│", cursorStyle)
        } else {
          cell.style.bold = true
          grid[col, row] = cell
        }
      }
      if readout { drawReadout(&grid, layout, cursor: c, column: col) }
    }
  }

  private func rasterize(_ raster: inout DotRaster, _ layout: PlotLayout) {
    let xr = layout.x
    let yr = layout.y
    // The zero axes, dotted, when zero is strictly inside a range.
    if yr.lo < 0 && yr.hi > 0 {
      let (a, b) = layout.dot(xr.lo, 0)
      let (c, _) = layout.dot(xr.hi, 0)
      raster.line(a, b, c, b, layer: DotRaster.zeroAxis, every: marks == .ascii ? 1 : 2)
    }
    if xr.lo < 0 && xr.hi > 0 {
      let (a, b) = layout.dot(0, yr.hi)
      let (_, d) = layout.dot(0, yr.lo)
      raster.line(a, b, a, d, layer: DotRaster.zeroAxis, every: marks == .ascii ? 1 : 2)
    }
    if let t = tangent, t.x.isFinite, t.y.isFinite, t.slope.isFinite {
      let y0 = t.y + t.slope * (xr.lo - t.x)
      let y1 = t.y + t.slope * (xr.hi - t.x)
      let (a, b) = layout.dot(xr.lo, y0)
      let (c, d) = layout.dot(xr.hi, y1)
      raster.line(a, b, c, d, layer: DotRaster.tangent, every: marks == .ascii ? 1 : 2)
      // The parabola, one sample a dot column, broken where it leaves the visible range.
      if let k = t.curvature, k.isFinite {
        let n = Swift.max(2, layout.dotWidth)
        let xs = (0..<n).map { xr.lo + xr.width * Double($0) / Double(n - 1) }
        let ys = xs.map(t.quadratic)
        for run in PlotCurve.runs(ys, visible: yr) where run.count > 1 {
          var (pa, pb) = layout.dot(xs[run.lowerBound], ys[run.lowerBound])
          for i in (run.lowerBound + 1)..<run.upperBound {
            let (qa, qb) = layout.dot(xs[i], ys[i])
            raster.line(pa, pb, qa, qb, layer: DotRaster.taylor)
            (pa, pb) = (qa, qb)
          }
        }
      }
    }
    for (k, s) in series.enumerated() {
      let n = s.count
      let ys = n == s.ys.count ? s.ys : Array(s.ys.prefix(n))
      for run in PlotCurve.runs(ys, visible: yr) {
        if run.count == 1 {
          let (a, b) = layout.dot(s.xs[run.lowerBound], ys[run.lowerBound])
          raster.point(a, b, layer: k)
          continue
        }
        var (pa, pb) = layout.dot(s.xs[run.lowerBound], ys[run.lowerBound])
        for i in (run.lowerBound + 1)..<run.upperBound {
          let (a, b) = layout.dot(s.xs[i], ys[i])
          raster.line(pa, pb, a, b, layer: k)
          (pa, pb) = (a, b)
        }
      }
    }
  }

  private func drawAxes(_ grid: inout Grid, _ layout: PlotLayout, left: Int) {
    let ascii = marks == .ascii
    let axisX = layout.plotX - 1
    let axisY = layout.plotY + layout.plotHeight
    for row in layout.plotY..<axisY { grid[axisX, row] = Cell(ascii ? "|" : "│", axisStyle) }
    for col in layout.plotX..<(layout.plotX + layout.plotWidth) {
      grid[col, axisY] = Cell(ascii ? "-" : "─", axisStyle)
    }
    grid[axisX, axisY] = Cell(ascii ? "+" : "└", axisStyle)
    for (v, label) in zip(layout.yTicks, layout.yLabels) {
      guard let row = layout.row(ofY: v) else { continue }
      grid[axisX, row] = Cell(ascii ? "+" : "┤", axisStyle)
      let w = Grid.columns(label)
      grid.put(label, x: left + layout.labelWidth - w, y: row, style: labelStyle, limit: layout.labelWidth)
    }
    var end = Int.min
    for (v, label) in zip(layout.xTicks, layout.xLabels) {
      guard let col = layout.column(ofX: v) else { continue }
      grid[col, axisY] = Cell(ascii ? "+" : "┬", axisStyle)
      let w = Grid.columns(label)
      guard w > 0 else { continue }
      // Centred under the tick, kept inside the region.
      let regionEnd = layout.plotX + layout.plotWidth
      var start = col - w / 2
      start = Swift.min(start, regionEnd - w)
      start = Swift.max(start, left)
      if start < end + 1 { continue }
      grid.put(label, x: start, y: axisY + 1, style: labelStyle, limit: regionEnd - start)
      end = start + w
    }
  }

  /// `x=0.7  f=0.2209  f'=0.9418` on the top row of the plot, on the side away from the cursor.
  private func drawReadout(_ grid: inout Grid, _ layout: PlotLayout, cursor: Double, column: Int) {
    var parts = ["x=" + PlotNumber.format(cursor)]
    for (k, s) in series.enumerated() {
      let v = cursorValues.flatMap { k < $0.count ? $0[k] : nil } ?? s.value(at: cursor)
      parts.append(s.label + "=" + PlotNumber.format(v))
    }
    var text = parts.joined(separator: "  ")
    let room = layout.plotWidth
    guard room >= 4 else { return }
    if Grid.columns(text) > room { text = String(text.prefix(room)) }
    let w = Grid.columns(text)
    let middle = layout.plotX + layout.plotWidth / 2
    let start = column < middle ? layout.plotX + layout.plotWidth - w : layout.plotX
    grid.put(text, x: start, y: layout.plotY, style: labelStyle, limit: room)
  }
}

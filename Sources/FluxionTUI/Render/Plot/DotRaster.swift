/// A grid of cells, each holding a few dots (braille 2×4, half blocks 1×2, ASCII 1×1), and
/// for each cell the layer that set a dot in it last (its colour wins).
struct DotRaster {
  /// Layers below the curves: the zero axes and the tangent line.
  static let zeroAxis = -1
  static let tangent = -2
  static let taylor = -3
  static let none = Int.min
  /// Braille dot bits by (column * 4 + row) within a cell: dots 1-2-3-7 down the left, 4-5-6-8 the right.
  private static let brailleBits: [UInt8] = [0x01, 0x02, 0x04, 0x40, 0x08, 0x10, 0x20, 0x80]

  let columns: Int
  let rows: Int
  let dx: Int
  let dy: Int
  private(set) var bits: [UInt8]
  private(set) var owner: [Int]
  /// Whether a zero-axis dot in the cell is from the horizontal (y = 0) line.
  private(set) var horizontal: [Bool]

  init(columns: Int, rows: Int, marks: PlotMarks) {
    self.columns = Swift.max(0, columns)
    self.rows = Swift.max(0, rows)
    (dx, dy) = marks.dotsPerCell
    bits = Array(repeating: 0, count: self.columns * self.rows)
    owner = Array(repeating: Self.none, count: self.columns * self.rows)
    horizontal = Array(repeating: false, count: self.columns * self.rows)
  }

  var dotWidth: Int { columns * dx }
  var dotHeight: Int { rows * dy }

  /// The bit of dot (cx, cy) within its cell, braille numbering for 2×4.
  private func bit(_ cx: Int, _ cy: Int) -> UInt8 {
    if dx == 2 && dy == 4 { return Self.brailleBits[cx * 4 + cy] }
    return UInt8(1) << UInt8(cy * dx + cx)
  }

  mutating func set(_ x: Int, _ y: Int, layer: Int, horizontalAxis: Bool = false) {
    guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
    let cell = (y / dy) * columns + x / dx
    bits[cell] |= bit(x % dx, y % dy)
    owner[cell] = layer
    if layer == Self.zeroAxis && horizontalAxis { horizontal[cell] = true }
  }

  /// A line between two points in dot coordinates (any size: it is clipped to the raster
  /// first), every `every`-th dot set (1: solid; 2: dotted).
  mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, layer: Int, every: Int = 1) {
    guard dotWidth > 0, dotHeight > 0 else { return }
    guard
      let (a, b, c, d) = PlotCurve.clip(
        x0, y0, x1, y1, xmin: -0.5, xmax: Double(dotWidth) - 0.5, ymin: -0.5, ymax: Double(dotHeight) - 0.5)
    else { return }
    var x = clampInt(a.rounded())
    var y = clampInt(b.rounded())
    let xe = clampInt(c.rounded())
    let ye = clampInt(d.rounded())
    let sx = x < xe ? 1 : -1
    let sy = y < ye ? 1 : -1
    let ddx = Swift.abs(xe - x)
    let ddy = -Swift.abs(ye - y)
    var err = ddx + ddy
    var k = 0
    let horizontalAxis = layer == Self.zeroAxis && ddx > 0
    while true {
      if k % Swift.max(1, every) == 0 { set(x, y, layer: layer, horizontalAxis: horizontalAxis) }
      k += 1
      if x == xe && y == ye { break }
      let e2 = 2 * err
      if e2 >= ddy {
        err += ddy
        x += sx
      }
      if e2 <= ddx {
        err += ddx
        y += sy
      }
    }
  }

  /// A dot at a point in dot coordinates, if inside.
  mutating func point(_ x: Double, _ y: Double, layer: Int) {
    guard x.isFinite, y.isFinite, x > -0.5, y > -0.5, x < Double(dotWidth) - 0.5, y < Double(dotHeight) - 0.5
    else { return }
    set(clampInt(x.rounded()), clampInt(y.rounded()), layer: layer)
  }

  private func clampInt(_ v: Double) -> Int {
    guard v.isFinite else { return 0 }
    return Int(Swift.max(-1e9, Swift.min(1e9, v)))
  }

  /// The character of a cell with dots, nil for an empty one.
  func character(column: Int, row: Int, marks: PlotMarks) -> Character? {
    let cell = row * columns + column
    let b = bits[cell]
    guard b != 0 else { return nil }
    switch marks {
    case .braille:
      return Character(Unicode.Scalar(0x2800 + UInt32(b)) ?? " ")
    case .halfBlock:
      switch b {
      case 1: return "▀"
      case 2: return "▄"
      default: return "█"
      }
    case .ascii:
      switch owner[cell] {
      case Self.zeroAxis: return horizontal[cell] ? "-" : "|"
      case Self.tangent: return "+"
      case let k where k >= 0: return k % 2 == 0 ? "*" : "."
      default: return "*"
      }
    }
  }

  func layer(column: Int, row: Int) -> Int { owner[row * columns + column] }
}

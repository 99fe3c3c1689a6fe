/// One curve of a plot: samples (x, y) in order of x, drawn in one colour. A non-finite y
/// (NaN, ±Inf: the function failed or overflowed there) breaks the curve.
public struct Series: Sendable, Equatable {
  public var label: String
  public var color: Color
  public var xs: [Double]
  public var ys: [Double]

  public init(label: String, color: Color, xs: [Double], ys: [Double]) {
    self.label = label
    self.color = color
    self.xs = xs
    self.ys = ys
  }

  /// The samples as pairs (the shorter of xs and ys decides how many).
  public var count: Int { min(xs.count, ys.count) }

  /// The value at `x` by linear interpolation between the samples around it (the nearest one
  /// outside the sampled range); NaN where a neighbour is not finite or nothing was sampled.
  public func value(at x: Double) -> Double {
    let n = count
    guard n > 0, x.isFinite else { return .nan }
    if n == 1 { return ys[0] }
    // Samples are sorted by x (PlotSampler's are); binary search for the first xs[k] >= x.
    var lo = 0
    var hi = n
    while lo < hi {
      let mid = (lo + hi) / 2
      if xs[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    if lo == 0 { return ys[0] }
    if lo >= n { return ys[n - 1] }
    let x0 = xs[lo - 1]
    let x1 = xs[lo]
    let y0 = ys[lo - 1]
    let y1 = ys[lo]
    guard y0.isFinite, y1.isFinite else { return .nan }
    if x1 == x0 { return y1 }
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
  }
}

/// How curves are drawn into cells.
public enum PlotMarks: String, Sendable, CaseIterable {
  /// Braille patterns (U+2800 block): 2×4 dots a cell.
  case braille
  /// Half blocks ▀ ▄ █: 1×2 dots a cell.
  case halfBlock
  /// ASCII only: `*` and `.` for curves, `|`, `-`, `+` for axes, cursor and tangent.
  case ascii

  /// Dots a cell holds across and down.
  public var dotsPerCell: (x: Int, y: Int) {
    switch self {
    case .braille: (2, 4)
    case .halfBlock: (1, 2)
    case .ascii: (1, 1)
    }
  }
}

/// The y range of a plot: from the samples (ignoring spikes near asymptotes), or fixed.
public enum PlotYRange: Sendable, Equatable {
  case auto
  case fixed(Double, Double)
}

/// A closed interval of reals with `lo <= hi` (possibly `lo == hi`), both finite.
public struct PlotInterval: Sendable, Equatable {
  public var lo: Double
  public var hi: Double

  /// Orders the bounds; non-finite bounds become the interval [-1, 1].
  public init(_ a: Double, _ b: Double) {
    if a.isFinite && b.isFinite {
      lo = Swift.min(a, b)
      hi = Swift.max(a, b)
    } else {
      lo = -1
      hi = 1
    }
  }

  public var width: Double { hi - lo }

  /// The same interval with a zero width widened (a tenth of the value each side, or ±1 at
  /// 0), so that positions in it can be computed.
  public var widened: PlotInterval {
    if hi - lo > 0 && (hi - lo).isFinite { return self }
    if !(hi - lo).isFinite { return PlotInterval(lo / 2, hi / 2) }
    let d = lo == 0 ? 1 : Swift.abs(lo) * 0.1
    return PlotInterval(lo - d, hi + d)
  }

  /// The position of `v` in the interval, 0 at lo and 1 at hi.
  func fraction(_ v: Double) -> Double { (v - lo) / (hi - lo) }
}

/// The y range shown for a set of curves.
public enum PlotScale {
  /// The y range that shows the shape of `series`: their finite values, with spikes (the
  /// samples next to an asymptote, tan x at ±π/2) left out. When the extremes span more than
  /// five times the bulk of the values (their 10–90% quantile range), the range is that bulk
  /// plus a quarter of its width each side; otherwise it is the full extent (x⁵ and eˣ keep
  /// their ends). Then `margin` of the width is
  /// added on each side. No finite value gives [-1, 1]; a constant gives a widened range.
  /// Each series is scaled on its own and the ranges are joined, so that one curve's spikes do
  /// not widen the bulk of another's; a derivative (a series whose label ends in `'`) widens
  /// the range of the others by at most `reach` times their height on each side, so that f'
  /// of tan (≥ 1, 44 at a tenth of the points) leaves tan's branches their room.
  public static func autoscale(_ series: [Series], margin: Double = 0.05, reach: Double = 0.5) -> PlotInterval {
    func join(_ list: [Series]) -> PlotInterval? {
      var lo = Double.infinity
      var hi = -Double.infinity
      for s in list where s.ys.contains(where: { $0.isFinite }) {
        let r = autoscale(values: s.ys, margin: 0)
        lo = Swift.min(lo, r.lo)
        hi = Swift.max(hi, r.hi)
      }
      return lo.isFinite && hi.isFinite ? PlotInterval(lo, hi) : nil
    }
    let primary = join(series.filter { !$0.label.hasSuffix("'") })
    let derivatives = join(series.filter { $0.label.hasSuffix("'") })
    guard var range = primary ?? derivatives else { return PlotInterval(-1, 1) }
    if primary != nil, let d = derivatives {
      let base = range.widened
      let r = Swift.max(0, reach.isFinite ? reach : 0) * base.width
      range = PlotInterval(
        Swift.min(range.lo, Swift.max(d.lo, base.lo - r)), Swift.max(range.hi, Swift.min(d.hi, base.hi + r)))
    }
    return autoscale(values: [range.lo, range.hi], margin: margin)
  }

  /// `autoscale` of plain values (non-finite ones are ignored).
  public static func autoscale(values: [Double], margin: Double = 0.05) -> PlotInterval {
    var v = values.filter { $0.isFinite }
    guard !v.isEmpty else { return PlotInterval(-1, 1) }
    v.sort()
    var lo = v[0]
    var hi = v[v.count - 1]
    if v.count >= 10 {
      let qlo = quantile(v, 0.1)
      let qhi = quantile(v, 0.9)
      let bulk = qhi - qlo
      if bulk > 0 && (hi - lo) > 5 * bulk {
        // A spike: clip to the bulk, but never cut off values just outside it.
        lo = Swift.max(lo, qlo - bulk / 4)
        hi = Swift.min(hi, qhi + bulk / 4)
      }
    }
    var range = PlotInterval(lo, hi)
    if range.width == 0 || !range.width.isFinite { return range.widened }
    let m = Swift.max(0, margin.isFinite ? margin : 0) * range.width
    range = PlotInterval(range.lo - m, range.hi + m)
    return range.width.isFinite ? range : PlotInterval(lo, hi).widened
  }

  /// The `p` quantile of sorted values, interpolated linearly.
  static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    let n = sorted.count
    if n == 1 { return sorted[0] }
    let pos = p * Double(n - 1)
    let i = Swift.max(0, Swift.min(n - 2, Int(pos)))
    let f = pos - Double(i)
    return sorted[i] + (sorted[i + 1] - sorted[i]) * f
  }

  /// The range a `PlotYRange` resolves to for these curves.
  public static func resolve(_ y: PlotYRange, _ series: [Series]) -> PlotInterval {
    switch y {
    case .auto: autoscale(series)
    case .fixed(let a, let b): PlotInterval(a, b).widened
    }
  }
}

/// Where a curve is broken: at non-finite samples, and across an asymptote.
public enum PlotCurve {
  /// The runs of consecutive samples that are drawn connected, given the visible y range.
  /// Each run holds finite samples only; a single-sample run is drawn as a dot.
  public static func runs(_ ys: [Double], visible: PlotInterval) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start: Int? = nil
    for i in 0..<ys.count {
      guard ys[i].isFinite else {
        if let s = start { out.append(s..<i) }
        start = nil
        continue
      }
      if let s = start, !connects(ys, i - 1, visible: visible) {
        out.append(s..<i)
        start = i
      } else if start == nil {
        start = i
      }
    }
    if let s = start { out.append(s..<ys.count) }
    return out
  }

  /// Whether samples `i` and `i + 1` (both finite) are joined by a line. They are not when the
  /// step between them is larger than the visible range and goes against the curve's
  /// direction on both sides (tan x just below and above π/2: rising, a fall by far more than
  /// the screen, rising again), or, with no neighbours to tell, when it leaps from beyond one
  /// edge of the visible range to beyond the other.
  public static func connects(_ ys: [Double], _ i: Int, visible: PlotInterval) -> Bool {
    guard i >= 0, i + 1 < ys.count else { return false }
    let y0 = ys[i]
    let y1 = ys[i + 1]
    guard y0.isFinite, y1.isFinite else { return false }
    let jump = y1 - y0
    let span = visible.width
    guard !(Swift.abs(jump) <= span) else { return true }
    var sides: [Double] = []
    if i > 0, ys[i - 1].isFinite { sides.append(y0 - ys[i - 1]) }
    if i + 2 < ys.count, ys[i + 2].isFinite { sides.append(ys[i + 2] - y1) }
    sides = sides.filter { $0 != 0 }
    if sides.isEmpty {
      let across = (y0 > visible.hi && y1 < visible.lo) || (y0 < visible.lo && y1 > visible.hi)
      return !across
    }
    let against = sides.allSatisfy { ($0 > 0) != (jump > 0) }
    return !against
  }

  /// The part of the segment (x0, y0)–(x1, y1) inside the box [xmin, xmax] × [ymin, ymax]
  /// (Liang–Barsky), or nil when it misses the box.
  public static func clip(
    _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
    xmin: Double, xmax: Double, ymin: Double, ymax: Double
  ) -> (Double, Double, Double, Double)? {
    guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return nil }
    let dx = x1 - x0
    let dy = y1 - y0
    var t0 = 0.0
    var t1 = 1.0
    let checks: [(Double, Double)] = [(-dx, x0 - xmin), (dx, xmax - x0), (-dy, y0 - ymin), (dy, ymax - y0)]
    for (p, q) in checks {
      if p == 0 {
        if q < 0 { return nil }
      } else {
        let r = q / p
        if p < 0 {
          if r > t1 { return nil }
          if r > t0 { t0 = r }
        } else {
          if r < t0 { return nil }
          if r < t1 { t1 = r }
        }
      }
    }
    if !dx.isFinite || !dy.isFinite {
      // A difference that overflowed: keep the endpoints inside the box, if any.
      return nil
    }
    return (x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy)
  }
}

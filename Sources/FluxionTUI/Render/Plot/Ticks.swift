import Foundation

/// "Nice" axis ticks: multiples of 1, 2 or 5 times a power of ten.
public enum PlotTicks {
  /// The 1-2-5 step that puts about `target` intervals on [lo, hi] (nil for an empty or
  /// non-finite range).
  public static func step(_ lo: Double, _ hi: Double, target: Int) -> Double? {
    guard lo.isFinite, hi.isFinite, hi > lo else { return nil }
    let t = Double(Swift.max(1, target))
    let raw = hi / t - lo / t  // no overflow for ranges near the largest double
    guard raw > 0, raw.isFinite else { return nil }
    let mag = pow(10, floor(log10(raw)))
    guard mag > 0, mag.isFinite else { return nil }
    let norm = raw / mag
    // Round to the nearest of 1, 2, 5, 10 on a log scale (as d3 does).
    let m: Double = norm >= 50.0.squareRoot() ? 10 : norm >= 10.0.squareRoot() ? 5 : norm >= 2.0.squareRoot() ? 2 : 1
    let s = m * mag
    return s.isFinite && s > 0 ? s : nil
  }

  /// The ticks in [lo, hi] (either order) at the 1-2-5 step for about `target` intervals:
  /// exact decimals (0.3, not 0.30000000000000004), never -0. A zero-width range has its one
  /// value as its tick; a non-finite one has none.
  public static func ticks(_ a: Double, _ b: Double, target: Int = 5) -> [Double] {
    guard a.isFinite, b.isFinite else { return [] }
    let lo = Swift.min(a, b)
    let hi = Swift.max(a, b)
    if lo == hi { return [lo + 0] }
    guard let s = step(lo, hi, target: target) else { return [] }
    return ticks(lo, hi, step: s)
  }

  /// The multiples of `step` in [lo, hi].
  public static func ticks(_ lo: Double, _ hi: Double, step s: Double) -> [Double] {
    guard s > 0, s.isFinite, lo.isFinite, hi.isFinite, hi >= lo else { return [] }
    let first = (lo / s).rounded(.up)
    let last = (hi / s).rounded(.down)
    guard first.isFinite, last.isFinite, last >= first, last - first < 1000 else { return [] }
    // Below 1, divide by the integer 1/step: k / 10 is exact where k * 0.1 is not.
    let inverse = (1 / s).rounded()
    let useInverse = s < 1 && inverse.isFinite && inverse > 0 && Swift.abs(inverse * s - 1) < 1e-9
    var out: [Double] = []
    var k = first
    while k <= last {
      let v = useInverse ? k / inverse : k * s
      out.append(v + 0)  // -0 + 0 is +0
      k += 1
    }
    return out
  }

  /// Labels for ticks spaced `step` apart: as few digits as tell them apart, fixed-point for
  /// ordinary magnitudes and `2.5e-7` / `1e6` style otherwise; 0 is `0` (never `-0`).
  public static func labels(_ ticks: [Double], step: Double) -> [String] {
    let big = ticks.map { Swift.abs($0) }.max() ?? 0
    let s = step > 0 && step.isFinite ? step : Swift.max(big, 1)
    let stepExponent = Int(floor(log10(s) + 1e-9))
    let decimals = Swift.max(0, -stepExponent)
    let fixed = big < 1e6 && (s >= 1e-4 || (big >= 1 && decimals <= 15))
    return ticks.map { v in
      if v == 0 || !v.isFinite { return PlotNumber.format(v) }
      if fixed {
        return clean(String(format: "%.\(decimals)f", v))
      }
      let e = Int(floor(log10(Swift.abs(v)) + 1e-9))
      let digits = Swift.min(15, Swift.max(0, e - stepExponent))
      var mantissa = v / pow(10, Double(e))
      var exponent = e
      // 9.99… rounding up to 10.0 moves to the next exponent.
      if Swift.abs((mantissa * pow(10, Double(digits))).rounded()) >= 10 * pow(10, Double(digits)) {
        mantissa /= 10
        exponent += 1
      }
      var m = clean(String(format: "%.\(digits)f", mantissa))
      if m.contains(".") {
        while m.hasSuffix("0") { m.removeLast() }
        if m.hasSuffix(".") { m.removeLast() }
      }
      return m + "e\(exponent)"
    }
  }

  /// The label of one tick value given its step.
  public static func label(_ v: Double, step: Double) -> String { labels([v], step: step)[0] }

  /// Drops the sign of a zero (`-0`, `-0.00`).
  static func clean(_ s: String) -> String {
    if s.hasPrefix("-") && !s.contains(where: { $0 >= "1" && $0 <= "9" }) { return String(s.dropFirst()) }
    return s
  }
}

/// Short numbers for read-outs: four significant digits, `nan`, `inf`, `-inf`, no `-0`.
public enum PlotNumber {
  public static func format(_ d: Double, significant: Int = 4) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return "0" }
    let digits = Swift.max(1, Swift.min(17, significant))
    var s = String(format: "%.\(digits)g", d)
    // "1e+16" → "1e16", "1e-05" → "1e-5".
    if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      let mantissa = s[s.startIndex..<e]
      var exponent = s[s.index(after: e)...]
      var sign = ""
      if exponent.first == "+" {
        exponent = exponent.dropFirst()
      } else if exponent.first == "-" {
        sign = "-"
        exponent = exponent.dropFirst()
      }
      while exponent.count > 1 && exponent.first == "0" { exponent = exponent.dropFirst() }
      s = mantissa + "e" + sign + exponent
    }
    return PlotTicks.clean(s)
  }
}

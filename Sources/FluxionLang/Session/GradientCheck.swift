import Fluxion
import Foundation

/// A derivative checked entry by entry against central finite differences in float64.
///
/// The point is upcast to float64 and f is evaluated in x64 mode (the workspace is not run
/// again, so its random draws and float32 constants stay what they were); each input element
/// gets a step of its own, and Richardson extrapolation of two central differences (steps h and
/// h/2) gives both the estimate and its error. Where the one-sided slopes on either side of the
/// point differ by the same amount at both steps, the differences straddle a kink (relu or abs
/// at 0): the entry is reported as a kink, not as a wrong derivative.
///
/// ```swift
/// let f = try session.compile("lambda x: jnp.sin(x) * x")
/// let x = try session.evaluate("jnp.array([1., 2.])")
/// let j = try f.jacobianRows(at: x)
/// let check = try f.gradientCheck(at: x, jacobian: j.doubles!)
/// print(check.summary)  // finite differences agree ✓ (worst relative error 2.9e-08 at (1, 1))
/// ```
public struct GradientCheck: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    /// The derivative being checked (autodiff's).
    public var ad: Double
    /// The finite-difference estimate.
    public var fd: Double
    /// |ad − fd| over the larger of |ad|, |fd| and a floor on the Jacobian's scale (so that
    /// entries near zero are compared on the scale of the others).
    public var relativeError: Double
    /// The estimate's own error (from the two steps).
    public var fdError: Double
    /// The differences straddle a kink: neither side's slope is the derivative.
    public var kink: Bool
    /// Within the tolerance (or the estimate's error); kinks pass.
    public var passed: Bool
  }

  public enum Verdict: Sendable, Equatable {
    /// Every entry agrees.
    case agree
    /// Every entry agrees except at kinks (the first named).
    case kink(row: Int, column: Int)
    /// The worst failing entry.
    case differ(row: Int, column: Int)
  }

  public var rows: Int
  public var columns: Int
  /// Row-major, `rows × columns`.
  public var entries: [Entry]
  /// The relative error allowed: float32 round-off in autodiff's own arithmetic (1e-3 for a
  /// float32 derivative, 1e-6 for float64).
  public var tolerance: Double
  public var verdict: Verdict

  public subscript(row: Int, column: Int) -> Entry { entries[row * columns + column] }

  /// The entry with the largest relative error among those that are not kinks (nil if none).
  public var worst: (row: Int, column: Int)? {
    var best: Int?
    for (k, e) in entries.enumerated() where !e.kink {
      if best == nil || e.relativeError > entries[best!].relativeError { best = k }
    }
    return best.map { ($0 / columns, $0 % columns) }
  }

  public var passed: Bool {
    if case .differ = verdict { return false }
    return true
  }

  /// One line: the verdict, with the worst entry's values when it fails.
  public var summary: String {
    switch verdict {
    case .agree:
      guard let (i, j) = worst else { return "finite differences agree ✓" }
      return "finite differences agree ✓ (worst relative error \(Self.short(self[i, j].relativeError)) at (\(i), \(j)))"
    case .kink(let i, let j):
      let kinks = entries.filter(\.kink).count
      return "finite differences straddle a kink at (\(i), \(j))"
        + (kinks > 1 ? " and \(kinks - 1) more" : "") + "; the other entries agree"
    case .differ(let i, let j):
      let e = self[i, j]
      return
        "gradient check fails at (\(i), \(j)): autodiff \(Self.value(e.ad)), finite differences \(Self.value(e.fd))"
        + " (relative error \(Self.short(e.relativeError)))"
    }
  }

  /// The table the command line prints: one line an entry, then the summary.
  public var table: String {
    var lines = ["entry        autodiff        finite diff     rel. error  "]
    for i in 0..<rows {
      for j in 0..<columns {
        let e = self[i, j]
        let mark = e.kink ? "kink" : (e.passed ? "ok" : "FAIL")
        let index = "(\(i), \(j))"
        lines.append(
          index.padding(toLength: 13, withPad: " ", startingAt: 0)
            + Self.column(Self.long(e.ad)) + Self.column(Self.long(e.fd))
            + Self.short(e.relativeError).padding(toLength: 12, withPad: " ", startingAt: 0) + mark)
      }
    }
    lines.append(summary)
    return lines.joined(separator: "\n")
  }

  private static func column(_ s: String) -> String { s.padding(toLength: 16, withPad: " ", startingAt: 0) }
  static func long(_ d: Double) -> String { d.isFinite ? String(format: "%.8g", d) : "\(d)" }
  static func value(_ d: Double) -> String { d.isFinite ? String(format: "%.6g", d) : "\(d)" }
  static func short(_ d: Double) -> String { d.isFinite ? String(format: "%.2g", d) : "\(d)" }

  /// Checks `jacobian` (row-major, outputs × inputs, as `dtype` computed it) of `f` at `x`, one
  /// array (or number) in and one out. Throws what f raises, and CancelledError when cancelled.
  public static func run(
    _ interp: Interpreter, _ f: Value, at x: Value, jacobian: [Double], float64 ad: Bool = false
  ) throws(PyError) -> GradientCheck {
    guard let xs = x.doubles, !xs.isEmpty else {
      throw PyError("TypeError", "the gradient check needs a point of numbers, not a \(x.typeName)")
    }
    let shape = x.shape ?? []
    let n = xs.count
    let saved = interp.x64
    interp.x64 = true
    defer { interp.x64 = saved }
    let (values, float32Output) = try evaluate(interp, f, xs, shape: shape)
    guard let m = values.first?.count, m > 0, m * n == jacobian.count else {
      throw PyError(
        "ValueError",
        "the gradient check needs the Jacobian of f (\(jacobian.count) entries for \(n) inputs); f gave "
          + "\(values.first?.count ?? 0) outputs")
    }
    let scale = Swift.max(jacobian.map(Swift.abs).filter(\.isFinite).max() ?? 0, 1e-30)
    // A float32 derivative (or one of a function that computes in float32) has float32's
    // round-off; 1e-3 allows for it through a few thousand operations.
    let tolerance = ad && !float32Output ? 1e-6 : 1e-3
    let eps = float32Output ? Double(Float.ulpOfOne) : Double.ulpOfOne
    var entries: [Entry] = []
    entries.reserveCapacity(m * n)
    let f0 = values[0]
    for i in 0..<m {
      for k in 0..<n {
        let h: Double = step(xs[k], float32: float32Output)
        let (up, down, upHalf, downHalf) = (values[1 + 4 * k], values[2 + 4 * k], values[3 + 4 * k], values[4 + 4 * k])
        let wide: Double = (up[i] - down[i]) / (2.0 * h)
        let narrow: Double = (upHalf[i] - downHalf[i]) / h
        let fd: Double = (4.0 * narrow - wide) / 3.0
        // Richardson's correction bounds the narrow estimate's error; the extrapolated one is
        // better by a further power of h.
        // Plus the round-off of f's values over the step (f evaluated in float32 when it casts).
        let size: Double = Swift.max(Swift.abs(up[i]), Swift.abs(down[i]), Swift.abs(upHalf[i]), Swift.abs(downHalf[i]))
        let fdError: Double = Swift.abs(narrow - wide) / 3.0 + 3.0 * eps * size / h
        // One-sided slopes: their gap shrinks with the step where f is smooth and stays where
        // it has a kink.
        let jumpWide: Double = (up[i] - f0[i]) / h - (f0[i] - down[i]) / h
        let half: Double = h / 2.0
        let jumpNarrow: Double = (upHalf[i] - f0[i]) / half - (f0[i] - downHalf[i]) / half
        let a = jacobian[i * n + k]
        let floor = 1e-3 * scale
        let relative = Swift.abs(a - fd) / Swift.max(Swift.abs(a), Swift.abs(fd), floor)
        let within = relative <= tolerance || Swift.abs(a - fd) <= 3 * fdError
        let kink =
          !within && Swift.abs(jumpNarrow) > 0.75 * Swift.abs(jumpWide)
          && Swift.abs(jumpNarrow) > 1e-3 * Swift.max(scale, Swift.abs(fd))
        let same = a == fd || (a.isNaN && fd.isNaN)
        entries.append(
          Entry(
            ad: a, fd: fd, relativeError: same ? 0 : (relative.isNaN ? .infinity : relative), fdError: fdError,
            kink: kink, passed: same || within || kink))
      }
    }
    var check = GradientCheck(rows: m, columns: n, entries: entries, tolerance: tolerance, verdict: .agree)
    if let bad = entries.indices.filter({ !entries[$0].passed }).max(by: {
      entries[$0].relativeError < entries[$1].relativeError
    }) {
      check.verdict = .differ(row: bad / n, column: bad % n)
    } else if let k = entries.firstIndex(where: \.kink) {
      check.verdict = .kink(row: k / n, column: k % n)
    }
    return check
  }

  /// The step for an input element: the cube root of the evaluation's machine epsilon (the
  /// balance of truncation and round-off for central differences), on the element's scale.
  static func step(_ x: Double, float32: Bool) -> Double {
    let eps = float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
    let h = Foundation.cbrt(eps) * Swift.max(1, Swift.abs(x))
    // A step exactly representable beside x, so that (x + h) − (x − h) is 2h.
    return ((x + h) - x)
  }

  /// The points f is evaluated at: x, then for each element k, x ± h eₖ and x ± h/2 eₖ.
  static func points(_ xs: [Double], float32: Bool) -> [[Double]] {
    var out = [xs]
    for k in xs.indices {
      let h = step(xs[k], float32: float32)
      for d in [h, -h, h / 2, -h / 2] {
        var p = xs
        p[k] += d
        out.append(p)
      }
    }
    return out
  }

  /// f at the points for `xs` in float64 (one vmap call; point by point when vmap raises), and
  /// whether f's output stayed float32 (a function that casts: then at float32's steps, which
  /// its rounding needs).
  static func evaluate(_ interp: Interpreter, _ f: Value, _ xs: [Double], shape: [Int]) throws(PyError) -> (
    [[Double]], Bool
  ) {
    let (values, float32) = try evaluateOnce(interp, f, points(xs, float32: false), shape: shape)
    guard float32 else { return (values, false) }
    return (try evaluateOnce(interp, f, points(xs, float32: true), shape: shape).0, true)
  }

  private static func evaluateOnce(_ interp: Interpreter, _ f: Value, _ points: [[Double]], shape: [Int])
    throws(PyError) -> ([[Double]], Bool)
  {
    let n = points[0].count
    let batch = Config.withX64(true) {
      reshape(Tensor(points.flatMap { $0 }, dtype: .float64), [points.count] + shape)
    }
    do throws(PyError) {
      let out = try interp.callValue(try interp.callLibrary("jax", "vmap", [f]), [.array(batch)])
      if case .array(let y) = out, y.rank >= 1, y.shape[0] == points.count, let d = out.doubles {
        let m = d.count / points.count
        return ((0..<points.count).map { Array(d[($0 * m)..<(($0 + 1) * m)]) }, y.dtype == .float32)
      }
    } catch {
      if error.kind == "CancelledError" { throw error }
    }
    // Point by point (Python control flow on the value).
    var values: [[Double]] = []
    var float32 = false
    for p in points {
      if let c = interp.cancellation, c.isCancelled {
        throw PyError("CancelledError", "the evaluation was cancelled")
      }
      let arg = Config.withX64(true) { reshape(Tensor(p, dtype: .float64), n == 1 && shape.isEmpty ? [] : shape) }
      let y = try interp.callValue(f, [.array(arg)])
      guard let d = y.doubles else {
        throw PyError("TypeError", "the gradient check needs f to return one array, not a \(y.typeName)")
      }
      if case .array(let t) = y, t.dtype == .float32 { float32 = true }
      values.append(d)
    }
    return (values, float32)
  }
}

extension SessionFunction {
  /// `GradientCheck.run` for this function at `x` (one array or number in, one array out).
  public func gradientCheck(at x: Value, jacobian: [Double], float64: Bool = false) throws(PyError) -> GradientCheck {
    try GradientCheck.run(interp, value, at: x, jacobian: jacobian, float64: float64)
  }
}

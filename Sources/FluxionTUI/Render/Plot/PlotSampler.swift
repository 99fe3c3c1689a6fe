import Fluxion
import FluxionLang

/// The slice of a function of an array: t ↦ f(x + t·v), and its derivative, the jvp along v.
public struct PlotSlice {
  public var point: Value
  public var direction: Value

  public init(at point: Value, along direction: Value) {
    self.point = point
    self.direction = direction
  }
}

/// What a sampling gives: the curves, and how they were computed.
public struct PlotSamples {
  /// f and f' (R→R and slices), or each component of a vector output (f[0], f[1], …).
  public var series: [Series]
  /// Whether f went through one `jax.vmap` call (false: point by point, Python control flow
  /// on the argument).
  public var vectorized: Bool
  /// Points where evaluating f raised (their values are NaN).
  public var failedPoints: Int
  /// The first error a point raised, if any did.
  public var firstError: PyError?
  /// The error of f' when it failed at every point (its curve is then all NaN).
  public var derivativeError: PyError?
}

/// Samples a session's function and its derivative for the plot: `jax.vmap(f)` and
/// `jax.vmap(jax.grad(f))` on one array of sample points, point by point when vmap raises.
public enum PlotSampler {
  /// At most this many components of a vector output are plotted.
  public static let maxComponents = 6
  /// Points per vmap call; the cancellation token is polled between chunks.
  static let chunk = 1024
  /// Colours of f, f' and of components.
  public static let palette: [Color] = [.cyan, .yellow, .green, .magenta, .red, .blue]

  /// `count` evenly spaced points from a to b (both included; one point is a itself).
  public static func points(from a: Double, to b: Double, count: Int) -> [Double] {
    guard count > 0, a.isFinite, b.isFinite else { return [] }
    if count == 1 { return [a] }
    let n = Double(count - 1)
    return (0..<count).map { i in
      // Both ends exact; no accumulation.
      i == count - 1 ? b : a + (b - a) * (Double(i) / n)
    }
  }

  /// The curves of f (and of f' when `derivative`) on [a, b] at `count` points; `slice` for a
  /// function of an array, plotted along a line through it. A point where f raises is NaN;
  /// only a function that fails at every point throws (its first error). A cancelled session
  /// throws CancelledError.
  public static func series(
    _ f: SessionFunction, from a: Double, to b: Double, count: Int, slice: PlotSlice? = nil,
    derivative: Bool = true
  ) throws(PyError) -> [Series] {
    try sample(f, from: a, to: b, count: count, slice: slice, derivative: derivative).series
  }

  /// `series`, with how the samples were computed.
  public static func sample(
    _ f: SessionFunction, from a: Double, to b: Double, count: Int, slice: PlotSlice? = nil,
    derivative: Bool = true
  ) throws(PyError) -> PlotSamples {
    try sample(
      f.value, interpreter: f.session.interpreter, from: a, to: b, count: count, slice: slice, derivative: derivative)
  }

  /// The same for a callable value of an interpreter (the command line has no Session).
  public static func sample(
    _ function: Value, interpreter interp: Interpreter, from a: Double, to b: Double, count: Int,
    slice: PlotSlice? = nil, derivative: Bool = true
  ) throws(PyError) -> PlotSamples {
    guard a.isFinite, b.isFinite else { throw PyError("ValueError", "the plot range must be finite") }
    let xs = points(from: Swift.min(a, b), to: Swift.max(a, b), count: Swift.min(Swift.max(0, count), 1_000_000))
    var fn = function
    if let s = slice { fn = try sliceFunction(interp, function, s) }
    guard !xs.isEmpty else {
      return PlotSamples(
        series: [Series(label: "f", color: palette[0], xs: [], ys: [])], vectorized: true, failedPoints: 0)
    }
    // f through vmap; when that raises (Python control flow on the value), point by point with
    // jax.jvp, which gives f and f' in one call (a third of the time of f and grad apart).
    var values: Evaluated
    var pointwiseDerivative: (ys: [Double], error: PyError?)?
    if derivative, let (ys, dys) = try batchedWithDerivative(interp, fn, xs) {
      // One pass of vmap over jax.jvp gives f and f' (forward mode: for one input the same
      // numbers as grad, in about two thirds of the time of vmap(f) and vmap(grad(f)) apart).
      values = Evaluated(columns: [ys], vectorized: true)
      pointwiseDerivative = (dys, nil)
    } else if let columns = try batched(interp, fn, xs) {
      values = Evaluated(columns: columns, vectorized: true)
    } else {
      let r = try pointwise(interp, fn, xs, tangents: derivative)
      values = r.values
      pointwiseDerivative = r.derivative
    }
    if values.failures == xs.count, let e = values.firstError { throw e }
    var samples = PlotSamples(
      series: [], vectorized: values.vectorized, failedPoints: values.failures, firstError: values.firstError)
    if values.columns.count <= 1 {
      let ys = values.columns.first ?? Array(repeating: .nan, count: xs.count)
      samples.series.append(Series(label: "f", color: palette[0], xs: xs, ys: ys))
      if derivative, let d = pointwiseDerivative {
        samples.derivativeError = d.error
        samples.series.append(Series(label: "f'", color: palette[1], xs: xs, ys: d.ys))
      } else if derivative {
        // grad for R→R; the slice's derivative in t is the jvp along v: forward mode.
        do throws(PyError) {
          let g = try interp.callLibrary("jax", slice == nil ? "grad" : "jacfwd", [fn])
          let d = try evaluate(interp, g, xs)
          let dys = d.columns.first ?? Array(repeating: .nan, count: xs.count)
          if d.failures == xs.count { samples.derivativeError = d.firstError }
          samples.series.append(Series(label: "f'", color: palette[1], xs: xs, ys: dys))
        } catch {
          if error.kind == "CancelledError" { throw error }
          samples.derivativeError = error
          samples.series.append(
            Series(label: "f'", color: palette[1], xs: xs, ys: Array(repeating: .nan, count: xs.count)))
        }
      }
    } else {
      for (k, ys) in values.columns.enumerated() {
        samples.series.append(Series(label: "f[\(k)]", color: palette[k % palette.count], xs: xs, ys: ys))
      }
    }
    return samples
  }

  /// t ↦ f(x + t·v), built in the language so that vmap and grad see through it.
  static func sliceFunction(_ interp: Interpreter, _ f: Value, _ s: PlotSlice) throws(PyError) -> Value {
    let x = try interp.callLibrary("jax.numpy", "asarray", [s.point])
    let v = try interp.callLibrary("jax.numpy", "asarray", [s.direction])
    if let xs = x.shape, let vs = v.shape, xs != vs, !vs.isEmpty {
      throw PyError(
        "ValueError",
        "the direction v has shape \(vs) but the point x has shape \(xs)")
    }
    let make = try interp.evaluate("lambda f, x, v: (lambda t: f(x + t * v))", filename: "<plot slice>")
    return try interp.callValue(make, [f, x, v])
  }

  struct Evaluated {
    var columns: [[Double]]
    var vectorized: Bool
    var failures = 0
    var firstError: PyError?
  }

  static func checkCancelled(_ interp: Interpreter) throws(PyError) {
    if let c = interp.cancellation, c.isCancelled {
      throw PyError("CancelledError", "the evaluation was cancelled")
    }
  }

  /// `fn` at every point: through vmap in chunks, or point by point when vmap raises.
  static func evaluate(_ interp: Interpreter, _ fn: Value, _ xs: [Double]) throws(PyError) -> Evaluated {
    if let columns = try batched(interp, fn, xs) { return Evaluated(columns: columns, vectorized: true) }
    return try pointwise(interp, fn, xs, tangents: false).values
  }

  /// `jax.vmap(fn)` on the points, in chunks: the components of its output, or nil when vmap
  /// raises (or gives an output of another shape). Only cancellation is thrown.
  static func batched(_ interp: Interpreter, _ fn: Value, _ xs: [Double]) throws(PyError) -> [[Double]]? {
    do throws(PyError) {
      let batched = try interp.callLibrary("jax", "vmap", [fn])
      var columns: [[Double]] = []
      var start = 0
      while start < xs.count {
        try checkCancelled(interp)
        let end = Swift.min(xs.count, start + chunk)
        let points = Config.withX64(interp.x64) { Tensor(Array(xs[start..<end])) }
        let out = try interp.callValue(batched, [.array(points)])
        guard let cols = try batchedColumns(out, count: end - start), !cols.isEmpty,
          columns.isEmpty || columns.count == cols.count
        else { return nil }
        if columns.isEmpty { columns = Array(repeating: [], count: cols.count) }
        for k in 0..<cols.count { columns[k].append(contentsOf: cols[k]) }
        start = end
      }
      return columns
    } catch {
      if error.kind == "CancelledError" { throw error }
      return nil
    }
  }

  /// f and f' at every point from one `jax.vmap` of `t ↦ jax.jvp(fn, (t,), (1,))`, in chunks:
  /// nil when that raises or when f's output is not one float per point (then f and its
  /// derivative are sampled apart, which says why the derivative is missing). Only
  /// cancellation is thrown.
  static func batchedWithDerivative(_ interp: Interpreter, _ fn: Value, _ xs: [Double]) throws(PyError) -> (
    [Double], [Double]
  )? {
    do throws(PyError) {
      let make = try interp.evaluate(
        "lambda f, jvp, ones_like: (lambda t: jvp(f, (t,), (ones_like(t),)))", filename: "<plot derivative>")
      let both = try interp.callValue(
        make, [fn, try interp.libraryValue("jax", "jvp"), try interp.libraryValue("jax.numpy", "ones_like")])
      let pair = try interp.callLibrary("jax", "vmap", [both])
      var ys: [Double] = []
      var dys: [Double] = []
      ys.reserveCapacity(xs.count)
      dys.reserveCapacity(xs.count)
      var start = 0
      while start < xs.count {
        try checkCancelled(interp)
        let end = Swift.min(xs.count, start + chunk)
        let points = Config.withX64(interp.x64) { Tensor(Array(xs[start..<end])) }
        guard case .tuple(let out) = try interp.callValue(pair, [.array(points)]), out.count == 2,
          case .array(let primal) = out[0], primal.dtype.isFloatingPoint, primal.shape == [end - start],
          let p = try batchedColumns(out[0], count: end - start), p.count == 1,
          let t = try batchedColumns(out[1], count: end - start), t.count == 1
        else { return nil }
        ys += p[0]
        dys += t[0]
        start = end
      }
      return (ys, dys)
    } catch {
      if error.kind == "CancelledError" { throw error }
      return nil
    }
  }

  /// `fn` point by point; with `tangents`, through `jax.jvp(fn, (x,), (1.0,))` so that each call
  /// also gives the derivative (NaN where the output is not one float; after a few points where
  /// f works and its jvp does not, only f is called). A point that raises is NaN.
  static func pointwise(_ interp: Interpreter, _ fn: Value, _ xs: [Double], tangents: Bool) throws(PyError) -> (
    values: Evaluated, derivative: (ys: [Double], error: PyError?)?
  ) {
    var result = Evaluated(columns: [], vectorized: false)
    var derivative = Array(repeating: Double.nan, count: xs.count)
    var derivativeError: PyError?
    var jvpFailures = 0
    let one = Config.withX64(interp.x64) { Tensor(1.0) }
    for (i, x) in xs.enumerated() {
      if i % 16 == 0 { try checkCancelled(interp) }
      let point = Config.withX64(interp.x64) { Tensor(x) }
      var out: Value?
      if tangents && jvpFailures < 8 {
        do throws(PyError) {
          let r = try interp.callLibrary("jax", "jvp", [fn, .tuple([.array(point)]), .tuple([.array(one)])])
          guard case .tuple(let pair) = r, pair.count == 2 else {
            throw PyError("TypeError", "jvp gave no pair")
          }
          out = pair[0]
          if isFloat(pair[0]) {
            var d: [Double] = []
            try flatten(pair[1], into: &d)
            if d.count == 1 { derivative[i] = d[0] }
          } else if derivativeError == nil {
            derivativeError = PyError(
              "TypeError",
              "the derivative needs a function with a float output, not \(pair[0].dtypeName ?? pair[0].typeName)")
          }
        } catch {
          if error.kind == "CancelledError" { throw error }
          jvpFailures += 1
          if derivativeError == nil { derivativeError = error }
        }
      }
      do throws(PyError) {
        if out == nil { out = try interp.callValue(fn, [.array(point)]) }
        var values: [Double] = []
        if let out { try flatten(out, into: &values) }
        guard !values.isEmpty else { throw PyError("TypeError", "the function returned no numbers") }
        if result.columns.isEmpty {
          let width = Swift.min(maxComponents, values.count)
          result.columns = Array(repeating: Array(repeating: .nan, count: xs.count), count: width)
        }
        for k in 0..<result.columns.count where k < values.count { result.columns[k][i] = values[k] }
      } catch {
        if error.kind == "CancelledError" { throw error }
        result.failures += 1
        if result.firstError == nil { result.firstError = error }
      }
    }
    if result.columns.isEmpty { result.columns = [Array(repeating: .nan, count: xs.count)] }
    guard tangents else { return (result, nil) }
    let anyDerivative = derivative.contains { !$0.isNaN }
    return (result, (derivative, anyDerivative ? nil : derivativeError))
  }

  /// Whether an output is one float or a float array (something with a derivative).
  static func isFloat(_ v: Value) -> Bool {
    switch v {
    case .float: true
    case .array(let t): t.dtype.isFloatingPoint
    default: false
    }
  }

  /// The components of a vmapped output over `count` points (nil when its shape is not that).
  static func batchedColumns(_ v: Value, count n: Int) throws(PyError) -> [[Double]]? {
    switch v {
    case .array(let t):
      let d: [Double]
      do { d = try t.doubles } catch { throw PyError(error) }
      if t.rank >= 1 && t.shape[0] == n && n > 0 {
        let per = d.count / n
        guard per > 0 else { return nil }
        return (0..<Swift.min(per, maxComponents)).map { k in (0..<n).map { d[$0 * per + k] } }
      }
      if d.count == 1 { return [Array(repeating: d[0], count: n)] }
      return nil
    case .float, .int, .bool:
      var d: [Double] = []
      try flatten(v, into: &d)
      return d.count == 1 ? [Array(repeating: d[0], count: n)] : nil
    case .tuple(let items):
      return try batchedLeaves(items, count: n)
    case .list(let l):
      return try batchedLeaves(l.items, count: n)
    default:
      return nil
    }
  }

  private static func batchedLeaves(_ items: [Value], count n: Int) throws(PyError) -> [[Double]]? {
    var out: [[Double]] = []
    for item in items {
      guard let c = try batchedColumns(item, count: n) else { return nil }
      out.append(contentsOf: c)
      if out.count >= maxComponents { break }
    }
    return out.isEmpty ? nil : Array(out.prefix(maxComponents))
  }

  /// The numbers of one output (an array, a Python number, or a tuple/list of them), row-major.
  static func flatten(_ v: Value, into out: inout [Double]) throws(PyError) {
    switch v {
    case .array(let t):
      do { out.append(contentsOf: try t.doubles) } catch { throw PyError(error) }
    case .float(let d): out.append(d)
    case .int(let i): out.append(Double(i))
    case .bool(let b): out.append(b ? 1 : 0)
    case .tuple(let items):
      for item in items where out.count < maxComponents { try flatten(item, into: &out) }
    case .list(let l):
      for item in l.items where out.count < maxComponents { try flatten(item, into: &out) }
    default:
      throw PyError("TypeError", "the function returned a \(v.typeName), not numbers")
    }
  }
}

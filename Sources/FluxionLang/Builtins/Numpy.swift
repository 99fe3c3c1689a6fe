import Fluxion
import Foundation

extension Interpreter {
  /// `numpy`: jax.numpy's functions run NumPy's way (64-bit, eager, results NumPy arrays and
  /// scalars), with `numpy.random` (NumPy's own generators) and `numpy.testing`.
  func makeNumpy() -> PyModule {
    let m = wrapNumpy(makeJaxNumpy(), name: "numpy")
    m.attributes["ndarray"] = .object(npArrayClass)
    for b in [false, true] {
      m.attributes[b ? "True_" : "False_"] = .object(NPArray(Tensor(b), scalar: true))
    }
    m.def("dtype", ["dtype"], required: 1) { i, b throws(PyError) in
      guard let d = try i.numpy({ () throws(PyError) -> DType? in try i.dtype(b[0]) }) else {
        return i.dtypeObject(.float64)
      }
      return i.dtypeObject(d)
    }
    installNumpyReductions(m)
    m.attributes["random"] = .object(makeNumpyRandom())
    m.attributes["testing"] = .object(makeNumpyTesting())
    return m
  }

  /// A module of `jnp`'s functions wrapped as NumPy's: functions that make arrays keep 0-d
  /// results as arrays (`np.array(3.)`), the others give NumPy scalars (`np.sum(x)`).
  private func wrapNumpy(_ jnp: PyModule, name: String) -> PyModule {
    let makers: Set<String> = [
      "array", "asarray", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
      "eye", "identity", "arange", "linspace", "reshape", "ravel", "transpose", "expand_dims", "squeeze",
      "broadcast_to", "swapaxes", "moveaxis", "flip",
    ]
    // Functions that compute in floats: NumPy takes integers (and bools) to float64 first,
    // where JAX would give float32 for 32-bit integers.
    let inexact: Set<String> = [
      "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "cbrt", "sin", "cos", "tan", "arcsin",
      "arccos", "arctan", "sinh", "cosh", "tanh", "arctan2", "logaddexp",
    ]
    // Predicates NumPy answers with a Python bool.
    let predicates: Set<String> = ["allclose", "array_equal"]
    let m = PyModule(name)
    for (key, v) in jnp.attributes {
      switch v {
      case .object(let b as PyBuiltin):
        let w = PyBuiltin("\(name).\(key)") { i, args throws(PyError) in
          var args = args
          if inexact.contains(key.string) {
            args.positional = try args.positional.map { x throws(PyError) in try i.npFloat(x) }
          }
          if let f = npLibm[key.string], args.keywords.isEmpty, args.positional.count == 1,
            let r = try i.npMap(args.positional[0], f)
          {
            return r
          }
          let r = try i.npCall(v, args, scalars: !makers.contains(key.string))
          if predicates.contains(key.string), case .object(let a as NPArray) = r { return try i.scalarValue(a.tensor) }
          return r
        }
        w.attributes = b.attributes
        m.attributes[key] = .object(w)
      case .object(let sub as PyModule):
        m.attributes[key] = .object(wrapNumpy(sub, name: "\(name).\(key)"))
      default:
        m.attributes[key] = v
      }
    }
    return m
  }

  // MARK: - numpy.testing

  private func makeNumpyTesting() -> PyModule {
    let m = PyModule("numpy.testing")
    m.def(
      "assert_allclose", ["actual", "desired", "rtol", "atol", "equal_nan", "err_msg", "verbose", "strict"], required: 2
    ) { i, b throws(PyError) in
      let rtol = try i.doubleArg(b[2], 1e-7)
      let atol = try i.doubleArg(b[3], 0)
      let header =
        "Not equal to tolerance rtol=\(try i.format(.float(rtol), "g")), atol=\(try i.format(.float(atol), "g"))"
      try i.assertArrays(b, header: header, equalNaN: try i.boolArg(b, "equal_nan", true)) { x, y in
        Swift.abs(x - y) <= atol + rtol * Swift.abs(y)
      }
      return .none
    }
    m.def("assert_array_equal", ["actual", "desired", "err_msg", "verbose", "strict"], required: 2) {
      i, b throws(PyError) in
      try i.assertArrays(b, header: "Arrays are not equal", equalNaN: true) { x, y in x == y }
      return .none
    }
    return m
  }

  /// NumPy's `assert_array_compare`: the two arrays, their shapes, NaN positions, then `close`
  /// element by element; the AssertionError's text as NumPy writes it.
  private func assertArrays(
    _ b: BoundArgs, header: String, equalNaN: Bool, _ close: (Double, Double) -> Bool
  ) throws(PyError) {
    let asarray = try importModule("numpy").attribute("asarray")
    guard case .object(let x as NPArray) = try call(asarray, [try b.required(0)]),
      case .object(let y as NPArray) = try call(asarray, [try b.required(1)])
    else { throw PyError.type("could not convert the arguments to arrays") }
    // NumPy puts err_msg and the remarks on lines of their own after the header.
    var message = "\n" + header + "\n"
    if let m = b["err_msg"] { message += try str(m) }
    func fail(_ remarks: String) throws(PyError) -> Never {
      throw PyError(
        "AssertionError",
        message + remarks + "\n ACTUAL: " + (try withPrintPrecision(6) { () throws(PyError) in try repr(.object(x)) })
          + "\n DESIRED: " + (try withPrintPrecision(6) { () throws(PyError) in try repr(.object(y)) }))
    }
    let (xs, ys) = (x.tensor.shape, y.tensor.shape)
    guard xs.isEmpty || ys.isEmpty || xs == ys else {
      try fail("\n(shapes \(shapeText(xs)), \(shapeText(ys)) mismatch)")
    }
    let shape = xs.isEmpty ? ys : xs
    let (xv, yv): ([Double], [Double])
    do throws(FluxionError) { (xv, yv) = (try x.tensor.doubles, try y.tensor.doubles) } catch { throw PyError(error) }
    let n = xv.count == 1 ? yv.count : xv.count
    func at(_ v: [Double], _ k: Int) -> Double { v.count == 1 ? v[0] : v[k] }
    var nanMismatch = false
    var invalid: [Int] = []
    for k in 0..<n {
      let (p, q) = (at(xv, k), at(yv, k))
      if p.isNaN || q.isNaN {
        if !(equalNaN && p.isNaN && q.isNaN) { nanMismatch = true }
        continue
      }
      if p == q { continue }
      if !close(p, q) { invalid.append(k) }
    }
    if nanMismatch { try fail("\nnan location mismatch:") }
    guard !invalid.isEmpty else { return }
    let percent = try format(.float(100 * Double(invalid.count) / Double(Swift.max(n, 1))), ".3g")
    var remarks = ["Mismatched elements: \(invalid.count) / \(n) (\(percent)%)"]
    let common = npResultType(x.tensor.dtype, y.tensor.dtype)
    if !shape.isEmpty {
      var lines: [String] = []
      for k in invalid.prefix(5) {
        var index: [Int] = []
        var rest = k
        for d in shape.reversed() {
          index.insert(rest % d, at: 0)
          rest /= d
        }
        // Elements show as Python scalars of the arrays' common dtype (floats with repr).
        func element(_ v: [Double]) -> String {
          let d = at(v, k)
          if common.isFloatingPoint { return pyFloatRepr(d) }
          let scalar: Fluxion.Scalar = common.isFloatingPoint || common == .bool ? .float(d) : .int(Int64(d))
          return Config.withX64(true) { Tensor(shape: [], scalars: [scalar], dtype: common).description }
        }
        lines.append(
          " [\(index.map(String.init).joined(separator: ", "))]: \(element(xv)) (ACTUAL), \(element(yv)) (DESIRED)")
      }
      let title =
        invalid.count == 1
        ? "Mismatch at index:" : invalid.count <= 5 ? "Mismatch at indices:" : "First 5 mismatches are at indices:"
      remarks.append(title + "\n" + lines.joined(separator: "\n"))
    }
    let (dx, dy) = (x.tensor.dtype, y.tensor.dtype)
    let bothInt = !dx.isFloatingPoint && !dy.isFloatingPoint
    let both32 = dx == .float32 && dy == .float32
    var maxAbs = 0.0
    var maxRel = -Double.infinity
    for k in invalid {
      let (p, q) = (at(xv, k), at(yv, k))
      let e = Swift.abs(p - q)
      maxAbs = Swift.max(maxAbs, e)
      if q != 0 { maxRel = Swift.max(maxRel, e / Swift.abs(q)) }
    }
    func number(_ d: Double, _ dtype: DType) -> String {
      if !d.isFinite { return d.isNaN ? "nan" : d < 0 ? "-inf" : "inf" }
      let text = Config.withX64(true) { Tensor(shape: [1], scalars: [.float(d)], dtype: dtype).description }
      return String(text.dropFirst().dropLast())
    }
    remarks.append(
      "Max absolute difference among violations: "
        + (bothInt ? String(Int(maxAbs)) : number(maxAbs, both32 ? .float32 : .float64)))
    remarks.append(
      "Max relative difference among violations: "
        + (maxRel == -.infinity ? "inf" : number(maxRel, both32 ? .float32 : .float64)))
    try fail("\n" + remarks.joined(separator: "\n"))
  }
}

/// Functions whose float64 values the C library gives as NumPy does more often than the
/// engine's kernels (measured on NumPy 2.4: log2, log10 and exp2 differ in about a fifth to
/// a half of the last bits with the engine's XLA formulas, in none or few with these).
let npLibm: [String: @Sendable (Double) -> Double] = [
  "sin": Foundation.sin, "cos": Foundation.cos, "log": Foundation.log, "arctan": Foundation.atan,
  "arccos": Foundation.acos, "log2": Foundation.log2, "log10": Foundation.log10, "exp2": Foundation.exp2,
]

/// NumPy's promotion of two array dtypes (for Fluxion's dtypes): an integer of 32 bits or
/// more with float32 gives float64, mixed signedness the next wider (or float64 for uint64).
func npResultType(_ a: DType, _ b: DType) -> DType {
  if a == b { return a }
  if a == .bool { return b }
  if b == .bool { return a }
  if a.isFloatingPoint && b.isFloatingPoint { return .float64 }
  if a.isFloatingPoint || b.isFloatingPoint {
    let (f, i) = a.isFloatingPoint ? (a, b) : (b, a)
    return f == .float32 && i.size < 4 ? .float32 : .float64
  }
  let signed = [DType.int32, .int64]
  if signed.contains(a) == signed.contains(b) { return a.size >= b.size ? a : b }
  let (s, u) = signed.contains(a) ? (a, b) : (b, a)
  if u == .uint64 { return .float64 }
  return s.size > u.size ? s : .int64
}

extension Value {
  /// A module's attribute (for the libraries' own use of one another).
  func attribute(_ name: String) throws(PyError) -> Value {
    guard case .object(let m as PyModule) = self, let v = m.attributes[name] else {
      throw PyError.attribute("no attribute '\(name)'")
    }
    return v
  }
}

// MARK: - sums as NumPy adds

extension Interpreter {
  /// `sum`, `mean`, `var` and `std` of float64 data over all axes or one: NumPy's order of
  /// additions (pairwise along the last axis, in order along the others), so that the NumPy
  /// scalars they give print NumPy's digits. Other cases go to the jnp layer.
  fileprivate func installNumpyReductions(_ m: PyModule) {
    for name in ["sum", "mean", "var", "std"] {
      guard let fallback = m.attributes[name] else { continue }
      let params = ["a", "axis", "dtype", "out", "keepdims", "ddof"]
      m.attributes[name] = .builtin("numpy.\(name)") { i, args throws(PyError) in
        let b = try i.bind(name, args, params + ["initial", "where", "correction"], required: 1)
        let a = try i.call(try i.importModule("numpy").attribute("asarray"), [try b.required(0)])
        guard case .object(let x as NPArray) = a, x.tensor.dtype == .float64, b[2] == nil, b[3] == nil,
          b[6] == nil, b[7] == nil, b[8] == nil, name != "sum" || b[5] == nil
        else { return try i.call(fallback, args) }
        let axis = try i.axisArg(b[1])
        let ddof = try b[5].map { v throws(PyError) in try i.int(v, "ddof") } ?? 0
        let r = try i.npReduce(x.tensor, axis: axis, name, ddof: ddof)
        let keep = try i.boolArg(b, "keepdims")
        var shape = r.shape
        if keep {
          shape = x.tensor.shape
          if let axis { shape[axis < 0 ? axis + shape.count : axis] = 1 } else { shape = shape.map { _ in 1 } }
        }
        let t = Config.withX64(true) { Tensor(shape: shape, scalars: r.values.map { .float($0) }, dtype: .float64) }
        return .object(NPArray(t, scalar: true))
      }
    }
  }

  private func npReduce(_ t: Tensor, axis: Int?, _ name: String, ddof: Int) throws(PyError) -> (
    shape: [Int], values: [Double]
  ) {
    let values: [Double]
    do throws(FluxionError) { values = try t.doubles } catch { throw PyError(error) }
    var shape = t.shape
    var k = shape.count - 1
    if let axis {
      guard axis >= -shape.count && axis < shape.count else {
        throw PyError.value("axis \(axis) is out of bounds for array of dimension \(shape.count)")
      }
      k = axis < 0 ? axis + shape.count : axis
    } else {
      shape = [values.count]
      k = 0
    }
    let n = shape.isEmpty ? 1 : shape[k]
    let inner = shape.isEmpty ? 1 : shape[(k + 1)...].reduce(1, *)
    let outer = shape.isEmpty ? 1 : shape[..<k].reduce(1, *)
    func sums(_ v: [Double]) -> [Double] {
      var out: [Double] = []
      for o in 0..<outer {
        for j in 0..<inner {
          if inner == 1 {
            out.append(pairwiseSum(v, from: o * n, count: n))
          } else {
            var s = 0.0
            for r in 0..<n { s += v[(o * n + r) * inner + j] }
            out.append(s)
          }
        }
      }
      return out
    }
    var resultShape = shape
    if !resultShape.isEmpty { resultShape.remove(at: k) }
    if axis == nil { resultShape = [] }
    let total = sums(values)
    if name == "sum" { return (resultShape, total) }
    let means = total.map { $0 / Double(n) }
    if name == "mean" { return (resultShape, means) }
    var squares = values
    for o in 0..<outer {
      for r in 0..<n {
        for j in 0..<inner {
          let idx = (o * n + r) * inner + j
          let d = values[idx] - means[o * inner + j]
          squares[idx] = d * d
        }
      }
    }
    let variances = sums(squares).map { $0 / Double(Swift.max(n - ddof, 0)) }
    return (resultShape, name == "var" ? variances : variances.map { $0.squareRoot() })
  }
}

/// NumPy's pairwise summation of `count` doubles from `start`: blocks of up to 128 summed with
/// eight accumulators, larger runs split in two at a multiple of eight.
func pairwiseSum(_ v: [Double], from start: Int, count n: Int) -> Double {
  if n < 8 {
    var r = 0.0
    for i in 0..<n { r += v[start + i] }
    return r
  }
  if n <= 128 {
    var r = Array(v[start..<(start + 8)])
    var i = 8
    while i < n - n % 8 {
      for j in 0..<8 { r[j] += v[start + i + j] }
      i += 8
    }
    var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n {
      res += v[start + i]
      i += 1
    }
    return res
  }
  var half = n / 2
  half -= half % 8
  return pairwiseSum(v, from: start, count: half) + pairwiseSum(v, from: start + half, count: n - half)
}

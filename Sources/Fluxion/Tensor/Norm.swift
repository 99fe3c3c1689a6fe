import FluxionBackend

extension Linalg {
  /// Vector and matrix norms (jnp.linalg.norm), composed as JAX composes them so their
  /// derivatives are JAX's (the 2-norm's gradient at 0 is NaN; the ∞-norm's splits ties).
  ///
  /// - One axis (or a 1-d array): `ord` nil or 2 is the Euclidean norm, 1 the sum of |x|,
  ///   `.infinity` / `-.infinity` the largest / smallest |x|, 0 the count of nonzeros, any other
  ///   p (Σ|x|ᵖ)^(1/p).
  /// - Two axes (or a 2-d array): nil the Frobenius norm, 1 / −1 the largest / smallest column
  ///   sum of |x|, `.infinity` / `-.infinity` the same over rows, 2 / −2 the largest / smallest
  ///   singular value (the spectral norms).
  /// - No axes and no `ord`: the 2-norm of all elements, whatever the rank.
  ///
  /// ```swift
  /// Linalg.norm(Tensor([3.0, -4.0]))                  // 5.0
  /// Linalg.norm(m, ord: .infinity)                   // max row sum
  /// Linalg.norm(m, axis: 1, keepDims: true)          // row norms, shape [n, 1]
  /// ```
  public static func norm(_ x: Tensor, ord: Double? = nil, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    norm(x, order: ord.map(Order.p), axes: axes, keepDims: keepDims)
  }

  /// The norm over one axis (a vector norm).
  public static func norm(_ x: Tensor, ord: Double? = nil, axis: Int, keepDims: Bool = false) -> Tensor {
    norm(x, order: ord.map(Order.p), axes: [axis], keepDims: keepDims)
  }

  /// A norm named by a string, as NumPy names them: "fro" (or "f") is the Frobenius norm and
  /// "nuc" the nuclear norm (the sum of the singular values); both are matrix norms.
  public static func norm(_ x: Tensor, ord: String, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    norm(x, order: .named(ord), axes: axes, keepDims: keepDims)
  }

  enum Order {
    case p(Double)
    case named(String)

    /// As Python prints the argument in JAX's messages: `3`, `0.5`, `fro`.
    var text: String {
      switch self {
      case .named(let s): return s
      case .p(let v):
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), Swift.abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
      }
    }
  }

  static func norm(_ input: Tensor, order: Order?, axes: [Int]?, keepDims: Bool) -> Tensor {
    if let e = input.error { return Tensor(failed: e) }
    let x = inexact(input)
    guard let axes else {
      if order == nil { return sqrt((x * x).sum(keepDims: keepDims)) }
      return norm(x, order: order, axes: Array(0..<x.rank), keepDims: keepDims)
    }
    var dims: [Int] = []
    for a in axes {
      guard let n = normalizeAxis(a, x.rank) else { return axisError(a, x.rank) }
      dims.append(n)
    }
    switch dims.count {
    case 1: return vectorNorm(x, order ?? .p(2), dims[0], keepDims)
    case 2:
      if dims[0] == dims[1] { return Tensor(failed: .valueError("duplicate value in 'axis': \(pyTuple(dims))")) }
      return matrixNorm(x, order, dims[0], dims[1], keepDims)
    default:
      return Tensor(
        failed: .valueError(
          "Improper number of axes for norm: axis=\(pyTuple(dims)). Pass one axis to compute a vector-norm, or two axes to compute a matrix-norm."
        ))
    }
  }

  static func vectorNorm(_ x: Tensor, _ order: Order, _ axis: Int, _ keepDims: Bool) -> Tensor {
    guard case .p(let p) = order else {
      var message = "Invalid order '\(order.text)' for vector norm."
      if order.text == "inf" { message += "Use 'jax.numpy.inf' instead." }
      if order.text == "-inf" { message += "Use '-jax.numpy.inf' instead." }
      return Tensor(failed: .valueError(message))
    }
    switch p {
    case 2: return sqrt((x * x).sum(axes: [axis], keepDims: keepDims))
    case .infinity: return maxFromZero(abs(x), axis, keepDims)
    case -.infinity: return abs(x).min(axes: [axis], keepDims: keepDims)
    case 0: return (x .!= 0).astype(x.dtype).sum(axes: [axis], keepDims: keepDims)
    case 1: return abs(x).sum(axes: [axis], keepDims: keepDims)
    default:
      // JAX makes p and 1/p constants of x's dtype, 1/p divided in that dtype.
      let inverse = x.dtype == .float32 ? Double(1 / Float(p)) : 1 / p
      let total = pow(abs(x), Tensor(p, dtype: x.dtype)).sum(axes: [axis], keepDims: keepDims)
      return pow(total, Tensor(inverse, dtype: x.dtype))
    }
  }

  static func matrixNorm(_ x: Tensor, _ order: Order?, _ row: Int, _ col: Int, _ keepDims: Bool) -> Tensor {
    // The second reduction's axis, once the first one's axis is gone.
    func after(_ first: Int, _ second: Int) -> Int { !keepDims && second > first ? second - 1 : second }
    switch order {
    case nil, .named("fro"), .named("f"): return sqrt((x * x).sum(axes: [row, col], keepDims: keepDims))
    case .p(1): return maxFromZero(abs(x).sum(axes: [row], keepDims: keepDims), after(row, col), keepDims)
    case .p(-1): return abs(x).sum(axes: [row], keepDims: keepDims).min(axes: [after(row, col)], keepDims: keepDims)
    case .p(.infinity): return maxFromZero(abs(x).sum(axes: [col], keepDims: keepDims), after(col, row), keepDims)
    case .p(-.infinity):
      return abs(x).sum(axes: [col], keepDims: keepDims).min(axes: [after(col, row)], keepDims: keepDims)
    case .named("nuc"), .p(2), .p(-2):
      // The singular values of the matrices over (row, col), moved last.
      let rest = (0..<x.rank).filter { $0 != row && $0 != col }
      let s = singularValues(transpose(x, rest + [row, col]))
      let last = s.rank - 1
      let y: Tensor
      switch order {
      case .p(2): y = maxFromZero(s, last, false)
      case .p(-2): y = s.min(axes: [last])
      default: y = s.sum(axis: last)
      }
      return keepDims ? restoreAxes(y, x.shape, [row, col]) : y
    case let order?:
      return Tensor(failed: .valueError("Invalid order '\(order.text)' for matrix norm."))
    }
  }

  /// jnp.max with `initial=0` over one axis: `max(0, reduce_max(x))`, so an empty axis gives 0
  /// and, at an all-zero input, the derivative is shared with the initial value as JAX shares it.
  static func maxFromZero(_ x: Tensor, _ axis: Int, _ keepDims: Bool) -> Tensor {
    let r = maximum(Tensor(0.0, dtype: x.dtype), bind1(ReducePrimitive(op: .max, axes: [axis]), [x]))
    return keepDims ? restoreAxes(r, x.shape, [axis]) : r
  }
}

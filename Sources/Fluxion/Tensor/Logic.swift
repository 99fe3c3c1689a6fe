import FluxionBackend

/// The reduction of `x`'s truth values (nonzero is true) over `axes` by or / and.
func logicalReduce(or isOr: Bool, _ x: Tensor, _ axes: [Int]?, _ keepDims: Bool) -> Tensor {
  overAxes(x, axes) { dims in
    let truth = x.dtype == .bool ? x : convertElementType(x, .bool)
    if dims.isEmpty { return truth }
    let y = bind1(ReduceLogicalPrimitive(isOr: isOr, axes: dims), [truth])
    return keepDims ? restoreAxes(y, x.shape, dims) : y
  }
}

/// Whether any element over `axes` (all by default) is nonzero (jnp.any): a bool array;
/// an empty reduction is false.
public func any(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
  logicalReduce(or: true, x, axes, keepDims)
}
public func any(_ x: Tensor, axis: Int, keepDims: Bool = false) -> Tensor {
  logicalReduce(or: true, x, [axis], keepDims)
}

/// Whether every element over `axes` (all by default) is nonzero (jnp.all): a bool array;
/// an empty reduction is true.
public func all(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
  logicalReduce(or: false, x, axes, keepDims)
}
public func all(_ x: Tensor, axis: Int, keepDims: Bool = false) -> Tensor {
  logicalReduce(or: false, x, [axis], keepDims)
}

extension Tensor {
  /// Whether any element over `axes` is nonzero (jnp.any).
  public func any(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    logicalReduce(or: true, self, axes, keepDims)
  }
  public func any(axis: Int, keepDims: Bool = false) -> Tensor { logicalReduce(or: true, self, [axis], keepDims) }
  /// Whether every element over `axes` is nonzero (jnp.all).
  public func all(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    logicalReduce(or: false, self, axes, keepDims)
  }
  public func all(axis: Int, keepDims: Bool = false) -> Tensor { logicalReduce(or: false, self, [axis], keepDims) }
}

/// Elementwise `|a − b| ≤ atol + rtol·|b|` (jnp.isclose), computed in floats after promotion:
/// equal values (infinities of one sign included) are close; NaN is close to NaN only with
/// `equalNaN`. The result is a bool array of the broadcast shape.
///
/// ```swift
/// isclose(Tensor([1.0, 2.0]), 1.000001)   // [true, false]
/// ```
public func isclose(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-05, atol: Double = 1e-08, equalNaN: Bool = false)
  -> Tensor
{
  // JAX's first broadcasting operation is `and` (of isnan(a) and isnan(b)).
  switch promoteInexact("and", [a, b]) {
  case .failure(let e): return Tensor(failed: e)
  case .success(let xs):
    let (x, y) = (xs[0], xs[1])
    let bothNaN = isNaN(x) .&& isNaN(y)
    let bound = Tensor(atol, dtype: x.dtype) + Tensor(rtol, dtype: x.dtype) * abs(y)
    let close = (x .== y) .|| (isFinite(y) .&& (abs(x - y) .<= bound))
    return equalNaN ? close .|| bothNaN : close
  }
}

/// Whether every element of `a` is close to `b` (jnp.allclose: `all(isclose(a, b, …))`), as a
/// bool scalar tensor; `try allclose(a, b).item() != 0` reads it.
public func allclose(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-05, atol: Double = 1e-08, equalNaN: Bool = false)
  -> Tensor
{
  all(isclose(a, b, rtol: rtol, atol: atol, equalNaN: equalNaN))
}

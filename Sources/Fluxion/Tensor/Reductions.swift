import FluxionBackend

/// Normalised, sorted axes (all when nil), or an error tensor.
func reductionAxes(_ axes: [Int]?, _ rank: Int) -> Result<[Int], FluxionError> {
  guard let axes else { return .success(Array(0..<rank)) }
  var out: [Int] = []
  for a in axes {
    guard let n = normalizeAxis(a, rank) else {
      return .failure(FluxionError(.axisOutOfBounds(axis: a, rank: rank)))
    }
    if out.contains(n) { return .failure(.valueError("duplicate value in 'axis': \(pyTuple(axes))")) }
    out.append(n)
  }
  return .success(out.sorted())
}

/// `body` of `x`'s normalised, sorted reduction axes (all when nil), or the error of bad axes
/// (or of `x` itself).
func overAxes(_ x: Tensor, _ axes: [Int]?, _ body: ([Int]) -> Tensor) -> Tensor {
  if let e = x.error { return Tensor(failed: e) }
  switch reductionAxes(axes, x.rank) {
  case .failure(let e): return Tensor(failed: e)
  case .success(let dims): return body(dims)
  }
}

/// A reduced `y` with its reduced `axes` back as size-1 axes (lax.expand_dims, as jnp's `keepdims`).
func restoreAxes(_ y: Tensor, _ shape: [Int], _ axes: [Int]) -> Tensor {
  if axes.isEmpty { return y }
  let kept = (0..<shape.count).filter { !axes.contains($0) }
  let out = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
  return broadcastInDim(y, shape: out, dims: kept)
}

/// lax reduce_sum over normalised axes.
func reduceSum(_ x: Tensor, axes: [Int]) -> Tensor {
  axes.isEmpty ? x : bind1(ReducePrimitive(op: .sum, axes: axes), [x])
}

func reduce(_ op: ReduceOp, _ x: Tensor, _ axes: [Int]?, _ keepDims: Bool) -> Tensor {
  switch reductionAxes(axes, x.rank) {
  case .failure(let e): return Tensor(failed: e)
  case .success(let ax):
    var input = x
    if op == .sum || op == .prod {
      // Sums of bools and small ints accumulate in the default int type, as jnp.sum does.
      if x.dtype == .bool || x.dtype == .int32 && Config.defaultInt == .int64 {
        input = convertElementType(x, Config.defaultInt, weakType: false)
      }
    }
    if ax.isEmpty && op != .argmax && op != .argmin { return input }
    if (op == .max || op == .min) && ax.contains(where: { x.shape[$0] == 0 }) {
      return Tensor(
        failed: .valueError(
          "zero-size array to reduction operation \(op == .max ? "max" : "min") which has no identity"))
    }
    let y = bind1(ReducePrimitive(op: op, axes: ax), [input])
    return keepDims ? restoreAxes(y, x.shape, ax) : y
  }
}

extension Tensor {
  /// Sum over `axes` (all by default).
  public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { reduce(.sum, self, axes, keepDims) }
  public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }
  public func prod(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { reduce(.prod, self, axes, keepDims) }
  public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { reduce(.max, self, axes, keepDims) }
  public func max(axis: Int, keepDims: Bool = false) -> Tensor { max(axes: [axis], keepDims: keepDims) }
  public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { reduce(.min, self, axes, keepDims) }
  public func min(axis: Int, keepDims: Bool = false) -> Tensor { min(axes: [axis], keepDims: keepDims) }

  /// Index of the largest element along `axis` (of the flattened array when nil); first wins ties.
  public func argmax(axis: Int? = nil, keepDims: Bool = false) -> Tensor { argReduce(.argmax, axis, keepDims) }
  public func argmin(axis: Int? = nil, keepDims: Bool = false) -> Tensor { argReduce(.argmin, axis, keepDims) }

  func argReduce(_ op: ReduceOp, _ axis: Int?, _ keepDims: Bool) -> Tensor {
    guard let axis else {
      let flat = reshape(self, [count])
      let y = reduce(op, flat, [0], false)
      return keepDims ? reshape(y, shape.map { _ in 1 }) : y
    }
    return reduce(op, self, [axis], keepDims)
  }

  /// Mean over `axes`; integers are averaged as floats.
  public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
    switch reductionAxes(axes, rank) {
    case .failure(let e): return Tensor(failed: e)
    case .success(let ax):
      let n = ax.reduce(1) { $0 * shape[$1] }
      let s = inexact(self).sum(axes: ax, keepDims: keepDims)
      return s / Tensor.weak(Double(n))
    }
  }
  public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

  /// Variance over `axes` with `ddof` delta degrees of freedom.
  public func variance(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) -> Tensor {
    switch reductionAxes(axes, rank) {
    case .failure(let e): return Tensor(failed: e)
    case .success(let ax):
      let x = inexact(self)
      let centered = x - x.mean(axes: ax, keepDims: true)
      let n = ax.reduce(1) { $0 * shape[$1] }
      // JAX passes ddof to a jitted function as a weak int of the default width.
      if Config.defaultInt == .int32 && Int32(exactly: ddof) == nil {
        return Tensor(
          failed: FluxionError(
            .overflowError,
            "An overflow was encountered while parsing an argument to a jitted computation, whose argument path is correction. Got <class 'int'> with value \(ddof)"
          ))
      }
      return (centered * centered).sum(axes: ax, keepDims: keepDims) / Tensor.weak(Double(n) - Double(ddof))
    }
  }

  /// Standard deviation.
  public func std(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) -> Tensor {
    sqrt(variance(axes: axes, ddof: ddof, keepDims: keepDims))
  }

  /// Running sum along `axis` (of the flattened array when nil).
  public func cumsum(axis: Int? = nil) -> Tensor {
    let x = axis == nil ? reshape(self, [count]) : self
    guard let a = normalizeAxis(axis ?? 0, x.rank) else { return axisError(axis ?? 0, x.rank) }
    let input = x.dtype == .bool ? convertElementType(x, Config.defaultInt) : x
    return bind1(CumsumPrimitive(axis: a, reverse: false), [input])
  }
}

/// Sum of all elements (or over axes) as a free function.
public func sum(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
  x.sum(axes: axes, keepDims: keepDims)
}
public func mean(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
  x.mean(axes: axes, keepDims: keepDims)
}

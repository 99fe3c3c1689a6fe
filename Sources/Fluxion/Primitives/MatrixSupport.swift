import FluxionBackend

// Shared by the matrix primitives (lu, triangular_solve, linear_solve, cholesky, eigh, svd, qr):
// each works on the trailing two axes and maps over any leading ones.

/// Checks a matrix operand `[batch..., m, n]` of a float dtype (square if `square`).
func checkMatrixOperand(_ name: String, _ a: ShapedArray, square: Bool) throws(FluxionError) {
  guard a.dtype.isFloatingPoint else {
    throw .typeError("\(name) requires a floating-point operand, got \(a.dtype)")
  }
  guard a.rank >= 2 else {
    throw .valueError("\(name) requires an operand of rank at least 2, got shape \(pyShape(a.shape))")
  }
  if square && a.shape[a.rank - 1] != a.shape[a.rank - 2] {
    throw .valueError("\(name) requires square matrices, got shape \(pyShape(a.shape))")
  }
  try checkLAPACKSize(name, a.shape[a.rank - 2], a.shape[a.rank - 1])
}

/// LAPACK indexes a matrix with 32-bit integers: a larger one is refused, not truncated.
func checkLAPACKSize(_ name: String, _ m: Int, _ n: Int) throws(FluxionError) {
  let (count, overflow) = m.multipliedReportingOverflow(by: n)
  if overflow || count > Int(Int32.max) {
    throw FluxionError(
      .resourceExhausted, "RESOURCE_EXHAUSTED: \(name): a \(m)×\(n) matrix is beyond LAPACK's 32-bit sizes")
  }
}

/// The result aval of a matrix primitive: `shape`, the operand's dtype, never weak.
func matrixAval(_ shape: [Int], _ dtype: DType) -> ShapedArray {
  ShapedArray(shape: shape, dtype: dtype, weakType: false)
}

/// The batching rule of the matrix primitives: every operand's batch axis moved to the front
/// (an unbatched operand broadcast), then the same primitive over one more leading axis.
func batchMatrixPrimitive(_ p: any Primitive, _ args: [Tensor], _ dims: [Int?], axisSize: Int) -> (
  [Tensor], [Int?]
) {
  let xs = zip(args, dims).map { moveBatchAxis($0, from: $1, to: 0, size: axisSize) }
  let outs = bind(p, xs)
  return (outs, outs.map { _ in 0 })
}

/// The error of a failed operand, or of one below rank 2 (the helpers below read its last two
/// sides): a tangent or an intermediate result can be either.
func matrixError(_ x: Tensor) -> FluxionError? {
  if let e = x.error { return e }
  return x.rank >= 2 ? nil : .valueError("expected a matrix (rank at least 2), got shape \(pyShape(x.shape))")
}

/// The last two axes swapped (JAX's `_T`, and `_H` for real matrices).
func matrixTranspose(_ x: Tensor) -> Tensor {
  if let e = matrixError(x) { return Tensor(failed: e) }
  let r = x.rank
  return transpose(x, Array(0..<(r - 2)) + [r - 1, r - 2])
}

/// The trailing matrices with the entries outside the triangle zeroed: with `lower`, those
/// on or below diagonal `k` are kept (jnp.tril), otherwise those on or above it (jnp.triu).
func matrixTriangle(_ x: Tensor, lower: Bool, k: Int = 0) -> Tensor {
  if let e = matrixError(x) { return Tensor(failed: e) }
  let (m, n) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
  let rows = iota(.int32, [m, n], dimension: 0) + Tensor(k, dtype: .int32)
  let columns = iota(.int32, [m, n], dimension: 1)
  let mask = lower ? columns .<= rows : rows .<= columns
  return select(broadcastTo(mask, x.shape), x, zerosLike(x.aval))
}

/// Where row and column are equal, over the trailing `[m, n]` of `shape`.
func diagonalMask(_ shape: [Int]) -> Tensor {
  let (m, n) = (shape[shape.count - 2], shape[shape.count - 1])
  return broadcastTo(iota(.int32, [m, n], dimension: 0) .== iota(.int32, [m, n], dimension: 1), shape)
}

/// The diagonal of each trailing matrix: `[..., m, n]` → `[..., min(m, n)]`.
func matrixDiagonal(_ x: Tensor) -> Tensor {
  if let e = matrixError(x) { return Tensor(failed: e) }
  let r = x.rank
  let k = Swift.min(x.shape[r - 2], x.shape[r - 1])
  let square = slice(x, start: Array(repeating: 0, count: r), limit: Array(x.shape.dropLast(2)) + [k, k])
  return select(diagonalMask(square.shape), square, zerosLike(square.aval)).sum(axis: r - 1)
}

/// The trace of each trailing matrix.
func matrixTrace(_ x: Tensor) -> Tensor {
  let d = matrixDiagonal(x)
  return d.error == nil ? d.sum(axis: d.rank - 1) : d
}

/// Diagonal matrices from the vectors on the last axis: `[..., k]` → `[..., k, k]`.
func diagonalMatrices(_ v: Tensor) -> Tensor {
  if let e = v.error { return Tensor(failed: e) }
  if v.rank == 0 { return Tensor(failed: .valueError("expected a vector (rank at least 1), got a scalar")) }
  let k = v.shape.last ?? 0
  let shape = v.shape + [k]
  return select(diagonalMask(shape), broadcastTo(expandDims(v, v.rank - 1), shape), zeros(shape, dtype: v.dtype))
}

/// The identity matrix of `x`'s trailing size and dtype, broadcastable against `x`.
func identityLike(_ x: Tensor) -> Tensor {
  if let e = matrixError(x) { return Tensor(failed: e) }
  return eye(x.shape[x.rank - 1], dtype: x.dtype)
}

/// (x + xᵀ) / 2 (JAX's symmetrize).
func symmetrize(_ x: Tensor) -> Tensor { (x + matrixTranspose(x)) / Tensor.weak(2.0) }

/// A tangent rule that JAX itself does not define: the error, in place of the tangent.
func notDifferentiable(_ message: String) -> Tensor { Tensor(failed: FluxionError(.notImplementedError, message)) }

/// Rows (`rows`) or columns of the trailing matrices, in `range`.
func matrixSlice(_ x: Tensor, rows: Bool, _ range: Range<Int>) -> Tensor {
  if let e = matrixError(x) { return Tensor(failed: e) }
  let axis = x.rank - (rows ? 2 : 1)
  var start = Array(repeating: 0, count: x.rank), limit = x.shape
  start[axis] = range.lowerBound
  limit[axis] = range.upperBound
  return slice(x, start: start, limit: limit)
}

/// The rows of each trailing matrix reordered: row i is row `permutation[..., i]` (x[..., p, :]).
func permuteMatrixRows(_ x: Tensor, _ permutation: Tensor) -> Tensor {
  if let e = matrixError(x) ?? permutation.error { return Tensor(failed: e) }
  let indices = broadcastTo(expandDims(permutation, permutation.rank), x.shape)
  return takeAlongAxis(x, indices, axis: x.rank - 2)
}

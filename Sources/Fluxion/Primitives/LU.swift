import FluxionBackend

/// lu: LU factorisation with partial pivoting (getrf) of `[batch..., m, n]`: the packed
/// factors, the 0-based row swaps (int32 `[batch..., min(m, n)]`) and the permutation they
/// make (int32 `[batch..., m]`), as lax.linalg.lu.
///
struct LUPrimitive: Primitive {
  var name: String { "lu" }
  var outputCount: Int { 3 }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let a = inputs[0]
    try checkMatrixOperand("lu", a, square: false)
    let batch = Array(a.shape.dropLast(2)), m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    return [
      matrixAval(a.shape, a.dtype), matrixAval(batch + [Swift.min(m, n)], .int32), matrixAval(batch + [m], .int32),
    ]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let r = Linalg.lu(inputs[0])
    return [r.lu, r.pivots, r.permutation]
  }

  /// JAX's rule (De Hoog, Anderssen and Lukas): with L (unit lower, m×m) and U (upper, n×n,
  /// padded with an identity) from the factors and X = L⁻¹·P·dA·U⁻¹, dL = L·tril(X, −1) and
  /// dU = triu(X)·U, packed as the factors are. The pivots have no tangent.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let outs = bind(self, primals)
    guard let da = tangents[0] else { return (outs, [nil, nil, nil]) }
    let lu = outs[0]
    let r = lu.rank
    let m = lu.shape[r - 2], n = lu.shape[r - 1], k = Swift.min(m, n)
    let none = Array(repeating: (0, 0), count: r - 2)
    let lower = pad(
      matrixTriangle(matrixSlice(lu, rows: false, 0..<k), lower: true, k: -1), none + [(0, 0), (0, m - k)])
    let l = lower + eye(m, dtype: lu.dtype)
    let upper = pad(matrixTriangle(matrixSlice(lu, rows: true, 0..<k), lower: false), none + [(0, n - k), (0, 0)])
    let u = upper + pad(eye(n - k, dtype: lu.dtype), [(k, 0), (k, 0)])
    let la = triangularSolve(l, permuteMatrixRows(da, outs[2]), leftSide: true, lower: true, unitDiagonal: true)
    let lau = triangularSolve(u, la, leftSide: false, lower: false)
    let dlu = matmul(l, matrixTriangle(lau, lower: true, k: -1)) + matmul(matrixTriangle(lau, lower: false), u)
    return (outs, [dlu, nil, nil])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

/// The LU factorisation of `a` (`[batch..., m, n]`): packed factors, pivots, permutation.
func luDecomposition(_ a: Tensor) -> (lu: Tensor, pivots: Tensor, permutation: Tensor) {
  let outs = bind(LUPrimitive(), [a])
  return (outs[0], outs[1], outs[2])
}

import FluxionBackend

/// cholesky: the lower Cholesky factor L of each `[batch..., n, n]` matrix (potrf, reading its
/// lower triangle), zero above the diagonal; all NaNs for a matrix that is not positive
/// definite, as JAX on CPU.
struct CholeskyPrimitive: Primitive {
  var name: String { "cholesky" }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkMatrixOperand("cholesky", inputs[0], square: true)
    return [matrixAval(inputs[0].shape, inputs[0].dtype)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Linalg.cholesky(inputs[0])] }

  /// JAX's rule (arXiv:1602.07527): dL = L·Φ(L⁻¹·dA·L⁻ᵀ), Φ taking the lower triangle with
  /// its diagonal halved.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let l = bind1(self, primals)
    guard let da = tangents[0] else { return ([l], [nil]) }
    let right = triangularSolve(l, da, leftSide: false, lower: true, transposeA: true)
    let inner = triangularSolve(l, right, leftSide: true, lower: true)
    let phi = matrixTriangle(inner, lower: true) / (Tensor.weak(1.0) + identityLike(inner))
    return ([l], [matmul(l, phi)])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

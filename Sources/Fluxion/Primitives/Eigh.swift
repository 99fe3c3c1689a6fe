import FluxionBackend

/// eigh: eigenvectors (columns, `[batch..., n, n]`) and ascending eigenvalues
/// (`[batch..., n]`) of symmetric matrices, from their `lower` (or upper) triangle (syevd).
struct EighPrimitive: Primitive {
  var lower = true

  var name: String { "eigh" }
  var outputCount: Int { 2 }
  var params: [(String, Param)] {
    [("algorithm", .none), ("lower", .bool(lower)), ("sort_eigenvalues", .bool(true)), ("subset_by_index", .none)]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let a = inputs[0]
    try checkMatrixOperand("eigh", a, square: true)
    return [matrixAval(a.shape, a.dtype), matrixAval(Array(a.shape.dropLast()), a.dtype)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let r = Linalg.eigh(inputs[0], lower: lower)
    return [r.vectors, r.values]
  }

  /// JAX's rule (non-degenerate perturbation theory), on the symmetrised operand:
  /// dV = V·(F ∘ VᵀdAV), dw = diag(VᵀdAV), F_ij = 1/(w_j − w_i) off the diagonal, 0 on it.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let outs = bind(self, [symmetrize(primals[0])])
    guard let da = tangents[0] else { return (outs, [nil, nil]) }
    let (v, w) = (outs[0], outs[1])
    let identity = identityLike(v)
    let f = (identity + expandDims(w, w.rank - 1) - expandDims(w, w.rank)).pow(-1) - identity
    let projected = matmul(matmul(matrixTranspose(v), da), v)
    return (outs, [matmul(v, f * projected), matrixDiagonal(projected)])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

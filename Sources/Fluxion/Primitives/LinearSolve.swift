import FluxionBackend

/// linear_solve: X with A·X = B (or Aᵀ·X = B if `transposeA`), A square `[batch..., n, n]`,
/// B `[batch..., n, k]`, by LU (getrf, then trsm). Linear in B; its derivative in A is JAX's rule
/// for custom_linear_solve: dX = A⁻¹(dB − dA·X). A singular A gives infinities and NaNs.
struct LinearSolvePrimitive: Primitive {
  var transposeA = false

  var name: String { "linear_solve" }
  var params: [(String, Param)] { [("transpose_a", .bool(transposeA))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let (a, b) = (inputs[0], inputs[1])
    try checkMatrixOperand("linear_solve", a, square: true)
    try sameDtypes("linear_solve", inputs)
    guard b.rank == a.rank, b.shape.dropLast(2) == a.shape.dropLast(2), b.shape[b.rank - 2] == a.shape[a.rank - 1]
    else {
      throw .typeError("linear_solve: incompatible shapes for a \(pyShape(a.shape)) and b \(pyShape(b.shape))")
    }
    return [matrixAval(b.shape, b.dtype)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Linalg.solve(inputs[0], inputs[1], transpose: transposeA)] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (a, b) = (primals[0], primals[1])
    let x = bind1(self, [a, b])
    let fromA = tangents[0].map { -matmul(transposeA ? matrixTranspose($0) : $0, x) }
    let rhs = addTangents(tangents[1], fromA)
    return ([x], [rhs.map { bind1(self, [a, $0]) }])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let a = args[0], args[1] == nil else {
      throw .valueError("linear_solve is linear in b only; its matrix a must be a constant")
    }
    guard let ct = cts[0] else { return [nil, nil] }
    return [nil, bind1(LinearSolvePrimitive(transposeA: !transposeA), [a, ct])]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

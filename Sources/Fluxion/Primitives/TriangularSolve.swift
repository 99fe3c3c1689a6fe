import FluxionBackend

/// triangular_solve: X with op(A)·X = B (`leftSide`) or X·op(A) = B, for A triangular
/// (`lower` or upper; only that triangle is read, and not its diagonal if `unitDiagonal`),
/// op(A) = Aᵀ if `transposeA`. A `[batch..., s, s]`, B `[batch..., m, n]` (trsm).
/// Linear in B.
struct TriangularSolvePrimitive: Primitive {
  var leftSide = false
  var lower = false
  var transposeA = false
  var unitDiagonal = false

  var name: String { "triangular_solve" }
  var params: [(String, Param)] {
    [
      ("conjugate_a", .bool(false)), ("left_side", .bool(leftSide)), ("lower", .bool(lower)),
      ("transpose_a", .bool(transposeA)), ("unit_diagonal", .bool(unitDiagonal)),
    ]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let (a, b) = (inputs[0], inputs[1])
    try checkMatrixOperand("triangular_solve", a, square: true)
    try sameDtypes("triangular_solve", inputs)
    let s = a.shape[a.rank - 1]
    guard b.rank == a.rank, b.shape.dropLast(2) == a.shape.dropLast(2),
      b.shape[b.rank - (leftSide ? 2 : 1)] == s
    else {
      throw .typeError(
        "triangular_solve: incompatible shapes for a \(pyShape(a.shape)) and b \(pyShape(b.shape)) (left_side=\(leftSide ? "True" : "False"))"
      )
    }
    return [matrixAval(b.shape, b.dtype)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [
      Linalg.triangularSolve(
        inputs[0], inputs[1], leftSide: leftSide, lower: lower, transposeA: transposeA, unitDiagonal: unitDiagonal)
    ]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (a, b) = (primals[0], primals[1])
    let x = bind1(self, [a, b])
    let db = tangents[1].map { bind1(self, [a, $0]) }
    // d(op(A)⁻¹B) = −op(A)⁻¹ op(dA) X (left), d(B op(A)⁻¹) = −X op(dA) op(A)⁻¹ (right), dA
    // restricted to the triangle the solve reads.
    let da = tangents[0].map { t -> Tensor in
      let read = matrixTriangle(t, lower: lower, k: unitDiagonal ? (lower ? -1 : 1) : 0)
      let op = transposeA ? matrixTranspose(read) : read
      return -bind1(self, [a, leftSide ? matmul(op, x) : matmul(x, op)])
    }
    return ([x], [addTangents(da, db)])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let a = args[0], args[1] == nil else {
      throw .valueError("triangular_solve is linear in b only; its matrix a must be a constant")
    }
    guard let ct = cts[0] else { return [nil, nil] }
    var t = self
    t.transposeA.toggle()
    return [nil, bind1(t, [a, ct])]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

func triangularSolve(
  _ a: Tensor, _ b: Tensor, leftSide: Bool = false, lower: Bool = false, transposeA: Bool = false,
  unitDiagonal: Bool = false
) -> Tensor {
  bind1(
    TriangularSolvePrimitive(leftSide: leftSide, lower: lower, transposeA: transposeA, unitDiagonal: unitDiagonal),
    [a, b])
}

import FluxionBackend

/// lu: LU factorisation with partial pivoting (getrf) of `[batch..., m, n]`: the packed
/// factors, the 0-based row swaps (int32 `[batch..., min(m, n)]`) and the permutation they
/// make (int32 `[batch..., m]`), as lax.linalg.lu.
///
/// Used by slogdet and det under their own derivative rules, so lu has no JVP of its own.
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

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let outs = bind(self, primals)
    guard tangents[0] != nil else { return (outs, [nil, nil, nil]) }
    return (outs, [notDifferentiable("Fluxion has no differentiation rule for 'lu'"), nil, nil])
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

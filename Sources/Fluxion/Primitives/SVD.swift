import FluxionBackend

/// svd: singular values (descending, `[batch..., k]`, k = min(m, n)) and, if `computeUV`,
/// U and Vᵀ — m×m and n×n with `fullMatrices`, else m×k and k×n (gesdd). Results in
/// lax's order: s, u, vt.
struct SVDPrimitive: Primitive {
  var fullMatrices = false
  var computeUV = true

  var name: String { "svd" }
  var outputCount: Int { computeUV ? 3 : 1 }
  var params: [(String, Param)] {
    [
      ("algorithm", .none), ("compute_uv", .bool(computeUV)), ("full_matrices", .bool(fullMatrices)),
      ("subset_by_index", .none),
    ]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let a = inputs[0]
    try checkMatrixOperand("svd", a, square: false)
    let batch = Array(a.shape.dropLast(2)), m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    let k = Swift.min(m, n)
    let s = matrixAval(batch + [k], a.dtype)
    guard computeUV else { return [s] }
    if fullMatrices {
      try checkLAPACKSize("svd", m, m)
      try checkLAPACKSize("svd", n, n)
    }
    return [
      s, matrixAval(batch + [m, fullMatrices ? m : k], a.dtype),
      matrixAval(batch + [fullMatrices ? n : k, n], a.dtype),
    ]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let r = Linalg.svd(inputs[0], fullMatrices: fullMatrices, computeUV: computeUV)
    guard let u = r.u, let vt = r.vt else { return [r.s] }
    return [r.s, u, vt]
  }

  /// JAX's rule, from the thin decomposition A = U·diag(s)·Vᵀ (full U and Vᵀ only when A is
  /// square, as JAX).
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let a = primals[0]
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    let thin = bind(SVDPrimitive(fullMatrices: false, computeUV: true), [a])
    let (s, u, vt) = (thin[0], thin[1], thin[2])
    let outs = computeUV ? thin : [s]
    guard let da = tangents[0] else { return (outs, outs.map { _ in nil }) }
    if computeUV && fullMatrices && m != n {
      let e = notDifferentiable("Singular value decomposition JVP not implemented for full matrices")
      return (bind(self, [a]), [e, e, e])
    }
    let ut = matrixTranspose(u), v = matrixTranspose(vt)
    let sRow = expandDims(s, s.rank - 1)  // [..., 1, k]
    let sColumn = matrixTranspose(sRow)  // [..., k, 1]
    let dS = matmul(matmul(ut, da), v)
    let ds = matrixDiagonal(dS)
    guard computeUV else { return (outs, [ds]) }
    let identity = identityLike(dS)
    let f = Tensor.weak(1.0) / ((sRow + sColumn) * (sRow - sColumn) + identity) - identity
    let dSS = sRow * dS, sdS = sColumn * dS
    let sZeros = (s .== Tensor.weak(0.0)).astype(s.dtype)
    let sInverse = diagonalMatrices(Tensor.weak(1.0) / (s + sZeros) - sZeros)
    let dUdVDiagonal = Tensor.weak(0.5) * (dS - matrixTranspose(dS)) * sInverse
    var du = matmul(u, f * (dSS + matrixTranspose(dSS)) + dUdVDiagonal)
    var dv = matmul(v, f * (sdS + matrixTranspose(sdS)))
    if m > n {
      let daV = matmul(da, v)
      du = du + (daV - matmul(u, matmul(ut, daV))) / sRow
    }
    if n > m {
      let daU = matmul(matrixTranspose(da), u)
      dv = dv + (daU - matmul(v, matmul(vt, daU))) / sRow
    }
    return (outs, [ds, du, matrixTranspose(dv)])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

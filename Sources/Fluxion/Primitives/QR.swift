import FluxionBackend

/// qr: Q (orthonormal columns) and R (upper triangular) of `[batch..., m, n]` (geqrf, orgqr):
/// Q m×m and R m×n with `fullMatrices`, else Q m×k and R k×n, k = min(m, n).
struct QRPrimitive: Primitive {
  var fullMatrices = false

  var name: String { "qr" }
  var outputCount: Int { 2 }
  var params: [(String, Param)] {
    [("full_matrices", .bool(fullMatrices)), ("pivoting", .bool(false)), ("use_magma", .none)]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let a = inputs[0]
    try checkMatrixOperand("qr", a, square: false)
    let batch = Array(a.shape.dropLast(2)), m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    let k = fullMatrices ? m : Swift.min(m, n)
    try checkLAPACKSize("qr", m, k)
    return [matrixAval(batch + [m, k], a.dtype), matrixAval(batch + [k, n], a.dtype)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let r = Linalg.qr(inputs[0], fullMatrices: fullMatrices)
    return [r.q, r.r]
  }

  /// JAX's rule (j-towns.github.io/papers/qr-derivative.pdf): for m ≥ n from the thin
  /// decomposition (extended to a complete Q's last m − n columns), for m < n on the leading
  /// square block.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let x = primals[0]
    let outs = bind(self, [x])
    guard let dx = tangents[0] else { return (outs, [nil, nil]) }
    let (q, r) = (outs[0], outs[1])
    let m = x.shape[x.rank - 2], n = x.shape[x.rank - 1]
    if m < n {
      let columns = { (t: Tensor, range: Range<Int>) in matrixSlice(t, rows: false, range) }
      let (x2, dx1, dx2) = (columns(x, m..<n), columns(dx, 0..<m), columns(dx, m..<n))
      let (dq, dr1) = Self.thinJVP(q, columns(r, 0..<m), dx1)
      let dr2 = matmul(matrixTranspose(dq), x2) + matmul(matrixTranspose(q), dx2)
      return (outs, [dq, concatenate([dr1, dr2], axis: dr1.rank - 1)])
    }
    guard fullMatrices && m != n else {
      let (dq, dr) = Self.thinJVP(q, r, dx)
      return (outs, [dq, dr])
    }
    // A tall matrix's complete Q: JAX's extension of the thin rule to Q's last m − n columns.
    let rows = { (t: Tensor, range: Range<Int>) in matrixSlice(t, rows: true, range) }
    let qmn = matrixSlice(q, rows: false, 0..<n), qmp = matrixSlice(q, rows: false, n..<m)
    let (dqmn, drnn) = Self.thinJVP(qmn, rows(r, 0..<n), dx)
    let (qnn, qpn) = (rows(qmn, 0..<n), rows(qmn, n..<m))
    let (dqnn, dqpn) = (rows(dqmn, 0..<n), rows(dqmn, n..<m))
    let zpnT = bind1(LinearSolvePrimitive(transposeA: true), [qnn - identityLike(qnn), matrixTranspose(qpn)])
    let zpn = matrixTranspose(zpnT)
    let dqmp = matmul(dqmn, zpnT) - matmul(qmn + matmul(qmp, zpn), matrixTranspose(dqpn - matmul(zpn, dqnn)))
    let dq = concatenate([dqmn, dqmp], axis: q.rank - 1)
    let dr = concatenate([drnn, zerosLike(rows(r, n..<m))], axis: r.rank - 2)
    return (outs, [dq, dr])
  }

  /// The derivative of the thin QR of an m×n matrix, m ≥ n (real case of JAX's `_thin_qr_jvp`).
  static func thinJVP(_ q: Tensor, _ r: Tensor, _ dx: Tensor) -> (Tensor, Tensor) {
    let dxRInverse = triangularSolve(r, dx)  // dx·R⁻¹
    let qtDxRInverse = matmul(matrixTranspose(q), dxRInverse)
    let strictLower = matrixTriangle(qtDxRInverse, lower: true, k: -1)
    let omega = strictLower - matrixTranspose(strictLower)
    let dq = matmul(q, omega - qtDxRInverse) + dxRInverse
    let dr = matmul(qtDxRInverse - omega, r)
    return (dq, dr)
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    batchMatrixPrimitive(self, args, dims, axisSize: axisSize)
  }
}

import FluxionBackend

// jnp.tril, triu, diagonal, trace and diag, on the matrix helpers of the decompositions.

/// The trailing matrices with the entries above diagonal `k` zeroed (jnp.tril).
public func tril(_ x: Tensor, k: Int = 0) -> Tensor {
  if let e = x.error { return Tensor(failed: e) }
  guard x.rank >= 2 else { return Tensor(failed: .valueError("tril requires an array of at least two dimensions")) }
  return matrixTriangle(x, lower: true, k: k)
}

/// The trailing matrices with the entries below diagonal `k` zeroed (jnp.triu).
public func triu(_ x: Tensor, k: Int = 0) -> Tensor {
  if let e = x.error { return Tensor(failed: e) }
  guard x.rank >= 2 else { return Tensor(failed: .valueError("triu requires an array of at least two dimensions")) }
  return matrixTriangle(x, lower: false, k: k)
}

/// Diagonal `offset` of the matrices over axes `axis1`, `axis2` (jnp.diagonal), as the last axis.
public func diagonal(_ x: Tensor, offset: Int = 0, axis1: Int = 0, axis2: Int = 1) -> Tensor {
  if let e = x.error { return Tensor(failed: e) }
  guard x.rank >= 2 else {
    return Tensor(failed: .valueError("diagonal requires an array of at least two dimensions."))
  }
  guard let a1 = normalizeAxis(axis1, x.rank) else { return axisError(axis1, x.rank) }
  guard let a2 = normalizeAxis(axis2, x.rank) else { return axisError(axis2, x.rank) }
  if a1 == a2 { return Tensor(failed: .valueError("axis1 and axis2 must not be equal")) }
  let rest = (0..<x.rank).filter { $0 != a1 && $0 != a2 }
  let m = transpose(x, rest + [a1, a2])
  let (rows, columns) = (m.shape[m.rank - 2], m.shape[m.rank - 1])
  var start = Array(repeating: 0, count: m.rank), limit = m.shape
  if offset >= 0 {
    start[m.rank - 1] = Swift.min(offset, columns)
  } else {
    start[m.rank - 2] = Swift.min(-offset, rows)
  }
  limit[m.rank - 1] = Swift.max(start[m.rank - 1], columns)
  limit[m.rank - 2] = Swift.max(start[m.rank - 2], rows)
  return matrixDiagonal(slice(m, start: start, limit: limit))
}

/// The sum of diagonal `offset` (jnp.trace).
public func trace(_ x: Tensor, offset: Int = 0, axis1: Int = 0, axis2: Int = 1) -> Tensor {
  let d = diagonal(x, offset: offset, axis1: axis1, axis2: axis2)
  return d.error == nil ? d.sum(axis: d.rank - 1) : d
}

/// jnp.diag: the matrix with `v` on diagonal `k` (1-d `v`), or diagonal `k` of a matrix.
public func diag(_ v: Tensor, k: Int = 0) -> Tensor {
  if let e = v.error { return Tensor(failed: e) }
  switch v.rank {
  case 1:
    let d = diagonalMatrices(v)
    let s = Swift.abs(k)
    return k >= 0 ? pad(d, [(0, s), (s, 0)]) : pad(d, [(s, 0), (0, s)])
  case 2: return diagonal(v, offset: k)
  default: return Tensor(failed: .valueError("diag input must be 1d or 2d"))
  }
}

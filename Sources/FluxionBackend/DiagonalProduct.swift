/// Products with a diagonal matrix, computed as the scaling they are when that gives BLAS's
/// result exactly (for compiled plans: a Jacobian's basis is the identity, or a diagonal made
/// from it).
public enum DiagonalProduct {
  /// `dot_general(lhs, rhs)` of two 2-D float32 arrays contracting one axis each, no batch axes,
  /// when one operand is square with every off-diagonal entry ±0: each result is then one
  /// product, d·x, plus products that are ±0. That is BLAS's result exactly when every entry of
  /// both operands is finite and no product d·x is zero (a zero's sign would depend on the
  /// order of the sum): then the result, else nil (the caller runs BLAS).
  public static func product(_ lhs: DenseArray, _ rhs: DenseArray, contracting: (Int, Int)) -> DenseArray? {
    guard lhs.rank == 2, rhs.rank == 2, lhs.dtype == .float32, rhs.dtype == .float32 else { return nil }
    let lFree = 1 - contracting.0
    let rFree = 1 - contracting.1
    let m = lhs.shape[lFree]
    let n = rhs.shape[rFree]
    guard m > 0, n > 0, lhs.shape[contracting.0] == rhs.shape[contracting.1] else { return nil }
    let diagonalLeft: Bool
    if lhs.shape[0] == lhs.shape[1] && isDiagonal(lhs) {
      diagonalLeft = true
    } else if rhs.shape[0] == rhs.shape[1] && isDiagonal(rhs) {
      diagonalLeft = false
    } else {
      return nil
    }
    let (d, x) = diagonalLeft ? (lhs, rhs) : (rhs, lhs)
    guard allFinite(d), allFinite(x) else { return nil }
    let s = d.shape[0]
    let (dp, xp) = (d.pointer(Float.self), x.pointer(Float.self))
    let out = DenseArray(uninitializedShape: [m, n], dtype: .float32)
    let o = out.mutablePointer(Float.self)
    let xCols = x.shape[1]
    for i in 0..<m {
      for j in 0..<n {
        // lhs D: out[i, j] = D[i, i] · X(contracting = i, free = j); rhs D: X(free = i, contracting = j) · D[j, j].
        let (t, xi): (Int, Int)
        if diagonalLeft {
          t = i
          xi = contracting.1 == 0 ? i * xCols + j : j * xCols + i
        } else {
          t = j
          xi = contracting.0 == 1 ? i * xCols + j : j * xCols + i
        }
        let p = diagonalLeft ? dp[t * s + t] * xp[xi] : xp[xi] * dp[t * s + t]
        if p == 0 { return nil }
        o[i * n + j] = p
      }
    }
    return out
  }

  static func isDiagonal(_ a: DenseArray) -> Bool {
    let s = a.shape[0]
    let p = a.pointer(Float.self)
    for i in 0..<s {
      let row = p + i * s
      for j in 0..<s where j != i && row[j] != 0 { return false }
    }
    return true
  }

  static func allFinite(_ a: DenseArray) -> Bool {
    let p = a.pointer(Float.self)
    var ok = true
    for i in 0..<a.count { ok = ok && p[i].isFinite }
    return ok
  }
}

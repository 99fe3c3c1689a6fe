import CKernels

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
    if lhs.shape[0] == lhs.shape[1] && fx_is_diagonal_f32(lhs.pointer(Float.self), lhs.shape[0]) != 0 {
      diagonalLeft = true
    } else if rhs.shape[0] == rhs.shape[1] && fx_is_diagonal_f32(rhs.pointer(Float.self), rhs.shape[0]) != 0 {
      diagonalLeft = false
    } else {
      return nil
    }
    let (d, x) = diagonalLeft ? (lhs, rhs) : (rhs, lhs)
    guard fx_all_finite_f32(d.pointer(Float.self), d.count) != 0, fx_all_finite_f32(x.pointer(Float.self), x.count) != 0
    else { return nil }
    let xCols = x.shape[1]
    // Result (i, j) reads x at (contracting = i, free = j) for a diagonal lhs, (free = i,
    // contracting = j) for a diagonal rhs: strides of i and j in x.
    let (rs, cs): (Int, Int)
    if diagonalLeft {
      (rs, cs) = contracting.1 == 0 ? (xCols, 1) : (1, xCols)
    } else {
      (rs, cs) = contracting.0 == 1 ? (xCols, 1) : (1, xCols)
    }
    let out = DenseArray(uninitializedShape: [m, n], dtype: .float32)
    let ok = fx_diagonal_scale_f32(
      d.pointer(Float.self), d.shape[0] + 1, diagonalLeft ? 1 : 0, diagonalLeft ? 1 : 0, x.pointer(Float.self), rs, cs,
      out.mutablePointer(Float.self), m, n)
    return ok != 0 ? out : nil
  }
}

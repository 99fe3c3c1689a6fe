import CBLAS
import Foundation

/// dot_general over OpenBLAS for floats, with plain loops for integers and bools.
public enum Linalg {
  /// The name of the OpenBLAS kernel in use (e.g. "Haswell", "Cooperlake").
  public static var blasCoreName: String {
    guard let p = openblas_get_corename() else { return "unknown" }
    return String(cString: p)
  }

  /// General contraction. The result's dims are: batch, lhs free, rhs free (lax.dot_general).
  public static func dotGeneral(
    _ lhs: DenseArray, _ rhs: DenseArray, contracting: ([Int], [Int]), batch: ([Int], [Int])
  ) -> DenseArray {
    let lFree = (0..<lhs.rank).filter { !contracting.0.contains($0) && !batch.0.contains($0) }
    let rFree = (0..<rhs.rank).filter { !contracting.1.contains($0) && !batch.1.contains($0) }
    let b = batch.0.reduce(1) { $0 * lhs.shape[$1] }
    let m = lFree.reduce(1) { $0 * lhs.shape[$1] }
    let k = contracting.0.reduce(1) { $0 * lhs.shape[$1] }
    let n = rFree.reduce(1) { $0 * rhs.shape[$1] }
    let outShape = batch.0.map { lhs.shape[$0] } + lFree.map { lhs.shape[$0] } + rFree.map { rhs.shape[$0] }

    // lhs as [B, M, K] (or [B, K, M] transposed); rhs as [B, K, N] (or [B, N, K]).
    let lhsMK = batch.0 + lFree + contracting.0
    let lhsKM = batch.0 + contracting.0 + lFree
    let rhsKN = batch.1 + contracting.1 + rFree
    let rhsNK = batch.1 + rFree + contracting.1
    let identityL = Array(0..<lhs.rank)
    let identityR = Array(0..<rhs.rank)
    let (a, transA) = lhsKM == identityL && lhsMK != identityL ? (lhs, true) : (Layout.transpose(lhs, lhsMK), false)
    let (bm, transB) = rhsNK == identityR && rhsKN != identityR ? (rhs, true) : (Layout.transpose(rhs, rhsKN), false)
    let dtype = lhs.dtype
    let out = DenseArray(uninitializedShape: outShape, dtype: dtype)

    switch dtype {
    case .float32:
      let (pa, pb, pc) = (a.pointer(Float.self), bm.pointer(Float.self), out.pointer(Float.self))
      for i in 0..<b {
        let (x, y, z) = (pa + i * m * k, pb + i * k * n, pc + i * m * n)
        if m == 0 || n == 0 {
          continue
        } else if k == 0 {
          z.update(repeating: 0, count: m * n)
        } else if m == 1 && n == 1 {
          z[0] = cblas_sdot(Int32(k), x, 1, y, 1)
        } else if m == 1 {
          // (1×K)·(K×N): y is K×N (or N×K when transposed) → gemv over y.
          cblas_sgemv(
            CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(transB ? n : k), Int32(transB ? k : n),
            1, y, Int32(transB ? k : n), x, 1, 0, z, 1)
        } else if n == 1 {
          cblas_sgemv(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(transA ? k : m), Int32(transA ? m : k),
            1, x, Int32(transA ? m : k), y, 1, 0, z, 1)
        } else {
          cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, x, Int32(transA ? m : k), y, Int32(transB ? k : n), 0, z, Int32(n))
        }
      }
    case .float64:
      let (pa, pb, pc) = (a.pointer(Double.self), bm.pointer(Double.self), out.pointer(Double.self))
      for i in 0..<b {
        let (x, y, z) = (pa + i * m * k, pb + i * k * n, pc + i * m * n)
        if m == 0 || n == 0 {
          continue
        } else if k == 0 {
          z.update(repeating: 0, count: m * n)
        } else if m == 1 && n == 1 {
          z[0] = cblas_ddot(Int32(k), x, 1, y, 1)
        } else if m == 1 {
          cblas_dgemv(
            CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(transB ? n : k), Int32(transB ? k : n),
            1, y, Int32(transB ? k : n), x, 1, 0, z, 1)
        } else if n == 1 {
          cblas_dgemv(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(transA ? k : m), Int32(transA ? m : k),
            1, x, Int32(transA ? m : k), y, 1, 0, z, 1)
        } else {
          cblas_dgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, x, Int32(transA ? m : k), y, Int32(transB ? k : n), 0, z, Int32(n))
        }
      }
    default:
      // Integers and bools: exact loops with wrapping arithmetic (bool: or of ands).
      let la = transA ? Layout.transpose(a.reshaped([b, k, m]), [0, 2, 1]) : a
      let rb = transB ? Layout.transpose(bm.reshaped([b, n, k]), [0, 2, 1]) : bm
      for i in 0..<b {
        for r in 0..<m {
          for c in 0..<n {
            var acc = DenseArray.filled(.int(0), shape: [], dtype: dtype)
            for j in 0..<k {
              let p = Elementwise.binary(
                .mul, DenseArray.from([la.scalar(at: (i * m + r) * k + j)], shape: [], dtype: dtype),
                DenseArray.from([rb.scalar(at: (i * k + j) * n + c)], shape: [], dtype: dtype))
              acc = Elementwise.binary(.add, acc, p)
            }
            out.set((i * m + r) * n + c, acc.scalar(at: 0))
          }
        }
      }
    }
    return out
  }
}

import CKernels
import Foundation

/// dot_general over OpenBLAS for floats, with plain loops for integers and bools.
public enum Linalg {
  /// The name of the OpenBLAS kernel in use (e.g. "SkylakeX", "Haswell").
  public static var blasCoreName: String {
    guard let p = fx_blas_corename() else { return "unknown" }
    return String(cString: p)
  }

  /// The kernel Fluxion asked OpenBLAS for when it loaded it, from the CPU's instructions: nil
  /// when OPENBLAS_CORETYPE was set (then it is obeyed) or the CPU has neither AVX-512 nor AVX2.
  public static var blasRequestedCore: String? { fx_blas_chosen_kernel().map { String(cString: $0) } }

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

    let geometry = Geometry(b: b, m: m, n: n, k: k, transA: transA, transB: transB)
    switch dtype {
    case .float32 where fx_small_dot_f32_is_xla(m, n, k, geometry.transA ? 1 : 0) != 0:
      smallFloat32(geometry, a, bm, out)
    case .float32: blas(.float32, geometry, a, bm, out)
    case .float64: blas(.float64, geometry, a, bm, out)
    case .int32: integerLoops(Int32.self, geometry, a, bm, out)
    case .uint32: integerLoops(UInt32.self, geometry, a, bm, out)
    case .int64: integerLoops(Int64.self, geometry, a, bm, out)
    case .uint64: integerLoops(UInt64.self, geometry, a, bm, out)
    case .bool:
      // or of ands, on 0/1 bytes.
      integerLoops(UInt8.self, geometry, a, bm, out, combine: { $0 | $1 }, product: { $0 & $1 })
    }
    return out
  }

  /// Batch count, matrix sizes, and whether each operand is stored transposed.
  struct Geometry {
    let b, m, n, k: Int
    let transA, transB: Bool
  }

  /// One precision's BLAS entry points.
  struct BLAS<T> {
    let dot: (Int32, UnsafePointer<T>, Int32, UnsafePointer<T>, Int32) -> T
    let gemv:
      (
        CBLAS_ORDER, CBLAS_TRANSPOSE, Int32, Int32, T, UnsafePointer<T>, Int32, UnsafePointer<T>, Int32, T,
        UnsafeMutablePointer<T>, Int32
      ) -> Void
    let gemm:
      (
        CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, T, UnsafePointer<T>, Int32,
        UnsafePointer<T>, Int32, T, UnsafeMutablePointer<T>, Int32
      ) -> Void

    static var float32: BLAS<Float> { BLAS<Float>(dot: fx_cblas_sdot, gemv: fx_cblas_sgemv, gemm: fx_cblas_sgemm) }
    static var float64: BLAS<Double> { BLAS<Double>(dot: fx_cblas_ddot, gemv: fx_cblas_dgemv, gemm: fx_cblas_dgemm) }
  }

  /// Each batch entry as a dot, a matrix-vector or a matrix-matrix product. Large products are
  /// split by rows of the result over `Parallel` (OpenBLAS itself runs single-threaded, so that
  /// concurrent callers share the one budget of helper threads), always at the same rows, so
  /// the bits do not depend on whether a helper was free.
  static func blas<T: BinaryFloatingPoint>(
    _ f: BLAS<T>, _ g: Geometry, _ a: DenseArray, _ bm: DenseArray, _ out: DenseArray
  ) {
    useOneBLASThread()
    let (m, n, k) = (g.m, g.n, g.k)
    let (pa, pb, pc) = (a.pointer(T.self), bm.pointer(T.self), out.mutablePointer(T.self))
    // Split when the product has at least about Parallel.threshold multiply-adds per core.
    let splitting = Double(m) * Double(n) * Double(k) >= Double(Parallel.threshold * Parallel.cores)
    for i in 0..<g.b {
      let (x, y, z) = (pa + i * m * k, pb + i * k * n, pc + i * m * n)
      if m == 0 || n == 0 {
        continue
      } else if k == 0 {
        z.update(repeating: 0, count: m * n)
      } else if m == 1 && n == 1 {
        z[0] = f.dot(Int32(k), x, 1, y, 1)
      } else if m == 1 {
        // (1×K)·(K×N): y is K×N (or N×K when transposed); result entries [s, s + c) use
        // columns (or rows) [s, s + c) of y.
        Parallel.forFixedChunks(n, splitting: splitting) { s, c in
          f.gemv(
            CblasRowMajor, g.transB ? CblasNoTrans : CblasTrans, Int32(g.transB ? c : k), Int32(g.transB ? k : c),
            1, y + (g.transB ? s * k : s), Int32(g.transB ? k : n), x, 1, 0, z + s, 1)
        }
      } else if n == 1 {
        Parallel.forFixedChunks(m, splitting: splitting) { s, c in
          f.gemv(
            CblasRowMajor, g.transA ? CblasTrans : CblasNoTrans, Int32(g.transA ? k : c), Int32(g.transA ? c : k),
            1, x + (g.transA ? s : s * k), Int32(g.transA ? m : k), y, 1, 0, z + s, 1)
        }
      } else {
        // Rows [s, s + c) of the result from rows [s, s + c) of x (columns when transposed).
        Parallel.forFixedChunks(m, splitting: splitting) { s, c in
          f.gemm(
            CblasRowMajor, g.transA ? CblasTrans : CblasNoTrans, g.transB ? CblasTrans : CblasNoTrans,
            Int32(c), Int32(n), Int32(k), 1, x + (g.transA ? s : s * k), Int32(g.transA ? m : k), y,
            Int32(g.transB ? k : n), 0, z + s * n, Int32(n))
        }
      }
    }
  }

  /// Small float32 products in XLA:CPU's order (sequential fused multiply-adds from +0 along the
  /// contraction), so that they give JAX's bits; see fx_small_dot_f32.
  static func smallFloat32(_ g: Geometry, _ a: DenseArray, _ bm: DenseArray, _ out: DenseArray) {
    let (m, n, k) = (g.m, g.n, g.k)
    let (pa, pb, pc) = (a.pointer(Float.self), bm.pointer(Float.self), out.mutablePointer(Float.self))
    // Each entry's sum is independent of the others: long matrix-vector products split by rows.
    let splitting = !g.transA && m * n * k >= Parallel.threshold * Parallel.cores
    for i in 0..<g.b {
      let (x, y, z) = (pa + i * m * k, pb + i * k * n, pc + i * m * n)
      Parallel.forChunks(m, splitting: splitting) { s, c in
        fx_small_dot_f32(x + (g.transA ? 0 : s * k), g.transA ? 1 : 0, y, g.transB ? 1 : 0, c, n, k, z + s * n)
      }
    }
  }

  /// Keeps OpenBLAS single-threaded: its own threads would come on top of `Parallel`'s helpers
  /// (and spin for a while after each call). Checked on every call, as `OPENBLAS_NUM_THREADS`
  /// or other code in the process may have asked it for more.
  static func useOneBLASThread() {
    if fx_blas_get_num_threads() != 1 { fx_blas_set_num_threads(1) }
  }

  /// Exact loops for integers (wrapping) and bools.
  static func integerLoops<T: FixedWidthInteger>(
    _: T.Type, _ g: Geometry, _ a: DenseArray, _ bm: DenseArray, _ out: DenseArray,
    combine: (T, T) -> T = { $0 &+ $1 }, product: (T, T) -> T = { $0 &* $1 }
  ) {
    let (m, n, k) = (g.m, g.n, g.k)
    let la = g.transA ? Layout.transpose(a.reshaped([g.b, k, m]), [0, 2, 1]) : a
    let rb = g.transB ? Layout.transpose(bm.reshaped([g.b, n, k]), [0, 2, 1]) : bm
    let (pa, pb, pc) = (la.pointer(T.self), rb.pointer(T.self), out.mutablePointer(T.self))
    for i in 0..<g.b {
      for r in 0..<m {
        for c in 0..<n {
          var acc: T = 0
          for j in 0..<k { acc = combine(acc, product(pa[(i * m + r) * k + j], pb[(i * k + j) * n + c])) }
          pc[(i * m + r) * n + c] = acc
        }
      }
    }
  }
}

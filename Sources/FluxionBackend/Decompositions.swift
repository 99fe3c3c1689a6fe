import CKernels

/// Matrix decompositions and solves on LAPACK (from OpenBLAS, see Sources/CKernels/blas.c),
/// for float32 and float64 arrays of matrices `[batch..., m, n]`, one LAPACK call per matrix.
///
/// LAPACK is column-major: each matrix is copied into a column-major scratch buffer, worked on
/// there, and copied back out row-major. A failed factorisation (LAPACK's `info` > 0) is not an
/// error here: each function says what it returns then (NaNs, as JAX on CPU).
extension Linalg {
  /// One matrix in column-major order, as LAPACK reads it.
  struct ColumnMajor<T: BinaryFloatingPoint & BitwiseCopyable> {
    var values: [T]
    let rows: Int
    let columns: Int

    /// Matrix `index` of a row-major `[batch..., rows, columns]` array.
    init(_ a: DenseArray, index: Int, rows: Int, columns: Int) {
      self.rows = rows
      self.columns = columns
      let p = a.pointer(T.self) + index * rows * columns
      values = [T](unsafeUninitializedCapacity: rows * columns) { buffer, count in
        for c in 0..<columns {
          for r in 0..<rows { buffer[c * rows + r] = p[r * columns + c] }
        }
        count = rows * columns
      }
    }

    /// Row r becomes the old row `source(r)`.
    mutating func permuteRows(_ source: (Int) -> Int) {
      let old = values
      for c in 0..<columns {
        for r in 0..<rows { values[c * rows + r] = old[c * rows + source(r)] }
      }
    }

    init(zeros rows: Int, _ columns: Int) {
      self.rows = rows
      self.columns = columns
      values = [T](repeating: 0, count: rows * columns)
    }

    /// Writes the leading `rows`×`columns` block (of a matrix whose leading dimension is
    /// `self.rows`) row-major into matrix `index` of `out`, zeroing entries `keep` rejects.
    func write(
      into out: DenseArray, index: Int, rows: Int? = nil, columns: Int? = nil,
      keep: (Int, Int) -> Bool = { _, _ in true }
    ) {
      let (m, n) = (rows ?? self.rows, columns ?? self.columns)
      let p = out.mutablePointer(T.self) + index * m * n
      for r in 0..<m {
        for c in 0..<n { p[r * n + c] = keep(r, c) ? values[c * self.rows + r] : 0 }
      }
    }
  }

  /// Whether `T` is Double (LAPACK's d routines) rather than Float (s).
  static func isDouble<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) -> Int32 { T.self == Double.self ? 1 : 0 }

  /// The matrix count and the two matrix sides of `[batch..., m, n]`.
  static func matrices(_ shape: [Int]) -> (count: Int, m: Int, n: Int) {
    let m = shape[shape.count - 2], n = shape[shape.count - 1]
    return (shape.dropLast(2).reduce(1, *), m, n)
  }

  // MARK: - LU

  /// LU factorisation with partial pivoting (getrf), as lax.linalg.lu: the factors packed in one
  /// matrix (L's unit diagonal implied), the 0-based row swaps (int32, min(m, n) of them) and
  /// the permutation they make (int32, m). A singular matrix leaves a zero on U's diagonal.
  public static func lu(_ a: DenseArray) -> (lu: DenseArray, pivots: DenseArray, permutation: DenseArray) {
    useOneBLASThread()
    let (count, m, n) = matrices(a.shape)
    let k = min(m, n)
    let batch = Array(a.shape.dropLast(2))
    let out = DenseArray(uninitializedShape: a.shape, dtype: a.dtype)
    let pivots = DenseArray(uninitializedShape: batch + [k], dtype: .int32)
    let permutation = DenseArray(uninitializedShape: batch + [m], dtype: .int32)
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      for i in 0..<count {
        var c = ColumnMajor<T>(a, index: i, rows: m, columns: n)
        var ipiv = [Int32](repeating: 0, count: Swift.max(k, 1))
        if k > 0 { _ = fx_lapack_getrf(isDouble(T.self), Int32(m), Int32(n), &c.values, &ipiv) }
        c.write(into: out, index: i)
        var perm = Array(Int32(0)..<Int32(m))
        for j in 0..<k {
          let p = Int(ipiv[j]) - 1
          pivots.mutablePointer(Int32.self)[i * k + j] = Int32(p)
          perm.swapAt(j, p)
        }
        (permutation.mutablePointer(Int32.self) + i * m).update(from: perm, count: m)
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return (out, pivots, permutation)
  }

  // MARK: - Solves

  /// A·X = B for square A `[batch..., n, n]` and B `[batch..., n, k]` (with `transpose`,
  /// Aᵀ·X = B), as JAX's lu_solve on CPU: getrf, the rows of B permuted, then two column-major
  /// trsm (the reverse for Aᵀ), which gives JAX's bits. A singular A gives infinities and NaNs.
  public static func solve(_ a: DenseArray, _ b: DenseArray, transpose: Bool = false) -> DenseArray {
    useOneBLASThread()
    let (count, n, _) = matrices(a.shape)
    let k = b.shape[b.shape.count - 1]
    let out = DenseArray(uninitializedShape: b.shape, dtype: b.dtype)
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      let f64 = isDouble(T.self)
      for i in 0..<count {
        var lu = ColumnMajor<T>(a, index: i, rows: n, columns: n)
        var x = ColumnMajor<T>(b, index: i, rows: n, columns: k)
        if n > 0 && k > 0 {
          var ipiv = [Int32](repeating: 0, count: n)
          _ = fx_lapack_getrf(f64, Int32(n), Int32(n), &lu.values, &ipiv)
          var perm = Array(0..<n)
          for j in 0..<n { perm.swapAt(j, Int(ipiv[j]) - 1) }
          let (lower, upper) = ((lower: 1, unit: 1), (lower: 0, unit: 0))
          let steps = transpose ? [upper, lower] : [lower, upper]
          if !transpose { x.permuteRows { perm[$0] } }
          for step in steps {
            fx_blas_trsm(
              f64, 1, Int32(step.lower), transpose ? 1 : 0, Int32(step.unit), Int32(n), Int32(k), lu.values, Int32(n),
              &x.values, Int32(n))
          }
          if transpose {
            var inverse = perm
            for (r, p) in perm.enumerated() { inverse[p] = r }
            x.permuteRows { inverse[$0] }
          }
        }
        x.write(into: out, index: i)
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return out
  }

  /// The solution X of op(A)·X = B (`leftSide`) or X·op(A) = B, A triangular (`lower` or
  /// upper, with an implied unit diagonal if `unitDiagonal`), op(A) = Aᵀ if `transposeA`
  /// (column-major trsm, as JAX on CPU). A `[batch..., s, s]`, B `[batch..., m, n]`.
  public static func triangularSolve(
    _ a: DenseArray, _ b: DenseArray, leftSide: Bool, lower: Bool, transposeA: Bool, unitDiagonal: Bool
  ) -> DenseArray {
    useOneBLASThread()
    let (count, m, n) = matrices(b.shape)
    let s = a.shape[a.shape.count - 1]
    let out = DenseArray(uninitializedShape: b.shape, dtype: b.dtype)
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      for i in 0..<count {
        let t = ColumnMajor<T>(a, index: i, rows: s, columns: s)
        var x = ColumnMajor<T>(b, index: i, rows: m, columns: n)
        if m > 0 && n > 0 {
          fx_blas_trsm(
            isDouble(T.self), leftSide ? 1 : 0, lower ? 1 : 0, transposeA ? 1 : 0, unitDiagonal ? 1 : 0, Int32(m),
            Int32(n), t.values, Int32(Swift.max(s, 1)), &x.values, Int32(m))
        }
        x.write(into: out, index: i)
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return out
  }

  // MARK: - Cholesky

  /// The lower Cholesky factor of each matrix (potrf on its lower triangle), zero above the
  /// diagonal; a matrix that is not positive definite gives NaNs on and below it, as JAX on CPU.
  public static func cholesky(_ a: DenseArray) -> DenseArray {
    useOneBLASThread()
    let (count, n, _) = matrices(a.shape)
    let out = DenseArray(uninitializedShape: a.shape, dtype: a.dtype)
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      for i in 0..<count {
        var c = ColumnMajor<T>(a, index: i, rows: n, columns: n)
        let info = n > 0 ? fx_lapack_potrf(isDouble(T.self), 1, Int32(n), &c.values) : 0
        // OpenBLAS's potrf passes a NaN on the diagonal through (info 0) where LAPACK's
        // reference potrf, and so JAX, reports failure.
        let failed = info != 0 || (0..<n).contains { j in c.values[j * n + j].isNaN }
        if failed { c.values = [T](repeating: .nan, count: n * n) }
        c.write(into: out, index: i, keep: { r, col in col <= r })
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return out
  }

  // MARK: - Symmetric eigendecomposition

  /// Eigenvectors (columns) and ascending eigenvalues of each symmetric matrix, from its
  /// `lower` (or upper) triangle (syevd). A failure gives NaNs, as JAX on CPU.
  public static func eigh(_ a: DenseArray, lower: Bool) -> (vectors: DenseArray, values: DenseArray) {
    useOneBLASThread()
    let (count, n, _) = matrices(a.shape)
    let vectors = DenseArray(uninitializedShape: a.shape, dtype: a.dtype)
    let values = DenseArray(uninitializedShape: Array(a.shape.dropLast()), dtype: a.dtype)
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      for i in 0..<count {
        var c = ColumnMajor<T>(a, index: i, rows: n, columns: n)
        var w = [T](repeating: 0, count: Swift.max(n, 1))
        let info = n > 0 ? fx_lapack_syevd(isDouble(T.self), lower ? 1 : 0, Int32(n), &c.values, &w) : 0
        if info != 0 {
          c.values = [T](repeating: .nan, count: n * n)
          w = [T](repeating: .nan, count: Swift.max(n, 1))
        }
        c.write(into: vectors, index: i)
        (values.mutablePointer(T.self) + i * n).update(from: w, count: n)
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return (vectors, values)
  }

  // MARK: - Singular value decomposition

  /// Singular values (descending, `[batch..., min(m, n)]`) and, if `computeUV`, U and Vᵀ: square
  /// (m×m, n×n) with `fullMatrices`, else m×k and k×n (gesdd). A failure gives NaNs.
  public static func svd(
    _ a: DenseArray, fullMatrices: Bool, computeUV: Bool
  ) -> (s: DenseArray, u: DenseArray?, vt: DenseArray?) {
    useOneBLASThread()
    let (count, m, n) = matrices(a.shape)
    let k = min(m, n)
    let batch = Array(a.shape.dropLast(2))
    let (uc, vr) = fullMatrices ? (m, n) : (k, k)
    let s = DenseArray(uninitializedShape: batch + [k], dtype: a.dtype)
    let u = computeUV ? DenseArray(uninitializedShape: batch + [m, uc], dtype: a.dtype) : nil
    let vt = computeUV ? DenseArray(uninitializedShape: batch + [vr, n], dtype: a.dtype) : nil
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      for i in 0..<count {
        var c = ColumnMajor<T>(a, index: i, rows: m, columns: n)
        var sv = [T](repeating: 0, count: Swift.max(k, 1))
        var uc = ColumnMajor<T>(zeros: m, computeUV ? uc : 1)
        var vc = ColumnMajor<T>(zeros: computeUV ? vr : 1, n)
        let job: CChar = computeUV ? (fullMatrices ? 65 : 83) : 78  // "A", "S", "N"
        var info: Int32 = 0
        if k > 0 {
          info = fx_lapack_gesdd(
            isDouble(T.self), job, Int32(m), Int32(n), &c.values, &sv, &uc.values, Int32(m), &vc.values,
            Int32(vc.rows))
        } else if computeUV {
          // No singular values: U and Vᵀ are identities (full) or empty.
          for d in 0..<Swift.min(uc.rows, uc.columns) { uc.values[d * uc.rows + d] = 1 }
          for d in 0..<Swift.min(vc.rows, vc.columns) { vc.values[d * vc.rows + d] = 1 }
        }
        if info != 0 {
          sv = sv.map { _ in .nan }
          uc.values = uc.values.map { _ in .nan }
          vc.values = vc.values.map { _ in .nan }
        }
        (s.mutablePointer(T.self) + i * k).update(from: sv, count: k)
        if let u { uc.write(into: u, index: i) }
        if let vt { vc.write(into: vt, index: i) }
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return (s, u, vt)
  }

  // MARK: - QR

  /// Q and R of each matrix (geqrf, then orgqr): with `fullMatrices` Q is m×m and R m×n,
  /// otherwise Q is m×k and R k×n, k = min(m, n).
  public static func qr(_ a: DenseArray, fullMatrices: Bool) -> (q: DenseArray, r: DenseArray) {
    useOneBLASThread()
    let (count, m, n) = matrices(a.shape)
    let k = min(m, n)
    let batch = Array(a.shape.dropLast(2))
    let qc = fullMatrices ? m : k
    let q = DenseArray(uninitializedShape: batch + [m, qc], dtype: a.dtype)
    let r = DenseArray(uninitializedShape: batch + [qc, n], dtype: a.dtype)
    func run<T: BinaryFloatingPoint & BitwiseCopyable>(_: T.Type) {
      for i in 0..<count {
        var c = ColumnMajor<T>(a, index: i, rows: m, columns: n)
        var tau = [T](repeating: 0, count: Swift.max(k, 1))
        if k > 0 { _ = fx_lapack_geqrf(isDouble(T.self), Int32(m), Int32(n), &c.values, &tau) }
        c.write(into: r, index: i, rows: qc, columns: n, keep: { row, col in col >= row })
        // Q from the reflectors below the diagonal: the first qc columns (m×qc, lda m).
        var qm = ColumnMajor<T>(zeros: m, qc)
        for col in 0..<Swift.min(qc, n) {
          for row in 0..<m { qm.values[col * m + row] = c.values[col * m + row] }
        }
        if m > 0 && qc > 0 { _ = fx_lapack_orgqr(isDouble(T.self), Int32(m), Int32(qc), Int32(k), &qm.values, tau) }
        qm.write(into: q, index: i)
      }
    }
    if a.dtype == .float64 { run(Double.self) } else { run(Float.self) }
    return (q, r)
  }
}

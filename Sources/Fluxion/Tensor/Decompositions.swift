import FluxionBackend

/// jnp.linalg's solves and decompositions on LAPACK, composed as JAX composes them so that
/// their values and derivatives are JAX's: solve and inv by LU with custom_linear_solve's rule,
/// det and slogdet by explicit formulas for small matrices and LU with their own JVP rules
/// otherwise, and cholesky, eigh, svd and qr as primitives with lax.linalg's JVP rules.
/// Each works on the trailing two axes and maps over leading ones. As JAX on CPU, a singular
/// matrix gives infinities and NaNs (no error), and cholesky of a matrix that is not positive
/// definite gives NaNs.
///
/// ```swift
/// let a = Tensor([[4.0, 1.0], [1.0, 3.0]])
/// Linalg.solve(a, Tensor([1.0, 2.0]))        // [0.0909…, 0.6363…]
/// Linalg.slogdet(a).logabsdet                // log 11
/// grad { Linalg.det($0) }(a)                 // det · A⁻ᵀ
/// ```
extension Linalg {
  /// The trailing sides, or nil below rank 2.
  static func sides(_ x: Tensor) -> (m: Int, n: Int)? {
    x.rank < 2 ? nil : (x.shape[x.rank - 2], x.shape[x.rank - 1])
  }

  static func isSquare(_ x: Tensor) -> Bool { sides(x).map { $0.m == $0.n } ?? false }

  /// The solution x of a·x = b (jnp.linalg.solve): b is one vector `[..., m]` or matrix
  /// `[..., m, n]` per matrix of `a` `[..., m, m]`, leading dimensions broadcast.
  public static func solve(_ a: Tensor, _ b: Tensor) -> Tensor {
    if let e = a.error ?? b.error { return Tensor(failed: e) }
    let xs = promote([a, b]).map(inexact)
    let (a, b) = (xs[0], xs[1])
    guard a.rank >= 2 else {
      return Tensor(
        failed: .valueError("left hand array must be at least two dimensional; got a.shape=\(pyShape(a.shape))"))
    }
    let m = a.shape[a.rank - 1]
    if b.rank > 1 && a.rank == b.rank + 1 && m == b.shape[b.rank - 1] && m != b.shape[b.rank - 2] {
      return Tensor(
        failed: .valueError(
          "Invalid shapes for solve: \(pyShape(a.shape)), \(pyShape(b.shape)). Prior to JAX v0.5.0, this would have been treated as a batched 1-dimensional solve. To recover this behavior, use solve(a, b[..., None]).squeeze(-1)."
        ))
    }
    let vector = b.rank == 1
    let signature = vector ? "(m,m),(m)->(m)" : "(m,m),(m,n)->(m,n)"
    func inconsistent(_ x: Int, _ y: Int) -> Tensor {
      Tensor(
        failed: .valueError(
          "inconsistent size for core dimension 'm': \(x) vs \(y) on vectorized function with excluded=frozenset() and signature='\(signature)'"
        ))
    }
    if a.shape[a.rank - 2] != m { return inconsistent(m, a.shape[a.rank - 2]) }
    let bm = b.shape[b.rank - (vector ? 1 : 2)]
    if bm != m { return inconsistent(bm, m) }
    let bBatch = Array(b.shape.dropLast(vector ? 1 : 2))
    guard let batch = broadcastShapes(Array(a.shape.dropLast(2)), bBatch) else {
      return Tensor(
        failed: FluxionError(.incompatibleShapes(operation: "solve", shapes: [a.shape, b.shape])))
    }
    let k = vector ? 1 : b.shape[b.rank - 1]
    let rhs = broadcastTo(vector ? expandDims(b, b.rank) : b, batch + [m, k])
    let x = bind1(LinearSolvePrimitive(), [broadcastTo(a, batch + [m, m]), rhs])
    return vector ? squeeze(x, axes: [x.rank - 1]) : x
  }

  /// The inverse of each matrix (jnp.linalg.inv): solve(a, I).
  public static func inv(_ a: Tensor) -> Tensor {
    if let e = a.error { return Tensor(failed: e) }
    guard let (m, n) = sides(a), m == n else {
      return Tensor(failed: .valueError("Argument to inv must have shape [..., n, n], got \(pyShape(a.shape))."))
    }
    let batch = Array(a.shape.dropLast(2))
    return solve(a, broadcastTo(eye(n, dtype: a.dtype), batch + [n, n]))
  }

  /// Entry (i, j) of each trailing matrix.
  static func entry(_ a: Tensor, _ i: Int, _ j: Int) -> Tensor {
    let lead = Array(repeating: 0, count: a.rank - 2)
    let s = slice(a, start: lead + [i, j], limit: Array(a.shape.dropLast(2)) + [i + 1, j + 1])
    return squeeze(s, axes: [a.rank - 2, a.rank - 1])
  }

  /// The determinant of each matrix (jnp.linalg.det): JAX's formulas for 2×2 and 3×3 (whose
  /// derivatives follow from them), otherwise sign·exp(logabsdet) with JAX's rule
  /// d det = tr(adj(A)·dA), the adjugate from the LU factors (finite at a singular A too).
  public static func det(_ input: Tensor) -> Tensor {
    if let e = input.error { return Tensor(failed: e) }
    let a = inexact(input)
    guard let (m, n) = sides(a), m == n else {
      return Tensor(failed: .valueError("Argument to _det() must have shape [..., n, n], got \(pyShape(a.shape))"))
    }
    let e = { (i: Int, j: Int) in entry(a, i, j) }
    if n == 2 { return e(0, 0) * e(1, 1) - e(0, 1) * e(1, 0) }
    if n == 3 {
      let plus = e(0, 0) * e(1, 1) * e(2, 2) + e(0, 1) * e(1, 2) * e(2, 0) + e(0, 2) * e(1, 0) * e(2, 1)
      return plus - e(0, 2) * e(1, 1) * e(2, 0) - e(0, 0) * e(1, 2) * e(2, 1) - e(0, 1) * e(1, 0) * e(2, 2)
    }
    return detRule(a)
  }

  static let detRule = CustomJVP(
    name: "_det", jvpName: "_det_jvp",
    { xs in
      let (sign, logdet) = slogdet(xs[0])
      return [sign * exp(logdet)]
    },
    jvp: { primals, tangents in
      let (y, z) = cofactorSolve(primals[0], tangents[0])
      return ([y], [matrixTrace(z)])
    })

  /// JAX's _cofactor_solve for square `a` and `b` of its shape: det(a) (the product of the LU
  /// pivots) and adj(a)·b, which stays finite for an `a` of rank n − 1 (one zero pivot): the
  /// last pivot is replaced by 1 / (the product of the others), and an `a` whose other pivots
  /// give an infinite or NaN solve gives 0.
  static func cofactorSolve(_ a: Tensor, _ b: Tensor) -> (det: Tensor, adjugateB: Tensor) {
    let n = a.shape[a.rank - 1]
    if n == 0 {
      // JAX indexes the second-to-last pivot product, which an empty matrix does not have.
      let e = FluxionError.indexError("index is out of bounds for axis 0 with size 0")
      return (Tensor(failed: e), Tensor(failed: e))
    }
    if n == 1 { return (entry(a, 0, 0), b) }
    let (lu, pivots, permutation) = luDecomposition(a)
    let batch = Array(a.shape.dropLast(2))
    let diag = matrixDiagonal(lu)
    let last = diag.rank - 1
    let int = { (v: Int) in Tensor(v, dtype: .int32) }
    let parity = (pivots .!= iota(.int32, pivots.shape, dimension: last)).astype(.int32).sum(axis: last)
    let sign = (int(1) - int(2) * remainder(parity, int(2))).astype(a.dtype)
    // The running products of the pivots (cumprod, in order), times the sign.
    let start = Array(repeating: 0, count: last)
    let pivot = { (j: Int) in reshape(slice(diag, start: start + [j], limit: batch + [j + 1]), batch) }
    var products = [pivot(0)]
    for j in 1..<n { products.append(products[j - 1] * pivot(j)) }
    let det = products[n - 1] * sign, beforeLast = products[n - 2] * sign
    let asMatrices = { (t: Tensor) in reshape(t, batch + [1, 1]) }
    let corner =
      (iota(.int32, [n, n], dimension: 0) .== int(n - 1)) .&& (iota(.int32, [n, n], dimension: 1) .== int(n - 1))
    let adjusted = select(
      broadcastTo(corner, lu.shape), broadcastTo(asMatrices(Tensor.weak(1.0) / beforeLast), lu.shape), lu)
    let probe = Fluxion.triangularSolve(adjusted, ones(batch + [n, 1], dtype: a.dtype), leftSide: true, lower: false)
    let degenerate = broadcastTo(asMatrices(any(logicalNot(isFinite(probe)), axes: [last, last + 1])), b.shape)
    var x = select(degenerate, zerosLike(b), b)
    x = Fluxion.triangularSolve(
      adjusted, permuteMatrixRows(x, permutation), leftSide: true, lower: true, unitDiagonal: true)
    let rows = { (range: Range<Int>) in matrixSlice(x, rows: true, range) }
    x = concatenate([rows(0..<(n - 1)) * asMatrices(det), rows((n - 1)..<n)], axis: x.rank - 2)
    x = Fluxion.triangularSolve(adjusted, x, leftSide: true, lower: false)
    return (det, select(degenerate, zerosLike(x), x))
  }

  /// The sign and the log of the absolute value of each determinant (jnp.linalg.slogdet): a
  /// singular matrix gives (0, −inf). JAX's explicit formulas for 1×1 and 2×2, LU otherwise;
  /// the derivative of logabsdet is tr(A⁻¹·dA), the sign's is zero.
  public static func slogdet(_ input: Tensor) -> (sign: Tensor, logabsdet: Tensor) {
    if let e = input.error { return (Tensor(failed: e), Tensor(failed: e)) }
    let a = inexact(input)
    guard let (m, n) = sides(a), m == n else {
      let e = FluxionError.valueError("Argument to slogdet() must have shape [..., n, n], got \(pyShape(a.shape))")
      return (Tensor(failed: e), Tensor(failed: e))
    }
    let outs = (n == 1 || n == 2 ? slogdetSmallRule : slogdetLURule)([a])
    return (outs[0], outs[1])
  }

  static func slogdetSmall(_ a: Tensor) -> [Tensor] {
    let n = a.shape[a.rank - 1]
    let d = n == 1 ? entry(a, 0, 0) : entry(a, 0, 0) * entry(a, 1, 1) - entry(a, 0, 1) * entry(a, 1, 0)
    return [sign(d), log(abs(d))]
  }

  static let slogdetSmallRule = CustomJVP(
    name: "_slogdet_small", jvpName: "_slogdet_small_jvp", { slogdetSmall($0[0]) },
    jvp: { primals, tangents in
      let (x, g) = (primals[0], tangents[0])
      let outs = slogdetSmall(x)
      let e = { (t: Tensor, i: Int, j: Int) in entry(t, i, j) }
      let dot: Tensor
      if x.shape[x.rank - 1] == 1 {
        dot = e(g, 0, 0) / e(x, 0, 0)
      } else {
        let d = e(x, 0, 0) * e(x, 1, 1) - e(x, 0, 1) * e(x, 1, 0)
        dot =
          (e(g, 0, 0) * e(x, 1, 1) - e(g, 0, 1) * e(x, 1, 0) - e(g, 1, 0) * e(x, 0, 1) + e(g, 1, 1) * e(x, 0, 0)) / d
      }
      return (outs, [zerosLike(outs[0]), dot])
    })

  /// sign and log|det| from the LU factors (JAX's _slogdet_lu).
  static func slogdetLU(_ a: Tensor) -> [Tensor] {
    let (lu, pivots, _) = luDecomposition(a)
    let diag = matrixDiagonal(lu)
    let last = diag.rank - 1
    let zero = Tensor(0.0, dtype: a.dtype)
    let isZero = any(diag .== zero, axis: last)
    let steps = iota(.int32, pivots.shape, dimension: pivots.rank - 1)
    let swaps = (pivots .!= steps).astype(.int32).sum(axis: last)
    let negatives = (diag .< zero).astype(.int32).sum(axis: last)
    let parity = remainder(swaps + negatives, Tensor(2, dtype: .int32))
    let sign = select(
      isZero, zerosLike(parity.aval).astype(a.dtype),
      (Tensor(1, dtype: .int32) - Tensor(2, dtype: .int32) * parity).astype(a.dtype))
    let logdet = select(isZero, fullLike(sign, -.infinity), log(abs(diag)).sum(axis: last))
    return [sign, logdet]
  }

  static let slogdetLURule = CustomJVP(
    name: "_slogdet_lu", jvpName: "_slogdet_jvp", { slogdetLU($0[0]) },
    jvp: { primals, tangents in
      let outs = slogdet(primals[0])
      return ([outs.sign, outs.logabsdet], [zerosLike(outs.sign), matrixTrace(solve(primals[0], tangents[0]))])
    })

  /// The lower Cholesky factor L of each matrix, A = L·Lᵀ (jnp.linalg.cholesky); `upper` gives
  /// Lᵀ. With `symmetrizeInput` (JAX's default) the factorisation is of (A + Aᵀ)/2, which gives
  /// symmetric derivatives. NaNs for a matrix that is not positive definite.
  public static func cholesky(_ input: Tensor, upper: Bool = false, symmetrizeInput: Bool = true) -> Tensor {
    if let e = input.error { return Tensor(failed: e) }
    let a = inexact(input)
    if let e = squareForSymmetrize(a) { return Tensor(failed: e) }
    let l = bind1(CholeskyPrimitive(), [symmetrizeInput ? symmetrize(a) : a])
    return upper ? matrixTranspose(l) : l
  }

  /// JAX's error for a non-square (or 1-d) operand, which it meets symmetrising it.
  static func squareForSymmetrize(_ a: Tensor) -> FluxionError? {
    guard a.rank >= 2 else {
      return .typeError(
        "transpose permutation isn't a permutation of operand dimensions, got permutation \(pyTuple(Array(0..<Swift.max(a.rank - 2, 0)) + [a.rank - 1, a.rank - 2])) for operand shape \(pyShape(a.shape))."
      )
    }
    if isSquare(a) { return nil }
    return FluxionError(
      .incompatibleShapes(
        operation: "add", shapes: [a.shape, Array(a.shape.dropLast(2)) + [a.shape[a.rank - 1], a.shape[a.rank - 2]]]))
  }

  /// Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix
  /// (jnp.linalg.eigh), from its lower triangle (`lower`, UPLO='L') or upper one; with
  /// `symmetrizeInput` (JAX's default) of (A + Aᵀ)/2.
  public static func eigh(_ input: Tensor, lower: Bool = true, symmetrizeInput: Bool = true) -> (
    eigenvalues: Tensor, eigenvectors: Tensor
  ) {
    if let e = input.error { return (Tensor(failed: e), Tensor(failed: e)) }
    let a = inexact(input)
    if let e = squareForSymmetrize(a) { return (Tensor(failed: e), Tensor(failed: e)) }
    let outs = bind(EighPrimitive(lower: lower), [symmetrizeInput ? symmetrize(a) : a])
    return (outs[1], outs[0])
  }

  static func rankError(_ name: String, _ a: Tensor) -> FluxionError? {
    a.rank >= 2 ? nil : .typeError("Input 0 to \(name) must have rank at least 2, but got shape=\(pyShape(a.shape))")
  }

  /// The singular value decomposition A = U·diag(S)·Vh (jnp.linalg.svd), S descending; U and
  /// Vh square with `fullMatrices` (JAX's default), else thin.
  public static func svd(_ input: Tensor, fullMatrices: Bool = true) -> (u: Tensor, s: Tensor, vh: Tensor) {
    if let e = input.error { return (Tensor(failed: e), Tensor(failed: e), Tensor(failed: e)) }
    let a = inexact(input)
    if let e = rankError("svd", a) { return (Tensor(failed: e), Tensor(failed: e), Tensor(failed: e)) }
    let outs = bind(SVDPrimitive(fullMatrices: fullMatrices, computeUV: true), [a])
    return (outs[1], outs[0], outs[2])
  }

  /// The singular values alone (jnp.linalg.svd with compute_uv=False), descending.
  public static func singularValues(_ input: Tensor) -> Tensor {
    if let e = input.error { return Tensor(failed: e) }
    let a = inexact(input)
    if let e = rankError("svd", a) { return Tensor(failed: e) }
    return bind1(SVDPrimitive(fullMatrices: false, computeUV: false), [a])
  }

  /// Q and R with A = Q·R (jnp.linalg.qr): thin (k = min(m, n) columns of Q, JAX's "reduced")
  /// or, with `complete`, Q square.
  public static func qr(_ input: Tensor, complete: Bool = false) -> (q: Tensor, r: Tensor) {
    if let e = input.error { return (Tensor(failed: e), Tensor(failed: e)) }
    let a = inexact(input)
    if let e = rankError("qr", a) { return (Tensor(failed: e), Tensor(failed: e)) }
    let outs = bind(QRPrimitive(fullMatrices: complete), [a])
    return (outs[0], outs[1])
  }
}

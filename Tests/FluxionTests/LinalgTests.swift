import Testing

@testable import Fluxion

/// jnp.linalg's solves and decompositions against JAX (Fixtures/api_functions.json, made by
/// Tests/fixtures/make_api_fixtures.py): values and whole-function derivatives, within `atol`
/// where LAPACK's last bits are not XLA's.
struct LinalgTests {
  let s = Tensor([[4.0, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]])
  let g = Tensor([[2.0, -1, 0.5, 0], [0.3, 1.5, 0.2, -0.4], [0, 0.4, 3, 0.6], [0.1, -0.3, 0.2, 1.2]])
  let m = Tensor([[1.0, -2, 3], [-4, 5, -6]])
  let tol = 2e-5

  func block(_ x: Tensor, _ rows: Int, _ columns: Int) -> Tensor {
    slice(x, start: [0, 0], limit: [rows, columns])
  }

  // jnp.linalg.solve(s, [1, 2, 3]); solve(s, arange(6).reshape(3, 2));
  // solve(stack([s, 2s]), ones((1, 3, 2))); grad of sum(solve(a, b)²) in (a, b)
  @Test func solve() {
    APIFixture.check(Linalg.solve(s, Tensor([1.0, 2, 3])), "linalg_solve_vector", atol: tol)
    APIFixture.check(Linalg.solve(s, arange(6.0).reshaped(3, 2)), "linalg_solve_matrix", atol: tol)
    APIFixture.check(Linalg.solve(stack([s, s * 2]), ones([1, 3, 2])), "linalg_solve_broadcast", atol: tol)
    let (ga, gb) = grad { (a: Tensor, b: Tensor) in Linalg.solve(a, b).pow(2).sum() }(s, Tensor([1.0, 2, 3]))
    APIFixture.check(ga, "linalg_solve_grads", 0, atol: tol)
    APIFixture.check(gb, "linalg_solve_grads", 1, atol: tol)
    APIFixture.check(jacfwd { Linalg.solve(s, $0) }(ones([3])), "linalg_jacfwd_solve", atol: tol)
    APIFixture.check(jacrev { Linalg.solve(s, $0) }(ones([3])), "linalg_jacrev_solve", atol: tol)
  }

  @Test func inverse() {
    APIFixture.check(Linalg.inv(s), "linalg_inv", atol: tol)
    APIFixture.check(grad { matmul(Linalg.inv($0), Tensor([1.0, -1, 2])).sum() }(s), "linalg_inv_grad", atol: tol)
  }

  @Test func determinants() {
    for (i, x) in [block(s, 2, 2), s, g].enumerated() {
      APIFixture.check(Linalg.det(x), "linalg_det", i, atol: 1e-4)
      APIFixture.check(grad { Linalg.det($0) }(x), "linalg_det_grads", i, atol: 1e-4)
    }
    let singular = Tensor([[1.0, 2, 3, 4], [2, 4, 6, 8], [0, 1, 0.5, 2], [3, 0, 1, 1]])
    APIFixture.check(grad { Linalg.det($0) }(singular), "linalg_det_grad_singular", atol: 1e-4)
    APIFixture.check(hessian { Linalg.det($0) }(g)[1, 2], "linalg_det_hessian", atol: 1e-4)
    for (i, x) in [-block(s, 2, 2), s, g].enumerated() {
      let r = Linalg.slogdet(x)
      APIFixture.check(r.sign, "linalg_slogdet", i * 2, atol: tol)
      APIFixture.check(r.logabsdet, "linalg_slogdet", i * 2 + 1, atol: tol)
    }
    for (i, x) in [block(s, 1, 1), block(s, 2, 2), s, g].enumerated() {
      APIFixture.check(grad { Linalg.slogdet($0).logabsdet }(x), "linalg_slogdet_grads", i, atol: tol)
    }
    APIFixture.check(hessian { Linalg.slogdet($0).logabsdet }(block(s, 2, 2)), "linalg_logdet_hessian", atol: tol)
    APIFixture.check(
      vmap(grad { Linalg.slogdet($0).logabsdet })(stack([s, s + eye(3)])), "linalg_vmap_slogdet_grad", atol: tol)
  }

  @Test func decompositions() {
    let weights = arange(9.0).reshaped(3, 3)
    APIFixture.check(Linalg.cholesky(s), "linalg_cholesky", atol: tol)
    APIFixture.check(grad { (Linalg.cholesky($0) * weights).sum() }(s), "linalg_cholesky_grad", atol: tol)
    APIFixture.check(Linalg.eigh(s).eigenvalues, "linalg_eigh_values", atol: tol)
    APIFixture.check(
      grad { dot(Linalg.eigh($0).eigenvalues, Tensor([1.0, 2, 3])) }(s), "linalg_eigh_grad", atol: tol)
    let tall = block(g, 4, 3)
    APIFixture.check(Linalg.singularValues(tall), "linalg_svd_values", atol: tol)
    APIFixture.check(grad { Linalg.singularValues($0).pow(3).sum() }(tall), "linalg_svd_grad", atol: 1e-4)
    APIFixture.check(
      grad { x in
        let r = Linalg.svd(x, fullMatrices: false)
        return (r.u.pow(3) * 0).sum() + r.s.sum()
      }(block(g, 3, 4)), "linalg_svd_reconstruction_grad", atol: tol)
    APIFixture.check(Linalg.qr(tall).r, "linalg_qr_r", atol: tol)
    APIFixture.check(grad { (Linalg.qr($0).r * weights).sum() }(tall), "linalg_qr_grad", atol: tol)
  }

  // [jnp.linalg.norm(m, ord=o) for o in (2, -2, 'nuc')] and their gradients; keepdims over (0, 2).
  @Test func spectralNorms() {
    let orders: [(Double?, String?)] = [(2, nil), (-2, nil), (nil, "nuc")]
    for (i, (p, name)) in orders.enumerated() {
      let f = { (x: Tensor) in name.map { Linalg.norm(x, ord: $0) } ?? Linalg.norm(x, ord: p) }
      APIFixture.check(f(m), "norm_spectral", i, atol: tol)
      APIFixture.check(grad(f)(m), "norm_spectral_grads", i, atol: tol)
    }
    let t = arange(12.0).reshaped(2, 3, 2) - 5
    APIFixture.check(Linalg.norm(t, ord: 2, axes: [0, 2], keepDims: true), "norm_spectral_keepdims", 0, atol: tol)
    APIFixture.check(Linalg.norm(t, ord: "nuc", axes: [0, 2], keepDims: true), "norm_spectral_keepdims", 1, atol: tol)
  }

  /// As JAX on CPU: no error for singular or indefinite input, but infinities and NaNs.
  @Test func singularInputs() throws {
    #expect(try Linalg.det(Tensor([[1.0, 2], [2, 4]])).doubles == [0])
    let r = Linalg.slogdet(zeros([3, 3]))
    #expect(try r.sign.doubles == [0] && r.logabsdet.doubles == [-.infinity])
    let l = try Linalg.cholesky(-eye(2)).doubles
    #expect(l[0].isNaN && l[1] == 0 && l[2].isNaN && l[3].isNaN)
    #expect(try Linalg.inv(ones([2, 2])).doubles.allSatisfy { $0.isInfinite })
    #expect(try Linalg.solve(ones([2, 2]), ones([2])).doubles.allSatisfy { $0.isNaN })
  }

  /// float64 results (x64) keep their dtype and solve to float64 rounding.
  @Test func float64() throws {
    try Config.withX64(true) {
      let a = arange(1.0, 26).reshaped(5, 5) / 10 + eye(5) * 3
      let b = arange(5.0)
      let x = Linalg.solve(a, b)
      #expect(x.dtype == .float64)
      let residual = try (matmul(a, x) - b).doubles.map { Swift.abs($0) }.max() ?? 1
      #expect(residual < 1e-13)
      let (w, v) = Linalg.eigh(a + a.transposed())
      let back = matmul(matmul(v, diag(w)), v.transposed())
      #expect(try zip(back.doubles, (a + a.transposed()).doubles).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
      let (q, rr) = Linalg.qr(a)
      #expect(try zip(matmul(q, rr).doubles, a.doubles).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
      let (u, sv, vh) = Linalg.svd(a)
      #expect(try zip(matmul(u * sv, vh).doubles, a.doubles).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
    }
  }

  /// jit lowers the matrix primitives like any other call.
  @Test func underJit() throws {
    let f = jit { (x: Tensor) in
      Linalg.slogdet(x).logabsdet + Linalg.cholesky(x).sum() + Linalg.solve(x, ones([3])).sum()
    }
    let direct = Linalg.slogdet(s).logabsdet + Linalg.cholesky(s).sum() + Linalg.solve(s, ones([3])).sum()
    #expect(try Swift.abs(f(s).item() - direct.item()) < 1e-5)
  }

  @Test func shapeErrors() {
    #expect(Linalg.inv(ones([2, 3])).error?.message == "Argument to inv must have shape [..., n, n], got (2, 3).")
    #expect(
      Linalg.solve(eye(3), ones([2])).error?.message
        == "inconsistent size for core dimension 'm': 2 vs 3 on vectorized function with excluded=frozenset() and signature='(m,m),(m)->(m)'"
    )
    #expect(Linalg.det(ones([2, 3])).error?.message == "Argument to _det() must have shape [..., n, n], got (2, 3)")
    #expect(Linalg.svd(ones([3])).s.error?.kind == .typeError)
    #expect(grad { Linalg.svd($0).u.sum() }(ones([3, 2])).error?.kind == .notImplementedError)
  }

  /// LAPACK's 32-bit sizes: a larger matrix is refused (traced abstractly, so nothing is allocated).
  @Test func beyondLAPACKSizes() {
    let big = ShapedArray(shape: [50_000, 50_000], dtype: .float32, weakType: false)
    for f in [{ Linalg.qr($0).r }, { Linalg.svd($0).s }, { Linalg.inv($0) }, { Linalg.cholesky($0) }]
      as [(Tensor) -> Tensor]
    {
      var kind: FluxionError.Kind?
      _ = traceBody([big]) { xs in
        let r = f(xs[0])
        kind = r.error?.kind
        return [r]
      }
      #expect(kind == .resourceExhausted)
    }
  }
}

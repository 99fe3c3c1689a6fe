import Testing

@testable import Fluxion

/// `Linalg.norm` against jnp.linalg.norm (Fixtures/api_functions.json), including JAX's
/// gradients at 0 (NaN for the 2-norm; ties shared for the ∞-norms) and its errors.
struct NormTests {
  let v = Tensor([3.0, -4, 0, 1.5])
  let m = Tensor([[1.0, -2, 3], [-4, 5, -6]])

  // jnp.linalg.norm(v); [jnp.linalg.norm(v, ord=o) for o in (2, 1, jnp.inf, -jnp.inf, 0, 3, 0.5, -1)]
  // jnp.linalg.norm(jnp.arange(4)); jnp.linalg.norm(jnp.arange(8.).reshape(2, 2, 2))
  @Test func vectorOrders() {
    APIFixture.check(Linalg.norm(v), "norm_default")
    for (i, ord) in ([2, 1, .infinity, -.infinity, 0, 3, 0.5, -1] as [Double]).enumerated() {
      APIFixture.check(Linalg.norm(v, ord: ord), "norm_vector_orders", i)
    }
    APIFixture.check(Linalg.norm(arange(4)), "norm_int_input")
    APIFixture.check(Linalg.norm(arange(8.0).reshaped(2, 2, 2)), "norm_rank3_default")
  }

  // [jnp.linalg.norm(m, ord=o) for o in (None, 'fro', 1, -1, jnp.inf, -jnp.inf)]
  // [jnp.linalg.norm(m, ord=o, axis=(1, 0)) for o in (1, jnp.inf)]
  // [jnp.linalg.norm(t, ord=o, axis=(0, 2), keepdims=True) for o in (None, 1, -1, jnp.inf, -jnp.inf)]
  //   with t = jnp.arange(12.).reshape(2, 3, 2) - 5.
  @Test func matrixOrders() {
    APIFixture.check(Linalg.norm(m), "norm_matrix_orders", 0)
    APIFixture.check(Linalg.norm(m, ord: "fro"), "norm_matrix_orders", 1)
    for (i, ord) in ([1, -1, .infinity, -.infinity] as [Double]).enumerated() {
      APIFixture.check(Linalg.norm(m, ord: ord), "norm_matrix_orders", i + 2)
    }
    APIFixture.check(Linalg.norm(m, ord: 1, axes: [1, 0]), "norm_matrix_axes_reversed", 0)
    APIFixture.check(Linalg.norm(m, ord: .infinity, axes: [1, 0]), "norm_matrix_axes_reversed", 1)
    let t = arange(12.0).reshaped(2, 3, 2) - 5
    for (i, ord) in ([nil, 1, -1, .infinity, -.infinity] as [Double?]).enumerated() {
      APIFixture.check(Linalg.norm(t, ord: ord, axes: [0, 2], keepDims: true), "norm_matrix_keepdims", i)
    }
  }

  // jnp.linalg.norm(m, axis=1); jnp.linalg.norm(m, axis=0, keepdims=True)
  // jnp.linalg.norm(m, ord=1, axis=-1); jnp.linalg.norm(m, ord=0, axis=1)
  @Test func overOneAxis() {
    APIFixture.check(Linalg.norm(m, axis: 1), "norm_axis")
    APIFixture.check(Linalg.norm(m, axis: 0, keepDims: true), "norm_axis_keepdims")
    APIFixture.check(Linalg.norm(m, ord: 1, axis: -1), "norm_axis_ord1")
    APIFixture.check(Linalg.norm(m, ord: 0, axis: 1), "norm_axis_ord0")
  }

  // [jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(v) for o in (None, 1, jnp.inf, -jnp.inf, 3)]
  // [jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(jnp.zeros(3)) for o in (None, 1, jnp.inf, -jnp.inf, 0, 3)]
  @Test func vectorGradientsIncludingAtZero() {
    for (i, ord) in ([nil, 1, .infinity, -.infinity, 3] as [Double?]).enumerated() {
      APIFixture.check(grad { Linalg.norm($0, ord: ord) }(v), "norm_grad_vector", i)
    }
    for (i, ord) in ([nil, 1, .infinity, -.infinity, 0, 3] as [Double?]).enumerated() {
      APIFixture.check(grad { Linalg.norm($0, ord: ord) }(zeros([3])), "norm_grad_at_zero", i)
    }
  }

  // [jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(m) for o in (None, 1, -1, jnp.inf, -jnp.inf)]
  // the same at jnp.zeros((2, 2)); jax.vmap(jnp.linalg.norm)(m); jax.hessian(jnp.linalg.norm)([3., 4.])
  @Test func matrixGradientsBatchingAndHessian() {
    for (i, ord) in ([nil, 1, -1, .infinity, -.infinity] as [Double?]).enumerated() {
      APIFixture.check(grad { Linalg.norm($0, ord: ord) }(m), "norm_grad_matrix", i)
      APIFixture.check(grad { Linalg.norm($0, ord: ord) }(zeros([2, 2])), "norm_grad_matrix_at_zero", i)
    }
    APIFixture.check(vmap { Linalg.norm($0) }(m), "norm_vmap")
    APIFixture.check(hessian { Linalg.norm($0) }(Tensor([3.0, 4])), "norm_hessian")
  }

  // (jnp.linalg.norm(jnp.ones(0), ord=jnp.inf), jnp.linalg.norm(jnp.ones(0)))
  // jnp.linalg.norm(jnp.ones(0), ord=-jnp.inf) is a ValueError
  @Test func emptyVectors() {
    APIFixture.check(Linalg.norm(ones([0]), ord: .infinity), "norm_edge_empty", 0)
    APIFixture.check(Linalg.norm(ones([0])), "norm_edge_empty", 1)
    APIFixture.checkError(Linalg.norm(ones([0]), ord: -.infinity), "norm_edge_empty_neg_inf")
  }

  // jnp.linalg.norm(m, ord=3); jnp.linalg.norm(m, ord=0); jnp.linalg.norm(v, ord='fro')
  // jnp.linalg.norm(v, ord='inf'); jnp.linalg.norm(jnp.ones((2, 2, 2)), ord=2)
  // jnp.linalg.norm(jnp.ones((2, 2, 2)), axis=3); jnp.linalg.norm(jnp.ones((2, 2, 2)), axis=(0, 0))
  @Test func badOrdersAndAxesGiveJAXErrors() {
    APIFixture.checkError(Linalg.norm(m, ord: 3), "norm_error_matrix_order")
    APIFixture.checkError(Linalg.norm(m, ord: 0), "norm_error_matrix_order_0")
    APIFixture.checkError(Linalg.norm(v, ord: "fro"), "norm_error_vector_fro")
    APIFixture.checkError(Linalg.norm(v, ord: "inf"), "norm_error_vector_inf_string")
    APIFixture.checkError(Linalg.norm(ones([2, 2, 2]), ord: 2), "norm_error_three_axes")
    APIFixture.checkError(Linalg.norm(ones([2, 2, 2]), axis: 3), "norm_error_axis")
    APIFixture.checkError(Linalg.norm(ones([2, 2, 2]), axes: [0, 0]), "norm_error_duplicate_axes")
    // The spectral and nuclear norms (from an SVD) are checked in LinalgTests.
  }
}

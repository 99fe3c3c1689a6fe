import Testing

@testable import Fluxion

/// `NN` (jax.nn), `logsumexp` (jax.scipy.special) and `logaddexp` (jnp) against JAX
/// (Fixtures/api_functions.json): values, dtypes and weak types, and their derivatives through
/// grad, jvp, vmap, jit, jacrev and hessian, including JAX's conventions at kinks and infinities.
struct NNTests {
  let a = arange(6.0).reshaped(2, 3)

  @Test func fixturesAreLoaded() { #expect(APIFixture.cases.count > 150) }

  // nn.relu(jnp.array([-2., -0.5, 0., 0.5, 2.])); nn.relu(jnp.array([-2, 0, 3])); nn.relu(2)
  // jax.vmap(jax.grad(nn.relu))(jnp.array([-1., 0., 1.]))          relu'(0) = 0
  // jax.jvp(nn.relu, (jnp.array([-1., 0., 2.]),), (jnp.array([5., 6., 7.]),))
  // jax.jit(jax.grad(lambda x: jnp.sum(nn.relu(x) ** 2)))(jnp.array([-1., 0., 3.]))
  // jax.hessian(lambda x: jnp.sum(nn.relu(x) ** 3))(jnp.array([-1., 0., 2.]))
  @Test func reluHasZeroGradientAtZero() {
    APIFixture.check(NN.relu(Tensor([-2.0, -0.5, 0, 0.5, 2])), "nn_relu")
    APIFixture.check(NN.relu(Tensor([-2, 0, 3])), "nn_relu_int")
    APIFixture.check(NN.relu(2), "nn_relu_python_scalar")
    APIFixture.check(vmap(grad { NN.relu($0) })(Tensor([-1.0, 0, 1])), "nn_relu_grad_at_kink")
    let (y, t) = jvp({ NN.relu($0) }, primals: Tensor([-1.0, 0, 2]), tangents: Tensor([5.0, 6, 7]))
    APIFixture.check(y, "nn_relu_jvp", 0)
    APIFixture.check(t, "nn_relu_jvp", 1)
    let staged = jit(grad { (x: Tensor) in (NN.relu(x) ** 2).sum() })
    APIFixture.check(staged(Tensor([-1.0, 0, 3])), "nn_relu_jit_grad")
    APIFixture.check(hessian { (x: Tensor) in (NN.relu(x) ** 3).sum() }(Tensor([-1.0, 0, 2])), "nn_relu_hessian")
  }

  // nn.softplus(jnp.array([-100., -20., -1., 0., 1., 20., 100.])); nn.softplus(jnp.arange(3))
  // jax.vmap(jax.grad(nn.softplus))(jnp.array([-100., -1., 0., 1., 100.]))
  // jax.vmap(jax.hessian(nn.softplus))(jnp.array([-2., 0., 3.]))
  // nn.sigmoid(...); jax.vmap(jax.grad(nn.sigmoid))(...); nn.sigmoid(jnp.arange(3)) is a TypeError
  // nn.silu(jnp.array([-2., 0., 1.5])); nn.log_sigmoid(jnp.array([-50., -1., 0., 2.]))
  @Test func softplusSigmoidAndFriends() {
    APIFixture.check(NN.softplus(Tensor([-100.0, -20, -1, 0, 1, 20, 100])), "nn_softplus")
    APIFixture.check(NN.softplus(arange(3)), "nn_softplus_int")
    APIFixture.check(vmap(grad { NN.softplus($0) })(Tensor([-100.0, -1, 0, 1, 100])), "nn_softplus_grad")
    APIFixture.check(vmap(hessian { NN.softplus($0) })(Tensor([-2.0, 0, 3])), "nn_softplus_hessian")
    APIFixture.check(NN.sigmoid(Tensor([-10.0, -1, 0, 1, 10])), "nn_sigmoid")
    APIFixture.check(vmap(grad { NN.sigmoid($0) })(Tensor([-2.0, 0, 3])), "nn_sigmoid_grad")
    APIFixture.checkError(NN.sigmoid(arange(3)), "nn_sigmoid_int_error")
    APIFixture.check(NN.silu(Tensor([-2.0, 0, 1.5])), "nn_silu")
    APIFixture.check(NN.logSigmoid(Tensor([-50.0, -1, 0, 2])), "nn_log_sigmoid")
  }

  // nn.gelu(jnp.array([-5., -1., -0.1, 0., 0.1, 1., 3.]))
  // nn.gelu(jnp.array([-10., -5., -1., 0., 1., 3.]), approximate=False)
  // jax.vmap(jax.grad(nn.gelu))(jnp.array([-2., 0., 0.5, 2.])), and with approximate=False
  // XLA's tanh saturates to ±1 early (so JAX's gelu(-5) is -0.0, Fluxion's -3e-7) and its
  // derivative 1 - tanh² cancels: the tanh form agrees to 1e-6 absolute, 32 ulp in the gradient.
  @Test func geluBothForms() {
    APIFixture.check(NN.gelu(Tensor([-5.0, -1, -0.1, 0, 0.1, 1, 3])), "nn_gelu", atol: 1e-6)
    APIFixture.check(NN.gelu(Tensor([-10.0, -5, -1, 0, 1, 3]), approximate: false), "nn_gelu_exact")
    APIFixture.check(vmap(grad { NN.gelu($0) })(Tensor([-2.0, 0, 0.5, 2])), "nn_gelu_grad", ulps: 32)
    APIFixture.check(
      vmap(grad { NN.gelu($0, approximate: false) })(Tensor([-2.0, 0, 0.5, 2])), "nn_gelu_exact_grad")
  }

  // nn.softmax(a); nn.softmax(a, axis=0); nn.softmax(a, axis=None); nn.softmax(t, axis=(0, 2))
  // nn.softmax(jnp.arange(3)); nn.softmax(jnp.array([-jnp.inf, 0., 1.]))
  // jax.jacrev(nn.softmax)(jnp.array([0.5, -1., 2.])); jax.vmap(nn.softmax)(a)
  // nn.softmax(jnp.ones(3), axis=2) is a ValueError
  @Test func softmaxOverAxes() {
    APIFixture.check(NN.softmax(a), "nn_softmax")
    APIFixture.check(NN.softmax(a, axis: 0), "nn_softmax_axis0")
    APIFixture.check(NN.softmax(a, axes: nil), "nn_softmax_all_axes")
    APIFixture.check(NN.softmax(arange(12.0).reshaped(2, 3, 2) / 3.0, axes: [0, 2]), "nn_softmax_axes_tuple")
    APIFixture.check(NN.softmax(arange(3)), "nn_softmax_int")
    APIFixture.check(NN.softmax(Tensor([-.infinity, 0, 1])), "nn_softmax_neg_inf")
    APIFixture.check(jacrev { NN.softmax($0) }(Tensor([0.5, -1, 2])), "nn_softmax_jacrev")
    APIFixture.check(vmap { NN.softmax($0) }(a), "nn_softmax_vmap")
    APIFixture.checkError(NN.softmax(ones([3]), axis: 2), "nn_softmax_axis_error")
    APIFixture.check(softmax(a), "nn_softmax")
  }

  // nn.log_softmax(a); nn.log_softmax(a, axis=0)
  // jax.grad(lambda x: nn.log_softmax(x)[1])(jnp.array([0.5, -1., 2.]))
  @Test func logSoftmax() {
    APIFixture.check(NN.logSoftmax(a), "nn_log_softmax")
    APIFixture.check(NN.logSoftmax(a, axis: 0), "nn_log_softmax_axis0")
    APIFixture.check(grad { NN.logSoftmax($0)[1] }(Tensor([0.5, -1, 2])), "nn_log_softmax_grad")
  }

  // nn.one_hot(jnp.array([0, 2, -1, 3]), 3); nn.one_hot(jnp.array([[0, 1]]), 3, axis=0)
  // nn.one_hot(jnp.array([1, 0]), 2, dtype=jnp.int32); nn.one_hot(jnp.array([0., 1.5, 2.]), 3)
  // nn.one_hot(jnp.array([0, 1]), 3, axis=2) and nn.one_hot(jnp.arange(2), -1) are errors
  // jax.vmap(lambda i: nn.one_hot(i, 4))(jnp.array([3, 0]))
  @Test func oneHot() {
    APIFixture.check(NN.oneHot(Tensor([0, 2, -1, 3]), 3), "nn_one_hot")
    APIFixture.check(NN.oneHot(Tensor([[0, 1]]), 3, axis: 0), "nn_one_hot_axis0")
    APIFixture.check(NN.oneHot(Tensor([1, 0]), 2, dtype: .int32), "nn_one_hot_dtype")
    APIFixture.check(NN.oneHot(Tensor([0.0, 1.5, 2]), 3), "nn_one_hot_float_input")
    APIFixture.checkError(NN.oneHot(Tensor([0, 1]), 3, axis: 2), "nn_one_hot_axis_error")
    APIFixture.checkError(NN.oneHot(arange(2), -1), "nn_one_hot_negative_classes")
    APIFixture.check(vmap { NN.oneHot($0, 4) }(Tensor([3, 0])), "nn_one_hot_vmap")
  }

  // jsp.logsumexp(jnp.array([1., 2., 3.])); jsp.logsumexp(a, axis=1)
  // jsp.logsumexp(a, axis=0, keepdims=True); jsp.logsumexp(arange(12.).reshape(2, 3, 2), axis=(0, 2))
  // jsp.logsumexp([-inf, -inf]); jsp.logsumexp([inf, 1.]); jsp.logsumexp([1000., 1000.])
  // jsp.logsumexp(jnp.arange(3)); nn.logsumexp(a, axis=-1)
  @Test func logsumexpValues() {
    APIFixture.check(logsumexp(Tensor([1.0, 2, 3])), "logsumexp_all")
    APIFixture.check(logsumexp(a, axis: 1), "logsumexp_axis")
    APIFixture.check(logsumexp(a, axis: 0, keepDims: true), "logsumexp_axis0_keepdims")
    APIFixture.check(logsumexp(arange(12.0).reshaped(2, 3, 2), axes: [0, 2]), "logsumexp_axes_tuple")
    APIFixture.check(logsumexp(Tensor([-.infinity, -.infinity])), "logsumexp_all_neg_inf")
    APIFixture.check(logsumexp(Tensor([.infinity, 1])), "logsumexp_pos_inf")
    APIFixture.check(logsumexp(Tensor([1000.0, 1000])), "logsumexp_large")
    APIFixture.check(logsumexp(arange(3)), "logsumexp_int")
    APIFixture.check(NN.logsumexp(a, axis: -1), "logsumexp_nn_alias")
  }

  // jsp.logsumexp(jnp.array([1., 2., 3.]), b=jnp.array([1., 0.5, 0.]))
  // jsp.logsumexp(jnp.array([1., 2.]), b=jnp.array([1., -1.]))        NaN: the weighted sum is negative
  // jsp.logsumexp(a, axis=1, b=jnp.array([1., 2., 3.]))
  // jsp.logsumexp(jnp.ones(3), axis=2) and jsp.logsumexp(jnp.ones(3), b=jnp.ones(4)) are errors
  @Test func logsumexpWeightsAndErrors() {
    APIFixture.check(logsumexp(Tensor([1.0, 2, 3]), b: Tensor([1.0, 0.5, 0])), "logsumexp_b")
    APIFixture.check(logsumexp(Tensor([1.0, 2]), b: Tensor([1.0, -1])), "logsumexp_b_negative_sum")
    APIFixture.check(logsumexp(a, axis: 1, b: Tensor([1.0, 2, 3])), "logsumexp_b_broadcast")
    APIFixture.checkError(logsumexp(ones([3]), axis: 2), "logsumexp_axis_error")
    APIFixture.checkError(logsumexp(ones([3]), b: ones([4])), "logsumexp_b_shape_error")
  }

  // jax.grad(jsp.logsumexp)(jnp.array([1., 2., 3.])); jax.grad(jsp.logsumexp)(jnp.array([-jnp.inf, 0.]))
  // jax.hessian(jsp.logsumexp)(jnp.array([0.5, -1., 2.])); jax.vmap(jsp.logsumexp)(a)
  @Test func logsumexpDerivatives() {
    APIFixture.check(grad { logsumexp($0) }(Tensor([1.0, 2, 3])), "logsumexp_grad")
    APIFixture.check(grad { logsumexp($0) }(Tensor([-.infinity, 0])), "logsumexp_grad_neg_inf")
    APIFixture.check(hessian { logsumexp($0) }(Tensor([0.5, -1, 2])), "logsumexp_hessian")
    APIFixture.check(vmap { logsumexp($0) }(a), "logsumexp_vmap")
  }

  // inf = jnp.inf
  // jnp.logaddexp([1., inf, -inf, inf, -inf, 1., inf, 0., 1000., -1000.], [1., 1., 1., inf, -inf, inf, -inf, -inf, 1000., 3.])
  // jax.vmap(jax.grad(jnp.logaddexp, argnums=(0, 1)))([1., inf, -inf, inf, -inf, 1., inf, 0.],
  //                                                    [1., 1., 1., inf, -inf, inf, -inf, -inf])
  @Test func logaddexpAtEqualInputsAndInfinities() {
    let inf = Double.infinity
    let x = Tensor([1.0, inf, -inf, inf, -inf, 1, inf, 0, 1000, -1000])
    let y = Tensor([1.0, 1, 1, inf, -inf, inf, -inf, -inf, 1000, 3])
    APIFixture.check(logaddexp(x, y), "logaddexp_values")
    let gx = Tensor([1.0, inf, -inf, inf, -inf, 1, inf, 0]), gy = Tensor([1.0, 1, 1, inf, -inf, inf, -inf, -inf])
    let gradients = vmap { (a: Tensor, b: Tensor) in
      let (da, db) = grad { (p: Tensor, q: Tensor) in logaddexp(p, q) }(a, b)
      return Pair(da, db)
    }(gx, gy)
    APIFixture.check(gradients.first, "logaddexp_grads", 0)
    APIFixture.check(gradients.second, "logaddexp_grads", 1)
  }

  // jnp.logaddexp([[0.], [1.]], [0., 1., 2.]); jnp.logaddexp(1., 1.); jnp.logaddexp(jnp.arange(3), 1)
  // jax.jvp(jnp.logaddexp, ([0., 2.], [1., 2.]), ([1., 1.], [10., 10.]))
  // jax.hessian(lambda x: jnp.logaddexp(x[0], x[1]))(jnp.array([0.5, -1.]))
  // jnp.logaddexp(jnp.ones(3), jnp.ones(4)) is a TypeError
  @Test func logaddexpBroadcastsAndNests() {
    APIFixture.check(logaddexp(Tensor([[0.0], [1]]), Tensor([0.0, 1, 2])), "logaddexp_broadcast")
    APIFixture.check(logaddexp(1.0, 1.0), "logaddexp_python_scalars")
    APIFixture.check(logaddexp(arange(3), 1), "logaddexp_int")
    let (y, t) = jvp(
      { (p: Pair<Tensor, Tensor>) in logaddexp(p.first, p.second) },
      primals: Pair(Tensor([0.0, 2]), Tensor([1.0, 2])), tangents: Pair(Tensor([1.0, 1]), Tensor([10.0, 10])))
    APIFixture.check(y, "logaddexp_jvp", 0)
    APIFixture.check(t, "logaddexp_jvp", 1)
    APIFixture.check(hessian { (x: Tensor) in logaddexp(x[0], x[1]) }(Tensor([0.5, -1])), "logaddexp_hessian")
    APIFixture.checkError(logaddexp(ones([3]), ones([4])), "logaddexp_shape_error")
  }
}

extension NNTests {
  // lax.erfc(jnp.array([-3., -1., 0., 0.5, 3., 10.])); jax.vmap(jax.grad(lax.erfc))(jnp.array([-1., 0., 2.]))
  // (jnp.isinf(jnp.array([jnp.inf, -jnp.inf, jnp.nan, 1.])), jnp.isinf(jnp.arange(2)))
  @Test func erfcAndIsInf() {
    APIFixture.check(erfc(Tensor([-3.0, -1, 0, 0.5, 3, 10])), "erfc_values")
    APIFixture.check(vmap(grad { erfc($0) })(Tensor([-1.0, 0, 2])), "erfc_grad")
    APIFixture.check(isInf(Tensor([.infinity, -.infinity, .nan, 1])), "isinf_values", 0)
    APIFixture.check(isInf(arange(2)), "isinf_values", 1)
  }

  // (jax.jit(nn.softmax)(a), jax.jit(jnp.linalg.norm)(a), jax.jit(jsp.logsumexp)(a),
  //  jax.jit(lambda x: jnp.isclose(x, 1.))(a), jax.jit(nn.relu)(a - 2.))
  @Test func stagedUnderJit() {
    let staged: [(Tensor) -> Tensor] = [
      jit { NN.softmax($0) }, jit { Linalg.norm($0) }, jit { logsumexp($0) }, jit { isclose($0, 1.0) },
      jit { NN.relu($0 - 2.0) },
    ]
    for (k, f) in staged.enumerated() { APIFixture.check(f(a), "jit_nn_norm_logsumexp", k) }
  }

  // (nn.softmax(jnp.ones(0)), jsp.logsumexp(jnp.ones(0)), nn.one_hot(jnp.arange(2), 0), jnp.logaddexp(jnp.nan, 1.))
  // nn.one_hot(jnp.array([True, False]), 2) is a TypeError
  @Test func edgeCases() {
    let got = [NN.softmax(ones([0])), logsumexp(ones([0])), NN.oneHot(arange(2), 0), logaddexp(.weak(.nan), 1.0)]
    for (k, y) in got.enumerated() { APIFixture.check(y, "nn_edge_empty", k) }
    APIFixture.checkError(NN.oneHot(Tensor([true, false]), 2), "nn_one_hot_bool_error")
  }
}

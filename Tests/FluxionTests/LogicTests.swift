import Testing

@testable import Fluxion

/// `inner`, `isclose`, `allclose`, `any` and `all` against JAX (Fixtures/api_functions.json).
struct LogicTests {
  // jnp.inner([1., 2., 3.], [4., 5., 6.]); jnp.inner(arange(6.).reshape(2, 3), arange(12.).reshape(4, 3))
  // jnp.inner(2., jnp.array([1., 2.]))
  // jax.grad(lambda a, b: jnp.sum(jnp.inner(a, b)), argnums=(0, 1))(arange(6.).reshape(2, 3), jnp.ones(3))
  // jnp.inner(jnp.ones((2, 3)), jnp.ones((4, 2))) is a TypeError
  @Test func innerContractsLastAxes() {
    APIFixture.check(inner(Tensor([1.0, 2, 3]), Tensor([4.0, 5, 6])), "inner_vectors")
    APIFixture.check(inner(arange(6.0).reshaped(2, 3), arange(12.0).reshaped(4, 3)), "inner_matrices")
    APIFixture.check(inner(2.0, Tensor([1.0, 2])), "inner_scalar")
    let (ga, gb) = grad { (a: Tensor, b: Tensor) in inner(a, b).sum() }(arange(6.0).reshaped(2, 3), ones([3]))
    APIFixture.check(ga, "inner_grad", 0)
    APIFixture.check(gb, "inner_grad", 1)
    APIFixture.checkError(inner(ones([2, 3]), ones([4, 2])), "inner_error")
  }

  // inf, nan = jnp.inf, jnp.nan
  // jnp.isclose([1., 1., 1e10, inf, inf, nan, 0., 1e-9], [1.000001, 1.01, 1.00001e10, inf, -inf, nan, 1e-9, 0.])
  // jnp.isclose([nan, 1.], [nan, nan], equal_nan=True); jnp.isclose([1., 2.], [1.1, 2.5], rtol=0., atol=0.2)
  // jnp.isclose(jnp.arange(3), 1); jnp.isclose(jnp.arange(3), 1.0000001)
  // jnp.isclose(jnp.ones((1, 3)), jnp.ones((2, 3))); jnp.isclose(jnp.ones(3), jnp.ones(4)) is a TypeError
  @Test func isclose() {
    let (inf, nan) = (Double.infinity, Double.nan)
    APIFixture.check(
      Fluxion.isclose(
        Tensor([1.0, 1, 1e10, inf, inf, nan, 0, 1e-9]), Tensor([1.000001, 1.01, 1.00001e10, inf, -inf, nan, 1e-9, 0])),
      "isclose_values")
    APIFixture.check(Fluxion.isclose(Tensor([nan, 1]), Tensor([nan, nan]), equalNaN: true), "isclose_equal_nan")
    APIFixture.check(Fluxion.isclose(Tensor([1.0, 2]), Tensor([1.1, 2.5]), rtol: 0, atol: 0.2), "isclose_tolerances")
    APIFixture.check(Fluxion.isclose(arange(3), 1), "isclose_int")
    APIFixture.check(Fluxion.isclose(arange(3), 1.0000001), "isclose_weak_scalar")
    APIFixture.check(Fluxion.isclose(ones([1, 3]), ones([2, 3])), "isclose_broadcast")
    APIFixture.checkError(Fluxion.isclose(ones([3]), ones([4])), "isclose_shape_error")
  }

  // jnp.allclose([1., 2.], [1.000001, 2.]); jnp.allclose([1., 2.], [1.1, 2.]); jnp.allclose(1., 1.)
  @Test func allclose() throws {
    APIFixture.check(Fluxion.allclose(Tensor([1.0, 2]), Tensor([1.000001, 2])), "allclose_true")
    APIFixture.check(Fluxion.allclose(Tensor([1.0, 2]), Tensor([1.1, 2])), "allclose_false")
    APIFixture.check(Fluxion.allclose(1.0, 1.0), "allclose_python")
    #expect(try Fluxion.allclose(Tensor([1.0, 2]), Tensor([1.000001, 2])).truthValue())
  }

  // x = jnp.array([[0, 1, 0], [0, 0, 0]])
  // (jnp.any(x), jnp.all(x), jnp.any(x, axis=0), jnp.any(x, axis=1), jnp.all(x + 1, axis=1),
  //  jnp.any(x, axis=(0, 1), keepdims=True), jnp.all(x, axis=0, keepdims=True))
  // x = jnp.array([0., jnp.nan, -0., 2.]); (jnp.any(x), jnp.all(x), jnp.any(-0.), jnp.all(jnp.array([1., 2.])))
  // (jnp.any(jnp.ones((2, 0)), axis=1), jnp.all(jnp.ones((2, 0)), axis=1), jnp.any(jnp.ones(0)))
  @Test func anyAndAll() {
    let x = Tensor([[0, 1, 0], [0, 0, 0]])
    let got = [
      Fluxion.any(x), Fluxion.all(x), x.any(axis: 0), x.any(axis: 1), (x + 1).all(axis: 1),
      x.any(axes: [0, 1], keepDims: true), Fluxion.all(x, axis: 0, keepDims: true),
    ]
    for (i, y) in got.enumerated() { APIFixture.check(y, "any_all_values", i) }
    let f = Tensor([0.0, .nan, -0.0, 2])
    for (i, y) in [Fluxion.any(f), Fluxion.all(f), Fluxion.any(-0.0), Tensor([1.0, 2]).all()].enumerated() {
      APIFixture.check(y, "any_all_floats", i)
    }
    for (i, y) in [ones([2, 0]).any(axis: 1), ones([2, 0]).all(axis: 1), ones([0]).any()].enumerated() {
      APIFixture.check(y, "any_all_empty", i)
    }
  }

  // jax.vmap(jnp.any)(jnp.array([[0, 0], [0, 3]])); jnp.any(jnp.ones(3), axis=1)
  // jnp.all(jnp.ones((2, 2)), axis=(1, 1)); make_jaxpr of jnp.any(x, axis=0) and of jnp.all on bools
  @Test func anyAndAllBatchStageAndFail() throws {
    APIFixture.check(vmap { Fluxion.any($0) }(Tensor([[0, 0], [0, 3]])), "any_vmap")
    APIFixture.checkError(ones([3]).any(axis: 1), "any_axis_error")
    APIFixture.checkError(ones([2, 2]).all(axes: [1, 1]), "all_duplicate_axes_error")
    let anyJaxpr = try makeJaxpr({ (x: Tensor) in x.any(axis: 0) }, ones([2, 3])).get()
    #expect(anyJaxpr.description == APIFixture.text("jaxpr_any"))
    let allJaxpr = try makeJaxpr({ (x: Tensor) in x.all() }, ones([3], dtype: .bool)).get()
    #expect(allJaxpr.description == APIFixture.text("jaxpr_all_bool"))
  }
}

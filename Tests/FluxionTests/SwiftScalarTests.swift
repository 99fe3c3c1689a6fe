import Testing

@testable import Fluxion

/// Swift `Double` and `Int` values in arithmetic are Python scalars (weakly typed), `**` is
/// Python's power, integer nested literals stay integers, and dtype-named constructors are
/// jnp.float32 and friends (Fixtures/api_functions.json).
struct SwiftScalarTests {
  // d = 2.0; n = 3; x = jnp.array([1., 2., 3.], dtype=jnp.float32); i = jnp.array([1, 2, 3])
  // (d * x, x + n, n - x, x / d, i + n, i * d, n * i, i // n, x % d, d - i, i / n)
  @Test func variablesAreWeaklyTyped() throws {
    let d = 2.0
    let n = 3
    let x = Tensor([1.0, 2, 3], dtype: .float32)
    let i = Tensor([1, 2, 3])
    let got = [d * x, x + n, n - x, x / d, i + n, i * d, n * i, floorDivide(i, .weak(n)), x % d, d - i, i / n]
    for (k, y) in got.enumerated() { APIFixture.check(y, "weak_scalar_variables", k) }
    var acc = x
    acc += d
    acc *= n
    #expect(acc.dtype == .float32 && !acc.isWeaklyTyped)
    #expect(try acc.doubles == [9, 12, 15])
  }

  // d = 2.0; n = 2; x = jnp.array([1., 2., 3.]); i = jnp.array([1, 2, 3])
  // (x < d, x >= n, d > x, i == n, i != d, n <= i)
  @Test func variablesCompare() {
    let d = 2.0
    let n = 2
    let x = Tensor([1.0, 2, 3])
    let i = Tensor([1, 2, 3])
    for (k, y) in [x .< d, x .>= n, d .> x, i .== n, i .!= d, n .<= i].enumerated() {
      APIFixture.check(y, "weak_scalar_comparisons", k)
    }
  }

  // d = 3.0; jax.grad(lambda x: d * x ** 2 + x / d)(2.)
  @Test func variablesInsideTransformations() {
    let d = 3.0
    APIFixture.check(grad { (x: Tensor) in d * x ** 2 + x / d }(.weak(2.0)), "weak_scalar_in_grad")
  }

  // x = jnp.array([1., 2., 3.]); (x ** 2, x ** 3, x ** -1, x ** 0)
  // x = jnp.array([1., 2., 4.]); (x ** 2.0, x ** 0.5, x ** -1.5)
  // x = jnp.array([0., 1., 2.]); (2 ** x, 2.0 ** x, 2 ** jnp.arange(4))
  // (jnp.arange(4) ** 2, jnp.arange(4) ** jnp.array([0, 1, 2, 3])); jnp.arange(3) ** -1 is a TypeError
  @Test func powerOperator() {
    let x = Tensor([1.0, 2, 3])
    for (k, y) in [x ** 2, x ** 3, x ** -1, x ** 0].enumerated() { APIFixture.check(y, "power_int_exponent", k) }
    let y = Tensor([1.0, 2, 4])
    for (k, z) in [y ** 2.0, y ** 0.5, y ** -1.5].enumerated() { APIFixture.check(z, "power_float_exponent", k) }
    let z = Tensor([0.0, 1, 2])
    for (k, w) in [2 ** z, 2.0 ** z, 2 ** arange(4)].enumerated() { APIFixture.check(w, "power_scalar_base", k) }
    APIFixture.check(arange(4) ** 2, "power_int_arrays", 0)
    APIFixture.check(arange(4) ** Tensor([0, 1, 2, 3]), "power_int_arrays", 1)
    APIFixture.checkError(arange(3) ** -1, "power_int_negative_error")
  }

  // (jax.grad(lambda x: x ** 3)(2.), jax.grad(lambda x: x ** 0.5)(4.), jax.grad(lambda x: x ** 2.0)(3.),
  //  jax.grad(lambda y: 2. ** y)(3.), jax.grad(lambda x: x ** 2)(0.))
  // x = jnp.array([1., 2.]); (2 * x ** 2, x ** 2 * 3, 2 ** x ** 2)
  @Test func powerDifferentiatesAndBindsTighterThanTimes() {
    let grads = [
      grad { (x: Tensor) in x ** 3 }(.weak(2.0)), grad { (x: Tensor) in x ** 0.5 }(.weak(4.0)),
      grad { (x: Tensor) in x ** 2.0 }(.weak(3.0)), grad { (y: Tensor) in 2.0 ** y }(.weak(3.0)),
      grad { (x: Tensor) in x ** 2 }(.weak(0.0)),
    ]
    // JAX's pow rule converts its operands to strong float32 (so the float-exponent gradients
    // are not weak there); the pow primitive here keeps the weak type. Values agree.
    for (k, g) in grads.enumerated() { APIFixture.check(g, "power_grads", k, weak: k != 1 && k != 2) }
    let x = Tensor([1.0, 2])
    for (k, y) in [2 * x ** 2, x ** 2 * 3, 2 ** x ** 2].enumerated() { APIFixture.check(y, "power_precedence", k) }
  }

  // str(jax.make_jaxpr(lambda x: x ** 2)(jnp.ones(3))); ... x ** 2.0
  @Test func powerStagesAsJAXDoes() throws {
    #expect(try makeJaxpr({ (x: Tensor) in x ** 2 }, ones([3])).get().description == APIFixture.text("jaxpr_power_int"))
    #expect(
      try makeJaxpr({ (x: Tensor) in x ** 2.0 }, ones([3])).get().description == APIFixture.text("jaxpr_power_float"))
  }

  // jnp.array([[1, 2], [3, 4]]); jnp.array([[1., 2], [3, 4]]); jnp.array([[True], [False]])
  // jnp.array([[1, 2], [3]]) and jnp.array([[[1, 2], [3, 4]], [[1, 2], [3]]]) are ValueErrors
  @Test func nestedLiteralsKeepTheirDtype() {
    APIFixture.check(Tensor([[1, 2], [3, 4]]), "array_int_literal")
    APIFixture.check(Tensor([[1.0, 2], [3, 4]]), "array_float_literal")
    APIFixture.check(Tensor([[true], [false]]), "array_bool_literal")
    APIFixture.check(Tensor(nested: [[1, 2], [3, 4]]), "array_int_literal")
    APIFixture.checkError(Tensor([[1, 2], [3]]), "array_ragged_error")
    APIFixture.checkError(Tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]), "array_ragged_deep_error")
  }

  // (jnp.float32(2.0), jnp.int32(3), jnp.float32(2), jnp.int32(3.7), jnp.uint32(7), jnp.float32([1, 2]),
  //  jnp.int32([[1.5, -2.5]]), jnp.bool_(1), jnp.float64(1.5), jnp.float32(2.) * 2)
  @Test func dtypeNamedConstructors() {
    let got: [Tensor] = [
      .float32(2.0), .int32(3), .float32(2), .int32(3.7), .uint32(7), .float32([1, 2]), .int32([[1.5, -2.5]]),
      .bool(1), .float64(1.5), Tensor.float32(2.0) * 2,
    ]
    for (k, y) in got.enumerated() { APIFixture.check(y, "dtype_constructors", k) }
    APIFixture.check(Tensor(2.0, dtype: .float32), "dtype_constructors", 0)
    let converted = Tensor.float32(arange(3))
    #expect(converted.dtype == .float32 && !converted.isWeaklyTyped)
  }

  // With jax_enable_x64 (JAX 0.10.2): nn.one_hot(jnp.array([0, 1]), 2).dtype, jnp.linalg.norm(jnp.arange(3)).dtype,
  // jnp.array([[1, 2]]).dtype, (jnp.float32(1.) * 2.0).dtype, (jnp.arange(3) * 2.0).dtype,
  // jnp.einsum('i,i', jnp.arange(3), jnp.arange(3)).dtype, jsp.logsumexp(jnp.arange(3)).dtype,
  // (jnp.arange(3, dtype=jnp.int32) + 3).dtype
  //   → float64 float64 int64 float32 float64 int64 float64 int32
  @Test func x64Defaults() {
    let d = 2.0
    let n = 3
    let dtypes: [DType] = Config.withX64(true) {
      [
        NN.oneHot(Tensor([0, 1]), 2), Linalg.norm(arange(3)), Tensor([[1, 2]]), Tensor.float32(1.0) * d, arange(3) * d,
        einsum("i,i", arange(3), arange(3)), logsumexp(arange(3)), arange(3, dtype: .int32) + n,
      ].map(\.dtype)
    }
    #expect(dtypes == [.float64, .float64, .int64, .float32, .float64, .int64, .float64, .int32])
  }
}

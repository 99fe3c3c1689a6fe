import Fluxion
import Testing

/// Operations added through the one table of elementwise operations (`UnaryOp`) and nothing
/// else, from outside the engine (this file imports only Fluxion's public API): each is one value
/// (name, accepted dtypes, kernels as Swift closures, derivative) and works eagerly, under jvp,
/// grad and vmap, prints in jaxprs and compares as one operation.
struct UnaryTableTests {
  /// softsign(x) = x / (1 + |x|), whose derivative is 1 / (1 + |x|)².
  static let softsign = UnaryOp(
    "softsign", accepts: .floating,
    kernel: UnaryKernel(float32: { $0 / (1 + Swift.abs($0)) }, float64: { $0 / (1 + Swift.abs($0)) })
  ) { x, _, t in t / square(1 + abs(x)) }

  /// halve(x) = x / 2, linear: its rule applies it to the tangent, so reverse mode transposes it.
  /// Its kernel has loops for the 32-bit integers only (not x64's int64).
  static let halve: UnaryOp = UnaryOp(
    "halve", accepts: [.integer, .floating],
    kernel: UnaryKernel().map { (x: Float) in x / 2 }.map { (x: Double) in x / 2 }.map { (x: Int32) in x / 2 }
      .map { (x: UInt32) in x / 2 }, isLinear: true
  ) { _, _, t in halve(t) }

  static let xs: [Float] = [-3, -1, 0, 0.5, 1, 3]

  @Test func evaluatesEagerlyWithItsKernels() throws {
    let y = Self.softsign(Tensor(Self.xs))
    #expect(y.dtype == .float32)
    #expect(try y.floats == [-0.75, -0.5, 0, Float(0.5) / Float(1.5), 0.5, 0.75])
    let y64 = Config.withX64(true) { Self.softsign(Tensor([-3, 0.5, 3], dtype: .float64)) }
    #expect(y64.dtype == .float64)
    #expect(try y64.doubles == [-0.75, 0.5 / 1.5, 0.75])
    // An operation on floats converts integers first, as jnp's functions do.
    let fromInts = Self.softsign(Tensor([1, 3], dtype: .int32))
    #expect(fromInts.dtype == .float32)
    #expect(try fromInts.floats == [0.5, 0.75])
    #expect(Self.halve(Tensor([7, -4], dtype: .int32)).dtype == .int32)
    #expect(try Self.halve(Tensor([7, -4], dtype: .int32)).doubles == [3, -2])
  }

  @Test func rejectsOtherDtypesWithJAXsMessage() throws {
    let e = Self.halve(Tensor([true, false])).error
    #expect(e?.kind == .typeError)
    #expect(e?.message == "halve does not accept dtype bool. Accepted dtypes are subtypes of integer, floating.")
    // A dtype it accepts but has no loop for is an error of the definition, not a trap.
    let missing = Config.withX64(true) { Self.halve(Tensor([4], dtype: .int64)) }.error
    #expect(missing?.message == "internal error: 'halve' accepts int64 but its kernel has no loop for it")
  }

  @Test func differentiatesWithItsRule() throws {
    let x = Tensor(Self.xs)
    let (y, t) = jvp({ Self.softsign($0) }, x, Tensor(Array(repeating: 2.0, count: 6)))
    #expect(try y.floats == Self.softsign(x).floats)
    #expect(try t.floats == [0.125, 0.5, 2, Float(2) / Float(2.25), 0.5, 0.125])
    // 1 / (1 + |x|)², and its derivative -2 sign(x) / (1 + |x|)³.
    let g = grad { (x: Tensor) in Self.softsign(x).sum() }(x)
    #expect(try g.floats == [0.0625, 0.25, 1, Float(1) / Float(2.25), 0.25, 0.0625])
    let g2 = vmap(grad(grad { (x: Tensor) in Self.softsign(x) }))(Tensor([-3.0, -1, 1, 3]))
    #expect(try g2.floats == [0.03125, 0.25, -0.25, -0.03125])
    // Reverse mode through a linear operation applied to tangents: its own transpose.
    #expect(try grad { (x: Tensor) in Self.halve(x * x).sum() }(Tensor([1.0, -3])).floats == [1, -3])
  }

  @Test func batchesElementwise() throws {
    let m = Tensor([[-3.0, -1, 0], [0.5, 1, 3]])
    #expect(try vmap({ Self.softsign($0) })(m).floats == Self.softsign(m).floats)
    #expect(try vmap({ Self.softsign($0) }, inAxes: 1)(m).floats == Self.softsign(m.transposed()).floats)
  }

  @Test func printsInJaxprs() throws {
    #expect(
      try makeJaxpr({ Self.softsign($0) }, Tensor([1.0, 2.0])).get().description == """
        { lambda ; a:f32[2]. let b:f32[2] = softsign a in (b,) }
        """)
    // The derivative is the rule's equations; reverse mode transposes the linear halve into halve.
    #expect(
      try makeJaxpr(grad { (x: Tensor) in Self.softsign(x) }, Tensor(0.5)).get().description == """
        { lambda ; a:f32[]. let
            _:f32[] = softsign a
            b:f32[] = abs a
            c:f32[] = add 1.0:f32[] b
            d:f32[] = integer_pow[y=2] c
            e:f32[] = div 1.0:f32[] d
          in (e,) }
        """)
    #expect(
      try makeJaxpr(grad { (x: Tensor) in Self.halve(x * x).sum() }, Tensor([1.0, -3])).get().description == """
        { lambda ; a:f32[2]. let
            b:f32[2] = mul a a
            c:f32[2] = halve b
            _:f32[] = reduce_sum[axes=(0,) out_sharding=None] c
            d:f32[2] = broadcast_in_dim 1.0:f32[]
            e:f32[2] = halve d
            f:f32[2] = mul a e
            g:f32[2] = mul e a
            h:f32[2] = add_any f g
          in (h,) }
        """)
  }

  @Test func equalOperationsHaveEqualKeys() throws {
    let j = try makeJaxpr({ Self.softsign($0) + Self.softsign($0) * Self.halve($0) }, Tensor([1.0])).get()
    let keys = j.equations.map(\.primitive.key)
    #expect(j.equations.map(\.primitive.name) == ["softsign", "softsign", "halve", "mul", "add"])
    #expect(keys[0] == keys[1])
    #expect(keys[0] != keys[2])
    // Another operation of the same name holds other code: it is not the same operation.
    let other = UnaryOp("softsign", accepts: .floating, kernel: Self.softsign.kernel, jvp: nil)
    let k = try makeJaxpr({ other($0) }, Tensor([1.0])).get().equations[0].primitive.key
    #expect(k != keys[0])
    #expect(k.name == keys[0].name)
  }
}

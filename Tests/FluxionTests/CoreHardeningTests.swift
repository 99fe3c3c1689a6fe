import Foundation
import Testing

@_spi(FluxionLang) @testable import Fluxion

/// Traps on user input found by reading the core (issue 14), each now an error or JAX's value,
/// and inputs that were accepted silently where JAX raises. Messages and values are JAX 0.10.2's.
struct CoreHardeningTests {
  @Test func reshapeWithAHugeKnownProductIsAnError() {
    let x = arange(6.0)
    #expect(
      reshape(x, [-1, 1 << 62, 4]).error?.message
        == "cannot reshape array of shape (6,) (size 6) into shape (-1, 4611686018427387904, 4) because the product of specified axis sizes (18446744073709551616) does not evenly divide 6"
    )
    #expect(
      reshape(x, [-1, 1 << 40, 1 << 40]).error?.message
        == "cannot reshape array of shape (6,) (size 6) into shape (-1, 1099511627776, 1099511627776) because the product of specified axis sizes (1208925819614629174706176) does not evenly divide 6"
    )
    #expect(reshape(x, [-1, Int.min, Int.min]).error?.kind == .typeError)
    #expect(exactProduct([Int.min, Int.min, -3]) == "-255211775190703847597530955573826158592")
    #expect(exactProduct([999_999_999, 1_000_000_001]) == "999999999999999999")
    #expect(reshape(x, [-1, 3]).shape == [2, 3])
  }

  @Test func arangeWithFloatBoundsAndAnIntDtypeWrapsAsJAX() throws {
    // start and step are converted as XLA converts (truncated, saturating), then start + i·step
    // wraps in int32.
    #expect(
      try arange(0, 1e20, step: 1e19, dtype: .int32).doubles
        == [0, 2_147_483_647, -2, 2_147_483_645, -4, 2_147_483_643, -6, 2_147_483_641, -8, 2_147_483_639])
    #expect(
      try arange(0, 1e10, step: 1e9, dtype: .int32).doubles
        == [
          0, 1_000_000_000, 2_000_000_000, -1_294_967_296, -294_967_296, 705_032_704, 1_705_032_704,
          -1_589_934_592, -589_934_592, 410_065_408,
        ])
    #expect(try arange(-3.7, 10.2, step: 2.5, dtype: .int32).doubles == [-3, -1, 1, 3, 5, 7])
    #expect(
      try arange(2.5e9, 1e10, step: 2e9, dtype: .int32).doubles == [
        2_147_483_647, -147_483_649, 1_852_516_351, -442_450_945,
      ])
    #expect(try arange(-1e10, 0, step: 3e9, dtype: .int32).doubles == [-2_147_483_648, -1, 2_147_483_646, -3])
    #expect(try arange(1.9, 5.0, step: 0.9, dtype: .int32).doubles == [1, 1, 1, 1])
    // JAX wraps an integer range past int32's end the same way (checked: jnp.arange(2**63 - 2, 2**63 - 1) is [-2]).
    #expect(try arange(Int.max - 1, Int.max).doubles == [-2])
    #expect(try arange(Int(Int32.max) - 1, Int(Int32.max) + 1).doubles == [2_147_483_646, 2_147_483_647])
  }

  @Test func eyeWithAnExtremeDiagonalIsZeros() throws {
    #expect(try eye(3, k: Int.max).doubles == Array(repeating: 0, count: 9))
    #expect(try eye(3, k: Int.min).doubles == Array(repeating: 0, count: 9))
    #expect(try eye(2, 3, k: 1).doubles == [0, 1, 0, 0, 0, 1])
  }

  @Test func powerByTheSmallestIntDifferentiates() throws {
    // JAX: grad(lambda x: x ** (-2**63))(2.0) is -0.0; the forward value 2 ** -2**63 is 0.
    let g = grad { (x: Tensor) in x.pow(Int.min) }(Tensor.weak(2.0))
    #expect(g.error == nil)
    #expect(try g.doubles == [0])
    #expect(try g.doubles.first?.sign == .minus)
    let (y, t) = jvp({ (x: Tensor) in x.pow(Int.min) }, Tensor(2.0), Tensor(1.0))
    #expect(try y.doubles == [0])
    #expect(try t.doubles == [0])
  }

  @Test func varianceWithADdofOutsideInt32IsJAXsOverflowError() throws {
    let x = arange(6.0)
    #expect(
      x.variance(ddof: Int.min).error?.message
        == "An overflow was encountered while parsing an argument to a jitted computation, whose argument path is correction. Got <class 'int'> with value -9223372036854775808"
    )
    #expect(x.variance(ddof: 1 << 62).error?.kind == .overflowError)
    #expect(x.std(ddof: Int.max).error?.kind == .overflowError)
    #expect(try abs(x.variance(ddof: 1).doubles[0] - 3.5) < 1e-6)
    // In x64 the int64 ddof is accepted, and the normaliser is computed in floating point.
    let wide = try Config.withX64(true) { try arange(6.0).variance(ddof: Int.min).doubles }
    #expect(wide.count == 1 && wide[0] > 0 && wide[0] < 1e-17)
  }

  @Test func customRulesWithTheWrongNumberOfResultsAreErrors() {
    let fewerTangents = CustomJVP({ [$0[0] * 2, $0[0] * 3] }) { p, t in ([p[0] * 2, p[0] * 3], [t[0] * 2]) }
    let (outs, tangents) = jvpFlat({ fewerTangents($0) }, primals: [Tensor(1.0)], tangents: [Tensor(1.0)])
    #expect(
      tangents.first?.error?.message
        == "Custom JVP rule must produce primal and tangent outputs with equal container (pytree) structures, but got PyTreeDef([*, *]) and PyTreeDef([*]) respectively."
    )
    #expect(outs.count == 2)
    let nothing = CustomJVP({ _ in [] }) { _, _ in ([], []) }
    #expect(nothing(Tensor(1.0)).error?.kind == .typeError)
    #expect(grad { (x: Tensor) in nothing(x) }(Tensor(1.0)).error != nil)
    let noRule = CustomJVP({ _ in [] }) { _, _ in ([], [Tensor(1.0)]) }
    #expect(jvp({ (x: Tensor) in noRule(x) }, Tensor(1.0), Tensor(1.0)).1.error != nil)
    let emptyVJP = CustomVJP({ _ in [] }, fwd: { _ in ([], []) }, bwd: { _, _ in [] })
    #expect(emptyVJP(Tensor(1.0)).error?.kind == .typeError)
    #expect(grad { (x: Tensor) in emptyVJP(x) }(Tensor(1.0)).error != nil)
  }

  @Test func vmapWithTooFewArgumentNamesNamesByPosition() {
    let out = vmapFlat(
      { [$0[0] + $0[1]] }, [arange(3.0), arange(4.0)], inAxes: [0, 0], outAxes: { _ in 0 }, argNames: ["a"])
    #expect(out.first?.error?.message.contains("axis 0 of args[1] of type float32[4]") == true)
  }

  @Test func aPrimitiveWithFewerResultsThanDeclaredIsAnError() {
    struct Broken: Primitive {
      var name: String { "broken" }
      var outputCount: Int { 2 }
      func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { [inputs[0]] }
      func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { [] }
      func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([], []) }
      func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { ([], []) }
    }
    #expect(bind(Broken(), [Tensor(1.0)]).count == 2)
    #expect(bind1(Broken(), [Tensor(1.0)]).error?.message.contains("'broken' produced 1 results") == true)
    #expect((try? makeJaxpr({ (x: Tensor) in bind1(Broken(), [x]) }, Tensor(1.0)).get()) == nil)
  }

  // MARK: - accepted silently before, errors in JAX

  @Test func jacobiansOfIntegerInputsAreErrors() {
    let ints = arange(3)
    #expect(
      jacrev { (x: Tensor) in x * 2 }(ints).error?.message
        == "jacrev requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32. If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True."
    )
    let jacfwdMessage =
      "jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got int32. For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex inputs or integer inputs, use jax.jvp directly."
    #expect(jacfwd { (x: Tensor) in x * 2 }(ints).error?.message == jacfwdMessage)
    #expect(hessian { (x: Tensor) in (x * 2).sum() }(ints).error?.message == jacfwdMessage)
  }

  @Test func jacrevOfAnIntegerOutputIsAnError() throws {
    #expect(
      jacrev { (x: Tensor) in (x * 2).astype(.int32) }(arange(3.0)).error?.message
        == "jacrev requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got int32. For differentiation of functions with integer outputs, use jax.vjp directly."
    )
    // jacfwd gives zeros there, as JAX does.
    #expect(try jacfwd { (x: Tensor) in (x * 2).astype(.int32) }(arange(3.0)).doubles == Array(repeating: 0, count: 9))
  }

  @Test func aBooleanMaskOfTheWrongShapeIsAnIndexError() throws {
    let mask = Tensor(shape: [3], scalars: [.bool(true), .bool(false), .bool(true)], dtype: .bool)
    #expect(
      arange(6.0)[mask].error?.message
        == "boolean index did not match shape of indexed array in index 0: got (3,), expected [6]")
    #expect(
      ones([2, 3])[mask].error?.message
        == "boolean index did not match shape of indexed array in index 0: got (3,), expected [2]")
    #expect(ones([2, 3])[.all, .index(0)].error == nil)
    #expect(try arange(6.0).reshaped(2, 3)[.ellipsis, .array(mask)].doubles == [0, 2, 3, 5])
    #expect(arange(6.0).reshaped(2, 3)[.newAxis, .all, .array(mask)].shape == [1, 2, 2])
    #expect(try arange(3.0)[mask].doubles == [0, 2])
  }

  @Test func choiceWithWeightsOfTheWrongLengthIsAnError() {
    let key = Random.PRNGKey(0)
    #expect(
      Random.choice(key, 5, p: Tensor([0.5, 0.5])).error?.message
        == "p must be None or a 1D vector with the same size as a.shape[axis]. p has shape (2,) and a.shape[axis] is 5."
    )
    #expect(
      Random.choice(key, arange(4.0), p: Tensor([0.5, 0.5])).error?.message
        == "p must be None or a 1D vector with the same size as a.shape[axis]. p has shape (2,) and a.shape[axis] is 4."
    )
    #expect(Random.choice(key, 2, [3], p: Tensor([0.5, 0.5])).error == nil)
  }
}

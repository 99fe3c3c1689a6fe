import FluxionBackend
import Testing

@testable import Fluxion

/// Primitive parameters are structured values: equal operations compare equal (what CSE and a
/// plan cache need), and they print exactly as JAX's jaxprs do.
struct PrimitiveKeyTests {
  @Test func paramsPrintAsPython() {
    #expect(Param.ints([1]).description == "(1,)")
    #expect(Param.ints([]).description == "()")
    #expect(Param.ints([2, 3]).description == "(2, 3)")
    #expect(Param.intList([1, 0]).description == "[1, 0]")
    #expect(Param.bool(false).description == "False")
    #expect(Param.none.description == "None")
    #expect(Param.dtype(.float32).description == "float32")
    let dot = DotGeneralPrimitive(contracting: ([1], [0]), batchDims: ([], []), preferred: .float32)
    #expect(
      dot.params.map { "\($0.0)=\($0.1)" } == [
        "dimension_numbers=(([1], [0]), ([], []))", "preferred_element_type=float32",
      ])
    let pad = PadPrimitive(lo: [1], hi: [2], interior: [0])
    #expect(pad.params.map { "\($0.1)" } == ["((1, 2, 0),)"])
  }

  @Test func equalOperationsHaveEqualKeys() throws {
    let jaxpr = try makeJaxpr({ (x: Tensor) in x.sum(axis: 0) + x.sum(axis: 0) * x.sum(axis: 1).sum() }, ones([2, 2]))
      .get()
    let sums = jaxpr.equations.filter { $0.primitive.name == "reduce_sum" }.map(\.primitive.key)
    // sum(axis: 0) twice, sum(axis: 1), and the final sum over axis 0 of a vector: the key is the
    // operation (an equation adds its operands), so the last equals the first.
    #expect(sums.count == 4)
    #expect(sums[0] == sums[1])
    #expect(sums[0] != sums[2])
    #expect(sums[3] == sums[0])
    #expect(Set(sums).count == 2)
    #expect(ReshapePrimitive(newShape: [2, 3]).key == ReshapePrimitive(newShape: [2, 3]).key)
    #expect(ReshapePrimitive(newShape: [2, 3]).key != ReshapePrimitive(newShape: [3, 2]).key)
    #expect(
      ConvertElementType(newDtype: .float32, weakType: true).key
        != ConvertElementType(newDtype: .float32, weakType: false).key)
  }

  @Test func primitivesHoldingCodeAreOnlyEqualToThemselves() {
    let make = {
      CustomVJPCall(bwd: { _, c in c }, residualCount: 0, inputAvals: [], outputAvals: [])
    }
    let (a, b) = (make(), make())
    #expect(a.key == a.key)
    #expect(a.key != b.key)
  }

  @Test func theIndexDtypeIsFixedWhenBound() throws {
    let argmax = Config.withX64(true) { ReducePrimitive(op: .argmax, axes: [0]) }
    let out = try argmax.abstractEval([ShapedArray(shape: [3], dtype: .float32)])
    #expect(out[0].dtype == .int64)
    #expect(argmax.params.map { "\($0.1)" } == ["(0,)", "int64"])
  }
}

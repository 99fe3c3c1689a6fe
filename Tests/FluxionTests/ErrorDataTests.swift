import Testing

@testable import Fluxion

/// Errors carry their data (shapes, dtypes, axes, abstract values) and render JAX's text from
/// it, so the language and the explorer can point at what went wrong.
struct ErrorDataTests {
  @Test func broadcastingErrorsCarryTheShapes() throws {
    let e = try #require((ones([3]) + ones([4])).error)
    #expect(e.reason == .incompatibleShapes(operation: "add", shapes: [[3], [4]]))
    #expect(e.description == "TypeError: add got incompatible shapes for broadcasting: (3,), (4,).")
  }

  @Test func dtypeErrorsCarryTheDtypeAndPosition() throws {
    let e = try #require((Tensor(true) - Tensor(false)).error)
    #expect(
      e.reason
        == .dtypeNotAccepted(
          operation: "sub", dtype: .bool, position: 0, accepted: "integer, floating, complexfloating"))
    #expect(
      e.message
        == "sub does not accept dtype bool at position 0. Accepted dtypes at position 0 are subtypes of integer, floating, complexfloating."
    )
  }

  @Test func axisErrorsCarryTheAxisAndRank() throws {
    let e = try #require(arange(3.0).sum(axis: 2).error)
    #expect(e.reason == .axisOutOfBounds(axis: 2, rank: 1))
    #expect(e.kind == .valueError)
    #expect(e.message == "axis 2 is out of bounds for array of dimension 1")
  }

  @Test func concretizationCarriesTheAbstractValue() throws {
    nonisolated(unsafe) var caught: FluxionError?
    _ = makeJaxpr(
      { (x: Tensor) in
        do throws(FluxionError) { _ = try x.value() } catch { caught = error }
        return x
      }, ones([2, 3]))
    #expect(
      caught?.reason
        == .concretization(
          ShapedArray(shape: [2, 3], dtype: .float32), context: "",
          origin:
            "\nThe error occurred while tracing the function <lambda> for jit. This concrete value was not available in Python because it depends on the value of the argument args[0]."
        ))
    #expect(caught?.kind == .concretizationTypeError)
  }

  @Test func locationAndUnderlyingError() {
    struct Cause: Error, CustomStringConvertible { var description: String { "a Python exception" } }
    let span = SourceSpan(line: 1, column: 5, endLine: 1, endColumn: 9)
    let e = FluxionError(.other(.valueError, "wrapped"), location: span, underlying: Cause())
    #expect(e.location == span)
    #expect(e.underlying.map { "\($0)" } == "a Python exception")
    #expect(e == FluxionError(.other(.valueError, "wrapped"), location: span, underlying: Cause()))
    #expect(e != FluxionError(.valueError, "wrapped"))
    #expect(FluxionError(.cancelled).description == "CancelledError: the computation was cancelled")
  }
}

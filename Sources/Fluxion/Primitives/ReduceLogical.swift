import FluxionBackend

/// reduce_or / reduce_and of bools over `axes` (jnp.any / jnp.all): an empty reduction gives
/// false / true.
struct ReduceLogicalPrimitive: Primitive {
  /// true: reduce_or; false: reduce_and.
  let isOr: Bool
  let axes: [Int]

  var name: String { isOr ? "reduce_or" : "reduce_and" }
  var params: [(String, Param)] { [("axes", .ints(axes))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    guard x.dtype == .bool else {
      throw FluxionError(.dtypeNotAccepted(operation: name, dtype: x.dtype, position: nil, accepted: "bool"))
    }
    try checkAxes(axes, rank: x.rank)
    let shape = x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    return [ShapedArray(shape: shape, dtype: .bool, weakType: x.weakType)]
  }

  /// On bools the backend's max is or and its min is and (with false and true as identities).
  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Reduction.reduce(isOr ? .max : .min, inputs[0], axes: axes)]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([bind1(self, primals)], [nil]) }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let d = dims[0]!
    let moved = axes.map { $0 >= d ? $0 + 1 : $0 }
    return ([bind1(ReduceLogicalPrimitive(isOr: isOr, axes: moved), args)], [d - axes.filter { $0 < d }.count])
  }
}

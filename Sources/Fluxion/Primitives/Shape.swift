import FluxionBackend

/// reshape (printed as `squeeze` when it only drops size-1 axes).
struct ReshapePrimitive: Primitive {
  let newShape: [Int]
  /// Set when the reshape is a squeeze of these dimensions (for printing).
  var squeezed: [Int]? = nil

  var name: String { squeezed == nil ? "reshape" : "squeeze" }
  var params: [(String, Param)] {
    if let squeezed { return [("dimensions", .ints(squeezed))] }
    return [("dimensions", .none), ("new_sizes", .ints(newShape)), ("sharding", .none)]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    if elementCount(newShape) != x.count {
      // The size JAX reports is the plain product, negative dimensions included.
      let size = newShape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
      throw .typeError(
        "cannot reshape array of shape \(pyShape(x.shape)) (size \(x.count)) into shape \(pyShape(newShape)) (size \(size))"
      )
    }
    return [x.with(shape: newShape)]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [inputs[0].reshaped(newShape)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0]) }])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    [cts[0].map { reshape($0, avals[0].shape) }]
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let x = moveaxis(args[0], dims[0]!, 0)
    return ([reshape(x, [axisSize] + newShape)], [0])
  }
}

/// transpose: output dim i is input dim `permutation[i]`.
struct TransposePrimitive: Primitive {
  let permutation: [Int]
  var name: String { "transpose" }
  var params: [(String, Param)] { [("permutation", .ints(permutation))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    if permutation.sorted() != Array(0..<x.rank) {
      throw .typeError(
        "transpose permutation isn't a permutation of operand dimensions, got permutation \(pyTuple(permutation)) for operand shape \(pyShape(x.shape))."
      )
    }
    return [x.with(shape: permutation.map { x.shape[$0] })]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Layout.transpose(inputs[0], permutation)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0]) }])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    var inverse = permutation
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    return [cts[0].map { bind1(TransposePrimitive(permutation: inverse), [$0]) }]
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let x = moveaxis(args[0], dims[0]!, 0)
    return ([bind1(TransposePrimitive(permutation: [0] + permutation.map { $0 + 1 }), [x])], [0])
  }
}

/// broadcast_in_dim: operand dim i becomes output dim `dims[i]` (size equal, or 1).
struct BroadcastInDim: Primitive {
  let shape: [Int]
  let dims: [Int]
  var name: String { "broadcast_in_dim" }
  /// As JAX prints it: the shape is the result's type, trivial dimensions are left out.
  var params: [(String, Param)] { dims.isEmpty ? [] : [("broadcast_dimensions", .ints(dims))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    if shape.contains(where: { $0 < 0 }) {
      throw .typeError("broadcast_in_dim shape must have every element be nonnegative, got \(pyShape(shape)).")
    }
    guard dims.count == x.rank, dims.allSatisfy({ $0 >= 0 && $0 < shape.count }),
      zip(dims, x.shape).allSatisfy({ shape[$0] == $1 || $1 == 1 }),
      dims == dims.sorted(), Set(dims).count == dims.count
    else {
      throw .typeError(
        "broadcast_in_dim operand shape \(pyShape(x.shape)) is incompatible with target shape \(pyShape(shape)) and broadcast_dimensions \(pyTuple(dims))."
      )
    }
    return [x.with(shape: shape)]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Layout.broadcastInDim(inputs[0], shape: shape, dims: dims)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0]) }])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil] }
    let inShape = avals[0].shape
    var axes = (0..<shape.count).filter { !dims.contains($0) }
    for (i, d) in dims.enumerated() where inShape[i] == 1 && shape[d] != 1 { axes.append(d) }
    let summed = axes.isEmpty ? ct : reduceSum(ct, axes: axes.sorted())
    return [summed.shape == inShape ? summed : reshape(summed, inShape)]
  }
  func batch(_ args: [Tensor], _ bd: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let x = moveaxis(args[0], bd[0]!, 0)
    return ([bind1(BroadcastInDim(shape: [axisSize] + shape, dims: [0] + dims.map { $0 + 1 }), [x])], [0])
  }
}

/// rev: reverses the given dimensions.
struct RevPrimitive: Primitive {
  let dimensions: [Int]
  var name: String { "rev" }
  var params: [(String, Param)] { [("dimensions", .ints(dimensions))] }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkAxes(dimensions, rank: inputs[0].rank)
    return inputs
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Layout.rev(inputs[0], axes: dimensions)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0]) }])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    [cts[0].map { bind1(self, [$0]) }]
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let d = dims[0]!
    return ([bind1(RevPrimitive(dimensions: dimensions.map { $0 >= d ? $0 + 1 : $0 }), args)], [d])
  }
}

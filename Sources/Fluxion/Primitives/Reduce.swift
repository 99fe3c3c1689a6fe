import FluxionBackend

func checkAxes(_ axes: [Int], rank: Int) throws(FluxionError) {
  for a in axes where a < 0 || a >= rank {
    throw FluxionError(.axisOutOfBounds(axis: a, rank: rank))
  }
  if Set(axes).count != axes.count { throw .valueError("duplicate value in 'axis': \(axes)") }
}

/// reduce_sum / reduce_prod / reduce_max / reduce_min over `axes`, and argmax / argmin.
struct ReducePrimitive: Primitive {
  let op: ReduceOp
  let axes: [Int]
  /// argmax/argmin's result dtype, fixed when the primitive is made (the x64 setting then).
  let indexDtype: DType = Config.defaultInt

  var name: String {
    switch op {
    case .sum: "reduce_sum"
    case .prod: "reduce_prod"
    case .max: "reduce_max"
    case .min: "reduce_min"
    case .argmax: "argmax"
    case .argmin: "argmin"
    }
  }

  var params: [(String, Param)] {
    op == .argmax || op == .argmin
      ? [("axes", .ints(axes)), ("index_dtype", .dtype(indexDtype))]
      : [("axes", .ints(axes)), ("out_sharding", .none)]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    try checkAxes(axes, rank: x.rank)
    let shape = x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    if op == .argmax || op == .argmin {
      if axes.contains(where: { x.shape[$0] == 0 }) {
        throw .valueError("attempt to get \(op == .argmax ? "argmax" : "argmin") of an empty sequence")
      }
      return [ShapedArray(shape: shape, dtype: indexDtype)]
    }
    return [ShapedArray(shape: shape, dtype: x.dtype, weakType: x.weakType)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Reduction.reduce(op, inputs[0], axes: axes, indexType: indexDtype)]
  }

  /// `y` (reduced) broadcast back to the input's shape.
  func expand(_ y: Tensor, _ shape: [Int]) -> Tensor {
    let kept = (0..<shape.count).filter { !axes.contains($0) }
    return broadcastInDim(y, shape: shape, dims: kept)
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let x = primals[0]
    let y = bind1(self, [x])
    guard let t = tangents[0] else { return ([y], [nil]) }
    switch op {
    case .sum:
      return ([y], [bind1(self, [t])])
    case .max, .min:
      // Ties share the derivative equally (JAX's convention).
      let mask = (x .== expand(y, x.shape)).astype(x.dtype)
      let counts = reduceSum(mask, axes: axes)
      return ([y], [reduceSum(t * mask, axes: axes) / counts])
    case .prod:
      return ([y], [reduceSum(t * expand(y, x.shape) / x, axes: axes)])
    case .argmax, .argmin:
      return ([y], [nil])
    }
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard op == .sum else { throw .valueError("\(name) is not linear") }
    guard let ct = cts[0] else { return [nil] }
    return [expand(ct, avals[0].shape)]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let d = dims[0]!
    let moved = axes.map { $0 >= d ? $0 + 1 : $0 }
    let out = bind1(ReducePrimitive(op: op, axes: moved), args)
    let outDim = d - axes.filter { $0 < d }.count
    return ([out], [outDim])
  }
}

/// cumsum along an axis (reverse: from the end).
struct CumsumPrimitive: Primitive {
  let axis: Int
  let reverse: Bool
  var name: String { "cumsum" }
  var params: [(String, Param)] { [("axis", .int(axis)), ("reverse", .bool(reverse))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkAxes([axis], rank: inputs[0].rank)
    return inputs
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Reduction.cumsum(inputs[0], axis: axis, reverse: reverse)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0]) }])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    [cts[0].map { bind1(CumsumPrimitive(axis: axis, reverse: !reverse), [$0]) }]
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let d = dims[0]!
    return ([bind1(CumsumPrimitive(axis: axis >= d ? axis + 1 : axis, reverse: reverse), args)], [d])
  }
}

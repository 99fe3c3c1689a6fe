import FluxionBackend

/// take: rows of `x` (`[n, rest...]`) at integer `positions` (any shape) → `positions.shape + rest`.
/// The indexing frontend lowers NumPy advanced indexing to it; positions are already in range
/// (clamped), and a negative position reads zeros.
struct TakePrimitive: Primitive {
  var name: String { "gather" }
  var params: [(String, Param)] { [("mode", .symbol("GatherScatterMode.CLIP"))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let (x, p) = (inputs[0], inputs[1])
    guard x.rank >= 1 else { throw .indexError("Too many indices: 0-dimensional array indexed with 1 regular index.") }
    guard p.dtype.isInteger else {
      throw .indexError("Indexer must have integer or boolean type, got indexer with type \(p.dtype)")
    }
    return [ShapedArray(shape: p.shape + x.shape.dropFirst(), dtype: x.dtype, weakType: x.weakType)]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Layout.take(inputs[0], positions: inputs[1])] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0, primals[1]]) }])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0], let positions = args[1] else { return [nil, nil] }
    let zero = zerosLike(avals[0].with(dtype: ct.dtype))
    return [bind1(ScatterPrimitive(mode: .add), [zero, positions, ct]), nil]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (x, p) = (args[0], args[1])
    switch (dims[0], dims[1]) {
    case (let dx?, nil):
      // Batch axis moved to 1: rows stay first; the result keeps it after the position axes.
      let moved = moveaxis(x, dx, 1)
      return ([bind1(self, [moved, p])], [p.rank])
    case (nil, let dp?):
      return ([bind1(self, [x, p])], [dp])
    case (let dx?, let dp?):
      // Flatten (batch, rows) into one row axis and offset each example's positions.
      let xb = moveaxis(x, dx, 0)
      let n = xb.shape[1]
      let flat = reshape(xb, [axisSize * n] + Array(xb.shape.dropFirst(2)))
      let pb = moveaxis(p, dp, 0)
      let offsets = broadcastInDim(iota(pb.dtype, [axisSize]) * Tensor.weak(n), shape: pb.shape, dims: [0])
      let shifted = select(pb .< 0, pb, pb + offsets)
      return ([bind1(self, [flat, shifted])], [0])
    default:
      return ([bind1(self, args)], [nil])
    }
  }
}

/// scatter: `x` (`[n, rest...]`) with `updates` (`positions.shape + rest`) combined into the rows
/// at `positions`; positions out of range are dropped (JAX's default for updates).
struct ScatterPrimitive: Primitive {
  let mode: Layout.ScatterMode
  var name: String { mode == .set ? "scatter" : "scatter-\(mode.rawValue)" }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let (x, p, u) = (inputs[0], inputs[1], inputs[2])
    guard x.rank >= 1 else { throw .indexError("Too many indices: 0-dimensional array indexed with 1 regular index.") }
    let expected = p.shape + x.shape.dropFirst()
    guard u.shape == expected else {
      throw .valueError(
        "scatter updates of shape \(pyShape(u.shape)) do not match the indexed shape \(pyShape(expected))")
    }
    guard u.dtype == x.dtype else {
      throw .typeError("scatter updates dtype \(u.dtype) differs from operand dtype \(x.dtype)")
    }
    return [x]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Layout.scatter(inputs[0], positions: inputs[1], updates: inputs[2], mode: mode)]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    if tangents[0] == nil && tangents[2] == nil { return ([y], [nil]) }
    let (x, positions, u) = (primals[0], primals[1], primals[2])
    let tx = tangents[0] ?? zerosLike(tangentAval(x.aval))
    let tu = tangents[2] ?? zerosLike(tangentAval(u.aval))
    let scatterAdd = { (a: Tensor, b: Tensor) in bind1(ScatterPrimitive(mode: .add), [a, positions, b]) }
    switch mode {
    case .add, .set:
      return ([y], [bind1(self, [tx, positions, tu])])
    case .min, .max:
      // Every element equal to the result contributes; ties share the tangent evenly (JAX).
      let hitX = (x .== y).astype(y.dtype)
      let hitU = (u .== bind1(TakePrimitive(), [y, positions])).astype(y.dtype)
      let count = hitX + scatterAdd(zerosLike(x.aval), hitU)
      let total = tx * hitX + scatterAdd(zerosLike(tx.aval), tu * hitU)
      return ([y], [total / count])
    case .mul:
      // y = x · M with M the scattered product of updates; with distinct positions the
      // derivative in an update is x at its position.
      guard tangents[2] == nil || Self.distinct(positions) else {
        let e = FluxionError(
          .notImplementedError, "scatter_mul gradients are only implemented if `unique_indices=True`")
        return ([y], [Tensor(failed: e)])
      }
      let m = bind1(self, [onesLike(x), positions, u])
      let dx = tx * m
      let du = scatterAdd(zerosLike(tx.aval), bind1(TakePrimitive(), [x, positions]) * tu)
      return ([y], [tangents[2] == nil ? dx : dx + du])
    }
  }

  /// True when the (concrete) positions name each row at most once.
  static func distinct(_ positions: Tensor) -> Bool {
    guard let p = positions.concrete else { return false }
    let values = (0..<p.count).map { p.scalar(at: $0).asDouble }.filter { $0 >= 0 }
    return Set(values).count == values.count
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil, nil, nil] }
    guard let positions = args[1], mode == .add || mode == .set else {
      throw .valueError("\(name) is not linear")
    }
    var ctX: Tensor? = nil
    if args[0] == nil {
      ctX = mode == .add ? ct : bind1(self, [ct, positions, zerosLike(avals[2].with(dtype: ct.dtype))])
    }
    let ctU: Tensor? = args[2] == nil ? bind1(TakePrimitive(), [ct, positions]) : nil
    return [ctX, nil, ctU]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    // Every operand gets the batch axis first; rows of all examples are flattened together.
    let x = moveBatchAxis(args[0], from: dims[0], to: 0, size: axisSize)
    let p = moveBatchAxis(args[1], from: dims[1], to: 0, size: axisSize)
    let u = moveBatchAxis(args[2], from: dims[2], to: 0, size: axisSize)
    let n = x.shape[1]
    let rest = Array(x.shape.dropFirst(2))
    let flatX = reshape(x, [axisSize * n] + rest)
    let offsets = broadcastInDim(iota(p.dtype, [axisSize]) * Tensor.weak(n), shape: p.shape, dims: [0])
    let inRange = (p .>= 0) .&& (p .< Tensor.weak(n))
    let shifted = select(inRange, p + offsets, fullLike(p, -1))
    let out = bind1(self, [flatX, shifted, u])
    return ([reshape(out, x.shape)], [0])
  }
}

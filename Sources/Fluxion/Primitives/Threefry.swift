import FluxionBackend

/// threefry2x32: the PRNG's block cipher on uint32 words (two outputs).
struct Threefry2x32: Primitive {
  var name: String { "threefry2x32" }
  var outputCount: Int { 2 }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    if inputs.contains(where: { $0.dtype != .uint32 }) {
      throw .typeError("threefry2x32 requires uint32 arguments, got \(inputs.map { "\($0.dtype)" })")
    }
    let shape = try elementwiseShape(name, inputs)
    return [ShapedArray(shape: shape, dtype: .uint32), ShapedArray(shape: shape, dtype: .uint32)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let shape = inputs.map(\.shape).reduce([]) { broadcastShapes($0, $1) ?? $0 }
    func full(_ a: DenseArray) -> DenseArray { a.shape == shape ? a : Layout.broadcast(a, to: shape) }
    let scalarKey = inputs[0].count == 1 && inputs[1].count == 1
    let (k0, k1) = scalarKey ? (inputs[0], inputs[1]) : (full(inputs[0]), full(inputs[1]))
    let (y0, y1) = Threefry.hash(k0: k0, k1: k1, x0: full(inputs[2]), x1: full(inputs[3]))
    return [y0, y1]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    (bind(self, primals), [nil, nil])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (xs, d) = alignBatched(args, dims)
    return (bind(self, xs), [d, d])
  }
}

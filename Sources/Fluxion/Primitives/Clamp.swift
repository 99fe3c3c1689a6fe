import FluxionBackend

/// `clamp lo x hi`: x limited to [lo, hi] elementwise (lax.clamp; lo and hi are scalars or of
/// x's shape). lax.switch clamps its index with it.
struct ClampPrimitive: Primitive {
  var name: String { "clamp" }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let (lo, x, hi) = (inputs[0], inputs[1], inputs[2])
    if lo.dtype != x.dtype || hi.dtype != x.dtype {
      throw .typeError(
        "lax.clamp requires arguments to have the same dtypes, got \(lo.dtype), \(x.dtype), \(hi.dtype).")
    }
    for b in [lo, hi] where b.rank != 0 && b.shape != x.shape {
      throw .typeError(
        "Clamp with non-scalar bounds requires the bounds to have the shape of the operand, got \(pyShape(b.shape)) and \(pyShape(x.shape))."
      )
    }
    return [x]
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    let t = inputs.map { Tensor($0) }
    return [try withTrace(EvalTrace.shared) { minimum(maximum(t[1], t[0]), t[2]) }.value()]
  }

  /// The operand's tangent where it is strictly inside the bounds, a bound's where it binds.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    let (lo, x, hi) = (primals[0], primals[1], primals[2])
    guard x.dtype.isFloatingPoint, tangents.contains(where: { $0 != nil }) else { return ([y], [nil]) }
    func full(_ t: Tensor) -> Tensor { t.shape == x.shape ? t : broadcastInDim(t, shape: x.shape, dims: []) }
    var out = zerosLike(x.aval)
    if let t = tangents[1] { out = select(logicalAnd(x .> lo, x .< hi), t, out) }
    if let t = tangents[0] { out = select(lo .>= x, full(t), out) }
    if let t = tangents[2] { out = select(hi .<= x, full(t), out) }
    return ([y], [out])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let x = batchedAtFront(args[1], dims[1], axisSize)
    let bounds = [0, 2].map { i -> Tensor in
      if dims[i] == nil && args[i].rank == 0 { return args[i] }
      let b = batchedAtFront(args[i], dims[i], axisSize)
      return b.shape == x.shape ? b : broadcastInDim(b, shape: x.shape, dims: [0])
    }
    return ([bind1(self, [bounds[0], x, bounds[1]])], [0])
  }
}

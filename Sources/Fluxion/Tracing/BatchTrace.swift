import FluxionBackend

/// A value with a batch axis, for vmap.
final class BatchTracer: Tracer {
  let value: Tensor
  /// The batch axis of `value`, or nil when the value is the same for the whole batch.
  let dim: Int?

  init(trace: BatchTrace, value: Tensor, dim: Int?) {
    self.value = value
    self.dim = dim
    var aval = value.aval
    if let dim { aval.shape.remove(at: dim) }
    super.init(trace: trace, aval: aval)
  }

  override var kindName: String { "BatchTracer" }
}

/// Vectorising map: each primitive's batching rule handles the batch axis.
///
/// Sendable without checking, as every trace (see `Trace`): its fields are immutable.
final class BatchTrace: Trace, @unchecked Sendable {
  let axisSize: Int

  init(parent: Trace, axisSize: Int) {
    self.axisSize = axisSize
    super.init(parent: parent)
  }

  func unpack(_ x: Tensor) -> (Tensor, Int?) {
    if case .tracer(let t) = x.payload, let b = t as? BatchTracer, b.trace === self { return (b.value, b.dim) }
    return (x, nil)
  }

  func wrap(_ value: Tensor, _ dim: Int?) -> Tensor {
    if value.error != nil { return value }
    return Tensor(tracer: BatchTracer(trace: self, value: value, dim: dim))
  }

  override func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    let unpacked = inputs.map(unpack)
    let vals = unpacked.map(\.0)
    let dims = unpacked.map(\.1)
    guard let parent else { return [] }
    if dims.allSatisfy({ $0 == nil }) { return parent.process(p, vals) }
    // Validate the per-example shapes first, so errors read as JAX's.
    do {
      _ = try p.abstractEval(inputs.map(\.aval))
    } catch {
      return failed(error, p)
    }
    let (outs, outDims) = withTrace(parent) { p.batch(vals, dims, axisSize: axisSize) }
    return zip(outs, outDims).map { wrap($0, $1) }
  }

  /// Custom rules survive vmap: the function and its rules are vmapped and handed to the parent,
  /// so `grad(vmap(f))` still uses f's own derivative.
  override func processCustomJVP(_ inputs: [Tensor], _ f: CustomJVPFunction) -> [Tensor] {
    guard let parent else { return f.fun(inputs) }
    let (vals, mapped) = batchedInputs(inputs)
    guard mapped else { return withTrace(parent) { parent.processCustomJVP(vals, f) } }
    let batched = f.batched(size: axisSize)
    return withTrace(parent) { parent.processCustomJVP(vals, batched) }.map { wrap($0, 0) }
  }

  override func processCustomVJP(_ inputs: [Tensor], _ f: CustomVJPFunction) -> [Tensor] {
    guard let parent else { return f.fun(inputs) }
    let (vals, mapped) = batchedInputs(inputs)
    guard mapped else { return withTrace(parent) { parent.processCustomVJP(vals, f) } }
    let batched = f.batched(size: axisSize)
    return withTrace(parent) { parent.processCustomVJP(vals, batched) }.map { wrap($0, 0) }
  }

  /// Inputs with every batch axis moved to the front (unbatched ones broadcast); false when
  /// none of them is this trace's.
  private func batchedInputs(_ inputs: [Tensor]) -> ([Tensor], Bool) {
    let unpacked = inputs.map(unpack)
    if unpacked.allSatisfy({ $0.1 == nil }) { return (unpacked.map(\.0), false) }
    return (unpacked.map { moveBatchAxis($0.0, from: $0.1, to: 0, size: axisSize) }, true)
  }
}

/// Moves the batch axis of `x` from `from` to `to` (materialising it when `from` is nil).
func moveBatchAxis(_ x: Tensor, from: Int?, to: Int, size: Int) -> Tensor {
  guard let from else {
    var shape = x.shape
    shape.insert(size, at: to)
    let dims = (0..<x.rank).map { $0 < to ? $0 : $0 + 1 }
    return broadcastInDim(x, shape: shape, dims: dims)
  }
  if from == to { return x }
  return moveaxis(x, from, to)
}

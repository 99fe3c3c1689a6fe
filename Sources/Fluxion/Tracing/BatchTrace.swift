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
final class BatchTrace: Trace {
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
  override func processCustomJVP(
    _ inputs: [Tensor], fun: @escaping ([Tensor]) -> [Tensor],
    rule: @escaping ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
  ) -> [Tensor] {
    guard let parent else { return fun(inputs) }
    let (vals, mapped) = batchedInputs(inputs)
    guard mapped else { return withTrace(parent) { parent.processCustomJVP(vals, fun: fun, rule: rule) } }
    let n = axisSize
    let outs = withTrace(parent) {
      parent.processCustomJVP(
        vals, fun: { Self.mapFirst(fun, $0, size: n) },
        rule: { primals, tangents in
          Self.mapPair(primals + tangents, split: primals.count, size: n) { rule($0, $1) }
        })
    }
    return outs.map { wrap($0, 0) }
  }

  override func processCustomVJP(
    _ inputs: [Tensor], fun: @escaping ([Tensor]) -> [Tensor], fwd: @escaping ([Tensor]) -> ([Tensor], [Tensor]),
    bwd: @escaping @Sendable ([Tensor], [Tensor]) -> [Tensor]
  ) -> [Tensor] {
    guard let parent else { return fun(inputs) }
    let (vals, mapped) = batchedInputs(inputs)
    guard mapped else { return withTrace(parent) { parent.processCustomVJP(vals, fun: fun, fwd: fwd, bwd: bwd) } }
    let n = axisSize
    let outs = withTrace(parent) {
      parent.processCustomVJP(
        vals, fun: { Self.mapFirst(fun, $0, size: n) },
        fwd: { xs in Self.mapPair(xs, split: xs.count, size: n) { a, _ in fwd(a) } },
        bwd: { residuals, cts in
          Self.mapFirst(
            { xs in bwd(Array(xs[..<residuals.count]), Array(xs[residuals.count...])) }, residuals + cts, size: n)
        })
    }
    return outs.map { wrap($0, 0) }
  }

  /// Inputs with every batch axis moved to the front (unbatched ones broadcast); false when
  /// none of them is this trace's.
  private func batchedInputs(_ inputs: [Tensor]) -> ([Tensor], Bool) {
    let unpacked = inputs.map(unpack)
    if unpacked.allSatisfy({ $0.1 == nil }) { return (unpacked.map(\.0), false) }
    return (unpacked.map { moveBatchAxis($0.0, from: $0.1, to: 0, size: axisSize) }, true)
  }

  /// `f` mapped over axis 0 of every input and output.
  static func mapFirst(_ f: ([Tensor]) -> [Tensor], _ xs: [Tensor], size: Int) -> [Tensor] {
    vmapFlat(f, xs, inAxes: xs.map { _ in 0 }, outAxes: { _ in 0 }, axisSize: size)
  }

  /// A function returning two lists, mapped over axis 0; its inputs are split at `split`.
  static func mapPair(
    _ xs: [Tensor], split: Int, size: Int, _ f: ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
  ) -> ([Tensor], [Tensor]) {
    var firstCount = 0
    let outs = mapFirst(
      { ys in
        let (a, b) = f(Array(ys[..<split]), Array(ys[split...]))
        firstCount = a.count
        return a + b
      }, xs, size: size)
    guard outs.count > firstCount else { return (outs, []) }
    return (Array(outs[..<firstCount]), Array(outs[firstCount...]))
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

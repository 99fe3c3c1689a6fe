import FluxionBackend

/// `remat2[differentiated=… jaxpr=… policy=None prevent_cse=True] operands` (jax.checkpoint,
/// jax.remat): runs its body; differentiated, it saves no residuals but its inputs, and the
/// backward pass recomputes what it needs from them.
struct CheckpointPrimitive: Primitive {
  let body: ClosedJaxpr
  let differentiated: Bool

  var name: String { "remat2" }
  var outputCount: Int { body.outputs.count }
  var params: [(String, Param)] {
    [
      ("differentiated", .bool(differentiated)), ("jaxpr", .jaxpr(body)), ("policy", .none),
      ("prevent_cse", .bool(true)),
    ]
  }
  var hasPartialEval: Bool { true }

  private func failure(_ e: FluxionError) -> [Tensor] { (0..<outputCount).map { _ in Tensor(failed: e) } }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkOperands(body, inputs, of: "checkpoint")
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { try runBody(body, inputs) }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (nz, pattern) = nonzeroTangents(tangents)
    let traced = jvpBody(body, nonzero: pattern, instantiate: body.outputs.map { _ in false })
    guard case .success(let (made, present)) = traced else { return (failure(traced.failure), failure(traced.failure)) }
    let outs = bind(CheckpointPrimitive(body: made.jaxpr, differentiated: differentiated), made.captured + primals + nz)
    var dys = outs[outputCount...].makeIterator()
    return (Array(outs[..<outputCount]), present.map { $0 ? dys.next() : nil })
  }

  /// The known results are computed now, inline; the unknown ones are staged as a checkpoint of
  /// the whole body (marked differentiated) over every input, the known ones being the only
  /// residuals.
  func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval? {
    guard let s = splitBody(body, unknown: unknown, instantiate: body.outputs.map { _ in false }) else { return nil }
    let k = s.knownResultCount
    let knownOuts = pruned(s.known, keep: Array(0..<k)).eval(
      s.knownCaptured + inputs.indices.filter { !unknown[$0] }.map { inputs[$0] })
    var next = knownOuts.makeIterator()
    let unknownOuts = s.outUnknown.indices.filter { s.outUnknown[$0] }
    return PartialEval(
      known: s.outUnknown.map { $0 ? nil : next.next() },
      staged: CheckpointPrimitive(body: pruned(body, keep: unknownOuts), differentiated: true), stagedInputs: inputs)
  }

  /// The body transposed, as a checkpoint that recomputes the forward part from the residuals.
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    let m = try transposeBody(body, args: args, cts: cts)
    let outs = bind(CheckpointPrimitive(body: m.jaxpr, differentiated: true), m.captured + transposeOperands(args, cts))
    if let e = outs.lazy.compactMap(\.error).first { throw e }
    return placeLinear(outs, args)
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let made = batchBody(
      body, batched: dims.map { $0 != nil }, axisSize: axisSize, instantiate: body.outputs.map { _ in true })
    guard case .success(let (m, _)) = made else { return (failure(made.failure), body.outputs.map { _ in nil }) }
    let moved = zip(args, dims).map { x, d in d == nil ? x : batchedAtFront(x, d, axisSize) }
    let outs = bind(CheckpointPrimitive(body: m.jaxpr, differentiated: differentiated), m.captured + moved)
    return (outs, outs.map { _ in 0 })
  }
}

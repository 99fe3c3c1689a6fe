import FluxionBackend

/// A host callback with no results (`jax.debug.callback`, and `jax.debug.print` as its own
/// `debug_print` equation): it runs where the program runs, with the values the program
/// computed — eagerly at once, inside jit when the plan reaches it, in reverse mode once on the
/// forward pass, and under vmap once per element of the mapped axis, as JAX unrolls it.
/// Passes keep it (it is effectful) and it never runs on an executor worker: a program that
/// holds one runs on the thread that called it, so the callback may use that thread's state.
struct DebugCallbackPrimitive: EffectfulPrimitive {
  let name: String
  let params: [(String, Param)]
  /// Whether each operand is weakly typed (the callback's tensors keep it).
  let weakTypes: [Bool]
  let callback: @Sendable ([Tensor]) -> Void

  var outputCount: Int { 0 }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { [] }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    callback(inputs.enumerated().map { i, a in Tensor(a, weakType: i < weakTypes.count && weakTypes[i]) })
    return []
  }

  /// The callback sees the primal values; nothing is differentiated.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    _ = bind(self, primals)
    return ([], [])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    args.map { _ in nil }
  }

  /// Once per index of the mapped axis, each batched operand at that index.
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    for i in 0..<axisSize {
      let at = zip(args, dims).map { x, d -> Tensor in
        guard let d else { return x }
        var start = Array(repeating: 0, count: x.rank)
        var limit = x.shape
        start[d] = i
        limit[d] = i + 1
        return squeeze(slice(x, start: start, limit: limit), axes: [d])
      }
      _ = bind(self, at)
    }
    return ([], [])
  }
}

/// Calls `callback` with the values of `operands` where the program runs (see
/// `DebugCallbackPrimitive`); in a jaxpr it is the equation `name[params] operands`, with no
/// results. The callback runs synchronously on the thread running the program.
public func debugCallback(
  _ operands: [Tensor], name: String = "debug_callback", params: [(String, Param)] = [],
  _ callback: @escaping @Sendable ([Tensor]) -> Void
) {
  let p = DebugCallbackPrimitive(
    name: name, params: params, weakTypes: operands.map(\.aval.weakType), callback: callback)
  _ = bind(p, operands)
}

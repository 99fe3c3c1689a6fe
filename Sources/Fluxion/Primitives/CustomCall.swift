import FluxionBackend

/// A custom_jvp function staged into a jaxpr: `custom_jvp_call[name=… call_jaxpr={…} jvp=…]`.
/// It runs its body, and differentiating it runs the rule it keeps.
struct CustomJVPCallPrimitive: Primitive {
  let function: CustomJVPFunction
  /// The function's body; its first `numConsts` inputs are values it closed over.
  let body: ClosedJaxpr
  let numConsts: Int

  init(_ function: CustomJVPFunction, _ traced: TracedBody) {
    self.function = function
    body = traced.jaxpr
    numConsts = traced.captured.count
  }

  var name: String { "custom_jvp_call" }
  var outputCount: Int { body.outputs.count }
  var params: [(String, Param)] {
    [("name", .symbol(function.name)), ("call_jaxpr", .jaxpr(body)), ("jvp", .function(function.jvpRef))]
      + (numConsts > 0 ? [("num_consts", .int(numConsts))] : []) + [("symbolic_zeros", .bool(false))]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkOperands(body, inputs, of: name)
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { try runBody(body, inputs) }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    if let e = closedOverTangentError(primals, tangents, numConsts) {
      return (body.outputs.map { _ in Tensor(failed: e) }, body.outputs.map { _ in Tensor(failed: e) })
    }
    return function.applyRule(Array(primals[numConsts...]), Array(tangents[numConsts...]))
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let moved = zip(args, dims).map { moveBatchAxis($0, from: $1, to: 0, size: axisSize) }
    switch traceBody(moved.map(\.aval), { mapOverFirstAxis(body.eval, $0, size: axisSize).map(Optional.some) }) {
    case .failure(let e): return (body.outputs.map { _ in Tensor(failed: e) }, body.outputs.map { _ in nil })
    case .success(let traced):
      let p = CustomJVPCallPrimitive(function.batched(size: axisSize), traced, numConsts: numConsts)
      let outs = bind(p, traced.captured + moved)
      return (outs, outs.map { _ in 0 })
    }
  }

  private init(_ function: CustomJVPFunction, _ traced: TracedBody, numConsts: Int) {
    self.function = function
    body = traced.jaxpr
    self.numConsts = traced.captured.count + numConsts
  }
}

/// A custom_vjp function staged into a jaxpr: `custom_vjp_call[name=… bwd=… call_jaxpr={…}
/// fwd=…]`. It runs its body; differentiating it runs `fwd`, and `bwd` transposes.
struct CustomVJPCallPrimitive: Primitive {
  let function: CustomVJPFunction
  let body: ClosedJaxpr
  let numConsts: Int

  init(_ function: CustomVJPFunction, _ traced: TracedBody, extraConsts: Int = 0) {
    self.function = function
    body = traced.jaxpr
    numConsts = traced.captured.count + extraConsts
  }

  var name: String { "custom_vjp_call" }
  var outputCount: Int { body.outputs.count }
  var params: [(String, Param)] {
    [
      ("name", .symbol(function.name)), ("bwd", .function(function.bwdRef)), ("call_jaxpr", .jaxpr(body)),
      ("fwd", .function(function.fwdRef)),
    ] + (numConsts > 0 ? [("num_consts", .int(numConsts))] : []) + [("symbolic_zeros", .bool(false))]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkOperands(body, inputs, of: name)
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { try runBody(body, inputs) }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    if let e = closedOverTangentError(primals, tangents, numConsts) {
      return (body.outputs.map { _ in Tensor(failed: e) }, body.outputs.map { _ in Tensor(failed: e) })
    }
    return function.applyForward(Array(primals[numConsts...]), Array(tangents[numConsts...]))
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let moved = zip(args, dims).map { moveBatchAxis($0, from: $1, to: 0, size: axisSize) }
    switch traceBody(moved.map(\.aval), { mapOverFirstAxis(body.eval, $0, size: axisSize).map(Optional.some) }) {
    case .failure(let e): return (body.outputs.map { _ in Tensor(failed: e) }, body.outputs.map { _ in nil })
    case .success(let traced):
      let p = CustomVJPCallPrimitive(function.batched(size: axisSize), traced, extraConsts: numConsts)
      let outs = bind(p, traced.captured + moved)
      return (outs, outs.map { _ in 0 })
    }
  }
}

/// The operands of a call against its body's inputs; the body's result types.
func checkOperands(_ body: ClosedJaxpr, _ inputs: [ShapedArray], of name: String) throws(FluxionError)
  -> [ShapedArray]
{
  let expected = body.inAvals
  if inputs.count != expected.count {
    throw .typeError("\(name) takes \(expected.count) operands, got \(inputs.count)")
  }
  for (i, (a, e)) in zip(inputs, expected).enumerated() where a.shape != e.shape || a.dtype != e.dtype {
    throw .typeError("\(name): operand \(i) has type \(a.longDescription) where its body takes \(e.longDescription)")
  }
  return body.outAvals
}

/// Runs a body with the kernels.
func runBody(_ body: ClosedJaxpr, _ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
  let args = zip(inputs, body.inAvals).map { Tensor($0, weakType: $1.weakType) }
  let outs = withTrace(EvalTrace.shared) { body.eval(args) }
  var arrays: [DenseArray] = []
  for o in outs { arrays.append(try o.value()) }
  return arrays
}

/// A custom rule says how to differentiate with respect to the explicit inputs only; a
/// closed-over value with a tangent is the error JAX raises for it.
func closedOverTangentError(_ primals: [Tensor], _ tangents: [Tensor?], _ numConsts: Int) -> FluxionError? {
  guard let i = tangents.prefix(numConsts).firstIndex(where: { $0 != nil }) else { return nil }
  return FluxionError(
    .unexpectedTracer(
      primals[i].aval, tracer: "JVPTracer",
      note:
        "A custom_jvp or custom_vjp function was differentiated with respect to a value it closes over; its rule covers only its explicit inputs."
    ))
}

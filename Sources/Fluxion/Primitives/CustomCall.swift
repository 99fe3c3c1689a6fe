import FluxionBackend

/// What a staged custom function keeps: its rules, how they differentiate the call, and how
/// they are vmapped.
protocol CustomRules: Sendable {
  /// The equation's name: `custom_jvp_call` or `custom_vjp_call`.
  static var primitiveName: String { get }
  /// The function's name (`name=…`).
  var name: String { get }
  /// The function itself.
  var fun: @Sendable ([Tensor]) -> [Tensor] { get }
  /// The rules as parameters (`jvp=…`; `fwd=…`, `bwd=…`).
  var ruleParams: [(String, Param)] { get }
  /// Forward mode through the function, by its rules.
  func forward(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?])
  /// The rules mapped over axis 0 of every input and output.
  func batched(size: Int) -> Self
}

extension CustomJVPFunction: CustomRules {
  static var primitiveName: String { "custom_jvp_call" }
  var ruleParams: [(String, Param)] { [("jvp", .function(jvpRef))] }
  func forward(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { applyRule(primals, tangents) }
}

extension CustomVJPFunction: CustomRules {
  static var primitiveName: String { "custom_vjp_call" }
  var ruleParams: [(String, Param)] { [("bwd", .function(bwdRef)), ("fwd", .function(fwdRef))] }
  func forward(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { applyForward(primals, tangents) }
}

/// A custom_jvp or custom_vjp function staged into a jaxpr, one equation that keeps its rules:
/// `custom_jvp_call[name=h call_jaxpr={…} jvp=h_jvp symbolic_zeros=False]`. It runs its body;
/// differentiating it runs the rules.
struct CustomCallPrimitive<Rules: CustomRules>: Primitive {
  let rules: Rules
  /// The function's body; its first `numConsts` inputs are values it closed over.
  let body: ClosedJaxpr
  let numConsts: Int

  /// `traced`'s captured values become leading operands, before `numConsts` earlier ones.
  init(_ rules: Rules, _ traced: TracedBody, numConsts: Int = 0) {
    self.rules = rules
    body = traced.jaxpr
    self.numConsts = traced.captured.count + numConsts
  }

  var name: String { Rules.primitiveName }
  var outputCount: Int { body.outputs.count }
  /// `name` first, the rest in alphabetical order, as JAX prints them.
  var params: [(String, Param)] {
    let rest =
      rules.ruleParams + [("call_jaxpr", .jaxpr(body)), ("symbolic_zeros", .bool(false))]
      + (numConsts > 0 ? [("num_consts", .int(numConsts))] : [])
    return [("name", .symbol(rules.name))] + rest.sorted { $0.0 < $1.0 }
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkOperands(body, inputs, of: name)
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { try runBody(body, inputs) }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    if let e = closedOverTangentError(primals, tangents, numConsts) {
      return (body.outputs.map { _ in Tensor(failed: e) }, body.outputs.map { _ in Tensor(failed: e) })
    }
    return rules.forward(Array(primals[numConsts...]), Array(tangents[numConsts...]))
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let moved = zip(args, dims).map { moveBatchAxis($0, from: $1, to: 0, size: axisSize) }
    switch traceBody(moved.map(\.aval), { mapOverFirstAxis(body.eval, $0, size: axisSize).map(Optional.some) }) {
    case .failure(let e): return (body.outputs.map { _ in Tensor(failed: e) }, body.outputs.map { _ in nil })
    case .success(let traced):
      let p = CustomCallPrimitive(rules.batched(size: axisSize), traced, numConsts: numConsts)
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

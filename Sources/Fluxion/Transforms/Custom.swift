import FluxionBackend

/// A function with its own forward-mode rule (jax.custom_jvp).
///
/// ```swift
/// let safeLog1pExp = CustomJVP({ x in log1p(exp(x[0])) }) { primals, tangents in
///   let x = primals[0]
///   return ([log1p(exp(x))], [tangents[0] * (1 - 1 / (1 + exp(x)))])
/// }
/// grad { safeLog1pExp($0) }(Tensor(100.0))   // 1.0
/// ```
///
/// Staged into a jaxpr (make_jaxpr, jit) it stays one `custom_jvp_call` equation that keeps
/// its rule, so differentiating the program later still uses it.
public struct CustomJVP: Sendable {
  let function: CustomJVPFunction

  /// `name` and `jvpName` are what a jaxpr prints (`custom_jvp_call[name=h … jvp=h_jvp]`).
  public init(
    name: String = "<lambda>", jvpName: String = "<lambda>", _ fun: @escaping @Sendable ([Tensor]) -> [Tensor],
    jvp rule: @escaping @Sendable ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
  ) {
    function = CustomJVPFunction(name: name, jvpRef: FunctionRef(name: jvpName), fun: fun, rule: rule)
  }

  public func callAsFunction(_ args: [Tensor]) -> [Tensor] {
    currentTrace.processCustomJVP(args, function)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { self([x]).first ?? Tensor(failed: noOutputs("custom_jvp")) }
}

/// A function with its own reverse-mode rule (jax.custom_vjp): `fwd` returns the outputs and
/// residuals; `bwd(residuals, cotangents)` returns one cotangent per input.
public struct CustomVJP: Sendable {
  let function: CustomVJPFunction

  public init(
    name: String = "<lambda>", fwdName: String = "<lambda>", bwdName: String = "<lambda>",
    _ fun: @escaping @Sendable ([Tensor]) -> [Tensor], fwd: @escaping @Sendable ([Tensor]) -> ([Tensor], [Tensor]),
    bwd: @escaping @Sendable ([Tensor], [Tensor]) -> [Tensor]
  ) {
    function = CustomVJPFunction(
      name: name, fwdRef: FunctionRef(name: fwdName), bwdRef: FunctionRef(name: bwdName), fun: fun, fwd: fwd, bwd: bwd)
  }

  public func callAsFunction(_ args: [Tensor]) -> [Tensor] {
    currentTrace.processCustomVJP(args, function)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { self([x]).first ?? Tensor(failed: noOutputs("custom_vjp")) }
}

func noOutputs(_ kind: String) -> FluxionError {
  .typeError("a \(kind) function called for one result returned none")
}

/// A custom_jvp function as the traces see it: the function, its rule, and their names.
struct CustomJVPFunction: Sendable {
  let name: String
  let jvpRef: FunctionRef
  let fun: @Sendable ([Tensor]) -> [Tensor]
  let rule: @Sendable ([Tensor], [Tensor]) -> ([Tensor], [Tensor])

  /// The function and its rule mapped over axis 0 of every input and output (vmap keeps the
  /// rule, so `grad(vmap(f))` still uses f's own derivative).
  func batched(size n: Int) -> CustomJVPFunction {
    let (fun, rule) = (fun, rule)
    return CustomJVPFunction(
      name: name, jvpRef: jvpRef, fun: { mapOverFirstAxis(fun, $0, size: n) },
      rule: { primals, tangents in
        mapPairOverFirstAxis(primals + tangents, split: primals.count, size: n) { rule($0, $1) }
      })
  }

  /// The rule applied, with JAX's checks of what it returns: outputs and their tangents.
  func applyRule(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let full = zip(primals, tangents).map { $1 ?? zerosLike(tangentAval($0.aval)) }
    let (outs, touts) = rule(primals, full)
    if outs.count != touts.count {
      let e = FluxionError.typeError(
        "Custom JVP rule must produce primal and tangent outputs with equal container (pytree) structures, but got \(TreeDef.list(outs.map { _ in .leaf })) and \(TreeDef.list(touts.map { _ in .leaf })) respectively."
      )
      let failures = Array(repeating: Tensor(failed: e), count: Swift.max(outs.count, 1))
      return (failures, failures)
    }
    for (o, t) in zip(outs, touts) where o.aval.shape != t.aval.shape || tangentAval(o.aval).dtype != t.dtype {
      let e = FluxionError.typeError(
        "Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. Expected \(tangentAval(o.aval).longDescription) (tangent type of \(o.aval.longDescription)) but got \(t.aval.longDescription)."
      )
      return (outs.map { _ in Tensor(failed: e) }, outs.map { _ in Tensor(failed: e) })
    }
    return (outs, touts)
  }
}

/// A custom_vjp function as the traces see it.
struct CustomVJPFunction: Sendable {
  let name: String
  let fwdRef: FunctionRef
  let bwdRef: FunctionRef
  let fun: @Sendable ([Tensor]) -> [Tensor]
  let fwd: @Sendable ([Tensor]) -> ([Tensor], [Tensor])
  let bwd: @Sendable ([Tensor], [Tensor]) -> [Tensor]

  /// The function and both rules mapped over axis 0 of every input and output.
  func batched(size n: Int) -> CustomVJPFunction {
    let (fun, fwd, bwd) = (fun, fwd, bwd)
    return CustomVJPFunction(
      name: name, fwdRef: fwdRef, bwdRef: bwdRef, fun: { mapOverFirstAxis(fun, $0, size: n) },
      fwd: { xs in mapPairOverFirstAxis(xs, split: xs.count, size: n) { a, _ in fwd(a) } },
      bwd: { residuals, cts in
        mapOverFirstAxis(
          { xs in bwd(Array(xs[..<residuals.count]), Array(xs[residuals.count...])) }, residuals + cts, size: n)
      })
  }

  /// Forward mode through a custom_vjp function: `fwd` runs in the current trace; the tangents
  /// go through a linear `custom_lin` equation that `bwd` transposes.
  func applyForward(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (outs, residuals) = fwd(primals)
    let full = zip(primals, tangents).map { $1 ?? zerosLike(tangentAval($0.aval)) }
    let call = CustomVJPCall(
      bwd: bwd, residualCount: residuals.count, inputAvals: primals.map { tangentAval($0.aval) },
      outputAvals: outs.map { tangentAval($0.aval) })
    return (outs, bind(call, residuals + full))
  }
}

/// `f` mapped over axis 0 of every input and output.
func mapOverFirstAxis(_ f: ([Tensor]) -> [Tensor], _ xs: [Tensor], size: Int) -> [Tensor] {
  vmapFlat(f, xs, inAxes: xs.map { _ in 0 }, outAxes: { _ in 0 }, axisSize: size)
}

/// A function returning two lists, mapped over axis 0; its inputs are split at `split`.
func mapPairOverFirstAxis(
  _ xs: [Tensor], split: Int, size: Int, _ f: ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
) -> ([Tensor], [Tensor]) {
  var firstCount = 0
  let outs = mapOverFirstAxis(
    { ys in
      let (a, b) = f(Array(ys[..<split]), Array(ys[split...]))
      firstCount = a.count
      return a + b
    }, xs, size: size)
  guard outs.count > firstCount else { return (outs, []) }
  return (Array(outs[..<firstCount]), Array(outs[firstCount...]))
}

/// Traces `f` at example arguments and returns its jaxpr (jax.make_jaxpr); what `f` throws is
/// rethrown as it is. With `optimized`, the program after the optimisation passes
/// (`PassPipeline.standard`, which jit runs), sub-programs such as jit bodies included.
public func makeJaxpr<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor], optimized: Bool = false
) throws(E) -> Result<ClosedJaxpr, FluxionError> {
  if let e = args.lazy.compactMap(\.error).first { return .failure(e) }
  let trace = JaxprTrace(parent: currentTrace, foldConstants: false)
  trace.debugInfo = TracingContext(functionName: "<lambda>", argNames: args.indices.map { "args[\($0)]" })
  let inputs = args.map { trace.newArg($0.aval) }
  let outs = try withUserTrace(trace) { () throws(E) in try f(inputs) }
  if let e = outs.lazy.compactMap(\.error).first { return .failure(e) }
  let closed = trace.finish(outs, zeroAvals: outs.map(\.aval))
  return .success(optimized ? PassPipeline.standard.run(closed) : closed)
}

/// make_jaxpr for a function of one tensor.
public func makeJaxpr<E: Error>(_ f: (Tensor) throws(E) -> Tensor, _ x: Tensor, optimized: Bool = false) throws(E)
  -> Result<ClosedJaxpr, FluxionError>
{
  try makeJaxpr({ xs throws(E) in [try f(xs[0])] }, [x], optimized: optimized)
}

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
public struct CustomJVP: Sendable {
  let fun: @Sendable ([Tensor]) -> [Tensor]
  let rule: @Sendable ([Tensor], [Tensor]) -> ([Tensor], [Tensor])

  public init(
    _ fun: @escaping @Sendable ([Tensor]) -> [Tensor],
    jvp rule: @escaping @Sendable ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
  ) {
    self.fun = fun
    self.rule = rule
  }

  public func callAsFunction(_ args: [Tensor]) -> [Tensor] {
    currentTrace.processCustomJVP(args, fun: fun, rule: rule)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { self([x]).first ?? Tensor(failed: noOutputs("custom_jvp")) }
}

/// A function with its own reverse-mode rule (jax.custom_vjp): `fwd` returns the outputs and
/// residuals; `bwd(residuals, cotangents)` returns one cotangent per input.
public struct CustomVJP: Sendable {
  let fun: @Sendable ([Tensor]) -> [Tensor]
  let fwd: @Sendable ([Tensor]) -> ([Tensor], [Tensor])
  let bwd: @Sendable ([Tensor], [Tensor]) -> [Tensor]

  public init(
    _ fun: @escaping @Sendable ([Tensor]) -> [Tensor], fwd: @escaping @Sendable ([Tensor]) -> ([Tensor], [Tensor]),
    bwd: @escaping @Sendable ([Tensor], [Tensor]) -> [Tensor]
  ) {
    self.fun = fun
    self.fwd = fwd
    self.bwd = bwd
  }

  public func callAsFunction(_ args: [Tensor]) -> [Tensor] {
    currentTrace.processCustomVJP(args, fun: fun, fwd: fwd, bwd: bwd)
  }

  public func callAsFunction(_ x: Tensor) -> Tensor { self([x]).first ?? Tensor(failed: noOutputs("custom_vjp")) }
}

func noOutputs(_ kind: String) -> FluxionError {
  .typeError("a \(kind) function called for one result returned none")
}

/// Traces `f` at example arguments and returns its jaxpr (jax.make_jaxpr).
public func makeJaxpr(_ f: ([Tensor]) -> [Tensor], _ args: [Tensor]) -> Result<ClosedJaxpr, FluxionError> {
  if let e = args.lazy.compactMap(\.error).first { return .failure(e) }
  let trace = JaxprTrace(parent: currentTrace, foldConstants: false)
  let inputs = args.map { trace.newArg($0.aval) }
  let outs = withTrace(trace) { f(inputs) }
  if let e = outs.lazy.compactMap(\.error).first { return .failure(e) }
  return .success(trace.finish(outs, zeroAvals: outs.map(\.aval)))
}

/// make_jaxpr for a function of one tensor.
public func makeJaxpr(_ f: (Tensor) -> Tensor, _ x: Tensor) -> Result<ClosedJaxpr, FluxionError> {
  makeJaxpr({ [f($0[0])] }, [x])
}

import FluxionBackend

/// A body's execution plan seen from outside the engine, for the benchmarks and tools: lower a
/// jaxpr (what `makeJaxpr` gives), look at what the plan holds, run it.
@_spi(Benchmarks) public struct CompiledPlan {
  let plan: ExecutionPlan
  let outAvals: [ShapedArray]

  /// The plan of `jaxpr`; nil when the planner gives up (jit then interprets the body).
  public init?(_ jaxpr: ClosedJaxpr) {
    guard let p = ExecutionPlan.lower(jaxpr) else { return nil }
    plan = p
    outAvals = jaxpr.outAvals
  }

  /// The most bytes the plan holds at once beyond its inputs (its outputs included).
  public var peakBytes: Int { plan.peakBytes }
  public var stepCount: Int { plan.steps.count }
  public var regionCount: Int { plan.regions.count }
  /// Equations computed in fused regions.
  public var fusedEquationCount: Int { plan.regions.reduce(0) { $0 + $1.equations.count } }

  /// Runs the plan on concrete arguments (the jaxpr's inputs; its constants are in the plan).
  public func run(_ args: [Tensor]) throws(FluxionError) -> [Tensor] {
    var arrays: [DenseArray] = []
    for a in args { arrays.append(try a.value()) }
    let outs = try plan.run(arrays)
    return zip(outs, outAvals).map { Tensor($0, weakType: $1.weakType) }
  }
}

import FluxionBackend

/// A traced function staged as one equation, `jit[name=f jaxpr={ … }]`: its body is a closed
/// program whose captured values were made leading operands (closure conversion), so every
/// rule sees all of its inputs.
struct JitCall: Primitive {
  let functionName: String
  let body: ClosedJaxpr
  /// What runs: the body after jit's optimisation passes (the printed body is JAX's, unoptimised).
  let program: ClosedJaxpr
  /// The program's execution plan, built on its first run and kept with the traced body.
  let plans: PlanCache

  init(_ functionName: String, _ body: TracedBody, program: ClosedJaxpr? = nil) {
    self.functionName = functionName
    self.body = body.jaxpr
    self.program = program ?? body.jaxpr
    self.plans = body.plans
  }

  var name: String { "jit" }
  var outputCount: Int { body.outputs.count }
  var params: [(String, Param)] { [("name", .symbol(functionName)), ("jaxpr", .jaxpr(body))] }
  var aliasedBody: ClosedJaxpr? { body }
  var hasPartialEval: Bool { true }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try checkOperands(body, inputs, of: "jit of \(functionName)")
  }

  /// Runs the optimised program's execution plan (fused regions, BLAS calls, buffers released
  /// after their last use), or interprets it equation by equation when it could not be planned.
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    if let plan = plans.plan(for: program) { return try plan.run(inputs) }
    return try runBody(program, inputs)
  }

  private func failure(_ e: FluxionError) -> [Tensor] { body.outputs.map { _ in Tensor(failed: e) } }

  /// The jvp of the body, staged as a jit of primals and the nonzero tangents.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let nonzero = tangents.map { $0 != nil }
    let tangentAvals = zip(primals, nonzero).compactMap { $1 ? tangentAval($0.aval) : nil }
    let n = primals.count
    let traced = traceBody(body.inAvals + tangentAvals) { xs in
      var ts = xs[n...].makeIterator()
      let (ys, dys) = jvpCore(body.eval, primals: Array(xs[..<n]), tangents: nonzero.map { $0 ? ts.next() : nil })
      return ys.map(Optional.some) + dys
    }
    guard case .success(let b) = traced else {
      let e = traced.failure
      return (failure(e), failure(e))
    }
    let outs = bind(JitCall(functionName, b), b.captured + primals + tangents.compactMap { $0 })
    let m = body.outputs.count
    var dys = outs[m...].makeIterator()
    return (Array(outs[..<m]), b.present[m...].map { $0 ? dys.next() : nil })
  }

  /// The body transposed in its linear inputs, staged as a jit of the residuals and the
  /// nonzero cotangents.
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    let residuals = args.indices.filter { args[$0] != nil }
    let linear = args.indices.filter { args[$0] == nil }
    let given = cts.indices.filter { cts[$0] != nil }
    var failure: FluxionError?
    let traced = traceBody(residuals.map { body.inAvals[$0] } + given.map { cts[$0]!.aval }) { xs in
      var full = [Tensor?](repeating: nil, count: args.count)
      for (k, i) in residuals.enumerated() { full[i] = xs[k] }
      var outCts = [Tensor?](repeating: nil, count: cts.count)
      for (k, j) in given.enumerated() { outCts[j] = xs[residuals.count + k] }
      do throws(FluxionError) {
        let grads = try backwardPass(body, args: full, outCts)
        return linear.map { grads[$0] }
      } catch {
        failure = error
        return []
      }
    }
    if let failure { throw failure }
    let b = try traced.get()
    let outs = bind(JitCall(functionName, b), b.captured + residuals.map { args[$0]! } + given.map { cts[$0]! })
    if let e = outs.lazy.compactMap(\.error).first { throw e }
    var result = [Tensor?](repeating: nil, count: args.count)
    var it = outs.makeIterator()
    for (k, i) in linear.enumerated() where b.present[k] { result[i] = it.next() }
    return result
  }

  /// The body vmapped, staged as a jit of the batched operands (results batched on axis 0).
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let traced = traceBody(args.map(\.aval)) { xs in
      vmapFlat(body.eval, xs, inAxes: dims, outAxes: { _ in 0 }, axisSize: axisSize).map(Optional.some)
    }
    guard case .success(let b) = traced else { return (failure(traced.failure), body.outputs.map { _ in nil }) }
    let outs = bind(JitCall(functionName, b), b.captured + args)
    return (outs, outs.map { _ in 0 })
  }

  /// Splits the body into what the known inputs determine, run now as one jit, and the rest,
  /// staged as another jit that takes the residuals it needs first (linearize of a jit).
  func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval? {
    let known = JaxprTrace(parent: currentTrace, foldConstants: false)
    let staged = JaxprTrace(parent: known, foldConstants: true)
    var outerInput: [Var: Tensor] = [:]
    let args = zip(body.inAvals, zip(unknown, inputs)).map { aval, ui in
      if ui.0 { return staged.newArg(aval) }
      let a = known.newArg(aval)
      if let v = known.variable(a) { outerInput[v] = ui.1 }
      return a
    }
    let outs = withTrace(staged) { body.eval(args) }
    if outs.contains(where: { $0.error != nil }) { return nil }
    let rest = staged.finish(outs.filter(staged.isMine), zeroAvals: [])
    // A residual is a known input (passed as it is), data, or a result of the known part.
    var knownResults = outs.filter { !staged.isMine($0) }
    let knownCount = knownResults.count
    enum Source {
      case input(Tensor)
      case result(Int)
    }
    let sources: [Source] = rest.consts.map { c in
      if let v = known.variable(c) {
        if let x = outerInput[v] { return .input(x) }
        knownResults.append(c)
        return .result(knownResults.count - 1)
      }
      return .input(c)
    }
    let first = known.finish(knownResults, zeroAvals: [])
    let firstBody = TracedBody(
      jaxpr: ClosedJaxpr(first.jaxpr.constsAsInputs, consts: []), captured: first.consts,
      present: knownResults.map { _ in true })
    let values = bind(JitCall(functionName, firstBody), first.consts + zip(inputs, unknown).filter { !$0.1 }.map(\.0))
    var next = values[..<knownCount].makeIterator()
    let restBody = TracedBody(
      jaxpr: ClosedJaxpr(rest.jaxpr.constsAsInputs, consts: []), captured: [], present: [])
    let residuals = sources.map { s in
      switch s {
      case .input(let x): x
      case .result(let k): values[k]
      }
    }
    return PartialEval(
      known: outs.map { staged.isMine($0) ? nil : next.next() }, staged: JitCall(functionName, restBody),
      stagedInputs: residuals + zip(inputs, unknown).filter(\.1).map(\.0))
  }
}

extension Result {
  /// The error of a failed result (for results known to have failed).
  var failure: Failure {
    if case .failure(let e) = self { return e }
    preconditionFailure("not a failure")  // invariant: only called on failures
  }
}

import FluxionBackend

extension TracedBody {
  /// A call of this body outside every transformation, run on the plan of `program` (the body
  /// optimised, which keeps its operands) directly: what binding
  /// the jit equation would do (read the operands, run the plan, wrap the results, fail with
  /// the first failed operand or a cancelled token), without its tables and checks — the
  /// arguments have the avals the body was traced (and cached) for. nil when the call must
  /// go through `bind`: a transformation is active, an operand is a tracer, or the body is
  /// interpreted.
  ///
  /// A call whose plan works on at least `Config.dispatchThreshold` elements, or whose operands
  /// are still pending, is dispatched to the executor and returns pending results at once.
  func runOutsideTransformations(_ args: [Tensor], program: ClosedJaxpr) -> [Tensor]? {
    guard currentTrace === EvalTrace.shared, let plan = plans.plan(for: program) else { return nil }
    let count = plan.outputs.count
    if let token = FluxionContext.cancellation, token.isCancelled {
      return Array(repeating: Tensor(failed: FluxionError(.cancelled)), count: count)
    }
    // A plan with effects (a debug callback) runs on this thread, after its operands are read.
    let large = !plan.hasEffects && Executor.dispatches(elements: plan.workElements, pending: false)
    if !large {
      do throws(FluxionError) {
        if let outs = try plan.runTensors(captured, args) { return outs }
      } catch {
        return Array(repeating: Tensor(failed: error), count: count)
      }
    }
    let operands = captured + args
    if large || (!plan.hasEffects && Executor.dispatches(elements: 0, pending: true)) {
      // Large, or it would wait for a pending operand: the plan runs on the executor.
      for x in operands {
        if x.isTracer { return nil }
        if case .failed(let e) = x.payload { return Array(repeating: Tensor(failed: e), count: count) }
      }
      return Executor.shared.dispatch(program.outAvals, waitingFor: operands, in: FluxionContext.current) {
        arrays throws(FluxionError) in try plan.run(arrays)
      }
    }
    // On a worker, some operand is pending or failed: read each one (waiting where it must).
    var arrays: [DenseArray] = []
    arrays.reserveCapacity(captured.count + args.count)
    for x in operands {
      switch x.payload {
      case .array(let a, _): arrays.append(a)
      case .tracer: return nil
      case .failed(let e): return Array(repeating: Tensor(failed: e), count: count)
      case .pending:
        switch x.resolved {
        case .array(let a, _): arrays.append(a)
        case .tracer: return nil
        case .failed(let e): return Array(repeating: Tensor(failed: e), count: count)
        }
      }
    }
    do throws(FluxionError) {
      return try plan.runTensors(arrays)
    } catch {
      return Array(repeating: Tensor(failed: error), count: count)
    }
  }
}

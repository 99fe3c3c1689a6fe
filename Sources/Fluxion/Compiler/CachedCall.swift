import FluxionBackend

extension TracedBody {
  /// A call of this body outside every transformation, run on the plan of `program` (the body
  /// optimised, which keeps its operands) directly: what binding
  /// the jit equation would do (read the operands, run the plan, wrap the results, fail with
  /// the first failed operand or a cancelled token), without its tables and checks — the
  /// arguments have the avals the body was traced (and cached) for. nil when the call must
  /// go through `bind`: a transformation is active, an operand is a tracer, or the body is
  /// interpreted.
  func runOutsideTransformations(_ args: [Tensor], program: ClosedJaxpr) -> [Tensor]? {
    guard currentTrace === EvalTrace.shared, let plan = plans.plan(for: program) else { return nil }
    let count = plan.outputs.count
    if let token = FluxionContext.cancellation, token.isCancelled {
      return Array(repeating: Tensor(failed: FluxionError(.cancelled)), count: count)
    }
    do throws(FluxionError) {
      if let outs = try plan.runTensors(captured, args) { return outs }
    } catch {
      return Array(repeating: Tensor(failed: error), count: count)
    }
    // Some operand is pending or failed: read each one (waiting where it must).
    var arrays: [DenseArray] = []
    arrays.reserveCapacity(captured.count + args.count)
    for k in 0..<(captured.count + args.count) {
      let x = k < captured.count ? captured[k] : args[k - captured.count]
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

import FluxionBackend
import Synchronization

/// A variable of the program being recorded.
final class JaxprTracer: Tracer {
  let variable: Var
  init(trace: JaxprTrace, variable: Var) {
    self.variable = variable
    super.init(trace: trace, aval: variable.aval)
  }
  override var kindName: String { "DynamicJaxprTracer" }
}

/// Records equations instead of running them: make_jaxpr, jit's bodies and linearize's
/// tangent program.
///
/// With `foldConstants`, an operation none of whose inputs is this trace's tracer runs in the
/// parent instead of being recorded (linearize uses this so only tangent work is kept), and an
/// operation with some known inputs may split itself with its partial-evaluation rule.
///
/// Sendable without checking, as every trace (see `Trace`): what it records is behind `program`'s
/// lock.
final class JaxprTrace: Trace, @unchecked Sendable {
  let foldConstants: Bool
  private let program = Mutex(Program())
  /// What the program is traced for (jit of a named function, make_jaxpr), for the errors of
  /// converting its tracers to Swift values; nil for the engine's own traces. Set before tracing.
  var debugInfo: TracingContext?

  /// What has been recorded so far.
  private struct Program {
    var inVars: [Var] = []
    var equations: [Equation] = []
    var constVars: [Var] = []
    var consts: [Tensor] = []
    var constIndex: [ConstKey: Var] = [:]
  }

  /// What makes a captured constant one value. A buffer alone does not: reshape, contiguous
  /// broadcasts and bitcasts share their operand's buffer under another shape or dtype, and
  /// weak and strong scalars can share one too.
  private struct ConstKey: Hashable {
    let object: ObjectIdentifier
    let aval: ShapedArray
  }

  init(parent: Trace, foldConstants: Bool) {
    self.foldConstants = foldConstants
    super.init(parent: parent)
  }

  /// A new program input.
  func newArg(_ aval: ShapedArray) -> Tensor {
    let v = Var(aval)
    program.withLock { $0.inVars.append(v) }
    return Tensor(tracer: JaxprTracer(trace: self, variable: v))
  }

  func isMine(_ x: Tensor) -> Bool {
    if case .tracer(let t) = x.payload, t.trace === self { return true }
    return false
  }

  /// This trace's variable behind `x`, if it is one.
  func variable(_ x: Tensor) -> Var? {
    if case .tracer(let t) = x.payload, let j = t as? JaxprTracer, j.trace === self { return j.variable }
    return nil
  }

  /// The atom for an input: this trace's variable, a literal scalar, or a captured constant
  /// (data, or a tracer of an enclosing transformation: closure conversion later turns those
  /// into explicit operands).
  private func atom(_ x: Tensor, _ p: inout Program) -> Atom {
    switch x.payload {
    case .tracer(let t):
      if let v = variable(x) { return .variable(v) }
      return .variable(constVar(x, key: ConstKey(object: ObjectIdentifier(t), aval: t.aval), &p))
    case .array(let a, _):
      if a.rank == 0 { return .literal(x) }
      return .variable(constVar(x, key: ConstKey(object: ObjectIdentifier(a.buffer), aval: x.aval), &p))
    case .failed:
      return .literal(x)
    case .pending(let pending):
      // Captured without waiting: the value is needed only when the program runs.
      return .variable(constVar(x, key: ConstKey(object: ObjectIdentifier(pending), aval: x.aval), &p))
    }
  }

  private func constVar(_ x: Tensor, key: ConstKey, _ p: inout Program) -> Var {
    if let v = p.constIndex[key] { return v }
    let v = Var(x.aval)
    p.constIndex[key] = v
    p.constVars.append(v)
    p.consts.append(x)
    return v
  }

  override func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    if foldConstants, let parent {
      if !inputs.contains(where: isMine) { return parent.process(p, inputs) }
      if p.hasPartialEval, !inputs.allSatisfy(isMine),
        let split = withTrace(parent, { p.partialEval(inputs, unknown: inputs.map(isMine)) })
      {
        if split.known.count != p.outputCount { return failed(outputCountError(p, split.known.count), p) }
        let recorded = record(split.staged, split.stagedInputs)
        var staged = (split.stagedResults.map { $0.map { recorded[$0] } } ?? recorded).makeIterator()
        return split.known.map { $0 ?? staged.next() ?? Tensor(failed: outputCountError(split.staged, 0)) }
      }
    }
    return record(p, inputs)
  }

  /// Where `v` comes from: the positions of the inputs it depends on, and the equations that
  /// compute it (in program order).
  func provenance(_ v: Var) -> (inputs: [Int], equations: [Equation]) {
    program.withLock { p in
      var producer: [Var: Int] = [:]
      for (i, e) in p.equations.enumerated() { for o in e.outputs { producer[o] = i } }
      let inputIndex = Dictionary(p.inVars.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
      var inputs = Set<Int>()
      var eqns = Set<Int>()
      var stack = [v]
      var seen = Set<Var>()
      while let x = stack.popLast() {
        guard seen.insert(x).inserted else { continue }
        if let k = inputIndex[x] { inputs.insert(k) }
        guard let i = producer[x] else { continue }
        eqns.insert(i)
        for case .variable(let y) in p.equations[i].inputs { stack.append(y) }
      }
      return (inputs.sorted(), eqns.sorted().map { p.equations[$0] })
    }
  }

  /// A custom_jvp function becomes one `custom_jvp_call` equation that keeps its rule.
  override func processCustomJVP(_ inputs: [Tensor], _ f: CustomJVPFunction) -> [Tensor] {
    stage(inputs, f) { $0.processCustomJVP(inputs, f) }
  }

  /// A custom_vjp function becomes one `custom_vjp_call` equation that keeps its rules.
  override func processCustomVJP(_ inputs: [Tensor], _ f: CustomVJPFunction) -> [Tensor] {
    stage(inputs, f) { $0.processCustomVJP(inputs, f) }
  }

  /// Records a custom function as one call with its rules, or (when linearize's tangent trace
  /// sees no tangent among the inputs) hands it to the parent with `inParent`.
  private func stage<R: CustomRules>(_ inputs: [Tensor], _ rules: R, inParent: (Trace) -> [Tensor]) -> [Tensor] {
    if foldConstants, let parent, !inputs.contains(where: isMine) { return withTrace(parent) { inParent(parent) } }
    switch traceBody(inputs.map(\.aval), { rules.fun($0).map(Optional.some) }) {
    case .failure(let e): return [Tensor(failed: e)]
    case .success(let body): return record(CustomCallPrimitive(rules, body), body.captured + inputs)
    }
  }

  /// Adds the equation `p inputs` to the program.
  func record(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    let outAvals: [ShapedArray]
    do throws(FluxionError) {
      outAvals = try p.abstractEval(inputs.map(\.aval))
      for a in outAvals { if let e = shapeError(a.shape, a.dtype) { throw e } }
      if outAvals.count != p.outputCount { throw outputCountError(p, outAvals.count) }
    } catch {
      return failed(error, p)
    }
    let outs = outAvals.map { Var($0) }
    let span = FluxionContext.span
    program.withLock { prog in
      let atoms = inputs.map { atom($0, &prog) }
      prog.equations.append(Equation(primitive: p, inputs: atoms, outputs: outs, span: span))
    }
    return outs.map { Tensor(tracer: JaxprTracer(trace: self, variable: $0)) }
  }

  /// The recorded program with `outputs` (nil = symbolic zero of the given aval).
  func finish(_ outputs: [Tensor?], zeroAvals: [ShapedArray]) -> ClosedJaxpr {
    program.withLock { p in
      var outAtoms: [Atom?] = []
      var zeros: [Int: ShapedArray] = [:]
      for (i, o) in outputs.enumerated() {
        if let o {
          outAtoms.append(atom(o, &p))
        } else {
          outAtoms.append(nil)
          zeros[i] = zeroAvals[i]
        }
      }
      var j = Jaxpr(constVars: p.constVars, inVars: p.inVars, equations: p.equations, outputs: outAtoms)
      j.zeroOutAvals = zeros
      return ClosedJaxpr(j, consts: p.consts)
    }
  }
}

/// A function traced into a program whose captured values are explicit leading inputs
/// (closure conversion): what a higher-order primitive holds as its body.
struct TracedBody {
  /// The body: inputs are the captured values, then the arguments; no constants.
  let jaxpr: ClosedJaxpr
  /// The captured values (data, or tracers of enclosing transformations) to pass first.
  let captured: [Tensor]
  /// For each result of `f`, whether the body returns it (nil results, symbolic zeros, are
  /// left out).
  let present: [Bool]
  /// The body's execution plan once built (jit's compiler; shared by every copy).
  let plans = PlanCache()
}

/// Traces `f` on abstract inputs of `avals` in a fresh recording trace under the current one.
/// Fails with the first error among the results; rethrows what `f` throws.
func traceBody<E: Error>(
  _ avals: [ShapedArray], debugInfo: TracingContext? = nil, _ f: ([Tensor]) throws(E) -> [Tensor?]
) throws(E) -> Result<TracedBody, FluxionError> {
  let trace = JaxprTrace(parent: currentTrace, foldConstants: false)
  trace.debugInfo = debugInfo
  let inputs = avals.map { trace.newArg($0) }
  let outs = try withUserTrace(trace) { () throws(E) in try f(inputs) }
  if let e = outs.lazy.compactMap({ $0?.error }).first { return .failure(e) }
  // Typed, so that compactMap drops the nil results (inferred as [Tensor?] it kept them, and
  // finish then read a zero's aval that is not there: a trap under grad of a jit with an
  // output whose tangent is a symbolic zero).
  let present: [Tensor] = outs.compactMap { $0 }
  let closed = trace.finish(present, zeroAvals: [])
  return .success(
    TracedBody(
      jaxpr: ClosedJaxpr(closed.jaxpr.constsAsInputs, consts: []), captured: closed.consts,
      present: outs.map { $0 != nil }))
}

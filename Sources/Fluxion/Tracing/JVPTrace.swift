import FluxionBackend

/// A value with its tangent, for forward-mode differentiation.
final class JVPTracer: Tracer {
  let primal: Tensor
  /// nil is a symbolic zero.
  let tangent: Tensor?

  init(trace: JVPTrace, primal: Tensor, tangent: Tensor?) {
    self.primal = primal
    self.tangent = tangent
    super.init(trace: trace, aval: primal.aval)
  }

  override var concreteValue: DenseArray? { primal.concrete }
  override var kindName: String { "JVPTracer" }
}

/// Forward-mode differentiation. Rules run in `ruleTrace`: the parent for `jvp`, or a
/// recording trace for `linearize`, which then holds the linear (tangent) part as a jaxpr.
///
/// Sendable without checking, as every trace (see `Trace`): its fields are immutable.
final class JVPTrace: Trace, @unchecked Sendable {
  let ruleTrace: Trace

  init(parent: Trace, ruleTrace: Trace) {
    self.ruleTrace = ruleTrace
    super.init(parent: parent)
  }

  /// Splits inputs into primals and tangents; false when none is this trace's.
  private func unpack(_ inputs: [Tensor]) -> ([Tensor], [Tensor?], Bool) {
    var primals: [Tensor] = []
    var tangents: [Tensor?] = []
    var mine = false
    for x in inputs {
      if case .tracer(let t) = x.payload, let j = t as? JVPTracer, j.trace === self {
        primals.append(j.primal)
        tangents.append(j.tangent)
        mine = true
      } else {
        primals.append(x)
        tangents.append(nil)
      }
    }
    return (primals, tangents, mine)
  }

  func wrap(_ primal: Tensor, _ tangent: Tensor?) -> Tensor {
    if primal.error != nil { return primal }
    if let e = tangent?.error { return Tensor(failed: e) }
    return Tensor(tracer: JVPTracer(trace: self, primal: primal, tangent: tangent))
  }

  override func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    let (primals, tangents, mine) = unpack(inputs)
    guard let parent else { return failed(.valueError("a JVP trace has no parent"), p) }
    guard mine else { return parent.process(p, inputs) }
    if tangents.allSatisfy({ $0 == nil }) { return withTrace(parent) { bind(p, primals) } }
    let (outs, touts) = withTrace(ruleTrace) { p.jvp(primals, tangents) }
    return zip(outs, touts).map { wrap($0, $1) }
  }

  override func processCustomJVP(_ inputs: [Tensor], _ f: CustomJVPFunction) -> [Tensor] {
    let (primals, tangents, mine) = unpack(inputs)
    guard let parent else { return f.fun(inputs) }
    if !mine || tangents.allSatisfy({ $0 == nil }) {
      return withTrace(parent) { parent.processCustomJVP(primals, f) }
    }
    let (outs, touts) = withTrace(ruleTrace) { f.applyRule(primals, tangents) }
    return zip(outs, touts).map { wrap($0, $1) }
  }

  override func processCustomVJP(_ inputs: [Tensor], _ f: CustomVJPFunction) -> [Tensor] {
    let (primals, tangents, mine) = unpack(inputs)
    guard let parent else { return f.fun(inputs) }
    if !mine || tangents.allSatisfy({ $0 == nil }) {
      return withTrace(parent) { parent.processCustomVJP(primals, f) }
    }
    let (outs, touts) = withTrace(ruleTrace) { f.applyForward(primals, tangents) }
    return zip(outs, touts).map { wrap($0, $1) }
  }
}

/// The tangent space of an abstract value: floats keep their dtype, other dtypes have float0
/// tangents, represented here as float32 zeros.
func tangentAval(_ a: ShapedArray) -> ShapedArray {
  a.dtype.isFloatingPoint ? a : ShapedArray(shape: a.shape, dtype: .float32)
}

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
final class JVPTrace: Trace {
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

  override func processCustomJVP(
    _ inputs: [Tensor], fun: @escaping ([Tensor]) -> [Tensor],
    rule: @escaping ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
  ) -> [Tensor] {
    let (primals, tangents, mine) = unpack(inputs)
    guard let parent else { return fun(inputs) }
    if !mine || tangents.allSatisfy({ $0 == nil }) {
      return withTrace(parent) { parent.processCustomJVP(primals, fun: fun, rule: rule) }
    }
    let full = zip(primals, tangents).map { $1 ?? zerosLike(tangentAval($0.aval)) }
    let (outs, touts) = withTrace(ruleTrace) { rule(primals, full) }
    if outs.count != touts.count {
      let e = FluxionError.typeError(
        "Custom JVP rule must produce primal and tangent outputs with equal container (pytree) structures, but got \(TreeDef.list(outs.map { _ in .leaf })) and \(TreeDef.list(touts.map { _ in .leaf })) respectively."
      )
      return Array(repeating: Tensor(failed: e), count: Swift.max(outs.count, 1))
    }
    for (o, t) in zip(outs, touts) where o.aval.shape != t.aval.shape || tangentAval(o.aval).dtype != t.dtype {
      let e = FluxionError.typeError(
        "Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. Expected \(tangentAval(o.aval).longDescription) (tangent type of \(o.aval.longDescription)) but got \(t.aval.longDescription)."
      )
      return outs.map { _ in Tensor(failed: e) }
    }
    return zip(outs, touts).map { wrap($0, $1) }
  }

  override func processCustomVJP(
    _ inputs: [Tensor], fun: @escaping ([Tensor]) -> [Tensor], fwd: @escaping ([Tensor]) -> ([Tensor], [Tensor]),
    bwd: @escaping @Sendable ([Tensor], [Tensor]) -> [Tensor]
  ) -> [Tensor] {
    let (primals, tangents, mine) = unpack(inputs)
    guard let parent else { return fun(inputs) }
    if !mine || tangents.allSatisfy({ $0 == nil }) {
      return withTrace(parent) { parent.processCustomVJP(primals, fun: fun, fwd: fwd, bwd: bwd) }
    }
    let (outs, residuals) = withTrace(parent) { fwd(primals) }
    let full = zip(primals, tangents).map { $1 ?? zerosLike(tangentAval($0.aval)) }
    let call = CustomVJPCall(
      bwd: bwd, residualCount: residuals.count, inputAvals: primals.map { tangentAval($0.aval) },
      outputAvals: outs.map { tangentAval($0.aval) })
    let touts = withTrace(ruleTrace) { bind(call, residuals + full) }
    return zip(outs, touts).map { wrap($0, $1) }
  }
}

/// The tangent space of an abstract value: floats keep their dtype, other dtypes have float0
/// tangents, represented here as float32 zeros.
func tangentAval(_ a: ShapedArray) -> ShapedArray {
  a.dtype.isFloatingPoint ? a : ShapedArray(shape: a.shape, dtype: .float32)
}

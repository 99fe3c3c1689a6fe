import FluxionBackend

/// A variable of the program being recorded.
final class JaxprTracer: Tracer {
  let variable: Var
  init(trace: JaxprTrace, variable: Var) {
    self.variable = variable
    super.init(trace: trace, aval: variable.aval)
  }
  override var kindName: String { "DynamicJaxprTracer" }
}

/// Records equations instead of running them: make_jaxpr, linearize's tangent program, and jit.
///
/// With `foldConstants`, an operation none of whose inputs is this trace's tracer runs in the
/// parent instead of being recorded (linearize uses this so only tangent work is kept).
final class JaxprTrace: Trace {
  let foldConstants: Bool
  private(set) var inVars: [Var] = []
  private(set) var equations: [Equation] = []
  private(set) var constVars: [Var] = []
  private(set) var consts: [Tensor] = []
  private var constIndex: [ConstKey: Var] = [:]

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
    inVars.append(v)
    return Tensor(tracer: JaxprTracer(trace: self, variable: v))
  }

  func isMine(_ x: Tensor) -> Bool {
    if case .tracer(let t) = x.payload, t.trace === self { return true }
    return false
  }

  /// The atom for an input: this trace's variable, a literal scalar, or a captured constant.
  func atom(_ x: Tensor) -> Atom {
    switch x.payload {
    case .tracer(let t):
      if let j = t as? JaxprTracer, j.trace === self { return .variable(j.variable) }
      return .variable(constVar(x, key: ConstKey(object: ObjectIdentifier(t), aval: t.aval)))
    case .array(let a, _):
      if a.rank == 0 { return .literal(x) }
      return .variable(constVar(x, key: ConstKey(object: ObjectIdentifier(a.buffer), aval: x.aval)))
    case .failed:
      return .literal(x)
    }
  }

  private func constVar(_ x: Tensor, key: ConstKey) -> Var {
    if let v = constIndex[key] { return v }
    let v = Var(x.aval)
    constIndex[key] = v
    constVars.append(v)
    consts.append(x)
    return v
  }

  override func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    if foldConstants, let parent, !inputs.contains(where: isMine) {
      return parent.process(p, inputs)
    }
    let outAvals: [ShapedArray]
    do throws(FluxionError) {
      outAvals = try p.abstractEval(inputs.map(\.aval))
      for a in outAvals { if let e = shapeError(a.shape, a.dtype) { throw e } }
      if outAvals.count != p.outputCount { throw outputCountError(p, outAvals.count) }
    } catch {
      return failed(error, p)
    }
    let outs = outAvals.map { Var($0) }
    equations.append(Equation(primitive: p, inputs: inputs.map(atom), outputs: outs))
    return outs.map { Tensor(tracer: JaxprTracer(trace: self, variable: $0)) }
  }

  /// The recorded program with `outputs` (nil = symbolic zero of the given aval).
  func finish(_ outputs: [Tensor?], zeroAvals: [ShapedArray]) -> Jaxpr {
    var outAtoms: [Atom?] = []
    var zeros: [Int: ShapedArray] = [:]
    for (i, o) in outputs.enumerated() {
      if let o {
        outAtoms.append(atom(o))
      } else {
        outAtoms.append(nil)
        zeros[i] = zeroAvals[i]
      }
    }
    var j = Jaxpr(constVars: constVars, inVars: inVars, equations: equations, outputs: outAtoms, consts: consts)
    j.zeroOutAvals = zeros
    return j
  }
}

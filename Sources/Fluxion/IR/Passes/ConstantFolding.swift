/// Constant folding: an equation whose operands are all known (literals, or constants of the
/// program) is evaluated now, with the same kernels the program would run, and its results
/// become literals (scalars) or new constants. Results of more than `maxElements` elements are
/// left to be computed when the program runs, so a huge constant is never materialised; so are
/// equations with effects, ones that fail, and generators with no operands that are large.
///
/// ```
/// { lambda ; a:f32[]. let b:f32[] = neg 1.0:f32[]; c:f32[] = mul a b in (c,) }
///   → { lambda ; a:f32[]. let c:f32[] = mul a -1.0:f32[] in (c,) }
/// ```
public struct ConstantFolding: JaxprPass {
  /// The largest result (in elements) folded into a constant.
  public var maxElements: Int

  public init(maxElements: Int = 1024) { self.maxElements = maxElements }
  public var name: String { "constant-folding" }

  public func rewrite(_ program: inout PassProgram) -> Bool {
    var known: [Var: Tensor] = [:]
    for (v, c) in zip(program.jaxpr.constVars, program.consts) { known[v] = c }
    var subst = Substitution()
    var kept: [Equation] = []
    var changed = false
    for e in program.jaxpr.equations {
      let e = subst.apply(e)
      guard let values = fold(e, known) else {
        kept.append(e)
        continue
      }
      changed = true
      for (v, t) in zip(e.outputs, values) {
        if t.rank == 0 {
          subst.replace(v, with: .literal(t))
        } else {
          let c = Var(v.aval)
          program.jaxpr.constVars.append(c)
          program.consts.append(t)
          known[c] = t
          subst.replace(v, with: .variable(c))
        }
      }
    }
    guard changed else { return false }
    program.jaxpr.equations = kept
    program.jaxpr.outputs = subst.apply(program.jaxpr.outputs)
    return true
  }

  /// The results of `e` when its operands are known and it may be folded.
  private func fold(_ e: Equation, _ known: [Var: Tensor]) -> [Tensor]? {
    guard !e.outputs.isEmpty, e.outputs.allSatisfy({ $0.aval.count <= maxElements }), !hasEffects(e.primitive)
    else { return nil }
    var inputs: [Tensor] = []
    for a in e.inputs {
      switch a {
      case .literal(let t): inputs.append(t)
      case .variable(let v):
        guard let t = known[v], !t.isTracer else { return nil }
        inputs.append(t)
      }
    }
    guard let outs = evaluateConcretely(e.primitive, inputs),
      zip(outs, e.outputs).allSatisfy({ $0.aval == $1.aval })
    else { return nil }
    return outs
  }
}

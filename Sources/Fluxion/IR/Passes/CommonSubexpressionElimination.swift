/// Common-subexpression elimination: an equation that applies the same operation (name and
/// parameters: `Primitive.key`) to the same operands as an earlier one is dropped, and its
/// results are read from the earlier one's. Operations with effects are never merged.
///
/// ```
/// { lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = sin a; d:f32[] = mul b c in (d,) }
///   → { lambda ; a:f32[]. let b:f32[] = sin a; d:f32[] = mul b b in (d,) }
/// ```
public struct CommonSubexpressionElimination: JaxprPass {
  public init() {}
  public var name: String { "cse" }

  private struct Key: Hashable {
    let primitive: PrimitiveKey
    let inputs: [AtomKey]
  }

  public func rewrite(_ program: inout PassProgram) -> Bool {
    var seen: [Key: [Var]] = [:]
    var subst = Substitution()
    var kept: [Equation] = []
    for e in program.jaxpr.equations {
      let e = subst.apply(e)
      guard !hasEffects(e.primitive) else {
        kept.append(e)
        continue
      }
      let key = Key(primitive: e.primitive.key, inputs: e.inputs.map(AtomKey.init))
      if let earlier = seen[key], earlier.count == e.outputs.count,
        zip(earlier, e.outputs).allSatisfy({ $0.aval == $1.aval })
      {
        for (old, new) in zip(e.outputs, earlier) { subst.replace(old, with: .variable(new)) }
        continue
      }
      seen[key] = e.outputs
      kept.append(e)
    }
    guard kept.count != program.jaxpr.equations.count else { return false }
    program.jaxpr.equations = kept
    program.jaxpr.outputs = subst.apply(program.jaxpr.outputs)
    return true
  }
}

/// Dead-code elimination: drops equations none of whose results the program reads (directly or
/// through other equations), and constants nothing reads. Equations with effects stay, as do
/// the program's inputs (its interface).
///
/// ```
/// { lambda ; a:f32[]. let _:f32[] = sin a; b:f32[] = cos a in (b,) }
///   → { lambda ; a:f32[]. let b:f32[] = cos a in (b,) }
/// ```
public struct DeadCodeElimination: JaxprPass {
  public init() {}
  public var name: String { "dce" }

  public func rewrite(_ program: inout PassProgram) -> Bool {
    let j = program.jaxpr
    var live = Set<Var>()
    for case .variable(let v)? in j.outputs { live.insert(v) }
    var kept: [Equation] = []
    for e in j.equations.reversed() where hasEffects(e.primitive) || e.outputs.contains(where: live.contains) {
      kept.append(e)
      for case .variable(let v) in e.inputs { live.insert(v) }
    }
    let liveConsts = j.constVars.indices.filter { live.contains(j.constVars[$0]) }
    guard kept.count != j.equations.count || liveConsts.count != j.constVars.count else { return false }
    program.jaxpr.equations = kept.reversed()
    program.jaxpr.constVars = liveConsts.map { j.constVars[$0] }
    program.consts = liveConsts.map { program.consts[$0] }
    return true
  }
}

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
    var pruned = false
    for var e in j.equations.reversed() where hasEffects(e.primitive) || e.outputs.contains(where: live.contains) {
      // A call some of whose results are unread computes only the others (JAX's DCE of jit).
      if let p = e.primitive as? any OutputPrunable, !hasEffects(e.primitive),
        let (q, keptInputs) = p.pruned(keepingOutputs: e.outputs.map(live.contains))
      {
        e = Equation(
          primitive: q, inputs: zip(e.inputs, keptInputs).filter(\.1).map(\.0),
          outputs: e.outputs.filter(live.contains), span: e.span)
        pruned = true
      }
      kept.append(e)
      for case .variable(let v) in e.inputs { live.insert(v) }
    }
    let liveConsts = j.constVars.indices.filter { live.contains(j.constVars[$0]) }
    guard pruned || kept.count != j.equations.count || liveConsts.count != j.constVars.count else { return false }
    program.jaxpr.equations = kept.reversed()
    program.jaxpr.constVars = liveConsts.map { j.constVars[$0] }
    program.consts = liveConsts.map { program.consts[$0] }
    return true
  }
}

/// A call of a sub-program that can drop results nobody reads, and then the operands the rest
/// does not need (jit).
protocol OutputPrunable: Primitive {
  /// The call computing only the results where `keep` holds, and which operands it still
  /// takes; nil when nothing can be dropped.
  func pruned(keepingOutputs keep: [Bool]) -> (any Primitive, keptInputs: [Bool])?
}

extension JitCall: OutputPrunable {
  func pruned(keepingOutputs keep: [Bool]) -> (any Primitive, keptInputs: [Bool])? {
    guard keep.count == body.outputs.count, keep.contains(false), body.outputs.allSatisfy({ $0 != nil }),
      program.outputs.count == keep.count, program.outputs.allSatisfy({ $0 != nil }),
      program.inVars.count == body.inVars.count
    else { return nil }
    let (b, p) = (restricted(body, keep), restricted(program, keep))
    let reads = Set(readVars(b.jaxpr)).union(readVars(p.jaxpr))
    let keptInputs = body.inVars.indices.map { reads.contains(body.inVars[$0]) || reads.contains(program.inVars[$0]) }
    let newBody = dropInputs(b, keptInputs)
    let newProgram = dropInputs(p, keptInputs)
    return (
      JitCall(functionName, TracedBody(jaxpr: newBody, captured: [], present: []), program: newProgram), keptInputs
    )
  }

  /// `c` returning only the results where `keep` holds, its dead code dropped.
  private func restricted(_ c: ClosedJaxpr, _ keep: [Bool]) -> ClosedJaxpr {
    var prog = PassProgram(c)
    prog.jaxpr.outputs = zip(c.outputs, keep).filter(\.1).map(\.0)
    _ = DeadCodeElimination().rewrite(&prog)
    return prog.closed
  }

  private func dropInputs(_ c: ClosedJaxpr, _ keep: [Bool]) -> ClosedJaxpr {
    var j = c.jaxpr
    j.inVars = zip(j.inVars, keep).filter(\.1).map(\.0)
    return ClosedJaxpr(j, consts: c.consts)
  }
}

/// The variables a program reads (operands and results).
private func readVars(_ j: Jaxpr) -> [Var] {
  var out: [Var] = []
  for e in j.equations { for case .variable(let v) in e.inputs { out.append(v) } }
  for case .variable(let v)? in j.outputs { out.append(v) }
  return out
}

import FluxionBackend

/// One level of a program that a pass rewrites: the jaxpr and the values of its constants.
public struct PassProgram: Sendable {
  public var jaxpr: Jaxpr
  public var consts: [Tensor]

  public init(_ closed: ClosedJaxpr) {
    jaxpr = closed.jaxpr
    consts = closed.consts
  }

  public var closed: ClosedJaxpr { ClosedJaxpr(jaxpr, consts: consts) }
}

/// A rewrite of a jaxpr that never changes the values it computes, bit for bit.
///
/// A pass rewrites one level; `runPass` (and the pipeline) first runs it inside every sub-jaxpr
/// held in a `.jaxpr` parameter (jit bodies, control-flow branches) of primitives that can be
/// rebuilt with new sub-programs (`SubJaxprRebuildable`). A sub-program keeps its interface:
/// its inputs and the types of its results, as the equation that holds it passes them.
public protocol JaxprPass: Sendable {
  /// The name shown when the pipeline prints the program after each pass.
  var name: String { get }
  /// Rewrites one level of `program`; returns whether anything changed.
  func rewrite(_ program: inout PassProgram) -> Bool
}

/// A primitive holding sub-programs in `.jaxpr` parameters that passes may rewrite: it makes
/// the same operation with other sub-programs of the same interface. Higher-order primitives
/// (jit, and control flow) conform so that passes see inside them with no further code.
public protocol SubJaxprRebuildable: Primitive {
  /// This primitive with its sub-jaxprs replaced by `jaxprs`, given in the order of
  /// `params.flatMap { $0.1.jaxprs }` (depth first through tuples and lists); nil when it
  /// cannot take them.
  func replacingSubJaxprs(_ jaxprs: [ClosedJaxpr]) -> (any Primitive)?
}

/// A primitive with side effects (a print, a host callback, I/O): passes keep every binding of
/// one, in order, even when its results are unused, and never merge two of them.
public protocol EffectfulPrimitive: Primitive {}

/// Names of effectful primitives that may be bound without conforming (JAX's callbacks).
let effectfulPrimitiveNames: Set<String> = ["debug_callback", "debug_print", "io_callback", "print"]

/// Whether binding `p` has effects: it is effectful, or a sub-program of it has an effect.
/// (Random numbers are not effects: the key is an explicit operand, as in JAX.)
func hasEffects(_ p: any Primitive) -> Bool {
  if p is any EffectfulPrimitive || effectfulPrimitiveNames.contains(p.name) { return true }
  return p.params.contains { $0.1.jaxprs.contains { hasEffects($0.jaxpr) } }
}

/// Whether an equation of `j` (at any depth) has effects.
func hasEffects(_ j: Jaxpr) -> Bool { j.equations.contains { hasEffects($0.primitive) } }

extension JitCall: SubJaxprRebuildable {
  /// A jit whose body (printed and run) is `jaxprs[0]`.
  func replacingSubJaxprs(_ jaxprs: [ClosedJaxpr]) -> (any Primitive)? {
    guard jaxprs.count == 1 else { return nil }
    return JitCall(functionName, TracedBody(jaxpr: jaxprs[0], captured: [], present: []))
  }
}

/// Runs `pass` on `closed` and, first, inside its sub-programs. Returns `closed` itself when
/// nothing changed. Sub-programs shared by several equations are rewritten once and stay shared.
public func runPass(_ pass: any JaxprPass, _ closed: ClosedJaxpr) -> ClosedJaxpr {
  var walker = SubJaxprWalker(pass: pass)
  return walker.run(closed)
}

/// Applies a pass depth first through the sub-jaxprs of rebuildable primitives.
struct SubJaxprWalker {
  let pass: any JaxprPass
  /// Each program seen, with what it became (the key object is kept so its identity is not reused).
  private var memo: [ObjectIdentifier: (ClosedJaxpr, ClosedJaxpr)] = [:]

  init(pass: any JaxprPass) { self.pass = pass }

  mutating func run(_ closed: ClosedJaxpr) -> ClosedJaxpr {
    if let seen = memo[ObjectIdentifier(closed)] { return seen.1 }
    var program = PassProgram(closed)
    var changed = false
    for i in program.jaxpr.equations.indices {
      let e = program.jaxpr.equations[i]
      guard let rebuilt = rebuildSubJaxprs(e.primitive) else { continue }
      program.jaxpr.equations[i] = Equation(primitive: rebuilt, inputs: e.inputs, outputs: e.outputs, span: e.span)
      changed = true
    }
    if pass.rewrite(&program) { changed = true }
    let result = changed ? program.closed : closed
    memo[ObjectIdentifier(closed)] = (closed, result)
    return result
  }

  /// `p` with its sub-programs rewritten, or nil when none changed (or `p` cannot be rebuilt).
  private mutating func rebuildSubJaxprs(_ p: any Primitive) -> (any Primitive)? {
    guard let r = p as? any SubJaxprRebuildable else { return nil }
    let subs = p.params.flatMap { $0.1.jaxprs }
    guard !subs.isEmpty else { return nil }
    var changed = false
    var rewritten: [ClosedJaxpr] = []
    for s in subs {
      let n = run(s)
      guard sameInterface(s, n) else {
        rewritten.append(s)
        continue
      }
      if n !== s { changed = true }
      rewritten.append(n)
    }
    return changed ? r.replacingSubJaxprs(rewritten) : nil
  }

  private func sameInterface(_ a: ClosedJaxpr, _ b: ClosedJaxpr) -> Bool {
    a.inAvals == b.inAvals && a.outAvals == b.outAvals
  }
}

// MARK: - helpers the passes share

/// Replacements of variables by atoms, applied to later operands and to the results.
struct Substitution {
  private(set) var map: [Var: Atom] = [:]

  var isEmpty: Bool { map.isEmpty }

  /// Replaces `v` by `a` (which must have `v`'s abstract value).
  mutating func replace(_ v: Var, with a: Atom) { map[v] = resolve(a) }

  func resolve(_ a: Atom) -> Atom {
    var a = a
    while case .variable(let v) = a, let next = map[v] { a = next }
    return a
  }

  func apply(_ e: Equation) -> Equation {
    guard !map.isEmpty else { return e }
    return Equation(primitive: e.primitive, inputs: e.inputs.map(resolve), outputs: e.outputs, span: e.span)
  }

  func apply(_ outputs: [Atom?]) -> [Atom?] { outputs.map { $0.map(resolve) } }
}

/// The identity of an operand for comparing equations: a variable by identity, a literal by
/// its abstract value and the bits of its value (so -0.0 and 0.0 differ and NaN equals itself).
enum AtomKey: Hashable {
  case variable(Var)
  case literal(ShapedArray, bits: UInt64)

  init(_ a: Atom) {
    switch a {
    case .variable(let v): self = .variable(v)
    case .literal(let t): self = .literal(t.aval, bits: t.concrete.map { scalarBits($0.scalar(at: 0)) } ?? 0)
    }
  }
}

/// The bits of a scalar, distinguishing every value (signed zeros, NaN payloads).
func scalarBits(_ s: Scalar) -> UInt64 {
  switch s {
  case .bool(let b): b ? 1 : 0
  case .int(let i): UInt64(bitPattern: i)
  case .uint(let u): u
  case .float(let d): d.bitPattern
  }
}

/// Evaluates `p` on concrete `inputs` with the kernels (nil if it fails).
func evaluateConcretely(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor]? {
  let outs = withTrace(EvalTrace.shared) { bind(p, inputs) }
  guard outs.count == p.outputCount, outs.allSatisfy({ $0.error == nil && !$0.isTracer }) else { return nil }
  return outs
}

/// How many times each variable is read (by equations and as a result).
func useCounts(_ j: Jaxpr) -> [Var: Int] {
  var uses: [Var: Int] = [:]
  for e in j.equations {
    for case .variable(let v) in e.inputs { uses[v, default: 0] += 1 }
  }
  for case .variable(let v)? in j.outputs { uses[v, default: 0] += 1 }
  return uses
}

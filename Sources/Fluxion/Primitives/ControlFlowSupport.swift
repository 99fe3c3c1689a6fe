import FluxionBackend

// What the control-flow primitives (cond, while, scan, checkpoint) share: their bodies are
// closed jaxprs, and every rule makes new bodies from old ones — the jvp of a body, a body
// vmapped, a body split by partial evaluation, a body transposed — by tracing a function of
// the old body into a fresh program (closure conversion makes what it captures leading
// operands, as for jit).

/// A body made by tracing, with the values it captured (to pass as its first operands).
struct MadeBody {
  let jaxpr: ClosedJaxpr
  let captured: [Tensor]
}

/// Traces `f` (which must return one tensor per result) into a body; nil results are an
/// engine invariant broken, reported as the error.
func makeBody(_ avals: [ShapedArray], _ f: ([Tensor]) -> [Tensor]) -> Result<MadeBody, FluxionError> {
  switch traceBody(avals, { f($0).map(Optional.some) }) {
  case .failure(let e): return .failure(e)
  case .success(let b): return .success(MadeBody(jaxpr: b.jaxpr, captured: b.captured))
  }
}

/// What makes two captured values one (so branches that close over the same value share one
/// operand, as JAX's cond does).
private func identityKey(_ x: Tensor) -> AnyHashable {
  switch x.payload {
  case .tracer(let t): AnyHashable(ObjectIdentifier(t))
  case .array(let a, _): AnyHashable([AnyHashable(ObjectIdentifier(a.buffer)), AnyHashable(x.aval)])
  case .pending(let p): AnyHashable(ObjectIdentifier(p))
  case .failed: AnyHashable(UInt8(0))
  }
}

/// Bodies that all take the same operands (cond's branches): each captured different values,
/// so each now takes every value any of them captured (one operand per distinct value), and
/// ignores the others'.
func joinCaptured(_ bodies: [MadeBody]) -> (branches: [ClosedJaxpr], captured: [Tensor]) {
  var captured: [Tensor] = []
  var index: [AnyHashable: Int] = [:]
  for b in bodies {
    for c in b.captured where index[identityKey(c)] == nil {
      index[identityKey(c)] = captured.count
      captured.append(c)
    }
  }
  let branches = bodies.map { b -> ClosedJaxpr in
    var lead = captured.map { Var($0.aval) }
    var j = b.jaxpr.jaxpr
    for (k, c) in b.captured.enumerated() { lead[index[identityKey(c)]!] = j.inVars[k] }
    j.inVars = lead + Array(j.inVars[b.captured.count...])
    return ClosedJaxpr(j, consts: b.jaxpr.consts)
  }
  return (branches, captured)
}

/// `jaxpr` keeping only the results at `keep`, without the equations no kept result needs.
func pruned(_ jaxpr: ClosedJaxpr, keep: [Int]) -> ClosedJaxpr {
  var j = jaxpr.jaxpr
  let old = j.outputs
  j.outputs = keep.map { old[$0] }
  var zeros: [Int: ShapedArray] = [:]
  for (k, i) in keep.enumerated() where old[i] == nil { zeros[k] = jaxpr.jaxpr.outAval(i) }
  j.zeroOutAvals = zeros
  var live = Set<Var>()
  for case .variable(let v)? in j.outputs { live.insert(v) }
  var kept: [Equation] = []
  for e in j.equations.reversed() where e.outputs.contains(where: live.contains) {
    kept.append(e)
    for case .variable(let v) in e.inputs { live.insert(v) }
  }
  j.equations = kept.reversed()
  return ClosedJaxpr(j, consts: jaxpr.consts)
}

/// Which results of `jaxpr` depend on the inputs marked in `marked`.
func dependsOn(_ jaxpr: Jaxpr, _ marked: [Bool]) -> [Bool] {
  var tainted = Set(zip(jaxpr.inVars, marked).filter(\.1).map(\.0))
  func reads(_ a: Atom?) -> Bool {
    if case .variable(let v)? = a { return tainted.contains(v) }
    return false
  }
  for e in jaxpr.equations where e.inputs.contains(where: reads) { tainted.formUnion(e.outputs) }
  return jaxpr.outputs.map(reads)
}

/// `jaxpr` with its inputs reordered: input k of the result is input `order[k]` of `jaxpr`.
func permutedInputs(_ jaxpr: ClosedJaxpr, _ order: [Int]) -> ClosedJaxpr {
  var j = jaxpr.jaxpr
  let old = j.inVars
  j.inVars = order.map { old[$0] }
  return ClosedJaxpr(j, consts: jaxpr.consts)
}

// MARK: - forward mode

/// The jvp of `body` with the tangents marked in `nonzero`: a body of the primals then those
/// tangents, returning the primal results then the tangents of the results marked in
/// `instantiate` (zeros where symbolic) and of the others that are not symbolic zeros. Also
/// says which result tangents it returns.
func jvpBody(_ body: ClosedJaxpr, nonzero: [Bool], instantiate: [Bool]) -> Result<(MadeBody, [Bool]), FluxionError> {
  let n = body.inAvals.count
  let tangentAvals = zip(body.inAvals, nonzero).compactMap { $1 ? tangentAval($0) : nil }
  var present: [Bool] = []
  let made = makeBody(body.inAvals + tangentAvals) { xs in
    var ts = xs[n...].makeIterator()
    let (ys, dys) = jvpCore(body.eval, primals: Array(xs[..<n]), tangents: nonzero.map { $0 ? ts.next() : nil })
    var out = ys
    present = []
    for (k, (y, t)) in zip(ys, dys).enumerated() {
      if let t {
        out.append(t)
        present.append(true)
      } else if instantiate[k] {
        out.append(zerosLike(tangentAval(y.aval)))
        present.append(true)
      } else {
        present.append(false)
      }
    }
    return out
  }
  return made.map { ($0, present) }
}

/// Which results of `body` have nonzero tangents when the inputs marked `nonzero` do.
func tangentPattern(_ body: ClosedJaxpr, nonzero: [Bool]) -> Result<[Bool], FluxionError> {
  jvpBody(body, nonzero: nonzero, instantiate: body.outputs.map { _ in false }).map(\.1)
}

/// Splits tangents of an equation's operands into nonzero ones (in order) and the pattern.
func nonzeroTangents(_ tangents: [Tensor?]) -> ([Tensor], [Bool]) {
  (tangents.compactMap { $0 }, tangents.map { $0 != nil })
}

// MARK: - reverse mode

/// `body` transposed in its inputs whose `args` are nil (the others are residuals): a body of
/// the residuals, then the given (non-nil) cotangents of its results, returning one cotangent
/// per linear input (zeros where it gets none).
func transposeBody(_ body: ClosedJaxpr, args: [Tensor?], cts: [Tensor?]) throws(FluxionError) -> MadeBody {
  let residuals = args.indices.filter { args[$0] != nil }
  let linear = args.indices.filter { args[$0] == nil }
  let given = cts.indices.filter { cts[$0] != nil }
  var failure: FluxionError?
  let made = makeBody(residuals.map { body.inAvals[$0] } + given.map { cts[$0]!.aval }) { xs in
    var full = [Tensor?](repeating: nil, count: args.count)
    for (k, i) in residuals.enumerated() { full[i] = xs[k] }
    var outCts = [Tensor?](repeating: nil, count: cts.count)
    for (k, j) in given.enumerated() { outCts[j] = xs[residuals.count + k] }
    do throws(FluxionError) {
      let grads = try backwardPass(body, args: full, outCts)
      return linear.map { grads[$0] ?? zerosLike(tangentAval(body.inAvals[$0])) }
    } catch {
      failure = error
      return []
    }
  }
  if let failure { throw failure }
  return try made.get()
}

/// The operands of a transposed body (see `transposeBody`): the residuals, then the given
/// cotangents.
func transposeOperands(_ args: [Tensor?], _ cts: [Tensor?]) -> [Tensor] {
  args.compactMap { $0 } + cts.compactMap { $0 }
}

/// Cotangents for the linear inputs (nil in `args`), in order, placed at their positions.
func placeLinear(_ values: [Tensor], _ args: [Tensor?]) -> [Tensor?] {
  var it = values.makeIterator()
  return args.map { $0 == nil ? it.next() : nil }
}

// MARK: - loops

/// Which carries have a property (a nonzero tangent, a batch axis, an unknown value): those
/// that start with it, and those the body gives it to, until the body keeps the set. `step`
/// says which carry results have it when the marked carries do.
func carryFixedPoint<E: Error>(_ start: [Bool], _ step: ([Bool]) throws(E) -> [Bool]) throws(E) -> [Bool] {
  var flags = start
  for _ in 0...flags.count {
    let merged = zip(flags, try step(flags)).map { $0 || $1 }
    if merged == flags { break }
    flags = merged
  }
  return flags
}

// MARK: - batching

/// `body` vmapped over axis 0 of the inputs marked `batched` (whose abstract values it takes with
/// the batch axis in front): each result batched at axis 0 when it depends on a batched input
/// or is marked in `instantiate` (broadcast), unbatched otherwise. Also says which results are
/// batched.
func batchBody(_ body: ClosedJaxpr, batched: [Bool], axisSize: Int, instantiate: [Bool]) -> Result<
  (MadeBody, [Bool]), FluxionError
> {
  let avals = zip(body.inAvals, batched).map { a, b in
    b ? ShapedArray(shape: [axisSize] + a.shape, dtype: a.dtype, weakType: a.weakType) : a
  }
  var outBatched: [Bool] = []
  let made = makeBody(avals) { xs in
    let trace = BatchTrace(parent: currentTrace, axisSize: axisSize)
    let inputs = zip(xs, batched).map { x, b in b ? trace.wrap(x, 0) : x }
    let outs = withUserTrace(trace) { body.eval(inputs) }
    outBatched = []
    return outs.enumerated().map { j, o in
      if o.error != nil {
        outBatched.append(false)
        return o
      }
      let (v, d) = trace.unpack(o)
      outBatched.append(d != nil || instantiate[j])
      return d != nil || instantiate[j] ? moveBatchAxis(v, from: d, to: 0, size: axisSize) : v
    }
  }
  return made.map { ($0, outBatched) }
}

/// Which results of `body` are batched when the inputs marked `batched` are.
func batchPattern(_ body: ClosedJaxpr, batched: [Bool], axisSize: Int) -> Result<[Bool], FluxionError> {
  batchBody(body, batched: batched, axisSize: axisSize, instantiate: body.outputs.map { _ in false }).map(\.1)
}

/// A value with its batch axis at 0 (broadcast there when it has none).
func batchedAtFront(_ x: Tensor, _ dim: Int?, _ size: Int) -> Tensor { moveBatchAxis(x, from: dim, to: 0, size: size) }

// MARK: - partial evaluation

/// Where a residual of a split body comes from.
enum ResidualSource {
  /// A known input of the body, passed as it is (its index among the body's inputs).
  case input(Int)
  /// A value the known part computes.
  case computed
  /// A value from outside the body (data, or a tracer of an enclosing transformation).
  case outer(Tensor)
}

/// A body split by partial evaluation, for inputs marked unknown (being staged): the known
/// part runs now; the staged part takes residuals (values the known part saves) and the
/// unknown inputs.
struct BodySplit {
  /// Inputs: `knownCaptured`, then the known inputs (in order). Results: the known results (in
  /// order), then the residuals whose source is an input or computed, or all of them when
  /// `allResidualsOut` (in order).
  let known: ClosedJaxpr
  let knownCaptured: [Tensor]
  /// Which results of the body are staged.
  let outUnknown: [Bool]
  /// One per residual: its source and abstract value.
  let residuals: [(source: ResidualSource, aval: ShapedArray)]
  /// Inputs: the residuals, then the unknown inputs. Results: the unknown results.
  let staged: ClosedJaxpr
  /// How many results of `known` are the body's (the rest are residuals).
  var knownResultCount: Int { outUnknown.filter { !$0 }.count }
}

/// Splits `body` for the inputs marked `unknown`; results marked `instantiate` are staged even
/// when the known inputs determine them. With `allResidualsOut`, the known part returns every
/// residual (also known inputs and outside values): cond's branches, which must pass the same
/// operands, use that. nil when the body fails.
func splitBody(_ body: ClosedJaxpr, unknown: [Bool], instantiate: [Bool], allResidualsOut: Bool = false)
  -> BodySplit?
{
  let known = JaxprTrace(parent: currentTrace, foldConstants: false)
  let staged = JaxprTrace(parent: known, foldConstants: true)
  var inputIndex: [Var: Int] = [:]
  let args = zip(body.inAvals, unknown).enumerated().map { i, au -> Tensor in
    if au.1 { return staged.newArg(au.0) }
    let a = known.newArg(au.0)
    if let v = known.variable(a) { inputIndex[v] = i }
    return a
  }
  let outs = withTrace(staged) { body.eval(args) }
  if outs.contains(where: { $0.error != nil }) { return nil }
  let outUnknown = outs.enumerated().map { staged.isMine($1) || instantiate[$0] }
  let rest = staged.finish(zip(outs, outUnknown).filter(\.1).map(\.0), zeroAvals: [])
  var knownOuts = zip(outs, outUnknown).filter { !$0.1 }.map(\.0)
  var residuals: [(source: ResidualSource, aval: ShapedArray)] = []
  for c in rest.consts {
    if let v = known.variable(c) {
      if let i = inputIndex[v] {
        residuals.append((.input(i), c.aval))
        if allResidualsOut { knownOuts.append(c) }
      } else {
        residuals.append((.computed, c.aval))
        knownOuts.append(c)
      }
    } else {
      residuals.append((.outer(c), c.aval))
      if allResidualsOut { knownOuts.append(c) }
    }
  }
  let first = known.finish(knownOuts, zeroAvals: [])
  return BodySplit(
    known: ClosedJaxpr(first.jaxpr.constsAsInputs, consts: []), knownCaptured: first.consts, outUnknown: outUnknown,
    residuals: residuals, staged: ClosedJaxpr(rest.jaxpr.constsAsInputs, consts: []))
}

/// Which results of `body` are staged when the inputs marked `unknown` are.
func unknownPattern(_ body: ClosedJaxpr, unknown: [Bool]) throws(FluxionError) -> [Bool] {
  guard let s = splitBody(body, unknown: unknown, instantiate: body.outputs.map { _ in false }) else {
    throw .valueError("a body failed while it was split")
  }
  return s.outUnknown
}

// MARK: - messages

/// `[0]['w']`-style key paths of the leaves of a structure, as JAX's `keystr`.
func leafPaths(_ def: TreeDef, _ prefix: String = "") -> [String] {
  switch def {
  case .leaf: [prefix]
  case .none: []
  case .tuple(let c), .list(let c): c.enumerated().flatMap { leafPaths($1, prefix + "[\($0)]") }
  case .dict(let keys, let c): zip(keys, c).flatMap { leafPaths($1, prefix + "['\($0)']") }
  case .custom(_, _, let c):
    c.count == 1 ? leafPaths(c[0], prefix) : c.enumerated().flatMap { leafPaths($1, prefix + "[\($0)]") }
  }
}

/// "so the shapes do not match" / "so the dtypes do not match", or nil when the types agree
/// (weak types aside, which JAX promotes).
func typeDifference(_ a: ShapedArray, _ b: ShapedArray) -> String? {
  if a.shape != b.shape { return "shapes" }
  if a.dtype != b.dtype { return "dtypes" }
  return nil
}

/// JAX's error for a loop body whose carry output differs from its carry input.
func carryTypeError(
  _ loop: String, _ inDef: TreeDef, _ outDef: TreeDef, _ ins: [ShapedArray], _ outs: [ShapedArray],
  carryName: String? = nil
)
  -> FluxionError?
{
  if inDef != outDef {
    return .typeError(
      "\(loop) body function carry input and carry output must have the same pytree structure, but they differ:\n\nThe input carry is \(inDef) but the carry output is \(outDef).\n\nRevise the function so that the carry output has the same pytree structure as the carry input."
    )
  }
  let paths = leafPaths(inDef)
  for (k, (a, b)) in zip(ins, outs).enumerated() {
    guard let what = typeDifference(a, b) else { continue }
    let path = k < paths.count ? paths[k] : ""
    let component: String
    if let carryName {
      component = path.isEmpty ? "input carry \(carryName)" : "input carry component \(carryName)\(path)"
    } else {
      component = path.isEmpty ? "input carry" : "input carry at path \(path)"
    }
    return .typeError(
      "\(loop) body function carry input and carry output must have equal types, but they differ:\n\nThe \(component) has type \(a.longDescription) but the corresponding output carry component has type \(b.longDescription), so the \(what) do not match.\n\nRevise the function so that all output types match the corresponding input types."
    )
  }
  return nil
}

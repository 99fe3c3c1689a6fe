import FluxionBackend

// Structured control flow, as jax.lax has it: cond, switch, while_loop, fori_loop, scan, and
// jax.checkpoint. Each traces its functions into bodies (closed-over values become explicit
// operands, as for jit) and binds one primitive holding them, so it runs eagerly, is
// differentiated, vmapped and staged like any other operation.
//
// They call the functions they are given at once, so they rethrow what those throw (typed
// throws: a non-throwing function makes a non-throwing call). `checkpoint` returns a function,
// so it has a non-throwing and a throwing overload (see Grad.swift).

// MARK: - cond and switch

/// `trueBranch(operands)` if `pred` holds, else `falseBranch(operands)` (jax.lax.cond). Both
/// are traced; they must return values of one structure and types. `pred` is a scalar (a
/// non-boolean one holds when nonzero); it may be traced (under jit, vmap: a batched predicate
/// runs both branches and selects, as JAX does).
///
/// ```swift
/// let y = cond(x .> 0, { sin($0) }, { cos($0) }, x)
/// ```
public func cond<Operands: PyTree, Out: PyTree, E: Error>(
  _ pred: Tensor, _ trueBranch: (Operands) throws(E) -> Out, _ falseBranch: (Operands) throws(E) -> Out,
  _ operands: Operands
) throws(E) -> Out {
  var index = pred
  if pred.error == nil {
    if pred.rank != 0 {
      let e = FluxionError.typeError("Pred must be a scalar, got \(pred) of shape \(pyShape(pred.shape)).")
      return try rebuildFailed(falseBranch, operands, e)
    }
    // As JAX converts a Python scalar on the spot, a concrete predicate gives a literal index.
    index = onTheSpot(pred) { p in convertElementType(p.dtype == .bool ? p : p .!= zerosLike(p.aval), .int32) }
  }
  return try branchCall(
    index, count: 2, { i, x throws(E) in i == 0 ? try falseBranch(x) : try trueBranch(x) }, operands, api: "cond",
    names: ["false_fun", "true_fun"])
}

/// cond of functions of no operands: `cond(pred, { 1.0 }, { 2.0 })`.
public func cond<Out: PyTree, E: Error>(
  _ pred: Tensor, _ trueBranch: () throws(E) -> Out, _ falseBranch: () throws(E) -> Out
) throws(E) -> Out {
  try cond(pred, { (_: [Tensor]) throws(E) in try trueBranch() }, { (_: [Tensor]) throws(E) in try falseBranch() }, [])
}

/// `branches[index](operands)`, the index clamped into range (jax.lax.switch; `switch` is a
/// Swift keyword). Every branch is traced; they must return values of one structure and types.
///
/// ```swift
/// let y = switchCase(i, [{ $0 }, { $0 * 2 }, { $0 * 3 }], x)
/// ```
public func switchCase<Operands: PyTree, Out: PyTree, E: Error>(
  _ index: Tensor, _ branches: [(Operands) throws(E) -> Out], _ operands: Operands
) throws(E) -> Out {
  guard let first = branches.first else { return emptyBranchesResult() }
  if index.error == nil {
    if !index.dtype.isInteger {
      let shown = index.isTracer ? "\(index.aval)" : "\(index)"
      let e = FluxionError.typeError("Index type must be an integer, got \(shown) as \(index.dtype)")
      return try rebuildFailed(first, operands, e)
    }
    if branches.count == 1 { return try first(operands) }
  }
  if branches.count == 1 { return try rebuildFailed(first, operands, index.error!) }
  let i = bind1(
    ClampPrimitive(),
    [
      Tensor(0, dtype: .int32), onTheSpot(index) { convertElementType($0, .int32) },
      Tensor(branches.count - 1, dtype: .int32),
    ])
  return try branchCall(
    i, count: branches.count, { k, x throws(E) in try branches[k](x) }, operands, api: "switch",
    names: branches.indices.map { $0 == 0 ? "branch 0" : "branch\($0)" })
}

/// A result for a switch of no branches, whose structure is unknown: the error in a leaf, an
/// empty list or tuple, whichever the type can be.
private func emptyBranchesResult<Out: PyTree>() -> Out {
  let e = Tensor(failed: .valueError("Empty branch sequence"))
  for (def, leaves) in [(TreeDef.leaf, [e]), (.list([]), []), (.tuple([]), []), (.none, [])] {
    if let v = try? treeUnflatten(Out.self, def, leaves) { return v }
  }
  // A node type of fixed children cannot hold the error anywhere: a switch needs a branch.
  preconditionFailure("switchCase needs at least one branch")  // invariant: documented precondition
}

/// `f(x)`, computed at once (outside every trace) when `x` is concrete.
private func onTheSpot(_ x: Tensor, _ f: (Tensor) -> Tensor) -> Tensor {
  x.isTracer ? f(x) : withTrace(EvalTrace.shared) { f(x) }
}

extension DType {
  var isInteger: Bool { !isFloatingPoint && self != .bool }
}

/// Traces each branch on the operands' types and binds one cond.
func branchCall<Operands: PyTree, Out: PyTree, E: Error>(
  _ index: Tensor, count: Int, _ branch: (Int, Operands) throws(E) -> Out, _ operands: Operands, api: String,
  names: [String]
) throws(E) -> Out {
  let (leaves, def) = treeFlatten(operands)
  if let e = (leaves + [index]).lazy.compactMap(\.error).first {
    return try rebuildFailed({ (x: Operands) throws(E) in try branch(0, x) }, operands, e)
  }
  var bodies: [MadeBody] = []
  var outDefs: [TreeDef] = []
  for k in 0..<count {
    var od = TreeDef.leaf
    let traced = try traceBody(leaves.map(\.aval)) { xs throws(E) in
      let (l, d) = try applyRebuilt({ (x: Operands) throws(E) in try branch(k, x) }, def, xs)
      od = d
      return l.map(Optional.some)
    }
    switch traced {
    case .failure(let e): return failedTree(od, e)
    case .success(let b): bodies.append(MadeBody(jaxpr: b.jaxpr, captured: b.captured))
    }
    outDefs.append(od)
  }
  // JAX names the true branch first in cond's messages.
  let order = api == "cond" ? Array((0..<count).reversed()) : Array(0..<count)
  let (a, rest) = (order[0], order.dropFirst())
  for b in rest {
    if let e = branchMismatch(api, names[a], names[b], outDefs[a], outDefs[b], bodies[a], bodies[b]) {
      return failedTree(outDefs[a], e)
    }
  }
  let (bs, captured) = joinCaptured(bodies)
  return rebuild(outDefs[0], bind(CondPrimitive(branches: bs), [index] + captured + leaves))
}

private func branchMismatch(
  _ api: String, _ n1: String, _ n2: String, _ d1: TreeDef, _ d2: TreeDef, _ b1: MadeBody, _ b2: MadeBody
) -> FluxionError? {
  if d1 != d2 {
    return .typeError(
      "\(api) branch outputs must have the same pytree structure, but they differ:\n\n\(n1) output is \(d1) but \(n2) output is \(d2).\n\nRevise \(n1) and/or \(n2) so that they have the same pytree structure."
    )
  }
  let paths = leafPaths(d1)
  let diffs = zip(b1.jaxpr.outAvals, b2.jaxpr.outAvals).enumerated().compactMap { k, ab -> String? in
    guard let what = typeDifference(ab.0, ab.1) else { return nil }
    let at = paths[k].isEmpty ? "" : " at path \(paths[k])"
    return
      "the output of \(n1)\(at) has type \(ab.0.longDescription) but the corresponding output of \(n2) has type \(ab.1.longDescription), so the \(what) do not match"
  }
  guard let firstDiff = diffs.first else { return nil }
  let differences =
    diffs.count == 1
    ? capitalized(firstDiff) + ".\n"
    : diffs.dropLast().map { "  * \($0);" }.joined(separator: "\n") + "\n  * \(diffs.last!).\n"
  return .typeError(
    "\(api) branches must have equal output types but they differ.\n\n\(differences)\nRevise \(n1) and/or \(n2) so that all output types match."
  )
}

private func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

// MARK: - while_loop and fori_loop

/// Applies `body` to the carry while `cond` holds (jax.lax.while_loop). `cond` returns a boolean
/// scalar; `body` returns a carry of the initial one's structure and types. Forward mode and
/// vmap work through it; reverse mode raises JAX's error (the trip count is unknown: use
/// `scan` or `foriLoop` with static bounds).
///
/// ```swift
/// let y = whileLoop(cond: { $0 .< 10 }, body: { $0 * 2 }, initial: x)
/// ```
public func whileLoop<Carry: PyTree, E: Error>(
  cond: (Carry) throws(E) -> Tensor, body: (Carry) throws(E) -> Carry, initial: Carry
) throws(E) -> Carry {
  let (leaves, def) = treeFlatten(initial)
  if let e = leaves.lazy.compactMap(\.error).first { return failedTree(def, e) }
  let outs = try whileFlat(
    cond: { xs throws(E) in try cond(rebuild(def, xs)) },
    body: { xs throws(E) in try applyRebuilt(body, def, xs) }, initial: leaves, carryDef: def)
  return rebuild(def, outs)
}

/// The loop on flat carries; `body` returns the carry's leaves and structure.
func whileFlat<E: Error>(
  cond: ([Tensor]) throws(E) -> Tensor, body: ([Tensor]) throws(E) -> ([Tensor], TreeDef), initial: [Tensor],
  carryDef: TreeDef, carryName: String? = nil
) throws(E) -> [Tensor] {
  func fail(_ e: FluxionError) -> [Tensor] { initial.map { _ in Tensor(failed: e) } }
  let avals = initial.map(\.aval)
  var outDef = carryDef
  let c: TracedBody
  let b: TracedBody
  switch try traceBody(avals, { xs throws(E) in [try cond(xs)] }) {
  case .failure(let e): return fail(e)
  case .success(let t): c = t
  }
  let pred = c.jaxpr.outAvals
  if pred.count != 1 || pred[0].dtype != .bool || pred[0].rank != 0 {
    return fail(
      .typeError(
        "cond_fun must return a boolean scalar, but got output type(s) [\(pred.map(shapedArrayRepr).joined(separator: ", "))]."
      ))
  }
  switch try traceBody(
    avals,
    { xs throws(E) in
      let (l, d) = try body(xs)
      outDef = d
      return l.map(Optional.some)
    })
  {
  case .failure(let e): return fail(e)
  case .success(let t): b = t
  }
  if let e = carryTypeError("while_loop", carryDef, outDef, avals, b.jaxpr.outAvals, carryName: carryName) {
    return fail(e)
  }
  let p = WhilePrimitive(
    cond: c.jaxpr, body: b.jaxpr, condConsts: c.captured.count, bodyConsts: b.captured.count)
  return bind(p, c.captured + b.captured + initial)
}

/// `ShapedArray(float32[], weak_type=True)`, as JAX's messages show an abstract value.
func shapedArrayRepr(_ a: ShapedArray) -> String {
  "ShapedArray(\(a.longDescription)\(a.weakType ? ", weak_type=True" : ""))"
}

/// `body(i, carry)` for i from `lower` to `upper` - 1 (jax.lax.fori_loop). With these static
/// bounds it is a scan, as in JAX, so reverse mode works through it.
///
/// ```swift
/// let p = foriLoop(0, 3, body: { _, acc in acc * x }, initial: Tensor(1.0))   // x³
/// ```
public func foriLoop<Carry: PyTree, E: Error>(
  _ lower: Int, _ upper: Int, body: (Tensor, Carry) throws(E) -> Carry, initial: Carry
) throws(E) -> Carry {
  let (leaves, def) = treeFlatten(initial)
  if let e = leaves.lazy.compactMap(\.error).first { return failedTree(def, e) }
  let i0 = Tensor.weak(lower)  // a Python int, as JAX sees literal bounds
  let avals = [i0.aval] + leaves.map(\.aval)
  var outDef = def
  let traced = try traceBody(avals) { xs throws(E) in
    let i = xs[0]
    let next = i + 1
    let (l, d) = try applyRebuilt({ (c: Carry) throws(E) in try body(i, c) }, def, Array(xs.dropFirst()))
    outDef = d
    return ([next] + l).map(Optional.some)
  }
  guard case .success(let b) = traced else { return failedTree(def, traced.failure) }
  if let e = carryTypeError(
    "scan", .tuple([.leaf, def]), .tuple([.leaf, outDef]), avals, b.jaxpr.outAvals, carryName: "loop_carry")
  {
    return failedTree(def, e)
  }
  let (trips, overflow) = upper.subtractingReportingOverflow(lower)
  if overflow { return failedTree(def, .valueError("fori_loop trip count \(upper) - \(lower) overflows")) }
  let p = ScanPrimitive(
    body: b.jaxpr, length: Swift.max(trips, 0), reverse: false, numConsts: b.captured.count, numCarry: avals.count)
  return rebuild(def, Array(bind(p, b.captured + [i0] + leaves).dropFirst()))
}

/// fori_loop with bounds that are tensors: concrete ones are static (a scan); traced ones make
/// a while loop, through which reverse mode raises JAX's error.
public func foriLoop<Carry: PyTree, E: Error>(
  _ lower: Tensor, _ upper: Tensor, body: (Tensor, Carry) throws(E) -> Carry, initial: Carry
) throws(E) -> Carry {
  let (leaves, def) = treeFlatten(initial)
  if let e = ([lower, upper] + leaves).lazy.compactMap(\.error).first { return failedTree(def, e) }
  if !lower.isTracer, !upper.isTracer, let lo = try? lower.item(), let hi = try? upper.item() {
    return try foriLoop(clampedInt(lo), clampedInt(hi), body: body, initial: initial)
  }
  let hi = upper.dtype == lower.dtype ? upper : convertElementType(upper, lower.dtype)
  let outs = try whileFlat(
    cond: { (xs: [Tensor]) throws(E) in xs[0] .< xs[1] },
    body: { xs throws(E) in
      let next = xs[0] + 1
      let (l, d) = try applyRebuilt({ (c: Carry) throws(E) in try body(xs[0], c) }, def, Array(xs[2...]))
      return ([next, xs[1]] + l, .tuple([.leaf, .leaf, d]))
    }, initial: [lower, hi] + leaves, carryDef: .tuple([.leaf, .leaf, def]), carryName: "loop_carry")
  return rebuild(def, Array(outs.dropFirst(2)))
}

// MARK: - scan

/// Scans `f` over the leading axis of `xs`, threading a carry (jax.lax.scan): returns the final
/// carry and the `y`s stacked along a new leading axis. `reverse` scans from the end (the ys
/// keep the xs' order). `length` is required when `xs` has no leaves.
///
/// ```swift
/// let (total, partials) = scan({ c, x in (c + x, c) }, initial: Tensor(0.0), xs: Tensor([1.0, 2.0, 3.0]))
/// ```
public func scan<Carry: PyTree, X: PyTree, Y: PyTree, E: Error>(
  _ f: (Carry, X) throws(E) -> (Carry, Y), initial: Carry, xs: X, length: Int? = nil, reverse: Bool = false
) throws(E) -> (carry: Carry, ys: Y) {
  let (carry, carryDef) = treeFlatten(initial)
  let (xLeaves, xDef) = treeFlatten(xs)
  var yDef = TreeDef.leaf
  var outDef = carryDef
  func fail(_ e: FluxionError) throws(E) -> (carry: Carry, ys: Y) {
    // The structure of ys comes from f on the unsliced xs (its leaves are not read).
    let failedXs: X = rebuild(xDef, xLeaves.map { _ in Tensor(failed: e) })
    let (_, y) = try f(failedTree(carryDef, e), failedXs)
    return (failedTree(carryDef, e), failedTree(treeStructure(y), e))
  }
  if let e = (carry + xLeaves).lazy.compactMap(\.error).first { return try fail(e) }
  if let x = xLeaves.first(where: { $0.rank == 0 }) {
    return try fail(.valueError("scan got value with no leading axis to scan over: \(x.aval.longDescription)."))
  }
  let sizes = xLeaves.map { $0.shape[0] }
  if let n = length, !sizes.isEmpty, sizes.contains(where: { $0 != n }) {
    return try fail(
      .valueError(
        "scan got `length` argument of \(n) which disagrees with leading axis sizes [\(sizes.map(String.init).joined(separator: ", "))]."
      ))
  }
  if Set(sizes).count > 1 {
    return try fail(
      .valueError(
        "scan got values with different leading axis sizes: \(sizes.map(String.init).joined(separator: ", "))."))
  }
  guard let n = length ?? sizes.first else {
    return try fail(.valueError("scan got no values to scan over and `length` not provided."))
  }
  let sliceAvals = xLeaves.map {
    ShapedArray(shape: Array($0.shape.dropFirst()), dtype: $0.dtype, weakType: $0.isWeaklyTyped)
  }
  let avals = carry.map(\.aval) + sliceAvals
  let k = carry.count
  let traced = try traceBody(avals) { v throws(E) in
    var error: FluxionError?
    let c: Carry = rebuild(carryDef, Array(v[..<k]), error: &error)
    let x: X = rebuild(xDef, Array(v[k...]), error: &error)
    let (c2, y) = try f(c, x)
    let (cl, cd) = treeFlatten(c2)
    let (yl, yd) = treeFlatten(y)
    (outDef, yDef) = (cd, yd)
    return (cl + yl).map { t in error.map { Tensor(failed: $0) } ?? t }
  }
  guard case .success(let b) = traced else {
    return (failedTree(carryDef, traced.failure), failedTree(yDef, traced.failure))
  }
  if let e = carryTypeError("scan", carryDef, outDef, carry.map(\.aval), b.jaxpr.outAvals) {
    return (failedTree(carryDef, e), failedTree(yDef, e))
  }
  let p = ScanPrimitive(body: b.jaxpr, length: n, reverse: reverse, numConsts: b.captured.count, numCarry: k)
  let outs = bind(p, b.captured + carry + xLeaves)
  return (rebuild(carryDef, Array(outs[..<k])), rebuild(yDef, Array(outs[k...])))
}

/// scan with nothing to scan over (JAX's `xs=None`): `f` maps the carry to (carry, y), `length`
/// times.
///
/// ```swift
/// let (_, counts) = scan({ c in (c + 1, c) }, initial: Tensor(0), length: 3)   // [0, 1, 2]
/// ```
public func scan<Carry: PyTree, Y: PyTree, E: Error>(
  _ f: (Carry) throws(E) -> (Carry, Y), initial: Carry, length: Int, reverse: Bool = false
) throws(E) -> (carry: Carry, ys: Y) {
  try scan(
    { (c: Carry, _: Tensor?) throws(E) in try f(c) }, initial: initial, xs: Tensor?.none, length: length,
    reverse: reverse)
}

// MARK: - checkpoint

/// `f` whose reverse mode saves only its inputs and recomputes the rest on the way back
/// (jax.checkpoint, jax.remat): the same values and derivatives, less memory.
///
/// ```swift
/// grad(checkpoint { (x: Tensor) in sin(sin(x)) })(Tensor(1.0))   // 0.36003947
/// ```
public func checkpoint<In: PyTree, Out: PyTree>(_ f: @escaping (In) -> Out) -> (In) -> Out {
  { x in checkpointCall(f, x) }
}

/// checkpoint of a throwing function: rethrows what `f` throws.
public func checkpoint<In: PyTree, Out: PyTree>(_ f: @escaping (In) throws -> Out) -> (In) throws -> Out {
  { x in try checkpointCall(f, x) }
}

/// jax.remat, the other name of checkpoint.
public func remat<In: PyTree, Out: PyTree>(_ f: @escaping (In) -> Out) -> (In) -> Out { checkpoint(f) }

func checkpointCall<In: PyTree, Out: PyTree, E: Error>(_ f: (In) throws(E) -> Out, _ x: In) throws(E) -> Out {
  let (leaves, def) = treeFlatten(x)
  if let e = leaves.lazy.compactMap(\.error).first { return try rebuildFailed(f, x, e) }
  var od = TreeDef.leaf
  let traced = try traceBody(leaves.map(\.aval)) { xs throws(E) in
    let (l, d) = try applyRebuilt(f, def, xs)
    od = d
    return l.map(Optional.some)
  }
  switch traced {
  case .failure(let e): return failedTree(od, e)
  case .success(let b):
    return rebuild(od, bind(CheckpointPrimitive(body: b.jaxpr, differentiated: false), b.captured + leaves))
  }
}

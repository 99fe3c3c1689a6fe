import FluxionBackend

/// `cond[branches=(…)] index operands`: runs branch `index` (clamped into range) on the operands
/// (jax.lax.cond and jax.lax.switch). Every branch takes the same operands (values the branches
/// closed over are leading operands) and returns results of the same types.
struct CondPrimitive: Primitive {
  let branches: [ClosedJaxpr]

  var name: String { "cond" }
  var outputCount: Int { branches.first?.outputs.count ?? 0 }
  var params: [(String, Param)] { [("branches", .tuple(branches.map(Param.jaxpr)))] }
  var hasPartialEval: Bool { true }

  private func failure(_ e: FluxionError) -> [Tensor] { (0..<outputCount).map { _ in Tensor(failed: e) } }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    guard let first = branches.first else { throw .valueError("Empty branch sequence") }
    guard let index = inputs.first, index.rank == 0, index.dtype == .int32 else {
      throw .typeError("cond index must be an int32 scalar, got \(inputs.first?.longDescription ?? "nothing")")
    }
    let ops = Array(inputs.dropFirst())
    var outs = try checkOperands(first, ops, of: "cond")
    for b in branches.dropFirst() {
      let other = try checkOperands(b, ops, of: "cond")
      if other.count != outs.count || zip(outs, other).contains(where: { typeDifference($0, $1) != nil }) {
        throw .typeError("cond branches must have equal output types but they differ.")
      }
      for k in outs.indices where !other[k].weakType { outs[k].weakType = false }
    }
    return outs
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    let i = clampedInt(inputs[0].scalar(at: 0).asDouble)
    return try runBody(branches[Swift.min(Swift.max(i, 0), branches.count - 1)], Array(inputs.dropFirst()))
  }

  /// Each branch's jvp, with the same tangents in and out (zeros where a branch has none that
  /// another has), as one cond of the primals and nonzero tangents.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (nz, pattern) = nonzeroTangents(Array(tangents.dropFirst()))
    var union = [Bool](repeating: false, count: outputCount)
    var made: [MadeBody] = []
    do throws(FluxionError) {
      for b in branches { union = zip(union, try tangentPattern(b, nonzero: pattern).get()).map { $0 || $1 } }
      for b in branches { made.append(try jvpBody(b, nonzero: pattern, instantiate: union).get().0) }
    } catch {
      return (failure(error), failure(error))
    }
    let (bs, captured) = joinCaptured(made)
    let outs = bind(CondPrimitive(branches: bs), [primals[0]] + captured + Array(primals.dropFirst()) + nz)
    var dys = outs[outputCount...].makeIterator()
    return (Array(outs[..<outputCount]), union.map { $0 ? dys.next() : nil })
  }

  /// Each branch transposed, as one cond of the residuals and the nonzero cotangents.
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let index = args[0] else { throw .valueError("cond is not linear in its index") }
    let ops = Array(args.dropFirst())
    var made: [MadeBody] = []
    for b in branches { made.append(try transposeBody(b, args: ops, cts: cts)) }
    let (bs, captured) = joinCaptured(made)
    let outs = bind(CondPrimitive(branches: bs), [index] + captured + transposeOperands(ops, cts))
    if let e = outs.lazy.compactMap(\.error).first { throw e }
    return [nil] + placeLinear(outs, ops)
  }

  /// A batched index runs every branch and selects per example (JAX's rule: each branch sees
  /// its operands through `stop_gradient` where it is not the one selected, so no gradient
  /// flows through a branch not taken); an unbatched one gives a cond of batched branches.
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let ops = Array(args.dropFirst())
    let opDims = Array(dims.dropFirst())
    if dims[0] != nil {
      let index = batchedAtFront(args[0], dims[0], axisSize)
      let moved = zip(ops, opDims).map { batchedAtFront($0, $1, axisSize) }
      var outs: [[Tensor]] = []
      for (j, b) in branches.enumerated() {
        let taken = index .== Tensor(j, dtype: .int32)
        let masked = moved.map { x -> Tensor in
          guard x.dtype.isFloatingPoint else { return x }
          let which = x.rank == 1 ? taken : broadcastInDim(taken, shape: x.shape, dims: [0])
          return bind1(SelectNPrimitive(), [which, stopGradient(x), x])
        }
        let o = vmapFlat(b.eval, masked, inAxes: masked.map { _ in 0 }, outAxes: { _ in 0 })
        if o.count != outputCount {
          let e = o.lazy.compactMap(\.error).first ?? outputCountError(self, o.count)
          return (failure(e), (0..<outputCount).map { _ in nil })
        }
        outs.append(o)
      }
      let results = (0..<outputCount).map { k -> Tensor in
        let cases = outs.map { $0[k] }
        let shape = cases[0].shape
        let which = shape.count == 1 ? index : broadcastInDim(index, shape: shape, dims: [0])
        return bind1(SelectNPrimitive(), [which] + cases)
      }
      return (results, results.map { _ in 0 })
    }
    let batched = opDims.map { $0 != nil }
    var union = [Bool](repeating: false, count: outputCount)
    var made: [MadeBody] = []
    do throws(FluxionError) {
      for b in branches {
        union = zip(union, try batchPattern(b, batched: batched, axisSize: axisSize).get()).map { $0 || $1 }
      }
      for b in branches {
        made.append(try batchBody(b, batched: batched, axisSize: axisSize, instantiate: union).get().0)
      }
    } catch {
      return (failure(error), union.map { _ in nil })
    }
    let (bs, captured) = joinCaptured(made)
    let moved = zip(ops, opDims).map { x, d in d == nil ? x : batchedAtFront(x, d, axisSize) }
    let outs = bind(CondPrimitive(branches: bs), [args[0]] + captured + moved)
    return (outs, union.map { $0 ? 0 : nil })
  }

  /// With a known index (linearize's primal), each branch is split alike: one cond computes
  /// the known results and the residuals now (residuals of one type share a slot across
  /// branches, zeros where a branch has none), another is staged over the residuals and the
  /// unknown operands.
  func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval? {
    if unknown[0] { return nil }
    let opsU = Array(unknown.dropFirst())
    var union = [Bool](repeating: false, count: outputCount)
    for b in branches {
      guard let p = try? unknownPattern(b, unknown: opsU) else { return nil }
      union = zip(union, p).map { $0 || $1 }
    }
    var splits: [BodySplit] = []
    for b in branches {
      guard let s = splitBody(b, unknown: opsU, instantiate: union, allResidualsOut: true) else { return nil }
      splits.append(s)
    }
    var slotAvals: [ShapedArray] = []
    var slotOf: [[Int]] = []
    for s in splits {
      var used = Set<Int>()
      var mine: [Int] = []
      for r in s.residuals {
        let k =
          slotAvals.indices.first { !used.contains($0) && slotAvals[$0] == r.aval }
          ?? {
            slotAvals.append(r.aval)
            return slotAvals.count - 1
          }()
        used.insert(k)
        mine.append(k)
      }
      slotOf.append(mine)
    }
    let ops = Array(inputs.dropFirst())
    let inAvals = branches[0].inAvals
    let knownAvals = inAvals.indices.filter { !opsU[$0] }.map { inAvals[$0] }
    let unknownAvals = inAvals.indices.filter { opsU[$0] }.map { inAvals[$0] }
    var knownBodies: [MadeBody] = []
    var stagedBodies: [MadeBody] = []
    for (i, s) in splits.enumerated() {
      let k = s.knownResultCount
      let known = makeBody(knownAvals) { xs in
        let outs = s.known.eval(s.knownCaptured + xs)
        var slots = slotAvals.map { zerosLike($0) }
        for (r, slot) in slotOf[i].enumerated() { slots[slot] = outs[k + r] }
        return Array(outs[..<k]) + slots
      }
      let staged = makeBody(slotAvals + unknownAvals) { xs in
        s.staged.eval(slotOf[i].map { xs[$0] } + Array(xs[slotAvals.count...]))
      }
      guard case .success(let kb) = known, case .success(let sb) = staged else { return nil }
      knownBodies.append(kb)
      stagedBodies.append(sb)
    }
    let (kb, kc) = joinCaptured(knownBodies)
    let knownOuts = bind(
      CondPrimitive(branches: kb), [inputs[0]] + kc + ops.indices.filter { !opsU[$0] }.map { ops[$0] })
    let nKnown = union.filter { !$0 }.count
    var next = knownOuts[..<nKnown].makeIterator()
    let (sb, sc) = joinCaptured(stagedBodies)
    return PartialEval(
      known: union.map { $0 ? nil : next.next() }, staged: CondPrimitive(branches: sb),
      stagedInputs: [inputs[0]] + sc + Array(knownOuts[nKnown...]) + ops.indices.filter { opsU[$0] }.map { ops[$0] })
  }
}

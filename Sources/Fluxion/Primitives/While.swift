import FluxionBackend

/// `while[body_jaxpr=… body_nconsts=… cond_jaxpr=… cond_nconsts=…] cond_consts body_consts init`
/// (jax.lax.while_loop): applies the body to the carry while the predicate holds.
///
/// A predicate with a shape (vmap of a loop whose predicate depends on the batch) is JAX's
/// batched predicate: every carry's shape starts with it; the loop runs while any entry holds
/// and updates only the entries of the carries where it holds.
struct WhilePrimitive: Primitive {
  let cond: ClosedJaxpr
  let body: ClosedJaxpr
  let condConsts: Int
  let bodyConsts: Int

  var name: String { "while" }
  var outputCount: Int { body.outputs.count }
  var params: [(String, Param)] {
    [
      ("body_jaxpr", .jaxpr(body)), ("body_nconsts", .int(bodyConsts)), ("cond_jaxpr", .jaxpr(cond)),
      ("cond_nconsts", .int(condConsts)),
    ]
  }
  var hasPartialEval: Bool { true }

  static let reverseModeError = FluxionError.valueError(
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop."
  )

  private func failure(_ e: FluxionError) -> [Tensor] { (0..<outputCount).map { _ in Tensor(failed: e) } }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    if inputs.count != condConsts + bodyConsts + outputCount {
      throw .typeError("while takes \(condConsts + bodyConsts + outputCount) operands, got \(inputs.count)")
    }
    let carry = Array(inputs[(condConsts + bodyConsts)...])
    let pred = try checkOperands(cond, Array(inputs[..<condConsts]) + carry, of: "while cond")
    guard pred.count == 1, pred[0].dtype == .bool,
      carry.allSatisfy({ $0.shape.starts(with: pred[0].shape) })
    else {
      throw .typeError(
        "cond_fun must return a boolean scalar, but got output type(s) [\(pred.map { "ShapedArray(\($0.longDescription))" }.joined(separator: ", "))]."
      )
    }
    let outs = try checkOperands(body, Array(inputs[condConsts..<(condConsts + bodyConsts)]) + carry, of: "while body")
    for (a, b) in zip(carry, outs) where typeDifference(a, b) != nil {
      throw .typeError(
        "while_loop body function carry input and carry output must have equal types, but they differ: \(a.longDescription) in and \(b.longDescription) out"
      )
    }
    return outs
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    let ts = zip(inputs, cond.inAvals.prefix(condConsts) + body.inAvals).map { Tensor($0, weakType: $1.weakType) }
    return try withTrace(EvalTrace.shared) { () throws(FluxionError) -> [DenseArray] in
      let cc = Array(ts[..<condConsts])
      let bc = Array(ts[condConsts..<(condConsts + bodyConsts)])
      var carry = Array(ts[(condConsts + bodyConsts)...])
      while true {
        let p = try cond.eval(cc + carry)[0].value()
        if p.rank == 0 {
          guard p.scalar(at: 0) == .bool(true) else { break }
          carry = body.eval(bc + carry)
        } else {
          let pred = Tensor(p)
          guard try pred.any().value().scalar(at: 0) == .bool(true) else { break }
          let new = body.eval(bc + carry)
          carry = zip(new, carry).map { n, old in
            let which =
              old.shape == pred.shape ? pred : broadcastInDim(pred, shape: old.shape, dims: Array(0..<pred.rank))
            return bind1(SelectNPrimitive(), [which, old, n])
          }
        }
        if let e = carry.lazy.compactMap(\.error).first { throw e }
      }
      var out: [DenseArray] = []
      for c in carry { out.append(try c.value()) }
      return out
    }
  }

  /// The body's jvp looped: the body consts and the carries each followed by their nonzero
  /// tangents (a fixed point decides which carries have them); the predicate ignores tangents.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (ncc, nbc, nk) = (condConsts, bodyConsts, outputCount)
    let bcNZ = tangents[ncc..<(ncc + nbc)].map { $0 != nil }
    var carryNZ = tangents[(ncc + nbc)...].map { $0 != nil }
    let made: MadeBody
    let newCond: MadeBody
    do throws(FluxionError) {
      carryNZ = try carryFixedPoint(carryNZ) { nz throws(FluxionError) in
        try tangentPattern(body, nonzero: bcNZ + nz).get()
      }
      made = try jvpBody(body, nonzero: bcNZ + carryNZ, instantiate: carryNZ).get().0
      let dotAvals = zip(body.inAvals[nbc...], carryNZ).compactMap { $1 ? tangentAval($0) : nil }
      newCond = try makeBody(cond.inAvals + dotAvals) { xs in cond.eval(Array(xs[..<cond.inAvals.count])) }.get()
    } catch {
      return (failure(error), failure(error))
    }
    let cap = made.captured.count
    let nzB = bcNZ.filter { $0 }.count
    let nzK = carryNZ.filter { $0 }.count
    let t0 = cap + nbc + nk
    var order = Array(0..<(cap + nbc))
    order += Array(t0..<(t0 + nzB))
    order += Array((cap + nbc)..<t0)
    order += Array((t0 + nzB)..<(t0 + nzB + nzK))
    // Zeros only where a carry gets a tangent from the body.
    func full(_ i: Int) -> Tensor { tangents[i] ?? zerosLike(tangentAval(primals[i].aval)) }
    let bodyOperands = primals[ncc..<(ncc + nbc)] + (0..<nbc).filter { bcNZ[$0] }.map { full(ncc + $0) }
    let carries = primals[(ncc + nbc)...] + (0..<nk).filter { carryNZ[$0] }.map { full(ncc + nbc + $0) }
    let p = WhilePrimitive(
      cond: newCond.jaxpr, body: permutedInputs(made.jaxpr, order), condConsts: newCond.captured.count + ncc,
      bodyConsts: cap + nbc + nzB)
    let outs = bind(p, newCond.captured + primals[..<ncc] + made.captured + bodyOperands + carries)
    var dots = outs[nk...].makeIterator()
    return (Array(outs[..<nk]), carryNZ.map { $0 ? dots.next() : nil })
  }

  /// JAX's error: a loop of unknown trip count keeps no residuals to run backwards.
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    throw Self.reverseModeError
  }

  /// JAX's rule: when the predicate becomes batched every carry is (the loop then runs until
  /// all examples are done, updating only those still running); otherwise which carries are
  /// batched is a fixed point.
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (ncc, nbc, nk) = (condConsts, bodyConsts, outputCount)
    let ccB = dims[..<ncc].map { $0 != nil }
    let bcB = dims[ncc..<(ncc + nbc)].map { $0 != nil }
    var carryB = dims[(ncc + nbc)...].map { $0 != nil }
    var predB = false
    let bodyMade: MadeBody
    let condMade: MadeBody
    do throws(FluxionError) {
      for _ in 0...nk {
        // A predicate batched already (a vmap inside) keeps every carry's shape starting with
        // its own: all of them get the new batch axis too.
        var predBatched = cond.outAvals[0].rank > 0
        if !predBatched { predBatched = try batchPattern(cond, batched: ccB + carryB, axisSize: axisSize).get()[0] }
        if predBatched {
          predB = true
          carryB = carryB.map { _ in true }
          break
        }
        let out = try batchPattern(body, batched: bcB + carryB, axisSize: axisSize).get()
        let merged = zip(carryB, out).map { $0 || $1 }
        if merged == carryB { break }
        carryB = merged
      }
      bodyMade = try batchBody(body, batched: bcB + carryB, axisSize: axisSize, instantiate: carryB).get().0
      condMade = try batchBody(cond, batched: ccB + carryB, axisSize: axisSize, instantiate: [predB]).get().0
    } catch {
      return (failure(error), (0..<nk).map { _ in nil })
    }
    let moved = args.indices.map { i -> Tensor in
      if i >= ncc + nbc { return carryB[i - ncc - nbc] ? batchedAtFront(args[i], dims[i], axisSize) : args[i] }
      return dims[i] == nil ? args[i] : batchedAtFront(args[i], dims[i], axisSize)
    }
    let p = WhilePrimitive(
      cond: condMade.jaxpr, body: bodyMade.jaxpr, condConsts: condMade.captured.count + ncc,
      bodyConsts: bodyMade.captured.count + nbc)
    let outs = bind(
      p, condMade.captured + moved[..<ncc] + bodyMade.captured + moved[ncc..<(ncc + nbc)] + moved[(ncc + nbc)...])
    return (outs, carryB.map { $0 ? 0 : nil })
  }

  /// With a known predicate, a loop of the known part of the body computes the known carries
  /// now; the whole loop is staged for the others (recomputing the known part, as JAX does), and
  /// its transpose is the reverse-mode error.
  func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval? {
    let (ncc, nbc, nk) = (condConsts, bodyConsts, outputCount)
    if unknown[..<ncc].contains(true) { return nil }
    let bcU = Array(unknown[ncc..<(ncc + nbc)])
    let fixed = try? carryFixedPoint(Array(unknown[(ncc + nbc)...])) { u throws(FluxionError) in
      try unknownPattern(body, unknown: bcU + u)
    }
    guard let carryU = fixed else { return nil }
    guard let c = splitBody(cond, unknown: Array(repeating: false, count: ncc) + carryU, instantiate: [false]),
      !c.outUnknown[0],
      let b = splitBody(body, unknown: bcU + carryU, instantiate: carryU)
    else { return nil }
    let knownCarry = (0..<nk).filter { !carryU[$0] }
    let p = WhilePrimitive(
      cond: pruned(c.known, keep: [0]), body: pruned(b.known, keep: Array(knownCarry.indices)),
      condConsts: c.knownCaptured.count + ncc, bodyConsts: b.knownCaptured.count + bcU.filter { !$0 }.count)
    let knownOuts = bind(
      p,
      c.knownCaptured + inputs[..<ncc] + b.knownCaptured + (0..<nbc).filter { !bcU[$0] }.map { inputs[ncc + $0] }
        + knownCarry.map { inputs[ncc + nbc + $0] })
    if knownOuts.contains(where: { $0.error != nil }) { return nil }
    var next = knownOuts.makeIterator()
    return PartialEval(
      known: carryU.map { $0 ? nil : next.next() }, staged: self, stagedInputs: inputs,
      stagedResults: (0..<nk).filter { carryU[$0] })
  }
}

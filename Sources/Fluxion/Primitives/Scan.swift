import FluxionBackend

/// `scan[jaxpr=… length=… num_carry=… num_consts=… reverse=… unroll=1] consts init xs`
/// (jax.lax.scan): the body maps (consts, carry, x) to (carry, y) for each slice x of the xs
/// along axis 0, in order or in reverse; the results are the final carry and the ys stacked
/// along a new axis 0 (in the xs' order). fori_loop with static bounds lowers to it.
struct ScanPrimitive: Primitive {
  let body: ClosedJaxpr
  let length: Int
  let reverse: Bool
  let numConsts: Int
  let numCarry: Int

  var name: String { "scan" }
  var outputCount: Int { body.outputs.count }
  var numXs: Int { body.inAvals.count - numConsts - numCarry }
  var numYs: Int { outputCount - numCarry }
  var params: [(String, Param)] {
    [
      ("jaxpr", .jaxpr(body)), ("length", .int(length)), ("num_carry", .int(numCarry)),
      ("num_consts", .int(numConsts)), ("reverse", .bool(reverse)), ("unroll", .int(1)),
    ]
  }
  var hasPartialEval: Bool { true }

  private func failure(_ e: FluxionError) -> [Tensor] { (0..<outputCount).map { _ in Tensor(failed: e) } }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let ins = body.inAvals
    if inputs.count != ins.count { throw .typeError("scan takes \(ins.count) operands, got \(inputs.count)") }
    for (i, (a, e)) in zip(inputs, ins).enumerated() {
      let expected = i < numConsts + numCarry ? e.shape : [length] + e.shape
      if a.shape != expected || a.dtype != e.dtype {
        throw .typeError(
          "scan: operand \(i) has type \(a.longDescription) where its body takes \(ShapedArray(shape: expected, dtype: e.dtype).longDescription)"
        )
      }
    }
    let outs = body.outAvals
    for k in 0..<numCarry where typeDifference(ins[numConsts + k], outs[k]) != nil {
      throw .typeError(
        "scan body function carry input and carry output must have equal types, but they differ: carry \(k) is \(ins[numConsts + k].longDescription) in and \(outs[k].longDescription) out"
      )
    }
    return Array(outs[..<numCarry])
      + outs[numCarry...].map { ShapedArray(shape: [length] + $0.shape, dtype: $0.dtype, weakType: $0.weakType) }
  }

  /// Runs the body once per slice with the kernels.
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    let ts = zip(inputs, body.inAvals).map { Tensor($0, weakType: $1.weakType) }
    return try withTrace(EvalTrace.shared) { () throws(FluxionError) -> [DenseArray] in
      let consts = Array(ts[..<numConsts])
      var carry = Array(ts[numConsts..<(numConsts + numCarry)])
      let xs = Array(ts[(numConsts + numCarry)...])
      var ys = [[Tensor]](repeating: [], count: numYs)
      for step in 0..<length {
        let i = reverse ? length - 1 - step : step
        let outs = body.eval(consts + carry + xs.map { sliceAt($0, i) })
        if let e = outs.lazy.compactMap(\.error).first { throw e }
        carry = Array(outs[..<numCarry])
        for (k, y) in outs[numCarry...].enumerated() { ys[k].append(y) }
      }
      var result: [DenseArray] = []
      for c in carry { result.append(try c.value()) }
      for (k, a) in body.outAvals[numCarry...].enumerated() {
        let list = reverse ? Array(ys[k].reversed()) : ys[k]
        let stacked = list.isEmpty ? zerosLike(ShapedArray(shape: [0] + a.shape, dtype: a.dtype)) : stack(list, axis: 0)
        result.append(try stacked.value())
      }
      return result
    }
  }

  /// The body's jvp scanned: consts, carries and xs each followed by their nonzero tangents;
  /// which carries have tangents is a fixed point (a carry with a zero tangent in may get one
  /// from the body).
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (nc, nk) = (numConsts, numCarry)
    let constNZ = tangents[..<nc].map { $0 != nil }
    var carryNZ = tangents[nc..<(nc + nk)].map { $0 != nil }
    let xsNZ = tangents[(nc + nk)...].map { $0 != nil }
    let made: MadeBody
    let present: [Bool]
    do throws(FluxionError) {
      carryNZ = try carryFixedPoint(carryNZ) { nz throws(FluxionError) in
        Array(try tangentPattern(body, nonzero: constNZ + nz + xsNZ).get()[..<nk])
      }
      (made, present) = try jvpBody(
        body, nonzero: constNZ + carryNZ + xsNZ, instantiate: carryNZ + Array(repeating: false, count: numYs)
      ).get()
    } catch {
      return (failure(error), failure(error))
    }
    // The traced body takes (captured, primals, nonzero tangents) and returns (primal results,
    // tangents); the scan wants each group followed by its tangents.
    let cap = made.captured.count
    let n = primals.count
    let nzIndex = Array((constNZ + carryNZ + xsNZ).enumerated().filter(\.element).map(\.offset))
    func group(_ r: Range<Int>) -> [Int] {
      r.map { cap + $0 } + nzIndex.enumerated().filter { r.contains($0.element) }.map { cap + n + $0.offset }
    }
    let order = Array(0..<cap) + group(0..<nc) + group(nc..<(nc + nk)) + group((nc + nk)..<n)
    let m = outputCount
    let tangentOut = present.enumerated().filter(\.element).map(\.offset)
    let carryT = tangentOut.enumerated().filter { $0.element < nk }.map { m + $0.offset }
    let ysT = tangentOut.enumerated().filter { $0.element >= nk }.map { m + $0.offset }
    let newBody = pruned(permutedInputs(made.jaxpr, order), keep: Array(0..<nk) + carryT + Array(nk..<m) + ysT)
    // Zeros only where a carry gets a tangent from the body.
    func full(_ i: Int) -> Tensor { tangents[i] ?? zerosLike(tangentAval(primals[i].aval)) }
    var inputs: [Tensor] = made.captured
    for r in [0..<nc, nc..<(nc + nk), (nc + nk)..<n] {
      inputs += primals[r]
      inputs += r.filter { nzIndex.contains($0) }.map(full)
    }
    let p = ScanPrimitive(
      body: newBody, length: length, reverse: reverse, numConsts: cap + nc + constNZ.filter { $0 }.count,
      numCarry: nk + carryT.count)
    let outs = bind(p, inputs)
    let nzk = carryT.count
    var carryDots = outs[nk..<(nk + nzk)].makeIterator()
    var ysDots = outs[(nk + nzk + numYs)...].makeIterator()
    let ys = outs[(nk + nzk)..<(nk + nzk + numYs)]
    return (
      Array(outs[..<nk]) + ys,
      carryNZ.map { $0 ? carryDots.next() : nil } + present[nk...].map { $0 ? ysDots.next() : nil }
    )
  }

  /// The body transposed, scanned the other way: residual consts stay consts; the cotangents of
  /// the linear consts accumulate in the carry with the carries' cotangents; residual xs and
  /// the ys' cotangents are scanned over, giving the linear xs' cotangents.
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    let (nc, nk, nx) = (numConsts, numCarry, numXs)
    let bodyIn = body.inAvals
    let resC = (0..<nc).filter { args[$0] != nil }
    let linC = (0..<nc).filter { args[$0] == nil }
    let resX = (0..<nx).filter { args[nc + nk + $0] != nil }
    let linX = (0..<nx).filter { args[nc + nk + $0] == nil }
    let givenY = (0..<numYs).filter { cts[nk + $0] != nil }
    let ctConstAvals = linC.map { tangentAval(bodyIn[$0]) }
    let carryAvals = (0..<nk).map { tangentAval(bodyIn[nc + $0]) }
    var failure: FluxionError?
    let made = makeBody(
      resC.map { bodyIn[$0] } + ctConstAvals + carryAvals + resX.map { bodyIn[nc + nk + $0] }
        + givenY.map { tangentAval(body.outAvals[nk + $0]) }
    ) { v in
      var rest = v[...]
      func take(_ k: Int) -> [Tensor] {
        defer { rest = rest.dropFirst(k) }
        return Array(rest.prefix(k))
      }
      let (rc, acc, ctCarry, rx, cy) = (
        take(resC.count), take(linC.count), take(nk), take(resX.count), take(givenY.count)
      )
      var full = [Tensor?](repeating: nil, count: bodyIn.count)
      for (k, i) in resC.enumerated() { full[i] = rc[k] }
      for (k, i) in resX.enumerated() { full[nc + nk + i] = rx[k] }
      var outCts = ctCarry.map { Optional($0) } + [Tensor?](repeating: nil, count: numYs)
      for (k, j) in givenY.enumerated() { outCts[nk + j] = cy[k] }
      do throws(FluxionError) {
        let seeds = Dictionary(uniqueKeysWithValues: zip(linC, acc))
        let g = try backwardPass(body, args: full, outCts, seeds: seeds)
        let newAcc = linC.enumerated().map { k, i in g[i].map { sameType($0, acc[k].aval) } ?? acc[k] }
        let newCarry = (0..<nk).map { i in g[nc + i].map { sameType($0, carryAvals[i]) } ?? zerosLike(carryAvals[i]) }
        let ctXs = linX.map { g[nc + nk + $0] ?? zerosLike(tangentAval(bodyIn[nc + nk + $0])) }
        return newAcc + newCarry + ctXs
      } catch {
        failure = error
        return []
      }
    }
    if let failure { throw failure }
    let m = try made.get()
    var inputs: [Tensor] = m.captured + resC.map { args[$0]! }
    inputs += ctConstAvals.map { zerosLike($0) }
    inputs += (0..<nk).map { i in cts[i].map { sameType($0, carryAvals[i]) } ?? zerosLike(carryAvals[i]) }
    inputs += resX.map { args[nc + nk + $0]! }
    inputs += givenY.map { cts[nk + $0]! }
    let p = ScanPrimitive(
      body: m.jaxpr, length: length, reverse: !reverse, numConsts: m.captured.count + resC.count,
      numCarry: linC.count + nk)
    let outs = bind(p, inputs)
    if let e = outs.lazy.compactMap(\.error).first { throw e }
    var result = [Tensor?](repeating: nil, count: args.count)
    for (k, i) in linC.enumerated() { result[i] = outs[k] }
    for i in 0..<nk { result[nc + i] = outs[linC.count + i] }
    for (k, i) in linX.enumerated() { result[nc + nk + i] = outs[linC.count + nk + k] }
    return result
  }

  /// The body vmapped, scanned: batched consts and carries get the batch axis in front, batched
  /// xs and ys at axis 1 (the scanned axis stays 0); which carries are batched is a fixed point.
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (nc, nk) = (numConsts, numCarry)
    let constB = dims[..<nc].map { $0 != nil }
    var carryB = dims[nc..<(nc + nk)].map { $0 != nil }
    let xsB = dims[(nc + nk)...].map { $0 != nil }
    let made: MadeBody
    let outB: [Bool]
    do throws(FluxionError) {
      carryB = try carryFixedPoint(carryB) { b throws(FluxionError) in
        Array(try batchPattern(body, batched: constB + b + xsB, axisSize: axisSize).get()[..<nk])
      }
      (made, outB) = try batchBody(
        body, batched: constB + carryB + xsB, axisSize: axisSize,
        instantiate: carryB + Array(repeating: false, count: numYs)
      ).get()
    } catch {
      return (failure(error), (0..<outputCount).map { _ in nil })
    }
    let inputs = args.indices.map { i -> Tensor in
      if i < nc { return dims[i] == nil ? args[i] : batchedAtFront(args[i], dims[i], axisSize) }
      if i < nc + nk { return carryB[i - nc] ? batchedAtFront(args[i], dims[i], axisSize) : args[i] }
      guard let d = dims[i] else { return args[i] }
      return moveBatchAxis(args[i], from: d, to: 1, size: axisSize)
    }
    let p = ScanPrimitive(
      body: made.jaxpr, length: length, reverse: reverse, numConsts: made.captured.count + nc, numCarry: nk)
    let outs = bind(p, made.captured + inputs)
    return (outs, carryB.map { $0 ? 0 : nil } + outB[nk...].map { $0 ? 1 : nil })
  }

  /// Splits the body alike for every iteration: a scan of the known part computes the known
  /// results and stacks the residuals that vary per iteration (as more ys); a staged scan takes
  /// the invariant residuals (known consts, outside values) as consts and the stacked ones (and
  /// known xs) as xs. Which carries are unknown is a fixed point.
  func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval? {
    let (nc, nk) = (numConsts, numCarry)
    let constU = Array(unknown[..<nc])
    let xsU = Array(unknown[(nc + nk)...])
    let fixed = try? carryFixedPoint(Array(unknown[nc..<(nc + nk)])) { u throws(FluxionError) in
      Array(try unknownPattern(body, unknown: constU + u + xsU)[..<nk])
    }
    guard let carryU = fixed else { return nil }
    let all = constU + carryU + xsU
    guard
      let s = splitBody(
        body, unknown: all, instantiate: carryU + Array(repeating: false, count: numYs), allResidualsOut: true)
    else { return nil }
    let k = s.knownResultCount
    var invariant: [(Int, Tensor)] = []
    var direct: [(Int, Tensor)] = []
    var stackedJ: [Int] = []
    // A residual computed from the consts alone is the same in every iteration: it is computed
    // once, before the loop, and staged as a const (JAX's loop-invariant residuals).
    let knownInputs = inputs.indices.filter { !all[$0] }.map { inputs[$0] }
    let knownConsts = constU.filter { !$0 }.count
    let cap = s.knownCaptured.count
    let varying = dependsOn(
      s.known.jaxpr, (0..<(cap + knownInputs.count)).map { $0 >= cap + knownConsts })
    var hoisted: [Int] = []
    for (j, r) in s.residuals.enumerated() {
      switch r.source {
      case .input(let i) where i < nc: invariant.append((j, inputs[i]))
      case .input(let i) where i >= nc + nk: direct.append((j, inputs[i]))
      case .outer(let t): invariant.append((j, t))
      case .computed where !varying[k + j]: hoisted.append(j)
      default: stackedJ.append(j)
      }
    }
    guard
      let (knownP, knownIn, hoistedValues) = knownLoop(
        s, keep: Array(0..<k) + stackedJ.map { k + $0 }, hoisted: hoisted.map { k + $0 }, knownInputs: knownInputs,
        knownConsts: knownConsts, knownCarries: carryU.filter { !$0 }.count)
    else { return nil }
    invariant += zip(hoisted, hoistedValues).map { ($0, $1) }
    let knownOuts = bind(knownP, knownIn)
    if knownOuts.contains(where: { $0.error != nil }) { return nil }
    // The staged body's inputs are (residuals, unknown inputs); the scan wants consts, carries, xs.
    let r = s.residuals.count
    let unknownIdx = all.indices.filter { all[$0] }
    let uConsts = unknownIdx.filter { $0 < nc }
    let uCarry = unknownIdx.filter { $0 >= nc && $0 < nc + nk }
    let uXs = unknownIdx.filter { $0 >= nc + nk }
    func pos(_ idx: [Int]) -> [Int] { idx.map { r + unknownIdx.firstIndex(of: $0)! } }
    let perIter = stackedJ + direct.map(\.0)
    let order = invariant.map(\.0) + pos(uConsts) + pos(uCarry) + perIter + pos(uXs)
    let stagedP = ScanPrimitive(
      body: permutedInputs(s.staged, order), length: length, reverse: reverse,
      numConsts: invariant.count + uConsts.count, numCarry: uCarry.count)
    let stagedInputs =
      invariant.map(\.1) + uConsts.map { inputs[$0] } + uCarry.map { inputs[$0] } + Array(knownOuts[k...])
      + direct.map(\.1) + uXs.map { inputs[$0] }
    var next = knownOuts[..<k].makeIterator()
    return PartialEval(
      known: s.outUnknown.map { $0 ? nil : next.next() }, staged: stagedP, stagedInputs: stagedInputs)
  }

  /// The scan of the known part of a split body, with the results at `keep`: what the known
  /// part computes from its consts alone runs once, before the loop, and the loop takes it as
  /// consts (JAX hoists loop invariants so), with its inputs. Also the values of the results at `hoisted`, which
  /// are such invariants. nil when the body fails.
  private func knownLoop(
    _ s: BodySplit, keep: [Int], hoisted: [Int], knownInputs: [Tensor], knownConsts: Int, knownCarries: Int
  ) -> (ScanPrimitive, [Tensor], [Tensor])? {
    let body = pruned(s.known, keep: keep + hoisted)
    let constPart = s.knownCaptured.count + knownConsts
    let outer = s.knownCaptured + knownInputs.prefix(knownConsts)
    guard
      let h = splitBody(
        body, unknown: body.inAvals.indices.map { $0 >= constPart }, instantiate: body.outputs.map { _ in true },
        allResidualsOut: true)
    else { return nil }
    // The loop's consts are what its body reads of the known part's consts and what they
    // compute, in the order it reads them (JAX's order; consts it does not read are dropped).
    let values = h.known.eval(h.knownCaptured + outer)
    let j = h.staged.jaxpr
    let residualCount = h.residuals.count
    // An invariant result is a residual the loop passes through: its value is known now.
    let hoistedValues = hoisted.indices.map { q -> Tensor in
      if case .variable(let v)? = j.outputs[keep.count + q], let r = j.inVars.prefix(residualCount).firstIndex(of: v) {
        return values[r]
      }
      return Tensor(failed: .valueError("internal error: a loop-invariant residual is not known before the loop"))
    }
    let loop = pruned(h.staged, keep: Array(keep.indices))
    let p = ScanPrimitive(
      body: loop, length: length, reverse: reverse, numConsts: residualCount, numCarry: knownCarries)
    return (p, values + Array(knownInputs.dropFirst(knownConsts)), hoistedValues)
  }
}

/// Slice `i` of `x` along axis 0.
func sliceAt(_ x: Tensor, _ i: Int) -> Tensor {
  let shape = x.shape
  let start = [i] + Array(repeating: 0, count: shape.count - 1)
  let limit = [i + 1] + Array(shape.dropFirst())
  return reshape(slice(x, start: start, limit: limit), Array(shape.dropFirst()))
}

/// `x` with the dtype of `aval` (a cotangent computed in another float type, or weakly typed).
func sameType(_ x: Tensor, _ aval: ShapedArray) -> Tensor {
  x.dtype == aval.dtype ? x : convertElementType(x, aval.dtype, weakType: aval.weakType)
}

import FluxionBackend

/// dot_general: contraction over `contracting` dimension pairs, batched over `batch` pairs.
/// Result dimensions: batch, then lhs free, then rhs free.
struct DotGeneralPrimitive: Primitive {
  let contracting: ([Int], [Int])
  let batchDims: ([Int], [Int])
  let preferred: DType

  var name: String { "dot_general" }
  var params: [(String, Param)] {
    [
      (
        "dimension_numbers",
        .tuple([
          .tuple([.intList(contracting.0), .intList(contracting.1)]),
          .tuple([.intList(batchDims.0), .intList(batchDims.1)]),
        ])
      ),
      ("preferred_element_type", .dtype(preferred)),
    ]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let (l, r) = (inputs[0], inputs[1])
    try sameDtypes("dot_general", inputs)
    let all = contracting.0 + batchDims.0
    let allR = contracting.1 + batchDims.1
    guard contracting.0.count == contracting.1.count, batchDims.0.count == batchDims.1.count,
      all.allSatisfy({ $0 >= 0 && $0 < l.rank }), allR.allSatisfy({ $0 >= 0 && $0 < r.rank }),
      Set(all).count == all.count, Set(allR).count == allR.count
    else {
      throw .typeError(
        "dot_general requires valid, distinct contracting and batch dimensions for lhs of rank \(l.rank) and rhs of rank \(r.rank), got contracting \(contracting) and batch \(batchDims)."
      )
    }
    let lb = batchDims.0.map { l.shape[$0] }, rb = batchDims.1.map { r.shape[$0] }
    if lb != rb {
      throw .typeError(
        "dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got \(pyTuple(lb)) and \(pyTuple(rb))."
      )
    }
    let lc = contracting.0.map { l.shape[$0] }, rc = contracting.1.map { r.shape[$0] }
    if lc != rc {
      throw .typeError(
        "dot_general requires contracting dimensions to have the same shape, got \(pyTuple(lc)) and \(pyTuple(rc)).")
    }
    let lFree = (0..<l.rank).filter { !all.contains($0) }.map { l.shape[$0] }
    let rFree = (0..<r.rank).filter { !allR.contains($0) }.map { r.shape[$0] }
    return [ShapedArray(shape: lb + lFree + rFree, dtype: preferred, weakType: l.weakType && r.weakType)]
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    let (l, r) = (inputs[0], inputs[1])
    if l.dtype.isFloatingPoint {
      // BLAS takes 32-bit sizes: a matrix side beyond that is refused, not truncated.
      let lUsed = contracting.0 + batchDims.0, rUsed = contracting.1 + batchDims.1
      let sides = [
        (0..<l.rank).filter { !lUsed.contains($0) }.reduce(1) { $0 * l.shape[$1] },
        contracting.0.reduce(1) { $0 * l.shape[$1] },
        (0..<r.rank).filter { !rUsed.contains($0) }.reduce(1) { $0 * r.shape[$1] },
      ]
      if let big = sides.first(where: { $0 > Int(Int32.max) }) {
        throw FluxionError(
          .resourceExhausted,
          "RESOURCE_EXHAUSTED: dot_general: a matrix side of \(big) elements is beyond BLAS's 32-bit sizes")
      }
    }
    return [Linalg.dotGeneral(l, r, contracting: contracting, batch: batchDims)]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (a, b) = (primals[0], primals[1])
    let y = bind1(self, [a, b])
    let da = tangents[0].map { bind1(self, [$0, b]) }
    let db = tangents[1].map { bind1(self, [a, $0]) }
    return ([y], [addTangents(da, db)])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil, nil] }
    if args[0] == nil, let b = args[1] {
      return [transposeLHS(ct, rhs: b, lhsAval: avals[0], rhsAval: avals[1], dims: (contracting, batchDims)), nil]
    }
    if args[1] == nil, let a = args[0] {
      // Swap the operands' roles and reuse the lhs rule.
      let swapped = ((contracting.1, contracting.0), (batchDims.1, batchDims.0))
      let lRank = avals[0].rank, rRank = avals[1].rank
      let nb = batchDims.0.count
      let lFree = lRank - contracting.0.count - nb
      let rFree = rRank - contracting.1.count - nb
      // ct of the swapped product has dims batch, rhs free, lhs free.
      let perm = Array(0..<nb) + Array((nb + lFree)..<(nb + lFree + rFree)) + Array(nb..<(nb + lFree))
      let ctSwapped = Fluxion.transpose(ct, perm)
      return [nil, transposeLHS(ctSwapped, rhs: a, lhsAval: avals[1], rhsAval: avals[0], dims: swapped)]
    }
    throw .valueError("dot_general is not linear in both operands at once")
  }

  /// The cotangent of the lhs: ct (batch, lhs free, rhs free) contracted with rhs over rhs free.
  func transposeLHS(
    _ ct: Tensor, rhs: Tensor, lhsAval: ShapedArray, rhsAval: ShapedArray,
    dims: (([Int], [Int]), ([Int], [Int]))
  ) -> Tensor {
    let ((lc, rc), (lb, rb)) = dims
    let xRank = lhsAval.rank
    let yRank = rhsAval.rank
    let nb = lb.count
    let xKept = (0..<xRank).filter { !lc.contains($0) && !lb.contains($0) }
    let yKept = (0..<yRank).filter { !rc.contains($0) && !rb.contains($0) }
    // ct dims: batch [0..<nb], lhs free [nb..<nb+|xKept|], rhs free after.
    let ctRhsFree = Array((nb + xKept.count)..<(nb + xKept.count + yKept.count))
    let out = bind1(
      DotGeneralPrimitive(contracting: (ctRhsFree, yKept), batchDims: (Array(0..<nb), rb), preferred: ct.dtype),
      [ct, rhs])
    // out dims: batch, lhs free (from ct), then the rhs dims left over in rhs order — each is
    // a contracting dim of rhs, standing for its partner in lhs.
    let leftover = (0..<yRank).filter { !yKept.contains($0) && !rb.contains($0) }
    let produced = lb + xKept + leftover.map { d in lc[rc.firstIndex(of: d) ?? 0] }
    var perm = [Int](repeating: 0, count: xRank)
    for (pos, dim) in produced.enumerated() { perm[dim] = pos }
    return Fluxion.transpose(out, perm)
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (l, r) = (args[0], args[1])
    switch (dims[0], dims[1]) {
    case (let dl?, let dr?):
      let lm = moveaxis(l, dl, 0), rm = moveaxis(r, dr, 0)
      let p = DotGeneralPrimitive(
        contracting: (contracting.0.map { $0 + 1 }, contracting.1.map { $0 + 1 }),
        batchDims: ([0] + batchDims.0.map { $0 + 1 }, [0] + batchDims.1.map { $0 + 1 }), preferred: preferred)
      return ([bind1(p, [lm, rm])], [0])
    case (let dl?, nil):
      // The batch axis stays where it is, as one more lhs free dimension (no transpose).
      let shift = { (d: Int) in d >= dl ? d + 1 : d }
      let p = DotGeneralPrimitive(
        contracting: (contracting.0.map(shift), contracting.1), batchDims: (batchDims.0.map(shift), batchDims.1),
        preferred: preferred)
      let used = Set(p.contracting.0 + p.batchDims.0)
      let freeBefore = (0..<dl).filter { !used.contains($0) }.count
      return ([bind1(p, [l, r])], [batchDims.0.count + freeBefore])
    case (nil, let dr?):
      let shift = { (d: Int) in d >= dr ? d + 1 : d }
      let p = DotGeneralPrimitive(
        contracting: (contracting.0, contracting.1.map(shift)), batchDims: (batchDims.0, batchDims.1.map(shift)),
        preferred: preferred)
      let used = Set(p.contracting.1 + p.batchDims.1)
      let lhsFree = l.rank - contracting.0.count - batchDims.0.count
      let freeBefore = (0..<dr).filter { !used.contains($0) }.count
      return ([bind1(p, [l, r])], [batchDims.0.count + lhsFree + freeBefore])
    default:
      return ([bind1(self, args)], [nil])
    }
  }
}

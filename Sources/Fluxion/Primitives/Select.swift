import FluxionBackend

/// select_n(which, *cases): element i is `cases[which[i]][i]` (bool `which` picks case 0 for false).
struct SelectNPrimitive: Primitive {
  var name: String { "select_n" }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let which = inputs[0]
    let cases = Array(inputs.dropFirst())
    guard let first = cases.first else { throw .typeError("select_n requires at least one case") }
    if which.dtype != .bool && which.dtype != .int32 {
      throw .typeError("select_n which must be boolean or int32, got \(which.dtype)")
    }
    if cases.contains(where: { $0.shape != first.shape }) {
      throw .typeError(
        "select_n cases must have the same shapes, got [\(cases.map { pyShape($0.shape) }.joined(separator: ", "))].")
    }
    if cases.contains(where: { $0.dtype != first.dtype }) {
      throw .typeError(
        "select_n cases must have the same dtypes, got [\(cases.map { "\($0.dtype)" }.joined(separator: ", "))].")
    }
    if which.rank != 0 && which.shape != first.shape {
      throw .typeError(
        "select_n which must be scalar or have the same shape as cases, got which shape \(pyShape(which.shape)) but case shape \(pyShape(first.shape))."
      )
    }
    return [ShapedArray(shape: first.shape, dtype: first.dtype, weakType: cases.allSatisfy(\.weakType))]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Elementwise.selectN(inputs[0], Array(inputs.dropFirst()))]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    let caseTangents = tangents.dropFirst()
    if caseTangents.allSatisfy({ $0 == nil }) { return ([y], [nil]) }
    let ts = zip(primals.dropFirst(), caseTangents).map { p, t in t ?? zerosLike(tangentAval(p.aval)) }
    return ([y], [bind1(self, [primals[0]] + ts)])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let which = args[0] else { throw .valueError("select_n is not linear in its predicate") }
    guard let ct = cts[0] else { return args.map { _ in nil } }
    let zero = zerosLike(ct.aval)
    var out: [Tensor?] = [nil]
    for i in 1..<args.count {
      if args[i] != nil {
        out.append(nil)
      } else {
        var cases = Array(repeating: zero, count: args.count - 1)
        cases[i - 1] = ct
        out.append(bind1(self, [which] + cases))
      }
    }
    return out
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    // Every operand gets the batch axis first, at full shape.
    let caseShape =
      args.dropFirst().enumerated().map { i, x in
        dims[i + 1] == nil
          ? x.shape
          : {
            var s = x.shape; s.remove(at: dims[i + 1]!); return s
          }()
      }.first ?? []
    let full = [axisSize] + caseShape
    let which: Tensor
    if dims[0] == nil && args[0].rank == 0 {
      which = args[0]
    } else {
      let w = moveBatchAxis(args[0], from: dims[0], to: 0, size: axisSize)
      which = w.shape == full ? w : broadcastInDim(w, shape: full, dims: [0])
    }
    let cases = zip(args.dropFirst(), dims.dropFirst()).map { x, d in
      moveBatchAxis(x, from: d, to: 0, size: axisSize)
    }
    return ([bind1(self, [which] + cases)], [0])
  }
}

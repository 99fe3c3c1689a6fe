import FluxionBackend

/// slice: `start ..< limit` by `strides` in every dimension (static bounds).
struct SlicePrimitive: Primitive {
  let start: [Int]
  let limit: [Int]
  let strides: [Int]
  var name: String { "slice" }
  var params: [(String, Param)] {
    [
      ("limit_indices", .ints(limit)), ("start_indices", .ints(start)),
      ("strides", strides.allSatisfy { $0 == 1 } ? .none : .ints(strides)),
    ]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    guard start.count == x.rank, limit.count == x.rank, strides.count == x.rank, fits(x.shape) else {
      throw .typeError(
        "slice start_indices \(pyTuple(start)), limit_indices \(pyTuple(limit)) and strides \(pyTuple(strides)) do not fit operand shape \(pyShape(x.shape))."
      )
    }
    var shape: [Int] = []
    for i in 0..<x.rank {
      // Elements start, start + stride, … below limit (no overflow for huge strides).
      shape.append(limit[i] > start[i] ? (limit[i] - start[i] - 1) / strides[i] + 1 : 0)
    }
    return [x.with(shape: shape)]
  }

  func fits(_ shape: [Int]) -> Bool {
    for i in 0..<shape.count {
      let ok: Bool = start[i] >= 0 && start[i] <= limit[i] && limit[i] <= shape[i] && strides[i] > 0
      if !ok { return false }
    }
    return true
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Layout.slice(inputs[0], start: start, limit: limit, steps: strides)]
  }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [tangents[0].map { bind1(self, [$0]) }])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil] }
    let inShape = avals[0].shape
    if ct.count == 0 { return [zerosLike(avals[0].with(dtype: ct.dtype))] }
    var lo: [Int] = []
    var hi: [Int] = []
    var interior: [Int] = []
    for i in 0..<inShape.count {
      let used = start[i] + (ct.shape[i] - 1) * strides[i] + 1
      lo.append(start[i])
      hi.append(inShape[i] - used)
      interior.append(strides[i] - 1)
    }
    return [
      bind1(PadPrimitive(lo: lo, hi: hi, interior: interior), [ct, zerosLike(ShapedArray(shape: [], dtype: ct.dtype))])
    ]
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let d = dims[0]!
    var s = start, l = limit, st = strides
    s.insert(0, at: d)
    l.insert(axisSize, at: d)
    st.insert(1, at: d)
    return ([bind1(SlicePrimitive(start: s, limit: l, strides: st), args)], [d])
  }
}

/// pad(x, value): `lo`/`hi` elements at the edges (negative crops), `interior` between elements.
struct PadPrimitive: Primitive {
  let lo: [Int]
  let hi: [Int]
  let interior: [Int]
  var name: String { "pad" }
  var params: [(String, Param)] {
    [("padding_config", .tuple((0..<lo.count).map { .ints([lo[$0], hi[$0], interior[$0]]) }))]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    guard lo.count == x.rank, hi.count == x.rank, interior.count == x.rank, interior.allSatisfy({ $0 >= 0 }) else {
      throw .valueError(
        "lax.pad padding_config must have one (lo, hi, interior) triple per operand dimension, with interior >= 0")
    }
    if inputs[1].rank != 0 {
      throw .typeError("pad padding value must be a scalar, got shape \(pyShape(inputs[1].shape))")
    }
    if inputs[1].dtype != x.dtype { try sameDtypes("pad", inputs) }
    var shape: [Int] = []
    for i in 0..<x.rank {
      // Checked arithmetic: a padding config from user input must not overflow.
      let (inner, o1) = Swift.max(0, x.shape[i] - 1).multipliedReportingOverflow(by: interior[i])
      let (edges, o2) = lo[i].addingReportingOverflow(hi[i])
      let (body, o3) = edges.addingReportingOverflow(x.shape[i])
      let (total, o4) = body.addingReportingOverflow(inner)
      if o1 || o2 || o3 || o4 {
        throw FluxionError(.resourceExhausted, "RESOURCE_EXHAUSTED: the padded shape does not fit in memory")
      }
      shape.append(total)
    }
    if shape.contains(where: { $0 < 0 }) {
      throw .valueError(
        "Dimension size after padding is not at least 0, got result shape \(pyShape(shape)), for padding_config \(params[0].1) and operand shape \(pyShape(x.shape))"
      )
    }
    return [x.with(shape: shape)]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Layout.pad(inputs[0], value: inputs[1].scalar(at: 0), lo: lo, hi: hi, interior: interior)]
  }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    if tangents.allSatisfy({ $0 == nil }) { return ([y], [nil]) }
    let tx = tangents[0] ?? zerosLike(tangentAval(primals[0].aval))
    let tv = tangents[1] ?? zerosLike(tangentAval(primals[1].aval))
    return ([y], [bind1(self, [tx, tv])])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil, nil] }
    // Undo the padding: crop the edges (negative padding), then take every (interior+1)-th element.
    let unpadded = bind1(
      PadPrimitive(lo: lo.map { -$0 }, hi: hi.map { -$0 }, interior: lo.map { _ in 0 }),
      [ct, zerosLike(ShapedArray(shape: [], dtype: ct.dtype))])
    let tx = bind1(
      SlicePrimitive(start: lo.map { _ in 0 }, limit: unpadded.shape, strides: interior.map { $0 + 1 }), [unpadded])
    let tv = args[1] == nil ? reduceSum(ct, axes: Array(0..<ct.rank)) - reduceSum(tx, axes: Array(0..<tx.rank)) : nil
    return [args[0] == nil ? tx : nil, tv]
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    if dims[1] != nil {
      // A padding value per example: pad with zeros, then fill the padding from the value.
      let x = moveBatchAxis(args[0], from: dims[0], to: 0, size: axisSize)
      let value = moveaxis(args[1], dims[1]!, 0)
      let config = PadPrimitive(lo: [0] + lo, hi: [0] + hi, interior: [0] + interior)
      let padded = bind1(config, [x, zerosLike(ShapedArray(shape: [], dtype: x.dtype))])
      let mask = bind1(
        self, [Tensor(DenseArray.filled(.bool(true), shape: Array(x.shape.dropFirst()), dtype: .bool)), Tensor(false)])
      let fill = broadcastInDim(value, shape: padded.shape, dims: [0])
      return ([select(broadcastInDim(mask, shape: padded.shape, dims: Array(1..<padded.rank)), padded, fill)], [0])
    }
    let d = dims[0]!
    var l = lo, h = hi, i = interior
    l.insert(0, at: d)
    h.insert(0, at: d)
    i.insert(0, at: d)
    return ([bind1(PadPrimitive(lo: l, hi: h, interior: i), args)], [d])
  }
}

/// concatenate along `dimension`.
struct ConcatenatePrimitive: Primitive {
  let dimension: Int
  var name: String { "concatenate" }
  var params: [(String, Param)] { [("dimension", .int(dimension))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    guard let first = inputs.first else { throw .valueError("Need at least one array to concatenate.") }
    try sameDtypes("concatenate", inputs)
    guard dimension >= 0 && dimension < first.rank else {
      throw FluxionError(.axisOutOfBounds(axis: dimension, rank: first.rank))
    }
    for x in inputs {
      var a = x.shape, b = first.shape
      guard a.count == b.count else {
        throw .typeError(
          "Cannot concatenate arrays with different numbers of dimensions: got \(inputs.map { pyShape($0.shape) }.joined(separator: ", "))."
        )
      }
      a[dimension] = 0
      b[dimension] = 0
      if a != b {
        throw .typeError(
          "Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension \(dimension) for shapes \(inputs.map { pyShape($0.shape) }.joined(separator: ", "))."
        )
      }
    }
    var shape = first.shape
    shape[dimension] = inputs.reduce(0) { $0 + $1.shape[dimension] }
    return [ShapedArray(shape: shape, dtype: first.dtype, weakType: inputs.allSatisfy(\.weakType))]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Layout.concatenate(inputs, axis: dimension)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    if tangents.allSatisfy({ $0 == nil }) { return ([y], [nil]) }
    let ts = zip(primals, tangents).map { p, t in t ?? zerosLike(tangentAval(p.aval)) }
    return ([y], [bind1(self, ts)])
  }
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return args.map { _ in nil } }
    var offset = 0
    return avals.enumerated().map { i, a in
      let size = a.shape[dimension]
      defer { offset += size }
      guard args[i] == nil else { return nil }
      var start = Array(repeating: 0, count: ct.rank)
      var limit = ct.shape
      start[dimension] = offset
      limit[dimension] = offset + size
      return bind1(SlicePrimitive(start: start, limit: limit, strides: limit.map { _ in 1 }), [ct])
    }
  }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let xs = zip(args, dims).map { moveBatchAxis($0, from: $1, to: 0, size: axisSize) }
    return ([bind1(ConcatenatePrimitive(dimension: dimension + 1), xs)], [0])
  }
}

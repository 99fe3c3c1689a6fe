import FluxionBackend

/// Checks operands of an elementwise primitive: one dtype, broadcastable shapes.
func elementwiseShape(_ name: String, _ inputs: [ShapedArray]) throws(FluxionError) -> [Int] {
  var shape = inputs[0].shape
  for x in inputs.dropFirst() {
    guard let s = broadcastShapes(shape, x.shape) else {
      throw FluxionError(.incompatibleShapes(operation: name, shapes: inputs.map(\.shape)))
    }
    shape = s
  }
  return shape
}

func sameDtypes(_ name: String, _ inputs: [ShapedArray]) throws(FluxionError) {
  let d = inputs[0].dtype
  if inputs.contains(where: { $0.dtype != d }) {
    throw .typeError(
      "lax.\(name) requires arguments to have the same dtypes, got \(inputs.map { "\($0.dtype)" }.joined(separator: ", ")). (Tip: jnp.\(name) is a similar function that does automatic type promotion on inputs)."
    )
  }
}

/// The elementwise primitives of two operands of one dtype (NumPy broadcasting allowed).
struct BinaryPrimitive: Primitive {
  let op: BinaryOp
  /// A division written by the user (`x / y`) rather than inside a library function: eagerly,
  /// a quotient of one element is divided exactly, as JAX computes it (XLA's reciprocal
  /// rewrite needs a broadcast or constant divisor, which a library function's jitted body has).
  var userDivision = false

  var name: String {
    switch op {
    case .add: "add"
    case .sub: "sub"
    case .mul: "mul"
    case .div: "div"
    case .rem: "rem"
    case .pow: "pow"
    case .max: "max"
    case .min: "min"
    case .atan2: "atan2"
    case .nextAfter: "nextafter"
    case .and: "and"
    case .or: "or"
    case .xor: "xor"
    case .shiftLeft: "shift_left"
    case .shiftRightLogical: "shift_right_logical"
    case .shiftRightArithmetic: "shift_right_arithmetic"
    }
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try sameDtypes(name, inputs)
    let shape = try elementwiseShape(name, inputs)
    let d = inputs[0].dtype
    switch op {
    case .pow, .atan2, .nextAfter:
      if !d.isFloatingPoint {
        throw FluxionError(.dtypeNotAccepted(operation: name, dtype: d, position: 0, accepted: "floating"))
      }
    case .and, .or, .xor:
      if d.isFloatingPoint {
        throw FluxionError(.dtypeNotAccepted(operation: name, dtype: d, position: 0, accepted: "integer, bool"))
      }
    case .sub:
      if d == .bool {
        throw FluxionError(
          .dtypeNotAccepted(operation: "sub", dtype: .bool, position: 0, accepted: "integer, floating, complexfloating")
        )
      }
    case .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
      if !d.isInteger {
        throw FluxionError(.dtypeNotAccepted(operation: name, dtype: d, position: 0, accepted: "integer"))
      }
    default: break
    }
    return [ShapedArray(shape: shape, dtype: d, weakType: inputs.allSatisfy(\.weakType))]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let exact = userDivision && inputs[0].count <= 1 && inputs[1].count <= 1
    return [Elementwise.binary(op, inputs[0], inputs[1], reciprocalRewrite: !exact)]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (a, b) = (primals[0], primals[1])
    let (ta, tb) = (tangents[0], tangents[1])
    let y = bind1(self, [a, b])
    let shape = y.shape
    func full(_ t: Tensor?) -> Tensor? { t.map { broadcastTo($0, shape) } }
    let dt: Tensor?
    switch op {
    case .add: dt = addTangents(full(ta), full(tb))
    case .sub: dt = addTangents(full(ta), full(tb).map { -$0 })
    case .mul: dt = addTangents(ta.map { $0 * b }, tb.map { a * $0 })
    case .div: dt = addTangents(ta.map { $0 / b }, tb.map { -($0 * y / b) })
    case .max, .min:
      // Ties split the tangent evenly, as JAX does.
      let pick = op == .max ? (a .> b) : (a .< b)
      let wa = select(pick, 1, select(a .== b, 0.5, 0)).astype(a.dtype)
      let wb = 1 - wa
      dt = addTangents(ta.map { $0 * wa }, tb.map { $0 * wb })
    case .pow:
      let da = ta.map { t in t * (b * pow(a, b - 1)) }
      let db = tb.map { t in
        t * select(a .== 0, zerosLike(y), y * log(select(a .== 0, onesLike(a), a)))
      }
      dt = addTangents(da, db)
    case .atan2:
      let denom = a * a + b * b
      dt = addTangents(ta.map { $0 * (b / denom) }, tb.map { $0 * (-a / denom) })
    case .rem:
      dt = addTangents(full(ta), tb.map { -($0 * truncate(a / b)) })
    default: dt = nil
    }
    return ([y], [dt])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil, nil] }
    let (sa, sb) = (avals[0].shape, avals[1].shape)
    switch op {
    case .add:
      return [args[0] == nil ? unbroadcast(ct, sa) : nil, args[1] == nil ? unbroadcast(ct, sb) : nil]
    case .sub:
      return [args[0] == nil ? unbroadcast(ct, sa) : nil, args[1] == nil ? unbroadcast(-ct, sb) : nil]
    case .mul:
      if let b = args[1], args[0] == nil { return [unbroadcast(ct * b, sa), nil] }
      if let a = args[0], args[1] == nil { return [nil, unbroadcast(a * ct, sb)] }
    case .div:
      if let b = args[1], args[0] == nil { return [unbroadcast(ct / b, sa), nil] }
    default: break
    }
    throw .valueError("\(name) is not linear in the operands being transposed")
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (xs, d) = alignBatched(args, dims)
    return ([bind1(self, xs)], [d])
  }
}

/// Comparisons: eq, ne, lt, le, gt, ge (→ bool).
struct ComparePrimitive: Primitive {
  let op: CompareOp

  var name: String {
    switch op {
    case .eq: "eq"
    case .ne: "ne"
    case .lt: "lt"
    case .le: "le"
    case .gt: "gt"
    case .ge: "ge"
    }
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try sameDtypes(name, inputs)
    // Comparing in a weak dtype gives a weak bool (int32 < 1.5), as in JAX.
    return [
      ShapedArray(shape: try elementwiseShape(name, inputs), dtype: .bool, weakType: inputs.allSatisfy(\.weakType))
    ]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.compare(op, inputs[0], inputs[1])] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    ([bind1(self, primals)], [nil])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (xs, d) = alignBatched(args, dims)
    return ([bind1(self, xs)], [d])
  }
}

/// Brings batched operands of a broadcasting elementwise op to a common layout: batch axis
/// first, each batched operand padded with size-1 axes to the output rank; unbatched operands
/// broadcast from the right as before.
func alignBatched(_ args: [Tensor], _ dims: [Int?]) -> ([Tensor], Int) {
  let rank = zip(args, dims).map { $1 == nil ? $0.rank : $0.rank - 1 }.max() ?? 0
  let out = zip(args, dims).map { (x, d) -> Tensor in
    guard let d else { return x }
    var moved = moveaxis(x, d, 0)
    let missing = rank - (x.rank - 1)
    if missing > 0 {
      var shape = moved.shape
      shape.insert(contentsOf: Array(repeating: 1, count: missing), at: 1)
      moved = reshape(moved, shape)
    }
    return moved
  }
  return (out, 0)
}

/// Sums of tangents where nil is zero.
func addTangents(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
  switch (a, b) {
  case (nil, nil): nil
  case (let x?, nil): x
  case (nil, let y?): y
  case (let x?, let y?): addAny(x, y)
  }
}

/// Sums `ct` down to `shape`, undoing NumPy broadcasting (for transposes).
func unbroadcast(_ ct: Tensor, _ shape: [Int]) -> Tensor {
  if ct.shape == shape { return ct }
  let lead = ct.rank - shape.count
  // A cotangent never has fewer axes than its operand, nor other sizes where the operand's are
  // not 1; should a program break that, the gradient is an error rather than a trap or a guess.
  guard lead >= 0, shape.indices.allSatisfy({ shape[$0] == 1 || shape[$0] == ct.shape[lead + $0] }) else {
    return Tensor(
      failed: .valueError(
        "internal error: a cotangent of shape \(pyShape(ct.shape)) cannot be summed to its operand's shape \(pyShape(shape))"
      ))
  }
  var axes = Array(0..<lead)
  for (i, s) in shape.enumerated() where s == 1 && ct.shape[lead + i] != 1 { axes.append(lead + i) }
  let summed = axes.isEmpty ? ct : reduceSum(ct, axes: axes)
  return summed.shape == shape ? summed : reshape(summed, shape)
}

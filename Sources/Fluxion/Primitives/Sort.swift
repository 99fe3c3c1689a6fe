import FluxionBackend

/// sort: operands of one shape, all permuted along `dimension` by the stable ascending order
/// of the first (lax.sort with num_keys=1; `sort_key_val` is the two-operand case).
struct SortPrimitive: Primitive {
  let dimension: Int
  let count: Int

  var name: String { "sort" }
  var outputCount: Int { count }
  var params: [(String, Param)] {
    [("dimension", .int(dimension)), ("is_stable", .bool(true)), ("num_keys", .int(1))]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    guard let first = inputs.first else { throw .typeError("sort requires at least one operand") }
    if inputs.contains(where: { $0.shape != first.shape }) {
      throw .typeError(
        "sort arguments must all have the same shape, got \(inputs.map { pyShape($0.shape) }.joined(separator: ", "))")
    }
    try checkAxes([dimension], rank: first.rank)
    return inputs
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { Reduction.sort(inputs, axis: dimension) }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    // Sort the positions along with the operands, then move each tangent the same way.
    let positions = iota(.int32, primals[0].shape, dimension: dimension)
    let sorted = bind(SortPrimitive(dimension: dimension, count: count + 1), primals + [positions])
    let order = sorted[count]
    let outs = Array(sorted[..<count])
    return (outs, tangents.map { t in t.map { takeAlongAxis($0, order, axis: dimension) } })
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let xs = zip(args, dims).map { moveBatchAxis($0, from: $1, to: 0, size: axisSize) }
    return (bind(SortPrimitive(dimension: dimension + 1, count: count), xs), xs.map { _ in 0 })
  }
}

/// `x` rearranged along `axis` by integer `indices` of the same shape (jnp.take_along_axis).
func takeAlongAxis(_ x: Tensor, _ indices: Tensor, axis: Int) -> Tensor {
  let last = x.rank - 1
  let xm = moveaxis(x, axis, last), im = moveaxis(indices, axis, last)
  let n = xm.shape.last ?? 0
  // Row-major start of each row, from the leading coordinates.
  var offsets = zeros(im.shape, dtype: .int32)
  var rowSize = n
  for d in (0..<last).reversed() {
    offsets = offsets + iota(.int32, im.shape, dimension: d) * Tensor(rowSize, dtype: .int32)
    rowSize *= im.shape[d]
  }
  let flat = reshape(xm, [xm.count])
  let out = bind1(TakePrimitive(), [flat, convertElementType(im, .int32) + offsets])
  return moveaxis(out, last, axis)
}

/// Sorted copy of `x` along `axis` (jnp.sort).
public func sort(_ x: Tensor, axis: Int = -1) -> Tensor {
  guard let a = normalizeAxis(axis, x.rank) else { return axisError(axis, x.rank) }
  return bind(SortPrimitive(dimension: a, count: 1), [x])[0]
}

/// The indices that sort `x` along `axis`, stably (jnp.argsort).
public func argsort(_ x: Tensor, axis: Int = -1) -> Tensor {
  guard let a = normalizeAxis(axis, x.rank) else { return axisError(axis, x.rank) }
  return bind(SortPrimitive(dimension: a, count: 2), [x, iota(Config.defaultInt, x.shape, dimension: a)])[1]
}

/// `values` reordered by sorting `keys` along `axis` (lax.sort_key_val): (sorted keys, values).
public func sortKeyVal(_ keys: Tensor, _ values: Tensor, axis: Int = -1) -> (keys: Tensor, values: Tensor) {
  guard let a = normalizeAxis(axis, keys.rank) else { return (axisError(axis, keys.rank), axisError(axis, keys.rank)) }
  let outs = bind(SortPrimitive(dimension: a, count: 2), [keys, values])
  return (outs[0], outs[1])
}

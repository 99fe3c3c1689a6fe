import FluxionBackend

/// Normalises a possibly negative axis against `rank`, or nil when out of range.
func normalizeAxis(_ axis: Int, _ rank: Int) -> Int? {
  let a = axis < 0 ? axis + rank : axis
  return a >= 0 && a < rank ? a : nil
}

func axisError(_ axis: Int, _ rank: Int) -> Tensor {
  Tensor(failed: FluxionError(.axisOutOfBounds(axis: axis, rank: rank)))
}

/// Reshapes; one dimension may be -1 (inferred).
public func reshape(_ x: Tensor, _ shape: [Int]) -> Tensor {
  var shape = shape
  if let i = shape.firstIndex(of: -1) {
    let others = shape.enumerated().filter { $0.offset != i }.map(\.element)
    if shape.filter({ $0 == -1 }).count > 1 {
      return Tensor(
        failed: .typeError("can only specify one unknown axis size with a `-1` value, got \(pyTuple(shape))"))
    }
    // The product may not fit in an Int (then it cannot divide the size either).
    var known: Int? = 1
    for d in others {
      guard let k = known else { break }
      let (p, overflow) = k.multipliedReportingOverflow(by: d)
      known = overflow ? nil : p
    }
    guard let known, known != 0, x.count % known == 0 else {
      return Tensor(
        failed: .typeError(
          "cannot reshape array of shape \(pyShape(x.shape)) (size \(x.count)) into shape \(pyTuple(shape)) because the product of specified axis sizes (\(exactProduct(others))) does not evenly divide \(x.count)"
        ))
    }
    shape[i] = x.count / known
  }
  if shape == x.shape { return x }
  return bind1(ReshapePrimitive(newShape: shape), [x])
}

/// Permutes axes (default: reverses them).
public func transpose(_ x: Tensor, _ axes: [Int]? = nil) -> Tensor {
  let perm = (axes ?? Array((0..<x.rank).reversed())).map { $0 < 0 ? $0 + x.rank : $0 }
  if perm == Array(0..<x.rank) { return x }
  return bind1(TransposePrimitive(permutation: perm), [x])
}

/// lax.broadcast_in_dim.
public func broadcastInDim(_ x: Tensor, shape: [Int], dims: [Int]) -> Tensor {
  if x.shape == shape && dims == Array(0..<shape.count) { return x }
  return bind1(BroadcastInDim(shape: shape, dims: dims), [x])
}

/// NumPy broadcast of `x` to `shape`.
public func broadcastTo(_ x: Tensor, _ shape: [Int]) -> Tensor {
  if x.shape == shape { return x }
  if let e = x.error { return Tensor(failed: e) }
  guard x.rank <= shape.count else {
    return Tensor(
      failed: .valueError(
        "Cannot broadcast to shape with fewer dimensions: arr_shape=\(pyShape(x.shape)) shape=\(pyShape(shape))"))
  }
  guard let b = broadcastShapes(x.shape, shape), b == shape else {
    let requested = ShapedArray(shape: shape, dtype: x.dtype)
    return Tensor(
      failed: .valueError(
        "Incompatible types for broadcasting: input type=\(x.aval.longDescription) and requested type=\(requested.longDescription)"
      ))
  }
  let lead = shape.count - x.rank
  return broadcastInDim(x, shape: shape, dims: (0..<x.rank).map { $0 + lead })
}

/// Moves axis `source` to position `destination`.
public func moveaxis(_ x: Tensor, _ source: Int, _ destination: Int) -> Tensor {
  guard let s = normalizeAxis(source, x.rank), let d = normalizeAxis(destination, x.rank) else {
    return axisError(source, x.rank)
  }
  if s == d { return x }
  var perm = Array(0..<x.rank)
  perm.remove(at: s)
  perm.insert(s, at: d)
  return transpose(x, perm)
}

public func swapaxes(_ x: Tensor, _ a: Int, _ b: Int) -> Tensor {
  guard let i = normalizeAxis(a, x.rank), let j = normalizeAxis(b, x.rank) else { return axisError(a, x.rank) }
  var perm = Array(0..<x.rank)
  perm.swapAt(i, j)
  return transpose(x, perm)
}

/// Removes size-1 axes (all of them, or those given).
public func squeeze(_ x: Tensor, axes: [Int]? = nil) -> Tensor {
  let dims: [Int]
  if let axes {
    var ds: [Int] = []
    for a in axes {
      guard let n = normalizeAxis(a, x.rank) else { return axisError(a, x.rank) }
      if x.shape[n] != 1 {
        return Tensor(
          failed: .valueError(
            "cannot select an axis to squeeze out which has size not equal to one, got shape=\(pyShape(x.shape)) and dimensions=\(pyTuple([n]))"
          ))
      }
      ds.append(n)
    }
    dims = ds.sorted()
  } else {
    dims = x.shape.enumerated().filter { $0.element == 1 }.map(\.offset)
  }
  if dims.isEmpty { return x }
  let shape = x.shape.enumerated().filter { !dims.contains($0.offset) }.map(\.element)
  return bind1(ReshapePrimitive(newShape: shape, squeezed: dims), [x])
}

/// Inserts a size-1 axis at `axis` (as broadcast_in_dim, like JAX).
public func expandDims(_ x: Tensor, _ axis: Int) -> Tensor {
  guard let a = normalizeAxis(axis, x.rank + 1) else { return axisError(axis, x.rank + 1) }
  var shape = x.shape
  shape.insert(1, at: a)
  return broadcastInDim(x, shape: shape, dims: (0..<x.rank).map { $0 < a ? $0 : $0 + 1 })
}

/// Joins along an existing axis.
public func concatenate(_ xs: [Tensor], axis: Int = 0) -> Tensor {
  guard let first = xs.first else { return Tensor(failed: .valueError("Need at least one array to concatenate.")) }
  if let e = xs.lazy.compactMap(\.error).first { return Tensor(failed: e) }
  guard first.rank > 0 else {
    return Tensor(failed: .valueError("Zero-dimensional arrays cannot be concatenated."))
  }
  guard let a = normalizeAxis(axis, first.rank) else { return axisError(axis, first.rank) }
  if xs.count == 1 { return first }
  return bind1(ConcatenatePrimitive(dimension: a), promote(xs))
}

/// Joins along a new axis.
public func stack(_ xs: [Tensor], axis: Int = 0) -> Tensor {
  guard let first = xs.first else { return Tensor(failed: .valueError("Need at least one array to stack.")) }
  if xs.contains(where: { $0.shape != first.shape }) {
    return Tensor(failed: .valueError("All input arrays must have the same shape."))
  }
  guard let a = normalizeAxis(axis, first.rank + 1) else { return axisError(axis, first.rank + 1) }
  return concatenate(xs.map { expandDims($0, a) }, axis: a)
}

/// Reverses along the given axes (all by default).
public func flip(_ x: Tensor, axes: [Int]? = nil) -> Tensor {
  var dims: [Int] = []
  for a in axes ?? Array(0..<x.rank) {
    guard let n = normalizeAxis(a, x.rank) else { return axisError(a, x.rank) }
    dims.append(n)
  }
  return dims.isEmpty ? x : bind1(RevPrimitive(dimensions: dims.sorted()), [x])
}

/// Constant padding: `widths[i] = (before, after)`.
public func pad(_ x: Tensor, _ widths: [(Int, Int)], value: Double = 0) -> Tensor {
  guard widths.count == x.rank else {
    return Tensor(
      failed: .valueError(
        "jnp.pad: pad_width with nd=\(widths.count) has unsupported shape; need one (before, after) pair per dimension of the \(x.rank)-d array"
      ))
  }
  if widths.contains(where: { $0.0 < 0 || $0.1 < 0 }) {
    return Tensor(failed: .valueError("index can't contain negative values"))
  }
  let v = Tensor(DenseArray.filled(.float(value), shape: [], dtype: x.dtype))
  return bind1(PadPrimitive(lo: widths.map(\.0), hi: widths.map(\.1), interior: widths.map { _ in 0 }), [x, v])
}

/// lax.pad with interior padding and negative edges.
public func laxPad(_ x: Tensor, _ value: Tensor, _ config: [(Int, Int, Int)]) -> Tensor {
  bind1(PadPrimitive(lo: config.map(\.0), hi: config.map(\.1), interior: config.map(\.2)), [x, value])
}

/// lax.slice with static bounds.
public func slice(_ x: Tensor, start: [Int], limit: [Int], strides: [Int]? = nil) -> Tensor {
  bind1(SlicePrimitive(start: start, limit: limit, strides: strides ?? start.map { _ in 1 }), [x])
}

extension Tensor {
  public func reshaped(_ shape: [Int]) -> Tensor { reshape(self, shape) }
  public func reshaped(_ shape: Int...) -> Tensor { reshape(self, shape) }
  public func transposed(_ axes: [Int]? = nil) -> Tensor { transpose(self, axes) }
  /// The transpose (reversed axes), as NumPy's `.T`.
  public var T: Tensor { transpose(self) }
  public func squeezed(axes: [Int]? = nil) -> Tensor { squeeze(self, axes: axes) }
  public func flattened() -> Tensor { reshape(self, [count]) }
}

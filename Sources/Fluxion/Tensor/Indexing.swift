import FluxionBackend

/// One entry of a NumPy index: `x[0]`, `x[1..<3]`, `x[.all, 0]`, `x[.newAxis]`, `x[.ellipsis]`,
/// `x[Tensor([2, 0])]`.
public enum TensorIndex: ExpressibleByIntegerLiteral, Sendable {
  case index(Int)
  case slice(start: Int?, stop: Int?, step: Int?)
  case newAxis
  case ellipsis
  case array(Tensor)

  public init(integerLiteral value: Int) { self = .index(value) }

  /// `:`, every element.
  public static let all = TensorIndex.slice(start: nil, stop: nil, step: nil)

  /// A Swift range as a slice: `1..<3` is `1:3`, `1...3` is `1:4`, `1...` is `1:`, `..<3` is
  /// `:3`, `...3` is `:4` (a closed range through -1 runs to the end, as `...-1` reads).
  public static func range(_ r: some TensorSliceRange, step: Int? = nil) -> TensorIndex {
    let (start, stop) = r.sliceBounds
    return .slice(start: start, stop: stop, step: step)
  }
  public static func from(_ start: Int, step: Int? = nil) -> TensorIndex { .slice(start: start, stop: nil, step: step) }
  public static func upTo(_ stop: Int) -> TensorIndex { .slice(start: nil, stop: stop, step: nil) }
  public static func stride(by step: Int) -> TensorIndex { .slice(start: nil, stop: nil, step: step) }
}

/// The Swift ranges that index as slices: `x[1..<3]`, `x[1...3]`, `x[1...]`, `x[..<3]`, `x[...3]`.
public protocol TensorSliceRange {
  /// The slice's start and stop (nil: from the beginning / to the end).
  var sliceBounds: (start: Int?, stop: Int?) { get }
}

/// The stop of a slice through `upper` inclusive: one past it, or the end for -1 (and Int.max).
private func stop(through upper: Int) -> Int? { upper == -1 || upper == .max ? nil : upper + 1 }

extension Range: TensorSliceRange where Bound == Int {
  public var sliceBounds: (start: Int?, stop: Int?) { (lowerBound, upperBound) }
}
extension ClosedRange: TensorSliceRange where Bound == Int {
  public var sliceBounds: (start: Int?, stop: Int?) { (lowerBound, stop(through: upperBound)) }
}
extension PartialRangeFrom: TensorSliceRange where Bound == Int {
  public var sliceBounds: (start: Int?, stop: Int?) { (lowerBound, nil) }
}
extension PartialRangeUpTo: TensorSliceRange where Bound == Int {
  public var sliceBounds: (start: Int?, stop: Int?) { (nil, upperBound) }
}
extension PartialRangeThrough: TensorSliceRange where Bound == Int {
  public var sliceBounds: (start: Int?, stop: Int?) { (nil, stop(through: upperBound)) }
}

extension Tensor {
  /// NumPy indexing (JAX semantics: out-of-range integer indices clamp).
  public subscript(_ indices: TensorIndex...) -> Tensor { getItem(indices) }
  public subscript(_ r: some TensorSliceRange) -> Tensor { getItem([.range(r)]) }
  /// `x[...]`: every element (NumPy's `x[:]`).
  public subscript(_: UnboundedRange) -> Tensor { getItem([.all]) }
  public subscript(_ i: Int) -> Tensor { getItem([.index(i)]) }
  public subscript(_ index: Tensor) -> Tensor { getItem([.array(index)]) }

  /// NumPy indexing with an explicit index list.
  public func getItem(_ indices: [TensorIndex]) -> Tensor {
    Indexer.apply(self, indices, dropOutOfRange: false)
  }

  /// Functional updates: `x.at[1].set(5)`, `x.at[.all, 0].add(y)`.
  public var at: IndexUpdateHelper { IndexUpdateHelper(base: self) }
}

/// `x.at` (indexable), as JAX's `.at` property.
public struct IndexUpdateHelper: Sendable {
  let base: Tensor
  public subscript(_ indices: TensorIndex...) -> IndexUpdateRef { IndexUpdateRef(base: base, indices: indices) }
  public subscript(_ r: some TensorSliceRange) -> IndexUpdateRef { IndexUpdateRef(base: base, indices: [.range(r)]) }
  public subscript(_: UnboundedRange) -> IndexUpdateRef { IndexUpdateRef(base: base, indices: [.all]) }
  public subscript(_ i: Int) -> IndexUpdateRef { IndexUpdateRef(base: base, indices: [.index(i)]) }
  public subscript(_ index: Tensor) -> IndexUpdateRef { IndexUpdateRef(base: base, indices: [.array(index)]) }
  public func callAsFunction(_ indices: [TensorIndex]) -> IndexUpdateRef {
    IndexUpdateRef(base: base, indices: indices)
  }
}

/// `x.at[idx]`: the update methods return a new array. Out-of-range updates are dropped.
public struct IndexUpdateRef: Sendable {
  let base: Tensor
  let indices: [TensorIndex]

  public func set(_ v: Tensor) -> Tensor { scatter(v, .set) }
  public func add(_ v: Tensor) -> Tensor { scatter(v, .add) }
  public func multiply(_ v: Tensor) -> Tensor { scatter(v, .mul) }
  public func min(_ v: Tensor) -> Tensor { scatter(v, .min) }
  public func max(_ v: Tensor) -> Tensor { scatter(v, .max) }
  public func get() -> Tensor { base.getItem(indices) }

  func scatter(_ v: Tensor, _ mode: Layout.ScatterMode) -> Tensor {
    let x = base
    if let e = x.error ?? v.error { return Tensor(failed: e) }
    if let rows = firstAxisRows() {
      let updates = broadcastTo(
        convertElementType(v, x.dtype, weakType: x.isWeaklyTyped && v.isWeaklyTyped),
        rows.shape + x.shape.dropFirst())
      return bind1(ScatterPrimitive(mode: mode), [x, rows, updates])
    }
    // Flat positions of the indexed elements (-1 where an index is out of range).
    let positions = Indexer.apply(
      reshape(iota(.int32, [x.count]), x.shape), indices, dropOutOfRange: true)
    if let e = positions.error { return Tensor(failed: e) }
    let updates = broadcastTo(
      convertElementType(v, x.dtype, weakType: x.isWeaklyTyped && v.isWeaklyTyped), positions.shape)
    let flat = reshape(x, [x.count])
    let out = bind1(
      ScatterPrimitive(mode: mode), [flat, reshape(positions, [positions.count]), reshape(updates, [positions.count])])
    return reshape(out, x.shape)
  }
}

extension IndexUpdateRef {
  /// The rows an index of the first axis alone names (one integer, or one integer array), as
  /// scatter positions: negative entries count from the end; ones still out of range are
  /// dropped by scatter. nil for every other index, which goes through the position table.
  func firstAxisRows() -> Tensor? {
    guard indices.count == 1, let n = base.shape.first else { return nil }
    switch indices[0] {
    case .index(let i):
      let p = i < 0 ? (i >= -n ? i + n : -1) : (i < n ? i : -1)
      return Tensor(p, dtype: .int32)
    case .array(let t) where t.dtype.isInteger:
      guard n <= Int(Int32.max) || t.dtype != .int32 && t.dtype != .uint32 else { return nil }
      if t.dtype.isUnsignedInteger { return t }
      return select(t .< Tensor(0, dtype: t.dtype), t + Tensor(n, dtype: t.dtype), t)
    default:
      return nil
    }
  }
}

enum Indexer {
  static func fail(_ kind: FluxionError.Kind, _ m: String) -> Tensor { Tensor(failed: FluxionError(kind, m)) }

  /// Python's slice.indices: (start, count, step) of a slice over `n` elements.
  static func resolve(_ start: Int?, _ stop: Int?, _ step: Int?, _ n: Int) -> (Int, Int, Int)? {
    let st = Swift.max(step ?? 1, -Int.max)
    if st == 0 { return nil }
    func clampIndex(_ v: Int?, _ dflt: Int, lo: Int, hi: Int) -> Int {
      guard var v else { return dflt }
      if v < 0 { v = v < -n ? lo : v + n }
      return Swift.min(Swift.max(v, lo), hi)
    }
    let s: Int
    let e: Int
    if st > 0 {
      s = clampIndex(start, 0, lo: 0, hi: n)
      e = clampIndex(stop, n, lo: 0, hi: n)
    } else {
      s = clampIndex(start, n - 1, lo: -1, hi: n - 1)
      e = clampIndex(stop, -1, lo: -1, hi: n - 1)
    }
    // Counts without overflow, whatever the step.
    let count = st > 0 ? (e > s ? (e - s - 1) / st + 1 : 0) : (s > e ? (s - e - 1) / (-st) + 1 : 0)
    return (s, count, st)
  }

  static func apply(_ x: Tensor, _ rawIndices: [TensorIndex], dropOutOfRange: Bool) -> Tensor {
    if let e = x.error { return Tensor(failed: e) }
    for case .array(let t) in rawIndices { if let e = t.error { return Tensor(failed: e) } }
    // Boolean masks become integer indices (they must be concrete).
    var indices: [TensorIndex] = []
    // The axes each entry consumes, to find the axes a mask stands for.
    let consumes = rawIndices.map { ix -> Int in
      switch ix {
      case .newAxis, .ellipsis: 0
      case .array(let t) where t.dtype == .bool: t.rank
      default: 1
      }
    }
    let ellipsisAxes = Swift.max(0, x.rank - consumes.reduce(0, +))
    var axis = 0
    for (position, ix) in rawIndices.enumerated() {
      defer {
        if case .ellipsis = ix { axis += ellipsisAxes } else { axis += consumes[position] }
      }
      if case .array(let t) = ix, t.dtype == .bool {
        guard let mask = t.concrete else {
          return fail(.indexError, "Array boolean indices must be concrete; got \(t.aval.longDescription)")
        }
        if mask.rank == 0 { return fail(.indexError, "JAX does not support scalar boolean indices yet") }
        let expected = Array(x.shape.dropFirst(axis).prefix(mask.rank))
        if expected.count == mask.rank, !zip(mask.shape, expected).allSatisfy({ $0 == 0 || $0 == $1 }) {
          return fail(
            .indexError,
            "boolean index did not match shape of indexed array in index \(position): got \(pyShape(mask.shape)), expected \(Param.intList(expected))"
          )
        }
        guard mask.count <= Int(Int32.max) else {
          return fail(.indexError, "boolean index of \(mask.count) elements is beyond 32-bit indices")
        }
        let on = (0..<mask.count).filter { mask.scalar(at: $0).isTrue }
        let strides = contiguousStrides(mask.shape)
        for d in 0..<mask.rank {
          let coords = on.map { Int64(($0 / strides[d]) % mask.shape[d]) }
          indices.append(.array(Tensor(DenseArray.from(coords.map { Int32($0) }, shape: [coords.count]))))
        }
      } else {
        indices.append(ix)
      }
    }
    let consuming = indices.filter {
      switch $0 {
      case .newAxis, .ellipsis: false
      default: true
      }
    }.count
    if indices.filter({ if case .ellipsis = $0 { true } else { false } }).count > 1 {
      return fail(.indexError, "an index can only have a single ellipsis ('...')")
    }
    if consuming > x.rank {
      return fail(.indexError, "Too many indices: array is \(x.rank)-dimensional, but \(consuming) were indexed")
    }
    var expanded: [TensorIndex] = []
    for ix in indices {
      if case .ellipsis = ix {
        expanded += Array(repeating: .all, count: x.rank - consuming)
      } else {
        expanded.append(ix)
      }
    }
    while expanded.filter({ if case .newAxis = $0 { false } else { true } }).count < x.rank { expanded.append(.all) }

    let hasArrays = expanded.contains { if case .array = $0 { true } else { false } }
    var y = x
    var dim = 0
    var sourceDim = 0
    var advanced: [(dim: Int, index: Tensor, size: Int)] = []
    for ix in expanded {
      switch ix {
      case .newAxis:
        y = expandDims(y, dim)
        dim += 1
      case .ellipsis:
        break
      case .index(let i):
        let n = x.shape[sourceDim]
        sourceDim += 1
        if hasArrays || dropOutOfRange {
          // Clamp to one past the ends, so the index stays meaningful in int32.
          advanced.append((dim, Tensor(Swift.min(Swift.max(i, -n - 1), n), dtype: .int32), n))
          dim += 1
        } else {
          if n == 0 { return fail(.indexError, "index \(i) is out of bounds for axis \(sourceDim - 1) with size 0") }
          let k = Swift.min(Swift.max(i < 0 ? i + n : i, 0), n - 1)
          var start = Array(repeating: 0, count: y.rank), limit = y.shape
          start[dim] = k
          limit[dim] = k + 1
          y = squeeze(slice(y, start: start, limit: limit), axes: [dim])
        }
      case .slice(let a, let b, let c):
        let n = x.shape[sourceDim]
        sourceDim += 1
        guard let (s, count, st) = resolve(a, b, c, n) else { return fail(.valueError, "slice step cannot be zero") }
        if !(s == 0 && count == n && st == 1) {
          var source = y
          var first = s
          if st < 0 {
            source = flip(y, axes: [dim])
            first = n - 1 - s
          }
          var start = Array(repeating: 0, count: y.rank), limit = y.shape, strides = y.shape.map { _ in 1 }
          start[dim] = count == 0 ? 0 : first
          limit[dim] = count == 0 ? 0 : first + (count - 1) * Swift.abs(st) + 1
          strides[dim] = Swift.abs(st)
          y = slice(source, start: start, limit: limit, strides: strides)
        }
        dim += 1
      case .array(let t):
        guard t.dtype.isInteger else {
          return fail(.typeError, "Indexer must have integer or boolean type, got indexer with type \(t.dtype)")
        }
        advanced.append((dim, t, x.shape[sourceDim]))
        sourceDim += 1
        dim += 1
      }
    }
    if advanced.isEmpty { return y }
    return gatherAdvanced(y, advanced, dropOutOfRange: dropOutOfRange)
  }

  /// NumPy advanced indexing of the dims in `advanced` (all others are kept whole).
  static func gatherAdvanced(_ y: Tensor, _ advanced: [(dim: Int, index: Tensor, size: Int)], dropOutOfRange: Bool)
    -> Tensor
  {
    var shape: [Int] = []
    for a in advanced {
      guard let s = broadcastShapes(shape, a.index.shape) else {
        return fail(
          .indexError,
          "shape mismatch: indexing arrays could not be broadcast together with shapes \(advanced.map { pyShape($0.index.shape) }.joined(separator: " "))"
        )
      }
      shape = s
    }
    let dims = advanced.map(\.dim)
    let rest = (0..<y.rank).filter { !dims.contains($0) }
    let moved = transpose(y, dims + rest)
    let sizes = advanced.map(\.size)
    let rows = (elementCount(sizes) ?? 0)
    let flat = reshape(moved, [rows] + rest.map { y.shape[$0] })
    // Row-major position over the advanced dims; each index wraps negatives and is clamped
    // (or, for updates, marked invalid when out of range).
    var position: Tensor? = nil
    var valid: Tensor? = nil
    if let empty = advanced.first(where: { $0.size == 0 }), !dropOutOfRange {
      return fail(.indexError, "index is out of bounds for axis \(empty.dim) with size 0")
    }
    for (k, a) in advanced.enumerated() {
      let stride = advanced[(k + 1)...].reduce(1) { $0 * $1.size }
      // A data index outside a recorded program is wrapped and clamped on the spot, in one pass
      // (the same values as the operations below, which a jaxpr records as JAX does).
      if !dropOutOfRange, a.index.shape == shape, let data = a.index.readyArray, a.size <= Int(Int32.max),
        !currentTrace.recordsProgram
      {
        let i = Tensor(Layout.clampedPositions(data, a.size))
        let term = stride == 1 ? i : i * Tensor(stride, dtype: .int32)
        position = position.map { $0 + term } ?? term
        continue
      }
      let n = Tensor.weak(a.size).astype(.int32)
      var i = broadcastTo(convertElementType(a.index, .int32), shape)
      i = select(i .< 0, i + n, i)
      if dropOutOfRange {
        let ok = (i .>= 0) .&& (i .< n)
        valid = valid.map { $0 .&& ok } ?? ok
      }
      i = clip(i, min: Tensor(0, dtype: .int32), max: Tensor(Swift.max(a.size - 1, 0), dtype: .int32))
      let term = stride == 1 ? i : i * Tensor(stride, dtype: .int32)
      position = position.map { $0 + term } ?? term
    }
    var out = bind1(
      TakePrimitive(), [flat, position ?? Tensor(DenseArray.filled(.int(0), shape: shape, dtype: .int32))])
    if let valid {
      let mask = broadcastInDim(valid, shape: out.shape, dims: Array(0..<shape.count))
      out = select(mask, out, fullLike(out, -1))
    }
    // Adjacent advanced dims keep their place; separated ones go first (NumPy's rule).
    let adjacent = dims == Array(dims[0]..<(dims[0] + dims.count))
    if adjacent && dims[0] > 0 {
      let b = shape.count
      let perm = Array(b..<(b + dims[0])) + Array(0..<b) + Array((b + dims[0])..<out.rank)
      out = transpose(out, perm)
    }
    return out
  }
}

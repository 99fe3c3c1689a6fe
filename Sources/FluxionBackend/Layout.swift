import CKernels
import Foundation

/// Kernels that move elements without arithmetic: strided views, padding, joins, take and scatter.
public enum Layout {
  /// Copies `shape` elements from `src` (at `srcOffset`, stepping `srcStrides`) into `dst`
  /// (at `dstOffset`, stepping `dstStrides`). Strides are in elements and may be 0 or negative.
  package static func stridedCopy(
    from src: UnsafeRawPointer, srcOffset: Int, srcStrides: [Int],
    to dst: UnsafeMutableRawPointer, dstOffset: Int, dstStrides: [Int],
    shape: [Int], elementSize: Int
  ) {
    let rank = shape.count
    if shape.contains(0) { return }
    if rank == 0 {
      (dst + dstOffset * elementSize).copyMemory(from: src + srcOffset * elementSize, byteCount: elementSize)
      return
    }
    let inner = shape[rank - 1]
    let (si, di) = (srcStrides[rank - 1], dstStrides[rank - 1])
    var index = [Int](repeating: 0, count: rank - 1)
    var s = srcOffset
    var d = dstOffset
    // One run of the innermost axis: a block copy, a fill (a broadcast source), or a loop.
    @inline(__always) func run<T>(_: T.Type) {
      let (sp, dp) = (src.assumingMemoryBound(to: T.self), dst.assumingMemoryBound(to: T.self))
      if si == 1 && di == 1 {
        (dp + d).update(from: sp + s, count: inner)
      } else if si == 0 && di == 1 {
        (dp + d).update(repeating: sp[s], count: inner)
      } else {
        for k in 0..<inner { dp[d + k * di] = sp[s + k * si] }
      }
    }
    while true {
      switch elementSize {
      case 4: run(UInt32.self)
      case 8: run(UInt64.self)
      default: run(UInt8.self)
      }
      var axis = rank - 2
      while axis >= 0 {
        index[axis] += 1
        s += srcStrides[axis]
        d += dstStrides[axis]
        if index[axis] < shape[axis] { break }
        s -= srcStrides[axis] * shape[axis]
        d -= dstStrides[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
      if axis < 0 { return }
    }
  }

  /// A new contiguous array holding the view `(offset, strides)` of `x` with `shape`.
  public static func view(_ x: DenseArray, offset: Int, strides: [Int], shape: [Int]) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: x.dtype)
    stridedCopy(
      from: x.buffer.raw, srcOffset: offset, srcStrides: strides, to: out.buffer.raw, dstOffset: 0,
      dstStrides: contiguousStrides(shape), shape: shape, elementSize: x.dtype.size)
    return out
  }

  /// NumPy broadcast of `x` to `shape` (trailing alignment; size-1 dims repeat).
  public static func broadcast(_ x: DenseArray, to shape: [Int]) -> DenseArray {
    let lead = shape.count - x.rank
    let xs = contiguousStrides(x.shape)
    var strides = [Int](repeating: 0, count: shape.count)
    for i in 0..<x.rank where x.shape[i] != 1 { strides[lead + i] = xs[i] }
    return view(x, offset: 0, strides: strides, shape: shape)
  }

  /// lax.broadcast_in_dim: operand dim i becomes output dim `dims[i]`.
  public static func broadcastInDim(_ x: DenseArray, shape: [Int], dims: [Int]) -> DenseArray {
    if x.shape == shape { return x }
    let xs = contiguousStrides(x.shape)
    var strides = [Int](repeating: 0, count: shape.count)
    for (i, d) in dims.enumerated() where x.shape[i] != 1 || shape[d] == 1 { strides[d] = xs[i] }
    if x.count == shape.reduce(1, *) && strides == contiguousStrides(shape) { return x.reshaped(shape) }
    return view(x, offset: 0, strides: strides, shape: shape)
  }

  /// Permutes axes: output dim i is input dim `perm[i]`.
  public static func transpose(_ x: DenseArray, _ perm: [Int]) -> DenseArray {
    if perm == Array(0..<x.rank) { return x }
    // Moving one axis past a block of trailing ones is a batch of 2-D transposes: blocked.
    if let (batch, rows, cols) = matrixTranspose(x.shape, perm) {
      let out = DenseArray(uninitializedShape: perm.map { x.shape[$0] }, dtype: x.dtype)
      fx_transpose(x.buffer.raw, out.buffer.raw, batch, rows, cols, Int32(x.dtype.size))
      return out
    }
    let xs = contiguousStrides(x.shape)
    return view(x, offset: 0, strides: perm.map { xs[$0] }, shape: perm.map { x.shape[$0] })
  }

  /// When `perm` keeps leading axes and swaps two contiguous groups after them — shape
  /// `[batch..., A..., B...]` to `[batch..., B..., A...]` — the (batch, rows, cols) of that
  /// matrix transpose.
  static func matrixTranspose(_ shape: [Int], _ perm: [Int]) -> (Int, Int, Int)? {
    let rank = shape.count
    var lead = 0
    while lead < rank && perm[lead] == lead { lead += 1 }
    guard lead < rank - 1 else { return nil }
    let split = perm[lead]  // the first axis of group B
    guard split > lead, perm[lead...] == ArraySlice(Array(split..<rank) + Array(lead..<split)) else { return nil }
    let batch = shape[..<lead].reduce(1, *)
    let rows = shape[lead..<split].reduce(1, *)
    let cols = shape[split...].reduce(1, *)
    return rows > 1 && cols > 1 ? (batch, rows, cols) : nil
  }

  /// lax.slice with positive steps: `start[i] ..< limit[i]` by `steps[i]`.
  public static func slice(_ x: DenseArray, start: [Int], limit: [Int], steps: [Int]) -> DenseArray {
    let xs = contiguousStrides(x.shape)
    var offset = 0
    var shape: [Int] = []
    var strides: [Int] = []
    for i in 0..<x.rank {
      offset += start[i] * xs[i]
      let n = limit[i] > start[i] ? (limit[i] - start[i] - 1) / steps[i] + 1 : 0
      shape.append(n)
      // With one element the stride is never used (and a huge step would overflow it).
      strides.append(n > 1 ? xs[i] * steps[i] : 0)
    }
    return view(x, offset: offset, strides: strides, shape: shape)
  }

  /// Reverses the given axes.
  public static func rev(_ x: DenseArray, axes: [Int]) -> DenseArray {
    var strides = contiguousStrides(x.shape)
    var offset = 0
    for a in axes where x.shape[a] > 0 {
      offset += (x.shape[a] - 1) * strides[a]
      strides[a] = -strides[a]
    }
    return view(x, offset: offset, strides: strides, shape: x.shape)
  }

  /// lax.pad: `lo`/`hi` may be negative (cropping); `interior` ≥ 0 inserts padding between elements.
  public static func pad(
    _ x: DenseArray, value: Scalar, lo: [Int], hi: [Int], interior: [Int]
  ) -> DenseArray {
    var shape: [Int] = []
    for i in 0..<x.rank {
      let n = x.shape[i]
      shape.append(Swift.max(0, lo[i] + hi[i] + n + Swift.max(0, n - 1) * interior[i]))
    }
    let out = DenseArray.filled(value, shape: shape, dtype: x.dtype)
    // Place each source element; elements that land outside (negative padding) are skipped.
    let os = contiguousStrides(shape)
    let xs = contiguousStrides(x.shape)
    var srcOffset = 0
    var dstOffset = 0
    var copyShape: [Int] = []
    var srcStrides: [Int] = []
    var dstStrides: [Int] = []
    for i in 0..<x.rank {
      let step = interior[i] + 1
      // first source index whose position lo + k*step >= 0, and last whose position < shape[i]
      var first = 0
      if lo[i] < 0 { first = (-lo[i] + step - 1) / step }
      var count = x.shape[i] - first
      if count > 0 {
        let lastPos = lo[i] + (x.shape[i] - 1) * step
        if lastPos >= shape[i] {
          let over = lastPos - (shape[i] - 1)
          count -= (over + step - 1) / step
        }
      }
      count = Swift.max(0, count)
      copyShape.append(count)
      srcOffset += first * xs[i]
      dstOffset += (lo[i] + first * step) * os[i]
      srcStrides.append(xs[i])
      dstStrides.append(os[i] * step)
    }
    if !copyShape.contains(0) {
      stridedCopy(
        from: x.buffer.raw, srcOffset: srcOffset, srcStrides: srcStrides, to: out.buffer.raw,
        dstOffset: dstOffset, dstStrides: dstStrides, shape: copyShape, elementSize: x.dtype.size)
    }
    return out
  }

  /// Joins arrays of one dtype along `axis`.
  public static func concatenate(_ xs: [DenseArray], axis: Int) -> DenseArray {
    var shape = xs[0].shape
    shape[axis] = xs.reduce(0) { $0 + $1.shape[axis] }
    let out = DenseArray(uninitializedShape: shape, dtype: xs[0].dtype)
    let size = out.dtype.size
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    let rowBytes = shape[axis] * inner * size
    var start = 0
    for x in xs {
      let bytes = x.shape[axis] * inner * size
      for o in 0..<outer where bytes > 0 {
        (out.buffer.raw + o * rowBytes + start).copyMemory(from: x.buffer.raw + o * bytes, byteCount: bytes)
      }
      start += bytes
    }
    return out
  }

  /// `iota`: 0, 1, 2, … along `dimension` of `shape`.
  public static func iota(_ dtype: DType, shape: [Int], dimension: Int) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: dtype)
    let inner = shape[(dimension + 1)...].reduce(1, *)
    let len = shape[dimension]
    let outer = shape[..<dimension].reduce(1, *)
    // One block of `len` runs of `inner` equal values, then copies of it for the outer indices.
    func fill<T: FixedWidthInteger>(_: T.Type) {
      let p = out.mutablePointer(T.self)
      let block = len * inner
      guard outer > 0, block > 0 else { return }
      if inner == 1 {
        for k in 0..<len { p[k] = T(truncatingIfNeeded: k) }
      } else {
        for k in 0..<len { (p + k * inner).update(repeating: T(truncatingIfNeeded: k), count: inner) }
      }
      for o in 1..<outer { (p + o * block).update(from: p, count: block) }
    }
    switch dtype {
    case .int32: fill(Int32.self)
    case .uint32: fill(UInt32.self)
    case .int64: fill(Int64.self)
    case .uint64: fill(UInt64.self)
    default:
      for i in 0..<out.count { out.set(i, .int(Int64((i / inner) % len))) }
    }
    return out
  }

  /// Rows of `x` (shape `[n, rest...]`) picked by `positions` (any shape, int32); a negative
  /// position gives a row of zeros. Result shape: `positions.shape + rest`.
  public static func take(_ x: DenseArray, positions: DenseArray) -> DenseArray {
    let rest = Array(x.shape.dropFirst())
    let row = rest.reduce(1, *)
    let out = DenseArray(uninitializedShape: positions.shape + rest, dtype: x.dtype)
    let n = x.shape.first ?? 0
    // Rows are moved as bits, so one loop per element width serves every dtype.
    func rows<T: FixedWidthInteger, P: FixedWidthInteger>(_: T.Type, _ at: UnsafePointer<P>) {
      let (src, dst) = (x.buffer.raw.assumingMemoryBound(to: T.self), out.mutablePointer(T.self))
      Parallel.forChunks(positions.count, splitting: positions.count * row >= Parallel.threshold) { s, c in
        if row == 1, kernelTake(UnsafePointer(src), n, at + s, dst + s, c) { return }
        for i in s..<(s + c) {
          let p = Int(truncatingIfNeeded: at[i])
          if row == 1 {
            dst[i] = p >= 0 && p < n ? src[p] : 0
          } else if p >= 0 && p < n {
            (dst + i * row).update(from: src + p * row, count: row)
          } else {
            (dst + i * row).update(repeating: 0, count: row)
          }
        }
      }
    }
    func width<P: FixedWidthInteger>(_ at: UnsafePointer<P>) {
      switch x.dtype.size {
      case 1: rows(UInt8.self, at)
      case 4: rows(UInt32.self, at)
      default: rows(UInt64.self, at)
      }
    }
    switch positions.dtype {
    case .int32: width(positions.pointer(Int32.self))
    case .int64: width(positions.pointer(Int64.self))
    default:
      let wide = int64Positions(positions)
      withExtendedLifetime(wide) { width(wide.pointer(Int64.self)) }
    }
    return out
  }

  /// float32 scatter-add of single elements, in order: split by destination range across the
  /// cores when large (each range applies its updates in input order, so the sums are the
  /// sequential loop's), else one loop.
  static func scatterAddFloat32(
    _ y: UnsafeMutablePointer<Float>, _ n: Int, _ p: UnsafePointer<Int32>, _ u: UnsafePointer<Float>, _ count: Int
  ) {
    let parts = Parallel.cores
    guard parts > 1, count >= Parallel.threshold, n >= parts else {
      fx_scatter_add_f32_i32(y, n, p, u, count)
      return
    }
    let scratch = UnsafeMutableRawPointer.allocate(
      byteCount: fx_scatter_scratch_size(count, parts), alignment: MemoryLayout<Int>.alignment)
    defer { scratch.deallocate() }
    Parallel.forChunks(parts, splitting: true) { s, c in
      for t in s..<(s + c) { fx_scatter_bucket_f32_i32(p, u, count, n, parts, t, scratch) }
    }
    Parallel.forChunks(parts, splitting: true) { s, c in
      for b in s..<(s + c) { fx_scatter_apply_f32(y, count, parts, b, scratch) }
    }
  }

  /// The C gathers of single 4- and 8-byte elements at int32 or int64 positions (prefetching);
  /// false for other widths, for the Swift loop.
  @inline(__always)
  static func kernelTake<T: FixedWidthInteger, P: FixedWidthInteger>(
    _ x: UnsafePointer<T>, _ n: Int, _ p: UnsafePointer<P>, _ y: UnsafeMutablePointer<T>, _ count: Int
  ) -> Bool {
    func cast<U>(_ q: UnsafePointer<some Any>, _: U.Type) -> UnsafePointer<U> {
      UnsafeRawPointer(q).assumingMemoryBound(to: U.self)
    }
    func cast<U>(_ q: UnsafeMutablePointer<some Any>, _: U.Type) -> UnsafeMutablePointer<U> {
      UnsafeMutableRawPointer(q).assumingMemoryBound(to: U.self)
    }
    switch (T.bitWidth, P.bitWidth, P.isSigned) {
    case (32, 32, true): fx_take32_i32(cast(x, UInt32.self), n, cast(p, Int32.self), cast(y, UInt32.self), count)
    case (64, 32, true): fx_take64_i32(cast(x, UInt64.self), n, cast(p, Int32.self), cast(y, UInt64.self), count)
    case (32, 64, true): fx_take32_i64(cast(x, UInt32.self), n, cast(p, Int64.self), cast(y, UInt32.self), count)
    case (64, 64, true): fx_take64_i64(cast(x, UInt64.self), n, cast(p, Int64.self), cast(y, UInt64.self), count)
    default: return false
    }
    return true
  }

  /// Indices into an axis of `n` elements as gather positions, as JAX's indexing computes them:
  /// converted to int32 (wrapping), negative ones counted from the end, then clamped into
  /// `0..<n` (0 for an empty axis). Result: int32, of the indices' shape.
  public static func clampedPositions(_ index: DenseArray, _ n: Int) -> DenseArray {
    let out = DenseArray(uninitializedShape: index.shape, dtype: .int32)
    let dst = out.mutablePointer(Int32.self)
    let (size, last) = (Int32(truncatingIfNeeded: n), Int32(truncatingIfNeeded: Swift.max(n - 1, 0)))
    func run<P: FixedWidthInteger>(_ src: UnsafePointer<P>) {
      Parallel.forChunks(index.count) { s, c in
        for i in s..<(s + c) {
          let v = Int32(truncatingIfNeeded: src[i])
          dst[i] = Swift.min(Swift.max(v < 0 ? v &+ size : v, 0), last)
        }
      }
    }
    switch index.dtype {
    case .int32: run(index.pointer(Int32.self))
    case .uint32: run(index.pointer(UInt32.self))
    case .int64: run(index.pointer(Int64.self))
    case .uint64: run(index.pointer(UInt64.self))
    case .bool: run(index.pointer(UInt8.self))
    case .float32, .float64:
      let wide = Elementwise.convert(index, to: .int64)
      withExtendedLifetime(wide) { run(wide.pointer(Int64.self)) }
    }
    return out
  }

  /// Positions of a dtype other than int32 and int64 as int64: unsigned ones beyond Int64
  /// saturate (and so stay out of range), bools are 0 or 1.
  static func int64Positions(_ positions: DenseArray) -> DenseArray {
    guard positions.dtype == .uint64 else { return Elementwise.convert(positions, to: .int64) }
    let wide = DenseArray(uninitializedShape: positions.shape, dtype: .int64)
    let (p, w) = (positions.pointer(UInt64.self), wide.mutablePointer(Int64.self))
    for i in 0..<positions.count { w[i] = Int64(clamping: p[i]) }
    return wide
  }

  /// How scatter combines an update with the element already there.
  public enum ScatterMode: String, Sendable, Hashable { case set, add, mul, min, max }

  /// `x` (shape `[n, rest...]`) with `updates` (shape `positions.shape + rest`) written into the
  /// rows named by `positions`; negative or out-of-range positions are dropped, as JAX does.
  /// Updates apply in order (a later update to a row sees the earlier ones), on one thread.
  public static func scatter(
    _ x: DenseArray, positions: DenseArray, updates: DenseArray, mode: ScatterMode
  ) -> DenseArray {
    let out = DenseArray(uninitializedShape: x.shape, dtype: x.dtype)
    out.buffer.raw.copyMemory(from: x.buffer.raw, byteCount: x.count * x.dtype.size)
    let row = x.shape.dropFirst().reduce(1, *)
    let n = x.shape.first ?? 0
    if mode == .add, row == 1, positions.dtype == .int32 {
      let at = positions.pointer(Int32.self)
      switch x.dtype {
      case .float32:
        scatterAddFloat32(out.mutablePointer(Float.self), n, at, updates.pointer(Float.self), positions.count)
        return out
      case .float64:
        fx_scatter_add_f64_i32(out.mutablePointer(Double.self), n, at, updates.pointer(Double.self), positions.count)
        return out
      default: break
      }
    }
    func loop<T, P: FixedWidthInteger>(_ at: UnsafePointer<P>, _ combine: (T, T) -> T) {
      let (dst, src) = (out.mutablePointer(T.self), updates.pointer(T.self))
      if row == 1 {
        for i in 0..<positions.count {
          let p = Int(truncatingIfNeeded: at[i])
          if p >= 0 && p < n { dst[p] = combine(dst[p], src[i]) }
        }
        return
      }
      for i in 0..<positions.count {
        let p = Int(truncatingIfNeeded: at[i])
        guard p >= 0 && p < n else { continue }
        let (d, u) = (dst + p * row, src + i * row)
        for k in 0..<row { d[k] = combine(d[k], u[k]) }
      }
    }
    func run<T>(_: T.Type, _ combine: (T, T) -> T) {
      switch positions.dtype {
      case .int32: loop(positions.pointer(Int32.self), combine)
      case .int64: loop(positions.pointer(Int64.self), combine)
      default:
        let wide = int64Positions(positions)
        withExtendedLifetime(wide) { loop(wide.pointer(Int64.self), combine) }
      }
    }
    func float<T: BinaryFloatingPoint>(_: T.Type) {
      switch mode {
      case .set: run(T.self) { $1 }
      case .add: run(T.self) { $0 + $1 }
      case .mul: run(T.self) { $0 * $1 }
      // As the elementwise max and min: NaN wins.
      case .max: run(T.self) { x, z in x > z || x.isNaN ? x : z }
      case .min: run(T.self) { x, z in x < z || x.isNaN ? x : z }
      }
    }
    func integer<T: FixedWidthInteger>(_: T.Type) {
      switch mode {
      case .set: run(T.self) { $1 }
      case .add: run(T.self) { $0 &+ $1 }
      case .mul: run(T.self) { $0 &* $1 }
      case .max: run(T.self) { Swift.max($0, $1) }
      case .min: run(T.self) { Swift.min($0, $1) }
      }
    }
    switch x.dtype {
    case .float32: float(Float.self)
    case .float64: float(Double.self)
    case .int32: integer(Int32.self)
    case .uint32: integer(UInt32.self)
    case .int64: integer(Int64.self)
    case .uint64: integer(UInt64.self)
    case .bool:
      // Logical: add and max are or, mul and min are and.
      switch mode {
      case .set: run(UInt8.self) { $1 }
      case .add, .max: run(UInt8.self) { $0 | $1 }
      case .mul, .min: run(UInt8.self) { $0 & $1 }
      }
    }
    return out
  }
}

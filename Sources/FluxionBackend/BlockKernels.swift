import CKernels

/// Block-wise entry points of the elementwise kernels, for compiled plans that run a fused
/// region a few thousand elements at a time: raw pointers, a count, and strides of 1 (an array)
/// or 0 (one value). They run on the calling thread (the plan splits its own work across the
/// cores) and compute every element exactly as the whole-array kernels do.
package enum BlockKernels {
  /// `op(a, b)` over `n` elements of `dtype`.
  @inline(__always)
  package static func binary(
    _ op: BinaryOp, _ dtype: DType, _ a: UnsafeRawPointer, _ sa: Int, _ b: UnsafeRawPointer, _ sb: Int,
    _ y: UnsafeMutableRawPointer, _ n: Int
  ) {
    if op == .div && sb == 0 && dtype.isFloatingPoint {
      // One divisor for the block: a product with its reciprocal, as eager computes it.
      Elementwise.divideByOneValue(dtype, a, sa, b, y, n)
    } else {
      Elementwise.binaryKernel(op, dtype, a, sa, b, sb, y, n)
    }
  }

  /// a · fl(1/b) over `n` float elements: each divisor's reciprocal, flushed to zero when
  /// subnormal, then the product (a division by a broadcast divisor, as eager computes it).
  package static func reciprocalTimes(
    _ dtype: DType, _ a: UnsafeRawPointer, _ sa: Int, _ b: UnsafeRawPointer, _ sb: Int, _ y: UnsafeMutableRawPointer,
    _ n: Int
  ) {
    func run<T: BinaryFloatingPoint>(_: T.Type) {
      withUnsafeTemporaryAllocation(of: T.self, capacity: n) { r in
        let d = b.assumingMemoryBound(to: T.self)
        for i in 0..<n { r[i] = Elementwise.flushed(1 / d[i * sb]) }
        Elementwise.binaryKernel(.mul, dtype, a, sa, UnsafeRawPointer(r.baseAddress!), 1, y, n)
      }
    }
    if dtype == .float32 { run(Float.self) } else { run(Double.self) }
  }

  /// Whether `compare` has a kernel for `dtype` (every dtype but bool).
  package static func comparable(_ dtype: DType) -> Bool { dtype.cType != nil }

  /// `op(a, b)` → bool (one byte each) over `n` elements of `dtype`, which must be `comparable`.
  @inline(__always)
  package static func compare(
    _ op: CompareOp, _ dtype: DType, _ a: UnsafeRawPointer, _ sa: Int, _ b: UnsafeRawPointer, _ sb: Int,
    _ y: UnsafeMutableRawPointer, _ n: Int
  ) {
    guard let t = dtype.cType else { return }
    _ = fx_compare(op.cOp, t, a, sa, b, sb, y.assumingMemoryBound(to: UInt8.self), n)
  }

  /// `which ? t : f` (jnp.where) over `n` elements of `size` bytes; `which` is bool bytes.
  package static func select(
    _ which: UnsafeRawPointer, _ sw: Int, _ f: UnsafeRawPointer, _ sf: Int, _ t: UnsafeRawPointer, _ st: Int,
    _ y: UnsafeMutableRawPointer, _ n: Int, size: Int
  ) {
    @inline(__always) func run<T>(_: T.Type) {
      let (w, f, t, y) = (
        which.assumingMemoryBound(to: UInt8.self), f.assumingMemoryBound(to: T.self), t.assumingMemoryBound(to: T.self),
        y.assumingMemoryBound(to: T.self)
      )
      if sw == 1 && sf == 1 && st == 1 {
        for i in 0..<n { y[i] = w[i] != 0 ? t[i] : f[i] }
      } else {
        for i in 0..<n { y[i] = w[i * sw] != 0 ? t[i * st] : f[i * sf] }
      }
    }
    switch size {
    case 1: run(UInt8.self)
    case 4: run(UInt32.self)
    default: run(UInt64.self)
    }
  }

  /// `x ** e` for float32 or float64 (XLA's integer_pow by repeated squaring).
  package static func integerPow(
    _ dtype: DType, _ x: UnsafeRawPointer, _ y: UnsafeMutableRawPointer, _ n: Int, _ e: Int
  ) {
    if dtype == .float64 {
      fx_integer_pow_f64(x.assumingMemoryBound(to: Double.self), y.assumingMemoryBound(to: Double.self), n, e)
    } else {
      fx_integer_pow_f32(x.assumingMemoryBound(to: Float.self), y.assumingMemoryBound(to: Float.self), n, e)
    }
  }

  /// a·b + c with one rounding (float32 or float64).
  package static func fma(
    _ dtype: DType, _ a: UnsafeRawPointer, _ sa: Int, _ b: UnsafeRawPointer, _ sb: Int, _ c: UnsafeRawPointer,
    _ sc: Int, _ y: UnsafeMutableRawPointer, _ n: Int
  ) {
    if dtype == .float64 {
      fx_fma_f64(
        a.assumingMemoryBound(to: Double.self), sa, b.assumingMemoryBound(to: Double.self), sb,
        c.assumingMemoryBound(to: Double.self), sc, y.assumingMemoryBound(to: Double.self), n)
    } else {
      fx_fma_f32(
        a.assumingMemoryBound(to: Float.self), sa, b.assumingMemoryBound(to: Float.self), sb,
        c.assumingMemoryBound(to: Float.self), sc, y.assumingMemoryBound(to: Float.self), n)
    }
  }

  /// dtype conversion as `Elementwise.convert`.
  package static func convert(
    _ from: DType, _ x: UnsafeRawPointer, to: DType, _ y: UnsafeMutableRawPointer, _ n: Int
  ) {
    Elementwise.convert(from, x, to: to, y, n, splitting: false)
  }

  /// Elements `start ..< start + n` (row-major) of an operand broadcast to `shape`, read with
  /// `strides` (in elements, 0 along broadcast axes) and written contiguously to `y`. `shape`
  /// and `strides` have one entry per axis, at least one.
  package static func gather(
    _ x: UnsafeRawPointer, size: Int, shape: [Int], strides: [Int], start: Int, _ n: Int,
    _ y: UnsafeMutableRawPointer
  ) {
    let innerStride = strides[shape.count - 1]
    forEachRun(shape: shape, strides: strides, start: start, n) { done, offset, c in
      let dst = y + done * size
      let src = x + offset * size
      if innerStride == 1 {
        dst.copyMemory(from: src, byteCount: c * size)
      } else if innerStride == 0 {
        fill(dst, src, c, size)
      } else if size == 4 {
        let (d4, s4) = (dst.assumingMemoryBound(to: UInt32.self), src.assumingMemoryBound(to: UInt32.self))
        for k in 0..<c { d4[k] = s4[k * innerStride] }
      } else if size == 8 {
        let (d8, s8) = (dst.assumingMemoryBound(to: UInt64.self), src.assumingMemoryBound(to: UInt64.self))
        for k in 0..<c { d8[k] = s8[k * innerStride] }
      } else {
        for k in 0..<c { (dst + k * size).copyMemory(from: src + k * innerStride * size, byteCount: size) }
      }
    }
  }

  /// Cuts elements `start ..< start + n` (row-major over `shape`) into runs along the last axis:
  /// `body(done, offset, count)` for each, with the elements done before it and the offset
  /// (`strides` applied to its first element's index).
  static func forEachRun(
    shape: [Int], strides: [Int], start: Int, _ n: Int, _ body: (Int, Int, Int) -> Void
  ) {
    let rank = shape.count
    let inner = shape[rank - 1]
    let innerStride = strides[rank - 1]
    withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
      // The multi-index of `start`, and the offset of its row.
      var rest = start / inner
      var base = 0
      for d in stride(from: rank - 2, through: 0, by: -1) {
        index[d] = rest % shape[d]
        rest /= shape[d]
        base += index[d] * strides[d]
      }
      var j = start % inner
      var done = 0
      while done < n {
        let c = Swift.min(inner - j, n - done)
        body(done, base + j * innerStride, c)
        done += c
        j = 0
        // Next row: the odometer over the leading axes.
        var d = rank - 2
        while d >= 0 {
          index[d] += 1
          base += strides[d]
          if index[d] < shape[d] { break }
          base -= index[d] * strides[d]
          index[d] = 0
          d -= 1
        }
      }
    }
  }

  /// `n` copies of the `size`-byte element at `x`.
  static func fill(_ y: UnsafeMutableRawPointer, _ x: UnsafeRawPointer, _ n: Int, _ size: Int) {
    switch size {
    case 1: y.initializeMemory(as: UInt8.self, repeating: x.load(as: UInt8.self), count: n)
    case 4: y.initializeMemory(as: UInt32.self, repeating: x.loadUnaligned(as: UInt32.self), count: n)
    default: y.initializeMemory(as: UInt64.self, repeating: x.loadUnaligned(as: UInt64.self), count: n)
    }
  }

  // MARK: reductions, continued block by block

  /// A row sum continued over `n` elements at `x` (float32 or float64), `offset` elements into
  /// its row of `length`: `offset` is a multiple of 32, and so is `n` unless the row ends here,
  /// when the result is written to `out` (the same additions, in the same order, as
  /// `Reduction.reduce`).
  package static func rowSum(
    _ dtype: DType, _ x: UnsafeRawPointer, _ n: Int, offset: Int, length: Int, _ acc: inout SIMD32<Double>,
    _ out: UnsafeMutableRawPointer
  ) {
    if offset == 0 { acc = SIMD32<Double>() }
    let ends = offset + n == length
    if dtype == .float64 {
      let p = x.assumingMemoryBound(to: Double.self)
      Reduction.sumGroups(p, n / 32, &acc)
      if ends { out.assumingMemoryBound(to: Double.self).pointee = Reduction.sumFinish(acc, p + n / 32 * 32, n % 32) }
    } else if length <= Int(FX_XLA_SUM_MAX) {
      // XLA's order, as fx_sum_rows_f32 adds the row; its partial sums are kept (exactly) in
      // lanes 0–2 when the row is split between blocks.
      var state: (Float, Float, Float) = (Float(acc[0]), Float(acc[1]), Float(acc[2]))
      let s = withUnsafeMutableBytes(of: &state) {
        fx_xla_row_sum_f32(
          x.assumingMemoryBound(to: Float.self), n, offset, length, $0.baseAddress!.assumingMemoryBound(to: Float.self))
      }
      (acc[0], acc[1], acc[2]) = (Double(state.0), Double(state.1), Double(state.2))
      if ends { out.assumingMemoryBound(to: Float.self).pointee = s }
    } else {
      let p = x.assumingMemoryBound(to: Float.self)
      Reduction.sumGroups(p, n / 32, &acc)
      if ends { out.assumingMemoryBound(to: Float.self).pointee = Reduction.sumFinish(acc, p + n / 32 * 32, n % 32) }
    }
  }

  /// A row maximum or minimum continued over `n` elements, as `rowSum` (any offsets).
  package static func rowExtremum(
    _ dtype: DType, _ x: UnsafeRawPointer, _ n: Int, offset: Int, length: Int, isMax: Bool, _ acc: inout Double,
    _ out: UnsafeMutableRawPointer
  ) {
    let ends = offset + n == length
    if dtype == .float64 {
      var a: Double = offset == 0 ? (isMax ? -.infinity : .infinity) : acc
      Reduction.extremum(x.assumingMemoryBound(to: Double.self), n, isMax, &a)
      acc = a
      if ends { out.assumingMemoryBound(to: Double.self).pointee = a }
    } else {
      var a: Float = offset == 0 ? (isMax ? -.infinity : .infinity) : Float(acc)
      Reduction.extremum(x.assumingMemoryBound(to: Float.self), n, isMax, &a)
      acc = Double(a)
      if ends { out.assumingMemoryBound(to: Float.self).pointee = a }
    }
  }

  /// Column sums continued: elements `start ..< start + n` of a row-major [rows, columns] array
  /// added into one double per column (rows in order, as `Reduction.reduce` sums columns).
  package static func columnSums(
    _ dtype: DType, _ x: UnsafeRawPointer, start: Int, _ n: Int, columns: Int, _ acc: UnsafeMutablePointer<Double>
  ) {
    @inline(__always) func run<T: BinaryFloatingPoint>(_: T.Type) {
      let p = x.assumingMemoryBound(to: T.self)
      var j = start % columns
      for i in 0..<n {
        acc[j] += Double(p[i])
        j += 1
        if j == columns { j = 0 }
      }
    }
    if dtype == .float64 { run(Double.self) } else { run(Float.self) }
  }

  /// Writes column sums out, rounded to the dtype.
  package static func finishColumnSums(
    _ dtype: DType, _ acc: UnsafePointer<Double>, _ columns: Int, _ out: UnsafeMutableRawPointer
  ) {
    if dtype == .float64 {
      let o = out.assumingMemoryBound(to: Double.self)
      for j in 0..<columns { o[j] = acc[j] }
    } else {
      let o = out.assumingMemoryBound(to: Float.self)
      for j in 0..<columns { o[j] = Float(acc[j]) }
    }
  }
}

extension BlockKernels {
  /// `n` elements of `size` bytes copied from `x` (stride 1) or repeated from it (stride 0).
  package static func copy(_ x: UnsafeRawPointer, _ sx: Int, _ y: UnsafeMutableRawPointer, _ n: Int, size: Int) {
    if sx == 0 {
      fill(y, x, n, size)
    } else {
      y.copyMemory(from: x, byteCount: n * size)
    }
  }
}

extension BlockKernels {
  /// float32 matrix-vector products over `rows` rows of a row-major matrix of `columns`
  /// columns: y = A·x (`transposed` false; y has `rows` entries) or y = beta·y + Aᵀ·x (x has
  /// `rows` entries, y `columns`), on OpenBLAS kept to one thread (as `Linalg` runs it).
  package static func gemv(
    transposed: Bool, _ a: UnsafeRawPointer, rows: Int, columns: Int, _ x: UnsafeRawPointer, beta: Float,
    _ y: UnsafeMutableRawPointer
  ) {
    Linalg.useOneBLASThread()
    fx_cblas_sgemv(
      CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), 1,
      a.assumingMemoryBound(to: Float.self), Int32(columns), x.assumingMemoryBound(to: Float.self), 1, beta,
      y.assumingMemoryBound(to: Float.self), 1)
  }
}

extension BlockKernels {
  /// d = x·w over `rows` rows of a row-major float32 matrix of `columns` columns (own
  /// vectorised loops, not BLAS: for products whose bits only feed a row-blocked gradient).
  package static func rowsDot(
    _ x: UnsafeRawPointer, rows: Int, columns: Int, _ w: UnsafeRawPointer, _ d: UnsafeMutableRawPointer
  ) {
    fx_rows_dot_f32(
      x.assumingMemoryBound(to: Float.self), rows, columns, w.assumingMemoryBound(to: Float.self),
      d.assumingMemoryBound(to: Float.self))
  }

  /// g += xᵀ·z over `rows` rows (rows in order).
  package static func rowsAxpy(
    _ x: UnsafeRawPointer, rows: Int, columns: Int, _ z: UnsafeRawPointer, _ g: UnsafeMutableRawPointer
  ) {
    fx_rows_axpy_f32(
      x.assumingMemoryBound(to: Float.self), rows, columns, z.assumingMemoryBound(to: Float.self),
      g.assumingMemoryBound(to: Float.self))
  }
}

extension BlockKernels {
  /// The inverse of `gather`: elements `start ..< start + n` (row-major over `shape`) from `x`,
  /// each written to `y` at the offset `strides` give its index (a transpose's output, written
  /// block by block by the region that computes its operand).
  package static func scatter(
    _ x: UnsafeRawPointer, size: Int, shape: [Int], strides: [Int], start: Int, _ n: Int,
    _ y: UnsafeMutableRawPointer
  ) {
    let innerStride = strides[shape.count - 1]
    forEachRun(shape: shape, strides: strides, start: start, n) { done, offset, c in
      let src = x + done * size
      let dst = y + offset * size
      if size == 4 {
        let (s4, d4) = (src.assumingMemoryBound(to: UInt32.self), dst.assumingMemoryBound(to: UInt32.self))
        for k in 0..<c { d4[k * innerStride] = s4[k] }
      } else if size == 8 {
        let (s8, d8) = (src.assumingMemoryBound(to: UInt64.self), dst.assumingMemoryBound(to: UInt64.self))
        for k in 0..<c { d8[k * innerStride] = s8[k] }
      } else {
        for k in 0..<c { (dst + k * innerStride * size).copyMemory(from: src + k * size, byteCount: size) }
      }
    }
  }
}

import CKernels
import Foundation

/// Elementwise operations of two operands of one dtype.
public enum BinaryOp: Sendable, Hashable {
  case add, sub, mul, div, rem, pow, max, min, atan2, nextAfter
  case and, or, xor, shiftLeft, shiftRightLogical, shiftRightArithmetic
}

/// Comparisons, producing bool.
public enum CompareOp: Sendable, Hashable { case eq, ne, lt, le, gt, ge }

/// NumPy broadcasting of two shapes, or nil when they are incompatible.
public func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int]? {
  let n = max(a.count, b.count)
  var out = [Int](repeating: 1, count: n)
  for i in 0..<n {
    let da = i < n - a.count ? 1 : a[i - (n - a.count)]
    let db = i < n - b.count ? 1 : b[i - (n - b.count)]
    if da == db || db == 1 {
      out[i] = da
    } else if da == 1 {
      out[i] = db
    } else {
      return nil
    }
  }
  return out
}

/// The elementwise kernels.
public enum Elementwise {
  // MARK: unary

  /// Runs `kernel` on every element of `x`, in chunks across the cores for large arrays; nil when
  /// the kernel has no loop for x's dtype.
  public static func unary(_ kernel: UnaryKernel, _ x: DenseArray) -> DenseArray? {
    guard let loop = kernel.loop(for: x.dtype) else { return nil }
    let out = DenseArray(uninitializedShape: x.shape, dtype: loop.result)
    // Arrays whose results depend on their length (XLA's exp and log, for a 1-d array only:
    // XLA:CPU computes every element of a 2-d or larger one, (1, n) too, by its own formula).
    if let whole = loop.whole, x.rank == 1, x.count < Parallel.threshold {
      whole(UnsafeRawPointer(x.buffer.raw), out.buffer.raw, x.count)
      return out
    }
    let (src, dst) = (UnsafeRawPointer(x.buffer.raw), out.buffer.raw)
    let (inSize, outSize) = (x.dtype.size, loop.result.size)
    Parallel.forChunks(x.count) { s, k in loop.run(src + s * inSize, dst + s * outSize, k) }
    return out
  }

  /// `x ** y` for an integer constant `y`, by repeated squaring (XLA's integer_pow).
  public static func integerPow(_ x: DenseArray, _ y: Int) -> DenseArray {
    let out = DenseArray(uninitializedShape: x.shape, dtype: x.dtype)
    let n = x.count
    if x.dtype == .float32 {
      let (s, d) = (x.pointer(Float.self), out.mutablePointer(Float.self))
      Parallel.forChunks(n) { i, k in fx_integer_pow_f32(s + i, d + i, k, y) }
      return out
    }
    if x.dtype == .float64 {
      let (s, d) = (x.pointer(Double.self), out.mutablePointer(Double.self))
      Parallel.forChunks(n) { i, k in fx_integer_pow_f64(s + i, d + i, k, y) }
      return out
    }
    func run<T: NumericElement>(_: T.Type, one: T, recip: (T) -> T) {
      let (src, dst) = (x.pointer(T.self), out.mutablePointer(T.self))
      let e = y.magnitude
      for i in 0..<n {
        var acc = one
        var base = src[i]
        var k = e
        while k > 0 {
          if k & 1 == 1 { acc = T.wrappingMul(acc, base) }
          base = T.wrappingMul(base, base)
          k >>= 1
        }
        dst[i] = y < 0 ? recip(acc) : acc
      }
    }
    switch x.dtype {
    case .float32: run(Float.self, one: 1) { 1 / $0 }
    case .float64: run(Double.self, one: 1) { 1 / $0 }
    case .int32: run(Int32.self, one: 1) { $0 == 1 ? 1 : ($0 == -1 ? -1 : 0) }
    case .uint32: run(UInt32.self, one: 1) { $0 == 1 ? 1 : 0 }
    case .int64: run(Int64.self, one: 1) { $0 == 1 ? 1 : ($0 == -1 ? -1 : 0) }
    case .uint64: run(UInt64.self, one: 1) { $0 == 1 ? 1 : 0 }
    case .bool:
      let (src, dst) = (x.pointer(UInt8.self), out.mutablePointer(UInt8.self))
      for i in 0..<n { dst[i] = y == 0 ? 1 : src[i] }
    }
    return out
  }

  // MARK: binary

  /// Brings an operand to `shape`: as is (stride 1), as a scalar (stride 0), or materialised.
  static func operand(_ a: DenseArray, _ shape: [Int], _ n: Int) -> (DenseArray, Int) {
    if a.count == n && a.shape.count == shape.count || a.shape == shape { return (a, 1) }
    if a.count == 1 { return (a, 0) }
    return (Layout.broadcast(a, to: shape), 1)
  }

  /// `op(a, b)` elementwise with NumPy broadcasting; both operands have one dtype.
  /// `reciprocalRewrite: false` divides exactly whatever the divisor.
  public static func binary(
    _ op: BinaryOp, _ a: DenseArray, _ b: DenseArray, reciprocalRewrite: Bool = true
  ) -> DenseArray {
    let shape = broadcastShapes(a.shape, b.shape) ?? a.shape
    // XLA:CPU rewrites a float division by a broadcast or constant divisor (x / 2, mean's
    // sum / n, softmax's e / sum(e, axis, keepdims=True)) as a product with its reciprocal,
    // rounded once and flushed to zero when subnormal (XLA-NUMERICS.md §2). Done here, as
    // compiled plans do it (BlockKernels.binary, FusedRegion's reciprocalTimes), for a divisor
    // broadcast along some axis, and a 0-d one (taken for a constant, as mean's is: the kernels
    // cannot tell a constant from an argument).
    if op == .div, reciprocalRewrite, a.dtype.isFloatingPoint,
      b.count < shape.reduce(1, *) || (b.count == 1 && (b.shape != shape || b.rank == 0))
    {
      return binary(.mul, a, reciprocal(b))
    }
    let out = DenseArray(uninitializedShape: shape, dtype: a.dtype)
    let n = out.count
    let size = a.dtype.size
    if let runs = BroadcastRuns(shape, a.shape, b.shape) {
      runs.forEach(splitting: n >= Parallel.threshold) { r, oa, ob in
        binaryKernel(
          op, a.dtype, a.buffer.raw + oa * size, runs.stepA, b.buffer.raw + ob * size, runs.stepB,
          out.buffer.raw + r * runs.inner * size, runs.inner)
      }
      return out
    }
    let (av, sa) = operand(a, shape, n)
    let (bv, sb) = operand(b, shape, n)
    binaryKernel(op, a.dtype, av.buffer.raw, sa, bv.buffer.raw, sb, out.buffer.raw, n)
    return out
  }

  /// 1 / x for floats, with XLA's flush to zero of subnormal results.
  package static func reciprocal(_ x: DenseArray) -> DenseArray {
    let r = DenseArray(uninitializedShape: x.shape, dtype: x.dtype)
    func run<T: BinaryFloatingPoint>(_: T.Type) {
      let (p, q) = (x.pointer(T.self), r.mutablePointer(T.self))
      for i in 0..<r.count { q[i] = flushed(1 / p[i]) }
    }
    if x.dtype == .float32 { run(Float.self) } else { run(Double.self) }
    return r
  }

  /// x / d for one float value d (stride 0) as XLA:CPU computes it: x · fl(1/d), the reciprocal
  /// flushed to zero when subnormal (see `binary`).
  package static func divideByOneValue(
    _ dtype: DType, _ x: UnsafeRawPointer, _ sx: Int, _ d: UnsafeRawPointer, _ z: UnsafeMutableRawPointer, _ n: Int
  ) {
    func times<T: BinaryFloatingPoint>(_: T.Type) {
      var r = flushed(1 / d.assumingMemoryBound(to: T.self).pointee)
      binaryKernel(.mul, dtype, x, sx, &r, 0, z, n)
    }
    if dtype == .float32 { times(Float.self) } else { times(Double.self) }
  }

  /// A subnormal as the zero of its sign (XLA:CPU runs with flush-to-zero).
  @inline(__always) package static func flushed<T: BinaryFloatingPoint>(_ v: T) -> T {
    v.isSubnormal ? (v.sign == .minus ? -0.0 : 0.0) : v
  }

  /// `op` over `n` elements of one dtype; operands step `sa`/`sb` elements (1, or 0 for one
  /// value); large counts split across the cores.
  package static func binaryKernel(
    _ op: BinaryOp, _ dtype: DType, _ x: UnsafeRawPointer, _ sa: Int, _ y: UnsafeRawPointer, _ sb: Int,
    _ z: UnsafeMutableRawPointer, _ n: Int
  ) {
    // An empty call asks whether the C kernels handle this (op, dtype).
    if let t = dtype.cType, let c = op.cArithOp, fx_arith(c, t, nil, 1, nil, 1, nil, 0) != 0 {
      let size = dtype.size
      Parallel.forChunks(n) { s, k in
        _ = fx_arith(c, t, x + s * sa * size, sa, y + s * sb * size, sb, z + s * size, k)
      }
      return
    }
    func typed<T>(_: T.Type) -> (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) {
      (x.assumingMemoryBound(to: T.self), y.assumingMemoryBound(to: T.self), z.assumingMemoryBound(to: T.self))
    }
    switch dtype {
    case .float32:
      let (a, b, o) = typed(Float.self)
      if let c = op.cFloatOp {
        Parallel.forChunks(n) { s, k in fx_binary_f32(c, a + s * sa, sa, b + s * sb, sb, o + s, k) }
      } else {
        floatBinary(op, a, sa, b, sb, o, n)
      }
    case .float64:
      let (a, b, o) = typed(Double.self)
      if let c = op.cFloatOp {
        Parallel.forChunks(n) { s, k in fx_binary_f64(c, a + s * sa, sa, b + s * sb, sb, o + s, k) }
      } else {
        floatBinary(op, a, sa, b, sb, o, n)
      }
    case .int32:
      let (a, b, o) = typed(Int32.self)
      intBinary(op, a, sa, b, sb, o, n)
    case .uint32:
      let (a, b, o) = typed(UInt32.self)
      intBinary(op, a, sa, b, sb, o, n)
    case .int64:
      let (a, b, o) = typed(Int64.self)
      intBinary(op, a, sa, b, sb, o, n)
    case .uint64:
      let (a, b, o) = typed(UInt64.self)
      intBinary(op, a, sa, b, sb, o, n)
    case .bool:
      let (a, b, o) = typed(UInt8.self)
      boolBinary(op, a, sa, b, sb, o, n)
    }
  }

  /// Runs `f` over `n` elements; `sa`/`sb` are 1 (elementwise) or 0 (broadcast scalar).
  @inline(__always)
  static func map2<T, U>(
    _ a: UnsafePointer<T>, _ sa: Int, _ b: UnsafePointer<T>, _ sb: Int,
    _ y: UnsafeMutablePointer<U>, _ n: Int, _ f: (T, T) -> U
  ) {
    Parallel.forChunks(n) { s, k in
      let y = y + s
      if sa == 1 && sb == 1 {
        let (a, b) = (a + s, b + s)
        for i in 0..<k { y[i] = f(a[i], b[i]) }
      } else if sa == 1 {
        let (a, bv) = (a + s, b[0])
        for i in 0..<k { y[i] = f(a[i], bv) }
      } else if sb == 1 {
        let (av, b) = (a[0], b + s)
        for i in 0..<k { y[i] = f(av, b[i]) }
      } else {
        let v = f(a[0], b[0])
        for i in 0..<k { y[i] = v }
      }
    }
  }

  @inline(__always)
  static func floatBinary<T: BinaryFloatingPoint>(
    _ op: BinaryOp, _ a: UnsafePointer<T>, _ sa: Int, _ b: UnsafePointer<T>,
    _ sb: Int, _ y: UnsafeMutablePointer<T>, _ n: Int
  ) {
    switch op {
    case .add: map2(a, sa, b, sb, y, n) { $0 + $1 }
    case .sub: map2(a, sa, b, sb, y, n) { $0 - $1 }
    case .mul: map2(a, sa, b, sb, y, n) { $0 * $1 }
    case .div: map2(a, sa, b, sb, y, n) { $0 / $1 }
    case .max: map2(a, sa, b, sb, y, n) { x, z in x > z || x.isNaN ? x : z }
    case .min: map2(a, sa, b, sb, y, n) { x, z in x < z || x.isNaN ? x : z }
    case .nextAfter:
      map2(a, sa, b, sb, y, n) { x, z in
        x.isNaN || z.isNaN ? T.nan : (x == z ? z : (z > x ? x.nextUp : x.nextDown))
      }
    default: map2(a, sa, b, sb, y, n) { x, _ in x }
    }
  }

  @inline(__always)
  static func intBinary<T: IntegerElement>(
    _ op: BinaryOp, _ a: UnsafePointer<T>, _ sa: Int, _ b: UnsafePointer<T>,
    _ sb: Int, _ y: UnsafeMutablePointer<T>, _ n: Int
  ) {
    let bits = T(truncatingIfNeeded: T.bitWidth)
    switch op {
    case .add: map2(a, sa, b, sb, y, n) { $0 &+ $1 }
    case .sub: map2(a, sa, b, sb, y, n) { $0 &- $1 }
    case .mul: map2(a, sa, b, sb, y, n) { $0 &* $1 }
    case .div:
      // XLA: x / 0 = -1 (all ones), INT_MIN / -1 = INT_MIN; truncates toward zero.
      map2(a, sa, b, sb, y, n) { x, z in
        z == 0 ? ~0 : (T.isSigned && z == 0 &- 1 ? 0 &- x : x / z)
      }
    case .rem:
      map2(a, sa, b, sb, y, n) { x, z in z == 0 ? x : (T.isSigned && z == 0 &- 1 ? 0 : x % z) }
    case .pow:
      // jnp.power on integers: binary exponentiation over the exponent's low 6 bits (more would
      // overflow for any base above 1), 0 ** y = 0 for y != 0.
      map2(a, sa, b, sb, y, n) { x, z in
        if x == 0 && z != 0 { return 0 }
        var acc: T = 1
        var base = x
        var k = z
        for _ in 0..<6 {
          if k & 1 == 1 { acc = acc &* base }
          base = base &* base
          k = T(truncatingIfNeeded: k.magnitudeBits &>> 1)
        }
        return acc
      }
    case .max: map2(a, sa, b, sb, y, n) { Swift.max($0, $1) }
    case .min: map2(a, sa, b, sb, y, n) { Swift.min($0, $1) }
    case .and: map2(a, sa, b, sb, y, n) { $0 & $1 }
    case .or: map2(a, sa, b, sb, y, n) { $0 | $1 }
    case .xor: map2(a, sa, b, sb, y, n) { $0 ^ $1 }
    case .shiftLeft:
      map2(a, sa, b, sb, y, n) { x, s in s < 0 || s >= bits ? 0 : x &<< s }
    case .shiftRightLogical:
      map2(a, sa, b, sb, y, n) { x, s in
        s < 0 || s >= bits ? 0 : T(truncatingIfNeeded: x.magnitudeBits &>> s.magnitudeBits)
      }
    case .shiftRightArithmetic:
      map2(a, sa, b, sb, y, n) { x, s in s < 0 || s >= bits ? (x < 0 ? 0 &- 1 : 0) : x &>> s }
    case .atan2, .nextAfter: map2(a, sa, b, sb, y, n) { x, _ in x }
    }
  }

  @inline(__always)
  static func boolBinary(
    _ op: BinaryOp, _ a: UnsafePointer<UInt8>, _ sa: Int, _ b: UnsafePointer<UInt8>,
    _ sb: Int, _ y: UnsafeMutablePointer<UInt8>, _ n: Int
  ) {
    switch op {
    case .and, .mul, .min: map2(a, sa, b, sb, y, n) { $0 & $1 }
    case .or, .add, .max: map2(a, sa, b, sb, y, n) { $0 | $1 }
    case .xor, .sub: map2(a, sa, b, sb, y, n) { $0 ^ $1 }
    default: map2(a, sa, b, sb, y, n) { x, _ in x }
    }
  }

  /// a·b + c with one rounding, NumPy broadcasting (floats).
  public static func fusedMultiplyAdd(_ a: DenseArray, _ b: DenseArray, _ c: DenseArray) -> DenseArray {
    let shape = [a.shape, b.shape, c.shape].reduce([]) { broadcastShapes($0, $1) ?? $0 }
    let out = DenseArray(uninitializedShape: shape, dtype: a.dtype)
    let n = out.count
    let (av, sa) = operand(a, shape, n)
    let (bv, sb) = operand(b, shape, n)
    let (cv, sc) = operand(c, shape, n)
    if a.dtype == .float64 {
      let (x, y, z, o) = (
        av.pointer(Double.self), bv.pointer(Double.self), cv.pointer(Double.self), out.mutablePointer(Double.self)
      )
      Parallel.forChunks(n) { s, k in fx_fma_f64(x + s * sa, sa, y + s * sb, sb, z + s * sc, sc, o + s, k) }
    } else {
      let (x, y, z, o) = (
        av.pointer(Float.self), bv.pointer(Float.self), cv.pointer(Float.self), out.mutablePointer(Float.self)
      )
      Parallel.forChunks(n) { s, k in fx_fma_f32(x + s * sa, sa, y + s * sb, sb, z + s * sc, sc, o + s, k) }
    }
    return out
  }

  // MARK: comparisons and selection

  /// `op(a, b)` → bool, with NumPy broadcasting.
  public static func compare(_ op: CompareOp, _ a: DenseArray, _ b: DenseArray) -> DenseArray {
    let shape = broadcastShapes(a.shape, b.shape) ?? a.shape
    let out = DenseArray(uninitializedShape: shape, dtype: .bool)
    let n = out.count
    if let t = a.dtype.cType, let runs = BroadcastRuns(shape, a.shape, b.shape) {
      let size = a.dtype.size
      runs.forEach(splitting: n >= Parallel.threshold) { r, oa, ob in
        _ = fx_compare(
          op.cOp, t, a.buffer.raw + oa * size, runs.stepA, b.buffer.raw + ob * size, runs.stepB,
          out.mutablePointer(UInt8.self) + r * runs.inner, runs.inner)
      }
      return out
    }
    let (av, sa) = operand(a, shape, n)
    let (bv, sb) = operand(b, shape, n)
    if let t = a.dtype.cType {
      let size = a.dtype.size
      let (x, y, z) = (av.buffer.raw, bv.buffer.raw, out.mutablePointer(UInt8.self))
      Parallel.forChunks(n) { s, k in
        _ = fx_compare(op.cOp, t, x + s * sa * size, sa, y + s * sb * size, sb, z + s, k)
      }
      return out
    }
    func run<T: Comparable>(_: T.Type) {
      let (x, z, y) = (av.pointer(T.self), bv.pointer(T.self), out.mutablePointer(UInt8.self))
      switch op {
      case .eq: map2(x, sa, z, sb, y, n) { $0 == $1 ? 1 : 0 }
      case .ne: map2(x, sa, z, sb, y, n) { $0 != $1 ? 1 : 0 }
      case .lt: map2(x, sa, z, sb, y, n) { $0 < $1 ? 1 : 0 }
      case .le: map2(x, sa, z, sb, y, n) { $0 <= $1 ? 1 : 0 }
      case .gt: map2(x, sa, z, sb, y, n) { $0 > $1 ? 1 : 0 }
      case .ge: map2(x, sa, z, sb, y, n) { $0 >= $1 ? 1 : 0 }
      }
    }
    switch a.dtype {
    case .bool: run(UInt8.self)
    case .int32: run(Int32.self)
    case .uint32: run(UInt32.self)
    case .int64: run(Int64.self)
    case .uint64: run(UInt64.self)
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return out
  }

  /// `select_n`: element i of the result is `cases[which[i]][i]`; `which` is bool or int32
  /// (clamped into range), a scalar or of the cases' shape; a case is a scalar or of the shape.
  public static func selectN(_ which: DenseArray, _ cases: [DenseArray]) -> DenseArray {
    let out = DenseArray(uninitializedShape: cases[0].shape, dtype: cases[0].dtype)
    let n = out.count
    let last = cases.count - 1
    let whichStride = which.count == 1 && n != 1 ? 0 : 1
    // Elements are moved as bits, so one loop per element width serves every dtype.
    func run<T: FixedWidthInteger>(_: T.Type) {
      let dst = out.mutablePointer(T.self)
      let sources = cases.map { (UnsafePointer($0.buffer.raw.assumingMemoryBound(to: T.self)), $0.count == 1 ? 0 : 1) }
      if cases.count == 2, which.dtype == .bool, whichStride == 1, sources[0].1 == 1, sources[1].1 == 1 {
        // jnp.where's case: a vectorisable blend.
        let (w, f, t) = (which.pointer(UInt8.self), sources[0].0, sources[1].0)
        Parallel.forChunks(n) { s, c in
          for i in s..<(s + c) { dst[i] = w[i] != 0 ? t[i] : f[i] }
        }
        return
      }
      let w = which.dtype == .int32 ? which : convert(which, to: .int32)
      let at = w.pointer(Int32.self)
      withExtendedLifetime(w) {
        Parallel.forChunks(n) { s, c in
          for i in s..<(s + c) {
            let (p, stride) = sources[Swift.min(Swift.max(Int(at[i * whichStride]), 0), last)]
            dst[i] = p[i * stride]
          }
        }
      }
    }
    switch out.dtype.size {
    case 1: run(UInt8.self)
    case 4: run(UInt32.self)
    default: run(UInt64.self)
    }
    return out
  }

  /// Converts to another dtype as XLA does: floats → ints saturate (NaN → 0), ints wrap,
  /// ints → floats round to nearest, nonzero (and NaN) → true.
  public static func convert(_ x: DenseArray, to dtype: DType) -> DenseArray {
    if x.dtype == dtype { return x }
    let out = DenseArray(uninitializedShape: x.shape, dtype: dtype)
    let n = x.count
    convert(x.dtype, UnsafeRawPointer(x.buffer.raw), to: dtype, out.buffer.raw, n, splitting: n >= Parallel.threshold)
    return out
  }

  /// `n` elements of dtype `from` at `src` converted to `to` at `dst` (as `convert` does), split
  /// across the cores when asked; compiled plans call it on one block at a time.
  package static func convert(
    _ from: DType, _ src: UnsafeRawPointer, to dtype: DType, _ dst: UnsafeMutableRawPointer, _ n: Int,
    splitting: Bool
  ) {
    func run<C: Conversion>(_: C.Type) {
      let (src, dst) = (src.assumingMemoryBound(to: C.Source.self), dst.assumingMemoryBound(to: C.Target.self))
      Parallel.forChunks(n, splitting: splitting) { s, c in
        for i in s..<(s + c) { dst[i] = C.apply(src[i]) }
      }
    }
    func toFloat<D: BinaryFloatingPoint>(_: D.Type) {
      switch from {
      case .float32: run(FloatToFloat<Float, D>.self)
      case .float64: run(FloatToFloat<Double, D>.self)
      case .int32: run(IntegerToFloat<Int32, D>.self)
      case .uint32: run(IntegerToFloat<UInt32, D>.self)
      case .int64: run(IntegerToFloat<Int64, D>.self)
      case .uint64: run(IntegerToFloat<UInt64, D>.self)
      case .bool: run(IntegerToFloat<UInt8, D>.self)
      }
    }
    func toInteger<D: SaturatingFromDouble>(_: D.Type) {
      if from == .float32 && D.self == Int32.self {
        let (s0, d0) = (src.assumingMemoryBound(to: Float.self), dst.assumingMemoryBound(to: Int32.self))
        Parallel.forChunks(n, splitting: splitting) { s, c in fx_f32_to_i32(s0 + s, d0 + s, c) }
        return
      }
      switch from {
      case .float32: run(FloatToInteger<Float, D>.self)
      case .float64: run(FloatToInteger<Double, D>.self)
      case .int32: run(IntegerToInteger<Int32, D>.self)
      case .uint32: run(IntegerToInteger<UInt32, D>.self)
      case .int64: run(IntegerToInteger<Int64, D>.self)
      case .uint64: run(IntegerToInteger<UInt64, D>.self)
      case .bool: run(IntegerToInteger<UInt8, D>.self)
      }
    }
    if from == dtype {
      dst.copyMemory(from: src, byteCount: n * dtype.size)
      return
    }
    switch dtype {
    case .float32: toFloat(Float.self)
    case .float64: toFloat(Double.self)
    case .int32: toInteger(Int32.self)
    case .uint32: toInteger(UInt32.self)
    case .int64: toInteger(Int64.self)
    case .uint64: toInteger(UInt64.self)
    case .bool:
      switch from {
      case .float32: run(NonzeroToBool<Float>.self)
      case .float64: run(NonzeroToBool<Double>.self)
      case .int32: run(NonzeroToBool<Int32>.self)
      case .uint32: run(NonzeroToBool<UInt32>.self)
      case .int64: run(NonzeroToBool<Int64>.self)
      case .uint64: run(NonzeroToBool<UInt64>.self)
      case .bool: run(NonzeroToBool<UInt8>.self)
      }
    }
  }

  /// Reinterprets the bits of each element as another dtype of the same width.
  public static func bitcast(_ x: DenseArray, to dtype: DType) -> DenseArray {
    DenseArray(shape: x.shape, dtype: dtype, buffer: x.buffer)
  }
}

extension DType {
  /// The C kernels' name for this dtype (bool has none).
  var cType: fx_dtype? {
    switch self {
    case .float32: FX_F32
    case .float64: FX_F64
    case .int32: FX_I32
    case .uint32: FX_U32
    case .int64: FX_I64
    case .uint64: FX_U64
    case .bool: nil
    }
  }
}

extension CompareOp {
  var cOp: fx_compare_op {
    switch self {
    case .eq: FX_EQ
    case .ne: FX_NE
    case .lt: FX_LT
    case .le: FX_LE
    case .gt: FX_GT
    case .ge: FX_GE
    }
  }
}

extension BinaryOp {
  /// The vectorised C kernel for this op, where one exists (float division only: integer
  /// division has XLA's rules for zero and overflow, kept in Swift).
  var cArithOp: fx_arith_op? {
    switch self {
    case .add: FX_ADD
    case .sub: FX_SUB
    case .mul: FX_MUL
    case .div: FX_DIV
    case .max: FX_MAX
    case .min: FX_MIN
    case .and: FX_AND
    case .or: FX_OR
    case .xor: FX_XOR
    case .shiftLeft: FX_SHL
    case .shiftRightLogical: FX_SHR_LOGICAL
    default: nil
    }
  }

  var cFloatOp: fx_binary_op? {
    switch self {
    case .pow: FX_POW
    case .atan2: FX_ATAN2
    case .rem: FX_FMOD
    default: nil
    }
  }
}

extension FixedWidthInteger {
  /// The bits as an unsigned value, for logical shifts.
  @inlinable var magnitudeBits: UInt64 {
    UInt64(truncatingIfNeeded: self) & (Self.bitWidth == 64 ? ~0 : (1 << UInt64(Self.bitWidth)) - 1)
  }
}

/// A broadcast of two operands read in place: the output as `rows` runs of `inner` elements,
/// each operand contiguous (step 1) or one value (step 0) within a run, starting at an offset
/// that its strides over the leading axes give. Made only when an operand must otherwise be
/// copied to the output shape first and the runs are long enough to pay for a kernel call each
/// (`[n, m] + [m]`, `[n, m] * [n, 1]`, `[n, 1] - [1, m]`).
struct BroadcastRuns {
  let inner: Int
  let rows: Int
  let stepA: Int
  let stepB: Int
  /// The leading axes' sizes, and each operand's strides over them (0 where it broadcasts).
  private let lead: [Int]
  private let stridesA: [Int]
  private let stridesB: [Int]

  init?(_ shape: [Int], _ a: [Int], _ b: [Int]) {
    let rank = shape.count
    let n = shape.reduce(1, *)
    // Operands that are the output's shape or one value need no runs.
    func direct(_ x: [Int]) -> Bool { x.reduce(1, *) == 1 || (x.reduce(1, *) == n && x.count == rank) || x == shape }
    guard rank >= 2, n > 0, !(direct(a) && direct(b)) else { return nil }
    // Strides of an operand in output coordinates: 0 along axes it broadcasts.
    func strides(_ x: [Int]) -> [Int] {
      let lead = rank - x.count
      var own = [Int](repeating: 0, count: rank)
      var step = 1
      for i in stride(from: x.count - 1, through: 0, by: -1) {
        if x[i] != 1 { own[lead + i] = step }
        step *= x[i]
      }
      return own
    }
    let (sa, sb) = (strides(a), strides(b))
    var contiguous = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { contiguous[i] = contiguous[i + 1] * shape[i + 1] }
    // The smallest split where each operand's trailing axes are all read in order or all broadcast.
    func step(_ s: [Int], from k: Int) -> Int? {
      if (k..<rank).allSatisfy({ s[$0] == 0 || shape[$0] == 1 }) { return 0 }
      if (k..<rank).allSatisfy({ s[$0] == contiguous[$0] || shape[$0] == 1 }) { return 1 }
      return nil
    }
    guard
      let k = (1..<rank).first(where: { step(sa, from: $0) != nil && step(sb, from: $0) != nil }),
      let ea = step(sa, from: k), let eb = step(sb, from: k)
    else { return nil }
    inner = shape[k...].reduce(1, *)
    guard inner >= 16 else { return nil }
    rows = n / inner
    (stepA, stepB) = (ea, eb)
    lead = Array(shape[..<k])
    stridesA = Array(sa[..<k])
    stridesB = Array(sb[..<k])
  }

  /// Calls `body(run, offsetA, offsetB)` for every run, split across the cores when asked.
  func forEach(splitting: Bool, _ body: (Int, Int, Int) -> Void) {
    Parallel.forChunks(rows, splitting: splitting) { s, c in
      for r in s..<(s + c) {
        var (rest, oa, ob) = (r, 0, 0)
        for d in stride(from: lead.count - 1, through: 0, by: -1) {
          let i = rest % lead[d]
          rest /= lead[d]
          oa += i * stridesA[d]
          ob += i * stridesB[d]
        }
        body(r, oa, ob)
      }
    }
  }
}

/// One element conversion, as a type: the conversion loop is then specialised for each pair and
/// the conversion inlined into it (a closure was called once per element: 10× slower).
protocol Conversion {
  associatedtype Source
  associatedtype Target
  static func apply(_ x: Source) -> Target
}

enum FloatToFloat<Source: BinaryFloatingPoint, Target: BinaryFloatingPoint>: Conversion {
  @inline(__always) static func apply(_ x: Source) -> Target { Target(x) }
}

enum IntegerToFloat<Source: BinaryInteger, Target: BinaryFloatingPoint>: Conversion {
  @inline(__always) static func apply(_ x: Source) -> Target { Target(x) }
}

/// XLA's saturating float → integer conversion (NaN → 0).
enum FloatToInteger<Source: BinaryFloatingPoint, Target: SaturatingFromDouble>: Conversion {
  @inline(__always) static func apply(_ x: Source) -> Target { Target.saturating(Double(x)) }
}

/// Integers wrap (two's complement); bools are 0 or 1.
enum IntegerToInteger<Source: BinaryInteger, Target: FixedWidthInteger>: Conversion {
  @inline(__always) static func apply(_ x: Source) -> Target { Target(truncatingIfNeeded: x) }
}

/// Nonzero (NaN included) → true, stored as 1.
enum NonzeroToBool<Source: Numeric>: Conversion {
  @inline(__always) static func apply(_ x: Source) -> UInt8 { x != 0 ? 1 : 0 }
}

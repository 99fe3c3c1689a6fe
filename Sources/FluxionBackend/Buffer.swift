import Foundation
import Synchronization

/// Raw element storage, 64-byte aligned from `alignedBytes` up (16-byte below, where a cache
/// line holds the whole array and the allocator's own alignment is several times cheaper to
/// get: most of a scalar op's allocation cost). Written once by the kernel that creates it,
/// then read-only.
///
/// Large buffers come from and go back to `BufferPool`, so an eager op on big arrays does not
/// pay for fresh pages every time (glibc maps and unmaps blocks of that size on each call).
///
/// Only this package writes into a buffer (`package` access: the kernel that has just allocated
/// it); the public API reads it (`withUnsafeBytes`).
///
/// Sendable without checking: the pointer is written only by the kernel that creates the
/// buffer, before any array over it is published; after that every thread only reads it.
public final class Buffer: @unchecked Sendable {
  @usableFromInline package let raw: UnsafeMutableRawPointer
  public let byteCount: Int
  private let pooledCapacity: Int?

  /// Bytes of all buffers alive now, in the whole process (the language limits it).
  private static let live = Atomic<Int>(0)
  public static var liveBytes: Int { live.load(ordering: .relaxed) }

  /// Uninitialised storage for `byteCount` bytes.
  package init(byteCount: Int) {
    self.byteCount = byteCount
    Self.live.wrappingAdd(byteCount, ordering: .relaxed)
    if let capacity = BufferPool.capacity(for: byteCount) {
      pooledCapacity = capacity
      raw = BufferPool.shared.take(capacity)
    } else {
      pooledCapacity = nil
      raw =
        byteCount < Self.alignedBytes
        ? UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 16), alignment: 16)
        : UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }
  }

  /// The size from which storage is aligned to a cache line.
  static let alignedBytes = 64

  deinit {
    Self.live.wrappingSubtract(byteCount, ordering: .relaxed)
    if let pooledCapacity {
      BufferPool.shared.give(raw, capacity: pooledCapacity)
    } else {
      raw.deallocate()
    }
  }

  /// The storage as `T`, for the kernel that is filling it before publishing it.
  @inlinable package func mutablePointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
    raw.assumingMemoryBound(to: T.self)
  }

  /// Calls `body` with the buffer's `byteCount` bytes, which it may only read.
  public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    try withExtendedLifetime(self) { () throws(E) -> R in
      try body(UnsafeRawBufferPointer(start: raw, count: byteCount))
    }
  }
}

/// A cache of large freed blocks, by capacity, up to a fixed total.
///
/// Sendable without checking: its mutable state is touched only while `lock` is held.
public final class BufferPool: @unchecked Sendable {
  public static let shared = BufferPool()
  /// Blocks below this size use the allocator directly.
  public static let minimumBytes = 256 * 1024
  /// At most this many bytes are kept for reuse.
  public static let budgetBytes = 1 << 30

  private let lock = NSLock()
  private var free: [Int: [UnsafeMutableRawPointer]] = [:]
  private var cachedBytes = 0

  /// The pooled capacity for a request (rounded up to a 1/8 step of its power of two), or nil
  /// for small requests.
  static func capacity(for bytes: Int) -> Int? {
    guard bytes >= minimumBytes else { return nil }
    let step = max(4096, (1 << (Int.bitWidth - 1 - bytes.leadingZeroBitCount)) / 8)
    return (bytes + step - 1) / step * step
  }

  func take(_ capacity: Int) -> UnsafeMutableRawPointer {
    lock.lock()
    if let p = free[capacity]?.popLast() {
      cachedBytes -= capacity
      lock.unlock()
      return p
    }
    lock.unlock()
    return UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
  }

  func give(_ p: UnsafeMutableRawPointer, capacity: Int) {
    lock.lock()
    if cachedBytes + capacity <= Self.budgetBytes {
      free[capacity, default: []].append(p)
      cachedBytes += capacity
      lock.unlock()
    } else {
      lock.unlock()
      p.deallocate()
    }
  }

  /// Frees every cached block.
  public func drain() {
    lock.lock()
    let blocks = free.values.flatMap { $0 }
    free = [:]
    cachedBytes = 0
    lock.unlock()
    for p in blocks { p.deallocate() }
  }
}

/// A dense row-major array: shape, dtype and a buffer. The backend's unit of work.
///
/// Public code builds arrays from values (`from`, `filled`) and reads them (`scalar(at:)`,
/// `elements`, `withUnsafeBufferPointer`); writing (`mutablePointer`, `set`) and uninitialised
/// storage are `package`: only the kernel that has just allocated an array fills it.
///
/// Sendable without checking for the reason `Buffer` is: written while being built, read-only
/// once published.
public struct DenseArray: @unchecked Sendable {
  public let shape: [Int]
  public let dtype: DType
  public let buffer: Buffer

  /// An array over `buffer`, which must hold at least `shape`'s count of `dtype` elements.
  package init(shape: [Int], dtype: DType, buffer: Buffer) {
    self.shape = shape
    self.dtype = dtype
    self.buffer = buffer
  }

  /// Uninitialised storage of the given shape, for the caller to fill before publishing it.
  package init(uninitializedShape shape: [Int], dtype: DType) {
    self.shape = shape
    self.dtype = dtype
    self.buffer = Buffer(byteCount: shape.reduce(1, *) * dtype.size)
  }

  public var count: Int { shape.reduce(1, *) }
  public var rank: Int { shape.count }

  /// The same elements under another shape of equal size (no copy).
  public func reshaped(_ newShape: [Int]) -> DenseArray {
    // A caller contract, as Array's subscript: the engine checks sizes before it reshapes.
    precondition(newShape.reduce(1, *) == count, "sizes differ")  // invariant: caller contract
    return DenseArray(shape: newShape, dtype: dtype, buffer: buffer)
  }

  /// The elements, for reading, as `T` (which must match `dtype`; bool is `UInt8`).
  @inlinable package func pointer<T>(_: T.Type) -> UnsafePointer<T> { UnsafePointer(buffer.mutablePointer(T.self)) }

  /// The elements, for the kernel that is filling this array before publishing it.
  @inlinable package func mutablePointer<T>(_: T.Type) -> UnsafeMutablePointer<T> { buffer.mutablePointer(T.self) }

  /// Calls `body` with the elements as `T` (which must match `dtype`; bool is `UInt8`), which it
  /// may only read.
  public func withUnsafeBufferPointer<T, R, E: Error>(
    of _: T.Type, _ body: (UnsafeBufferPointer<T>) throws(E) -> R
  ) throws(E) -> R {
    // A caller contract: an element type of the dtype's width, checked before memory is read.
    precondition(MemoryLayout<T>.stride == dtype.size, "\(T.self) is not \(dtype)")  // invariant: caller contract
    return try withExtendedLifetime(buffer) { () throws(E) -> R in
      try body(UnsafeBufferPointer(start: pointer(T.self), count: count))
    }
  }

  /// Element `i` (row-major flat index) as a `Scalar`.
  public func scalar(at i: Int) -> Scalar {
    // A caller contract, as Array's subscript; the engine reads only indices below `count`.
    precondition(i >= 0 && (i + 1) * dtype.size <= buffer.byteCount, "index out of range")  // invariant: caller contract
    return switch dtype {
    case .bool: .bool(pointer(UInt8.self)[i] != 0)
    case .int32: .int(Int64(pointer(Int32.self)[i]))
    case .uint32: .uint(UInt64(pointer(UInt32.self)[i]))
    case .int64: .int(pointer(Int64.self)[i])
    case .uint64: .uint(pointer(UInt64.self)[i])
    case .float32: .float(Double(pointer(Float.self)[i]))
    case .float64: .float(pointer(Double.self)[i])
    }
  }

  /// Every element as a `Scalar`, row-major.
  public var scalars: [Scalar] { (0..<count).map { scalar(at: $0) } }

  /// Every element converted to Double.
  public var doubles: [Double] { (0..<count).map { scalar(at: $0).asDouble } }

  /// Copies typed elements out (`T` must match `dtype`; bool is `UInt8`).
  public func elements<T>(_: T.Type) -> [T] {
    withUnsafeBufferPointer(of: T.self) { Array($0) }
  }

  /// An array of `shape` whose every element is `value` converted to `dtype`.
  public static func filled(_ value: Scalar, shape: [Int], dtype: DType) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: dtype)
    let n = out.count
    switch dtype {
    case .bool: out.mutablePointer(UInt8.self).update(repeating: value.isTrue ? 1 : 0, count: n)
    case .int32: out.mutablePointer(Int32.self).update(repeating: Int32(converting: value), count: n)
    case .uint32: out.mutablePointer(UInt32.self).update(repeating: UInt32(converting: value), count: n)
    case .int64: out.mutablePointer(Int64.self).update(repeating: Int64(converting: value), count: n)
    case .uint64: out.mutablePointer(UInt64.self).update(repeating: UInt64(converting: value), count: n)
    case .float32: out.mutablePointer(Float.self).update(repeating: Float(converting: value), count: n)
    case .float64: out.mutablePointer(Double.self).update(repeating: Double(converting: value), count: n)
    }
    return out
  }

  /// The `n`×`m` array with ones where column − row = `k` and zeros elsewhere (an identity for
  /// k = 0).
  package static func eye(_ n: Int, _ m: Int, k: Int, dtype: DType) -> DenseArray {
    let out = filled(.int(0), shape: [n, m], dtype: dtype)
    for i in max(0, -k)..<max(0, min(n, m - k)) { out.set(i * m + i + k, .int(1)) }
    return out
  }

  /// An array holding `values` (one per element of `shape`) converted to `dtype`.
  public static func from(_ values: [Scalar], shape: [Int], dtype: DType) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: dtype)
    // A caller contract: Tensor's initialisers count the values against the shape first.
    precondition(values.count == out.count, "one value per element")  // invariant: caller contract
    for (i, v) in values.enumerated() { out.set(i, v) }
    return out
  }

  /// Typed elements (one per element of `shape`) into a new array.
  public static func from<T: ArrayElement>(_ values: [T], shape: [Int]) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: T.dtype)
    // A caller contract: Tensor's initialisers count the values against the shape first.
    precondition(values.count == out.count, "one value per element")  // invariant: caller contract
    if T.self == Bool.self {
      for (i, v) in values.enumerated() { out.set(i, v.scalar) }
    } else {
      values.withUnsafeBufferPointer { src in
        if let base = src.baseAddress { out.mutablePointer(T.self).update(from: base, count: values.count) }
      }
    }
    return out
  }

  /// Writes one element (only while the array is being built).
  package func set(_ i: Int, _ v: Scalar) {
    switch dtype {
    case .bool: mutablePointer(UInt8.self)[i] = v.isTrue ? 1 : 0
    case .int32: mutablePointer(Int32.self)[i] = Int32(converting: v)
    case .uint32: mutablePointer(UInt32.self)[i] = UInt32(converting: v)
    case .int64: mutablePointer(Int64.self)[i] = Int64(converting: v)
    case .uint64: mutablePointer(UInt64.self)[i] = UInt64(converting: v)
    case .float32: mutablePointer(Float.self)[i] = Float(converting: v)
    case .float64: mutablePointer(Double.self)[i] = Double(converting: v)
    }
  }
}

/// Row-major strides (in elements) of a shape.
public func contiguousStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var acc = 1
  for i in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[i] = acc
    acc *= shape[i]
  }
  return strides
}

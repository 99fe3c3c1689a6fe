import Foundation

/// Raw, 64-byte-aligned element storage. Written once by the kernel that creates it, then read-only.
///
/// Large buffers come from and go back to `BufferPool`, so an eager op on big arrays does not
/// pay for fresh pages every time (glibc maps and unmaps blocks of that size on each call).
///
/// Sendable without checking: the pointer is written only by the kernel that creates the
/// buffer, before any array over it is published; after that every thread only reads it.
public final class Buffer: @unchecked Sendable {
  public let raw: UnsafeMutableRawPointer
  public let byteCount: Int
  private let pooledCapacity: Int?

  /// Uninitialised storage for `byteCount` bytes.
  public init(byteCount: Int) {
    self.byteCount = byteCount
    if let capacity = BufferPool.capacity(for: byteCount) {
      pooledCapacity = capacity
      raw = BufferPool.shared.take(capacity)
    } else {
      pooledCapacity = nil
      raw = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
    }
  }

  deinit {
    if let pooledCapacity {
      BufferPool.shared.give(raw, capacity: pooledCapacity)
    } else {
      raw.deallocate()
    }
  }

  @inlinable public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
    raw.assumingMemoryBound(to: T.self)
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
/// Sendable without checking for the reason `Buffer` is: written while being built, read-only
/// once published.
public struct DenseArray: @unchecked Sendable {
  public let shape: [Int]
  public let dtype: DType
  public let buffer: Buffer

  public init(shape: [Int], dtype: DType, buffer: Buffer) {
    self.shape = shape
    self.dtype = dtype
    self.buffer = buffer
  }

  /// Uninitialised storage of the given shape.
  public init(uninitializedShape shape: [Int], dtype: DType) {
    self.shape = shape
    self.dtype = dtype
    self.buffer = Buffer(byteCount: shape.reduce(1, *) * dtype.size)
  }

  public var count: Int { shape.reduce(1, *) }
  public var rank: Int { shape.count }

  /// The same elements under another shape of equal size (no copy).
  public func reshaped(_ newShape: [Int]) -> DenseArray {
    DenseArray(shape: newShape, dtype: dtype, buffer: buffer)
  }

  @inlinable public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> { buffer.pointer(T.self) }

  /// Element `i` (row-major flat index) as a `Scalar`.
  public func scalar(at i: Int) -> Scalar {
    switch dtype {
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

  /// Copies typed elements out.
  public func elements<T>(_: T.Type) -> [T] {
    Array(UnsafeBufferPointer(start: pointer(T.self), count: count))
  }

  /// An array of `shape` whose every element is `value` converted to `dtype`.
  public static func filled(_ value: Scalar, shape: [Int], dtype: DType) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: dtype)
    let n = out.count
    switch dtype {
    case .bool: out.pointer(UInt8.self).update(repeating: value.isTrue ? 1 : 0, count: n)
    case .int32: out.pointer(Int32.self).update(repeating: Int32(converting: value), count: n)
    case .uint32: out.pointer(UInt32.self).update(repeating: UInt32(converting: value), count: n)
    case .int64: out.pointer(Int64.self).update(repeating: Int64(converting: value), count: n)
    case .uint64: out.pointer(UInt64.self).update(repeating: UInt64(converting: value), count: n)
    case .float32: out.pointer(Float.self).update(repeating: Float(converting: value), count: n)
    case .float64: out.pointer(Double.self).update(repeating: Double(converting: value), count: n)
    }
    return out
  }

  /// An array holding `values` converted to `dtype`.
  public static func from(_ values: [Scalar], shape: [Int], dtype: DType) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: dtype)
    for (i, v) in values.enumerated() { out.set(i, v) }
    return out
  }

  /// Typed elements into a new array.
  public static func from<T: ArrayElement>(_ values: [T], shape: [Int]) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: T.dtype)
    if T.self == Bool.self {
      for (i, v) in values.enumerated() { out.set(i, v.scalar) }
    } else {
      values.withUnsafeBufferPointer { src in
        if let base = src.baseAddress { out.pointer(T.self).update(from: base, count: values.count) }
      }
    }
    return out
  }

  /// Writes one element (only while the array is being built).
  public func set(_ i: Int, _ v: Scalar) {
    switch dtype {
    case .bool: pointer(UInt8.self)[i] = v.isTrue ? 1 : 0
    case .int32: pointer(Int32.self)[i] = Int32(converting: v)
    case .uint32: pointer(UInt32.self)[i] = UInt32(converting: v)
    case .int64: pointer(Int64.self)[i] = Int64(converting: v)
    case .uint64: pointer(UInt64.self)[i] = UInt64(converting: v)
    case .float32: pointer(Float.self)[i] = Float(converting: v)
    case .float64: pointer(Double.self)[i] = Double(converting: v)
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

import Foundation

/// A Swift type that stores one dtype's elements.
public protocol ArrayElement: Sendable {
  static var dtype: DType { get }
  init(converting scalar: Scalar)
  var scalar: Scalar { get }
}

/// Elements with arithmetic: the integers and the floats.
public protocol NumericElement: ArrayElement, Numeric, Comparable {
  static func wrappingAdd(_ a: Self, _ b: Self) -> Self
  static func wrappingSub(_ a: Self, _ b: Self) -> Self
  static func wrappingMul(_ a: Self, _ b: Self) -> Self
}

/// Saturating float → integer conversion as XLA does it: NaN → 0, out of range → the nearest
/// bound, else toward zero. Written per type: each type's own `init(_: Double)` is one
/// instruction, where the generic `FixedWidthInteger.init(_:)` walks the bits.
public protocol SaturatingFromDouble: FixedWidthInteger {
  static func saturating(_ d: Double) -> Self
}

extension Int32: SaturatingFromDouble {
  @inlinable public static func saturating(_ d: Double) -> Int32 {
    d.isNaN ? 0 : d <= -2_147_483_648 ? .min : d >= 2_147_483_647 ? .max : Int32(d)
  }
}
extension UInt32: SaturatingFromDouble {
  @inlinable public static func saturating(_ d: Double) -> UInt32 {
    !(d > 0) ? 0 : d >= 4_294_967_295 ? .max : UInt32(d)
  }
}
extension Int64: SaturatingFromDouble {
  @inlinable public static func saturating(_ d: Double) -> Int64 {
    d.isNaN ? 0 : d <= -0x1p63 ? .min : d >= 0x1p63 ? .max : Int64(d)
  }
}
extension UInt64: SaturatingFromDouble {
  @inlinable public static func saturating(_ d: Double) -> UInt64 {
    !(d > 0) ? 0 : d >= 0x1p64 ? .max : UInt64(d)
  }
}
extension UInt8: SaturatingFromDouble {
  @inlinable public static func saturating(_ d: Double) -> UInt8 {
    !(d > 0) ? 0 : d >= 255 ? .max : UInt8(d)
  }
}

extension Bool: ArrayElement {
  public static var dtype: DType { .bool }
  public init(converting s: Scalar) { self = s.isTrue }
  public var scalar: Scalar { .bool(self) }
}

extension Float: NumericElement {
  public static var dtype: DType { .float32 }
  public init(converting s: Scalar) { self = Float(s.asDouble) }
  public var scalar: Scalar { .float(Double(self)) }
  @inlinable public static func wrappingAdd(_ a: Float, _ b: Float) -> Float { a + b }
  @inlinable public static func wrappingSub(_ a: Float, _ b: Float) -> Float { a - b }
  @inlinable public static func wrappingMul(_ a: Float, _ b: Float) -> Float { a * b }
}

extension Double: NumericElement {
  public static var dtype: DType { .float64 }
  public init(converting s: Scalar) { self = s.asDouble }
  public var scalar: Scalar { .float(self) }
  @inlinable public static func wrappingAdd(_ a: Double, _ b: Double) -> Double { a + b }
  @inlinable public static func wrappingSub(_ a: Double, _ b: Double) -> Double { a - b }
  @inlinable public static func wrappingMul(_ a: Double, _ b: Double) -> Double { a * b }
}

/// Integer element conversions shared by the four integer types.
public protocol IntegerElement: NumericElement, SaturatingFromDouble {}

extension IntegerElement {
  public init(converting s: Scalar) {
    switch s {
    case .bool(let b): self = b ? 1 : 0
    case .int(let i): self = Self(truncatingIfNeeded: i)
    case .uint(let u): self = Self(truncatingIfNeeded: u)
    case .float(let d): self = Self.saturating(d)
    }
  }
  public var scalar: Scalar { Self.isSigned ? .int(Int64(self)) : .uint(UInt64(self)) }
  @inlinable public static func wrappingAdd(_ a: Self, _ b: Self) -> Self { a &+ b }
  @inlinable public static func wrappingSub(_ a: Self, _ b: Self) -> Self { a &- b }
  @inlinable public static func wrappingMul(_ a: Self, _ b: Self) -> Self { a &* b }
}

extension Int32: IntegerElement { public static var dtype: DType { .int32 } }
extension UInt32: IntegerElement { public static var dtype: DType { .uint32 } }
extension Int64: IntegerElement { public static var dtype: DType { .int64 } }
extension UInt64: IntegerElement { public static var dtype: DType { .uint64 } }

/// The element types an array can hold.
///
/// `int64` and `uint64` exist only in x64 mode, as in JAX, where they are the default integer
/// types; everything else defaults to 32 bits.
public enum DType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  case bool, int32, uint32, int64, uint64, float32, float64

  /// NumPy's name: `float32`, `int32`, `bool`.
  public var description: String {
    switch self {
    case .bool: "bool"
    case .int32: "int32"
    case .uint32: "uint32"
    case .int64: "int64"
    case .uint64: "uint64"
    case .float32: "float32"
    case .float64: "float64"
    }
  }

  /// The short form jaxprs use: `f32`, `i32`, `u32`, `bool`.
  public var shortName: String {
    switch self {
    case .bool: "bool"
    case .int32: "i32"
    case .uint32: "u32"
    case .int64: "i64"
    case .uint64: "u64"
    case .float32: "f32"
    case .float64: "f64"
    }
  }

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .bool: 1
    case .int32, .uint32, .float32: 4
    case .int64, .uint64, .float64: 8
    }
  }

  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
  public var isInteger: Bool { self == .int32 || self == .uint32 || self == .int64 || self == .uint64 }
  public var isSignedInteger: Bool { self == .int32 || self == .int64 }
  public var isUnsignedInteger: Bool { self == .uint32 || self == .uint64 }

  /// Parses NumPy's names and the usual aliases (`float`, `int`, `bool_`, `f32`).
  public init?(name: String) {
    switch name {
    case "bool", "bool_": self = .bool
    case "int32", "i32": self = .int32
    case "uint32", "u32": self = .uint32
    case "int64", "i64": self = .int64
    case "uint64", "u64": self = .uint64
    case "float32", "f32": self = .float32
    case "float64", "f64": self = .float64
    default: return nil
    }
  }
}

/// One element's value, wide enough for every dtype.
public enum Scalar: Sendable, Equatable, CustomStringConvertible {
  case bool(Bool)
  case int(Int64)
  case uint(UInt64)
  case float(Double)

  public var asDouble: Double {
    switch self {
    case .bool(let b): b ? 1 : 0
    case .int(let i): Double(i)
    case .uint(let u): Double(u)
    case .float(let d): d
    }
  }

  /// The value as an Int, saturating at the ends of the range (NaN gives 0).
  public var asInt: Int {
    switch self {
    case .bool(let b): b ? 1 : 0
    case .int(let i): Int(i)
    case .uint(let u): Int(clamping: u)
    case .float(let d): d.isNaN ? 0 : (d >= 9.2e18 ? Int.max : (d <= -9.2e18 ? Int.min : Int(d)))
    }
  }

  public var isTrue: Bool {
    switch self {
    case .bool(let b): b
    case .int(let i): i != 0
    case .uint(let u): u != 0
    case .float(let d): d != 0
    }
  }

  public var description: String {
    switch self {
    case .bool(let b): b ? "True" : "False"
    case .int(let i): String(i)
    case .uint(let u): String(u)
    case .float(let d): String(d)
    }
  }
}

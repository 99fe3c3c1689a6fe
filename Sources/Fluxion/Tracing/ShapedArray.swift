import FluxionBackend

/// The abstract value of an array: what tracing knows without the data.
public struct ShapedArray: Hashable, Sendable, CustomStringConvertible {
  public var shape: [Int]
  public var dtype: DType
  /// Weakly typed values come from Python-like scalars and give way in promotion.
  public var weakType: Bool

  public init(shape: [Int], dtype: DType, weakType: Bool = false) {
    self.shape = shape
    self.dtype = dtype
    self.weakType = weakType
  }

  public var rank: Int { shape.count }
  /// Number of elements (Int.max when the shape is too large to count).
  public var count: Int { elementCount(shape) ?? Int.max }

  /// `f32[3,4]`, the jaxpr spelling.
  public var description: String {
    "\(dtype.shortName)[\(shape.map(String.init).joined(separator: ","))]"
  }

  /// `float32[3,4]`, the spelling in JAX's error messages.
  public var longDescription: String {
    "\(dtype)[\(shape.map(String.init).joined(separator: ","))]"
  }

  func with(shape: [Int]) -> ShapedArray { ShapedArray(shape: shape, dtype: dtype, weakType: weakType) }
  func with(dtype: DType) -> ShapedArray { ShapedArray(shape: shape, dtype: dtype, weakType: weakType) }
  var strong: ShapedArray { ShapedArray(shape: shape, dtype: dtype, weakType: false) }
}

import FluxionBackend

/// Values a tensor can be written from: scalars, and arrays of them nested to any depth.
public protocol TensorLiteral {
  /// The dtype a literal of this kind makes (before x64 narrowing).
  static var literalDType: DType { get }
  /// The shape, or nil when the nesting is ragged.
  var literalShape: [Int]? { get }
  /// The leading dimensions every element agrees on: the whole shape unless the nesting is
  /// ragged (what NumPy's message reports as the detected shape).
  var literalShapePrefix: [Int] { get }
  func appendScalars(to scalars: inout [Scalar])
}

extension TensorLiteral {
  public var literalShapePrefix: [Int] { literalShape ?? [] }
}

extension Double: TensorLiteral {
  public static var literalDType: DType { Config.defaultFloat }
  public var literalShape: [Int]? { [] }
  public func appendScalars(to s: inout [Scalar]) { s.append(.float(self)) }
}

extension Float: TensorLiteral {
  public static var literalDType: DType { .float32 }
  public var literalShape: [Int]? { [] }
  public func appendScalars(to s: inout [Scalar]) { s.append(.float(Double(self))) }
}

extension Int: TensorLiteral {
  public static var literalDType: DType { Config.defaultInt }
  public var literalShape: [Int]? { [] }
  public func appendScalars(to s: inout [Scalar]) { s.append(.int(Int64(self))) }
}

extension Bool: TensorLiteral {
  public static var literalDType: DType { .bool }
  public var literalShape: [Int]? { [] }
  public func appendScalars(to s: inout [Scalar]) { s.append(.bool(self)) }
}

extension Array: TensorLiteral where Element: TensorLiteral {
  public static var literalDType: DType { Element.literalDType }
  public var literalShape: [Int]? {
    guard let first = first else { return [0] }
    guard let inner = first.literalShape else { return nil }
    for e in dropFirst() where e.literalShape != inner { return nil }
    return [count] + inner
  }
  public var literalShapePrefix: [Int] {
    guard let first = first else { return [0] }
    var common = first.literalShapePrefix
    for e in dropFirst() {
      common = [Int](zip(common, e.literalShapePrefix).prefix { $0 == $1 }.map(\.0))
    }
    return [count] + common
  }
  public func appendScalars(to s: inout [Scalar]) { for e in self { e.appendScalars(to: &s) } }
}

extension Tensor {
  /// An array from nested Swift arrays of any depth (`[[[1.0, 2.0]], [[3.0, 4.0]]]` is 2×1×2),
  /// as `jnp.array`: floats give the default float dtype, ints the default int.
  public init<T: TensorLiteral>(nested values: T, dtype: DType? = nil) {
    guard let shape = values.literalShape else {
      let detected = values.literalShapePrefix
      self.init(
        failed: .valueError(
          "setting an array element with a sequence. The requested array has an inhomogeneous shape after \(detected.count) dimensions. The detected shape was \(pyShape(detected)) + inhomogeneous part."
        ))
      return
    }
    var scalars: [Scalar] = []
    values.appendScalars(to: &scalars)
    self.init(shape: shape, scalars: scalars, dtype: dtype ?? T.literalDType)
  }
}

extension Tensor {
  /// An array from nested Swift arrays, as `jnp.array`: `Tensor([[1, 2], [3, 4]])` is int32
  /// (JAX's default int), `Tensor([[1.0, 2], [3, 4]])` float32, `Tensor([[true], [false]])` bool.
  public init<T: TensorLiteral>(_ values: T, dtype: DType? = nil) { self.init(nested: values, dtype: dtype) }
}

import CKernels

/// The Swift types kernels read and write elements as: each dtype's own type, and UInt8 (0 or 1)
/// for bool.
public protocol KernelElement: SendableMetatype {
  static var kernelDType: DType { get }
}

extension KernelElement where Self: ArrayElement {
  public static var kernelDType: DType { dtype }
}

extension Float: KernelElement {}
extension Double: KernelElement {}
extension Int32: KernelElement {}
extension UInt32: KernelElement {}
extension Int64: KernelElement {}
extension UInt64: KernelElement {}
extension UInt8: KernelElement { public static var kernelDType: DType { .bool } }

/// How an elementwise operation of one operand computes: a loop over contiguous elements for
/// each operand dtype it is defined on. A loop's element types fix the result's dtype.
///
/// `Elementwise.unary` runs the loop of the operand's dtype, split into chunks across the cores
/// for large arrays (`Parallel.forChunks`): loops are called concurrently on disjoint ranges.
///
/// ```swift
/// let softsign = UnaryKernel(float32: { $0 / (1 + Swift.abs($0)) }, float64: { $0 / (1 + Swift.abs($0)) })
/// ```
public struct UnaryKernel: Sendable {
  /// `(operand, result, count)`: writes `count` results at `result` from the operands at `operand`.
  public typealias Loop<In, Out> = @Sendable (UnsafePointer<In>, UnsafeMutablePointer<Out>, Int) -> Void

  /// A loop over raw memory, and the dtype it writes.
  package struct Erased: Sendable {
    package let result: DType
    package let run: @Sendable (UnsafeRawPointer, UnsafeMutableRawPointer, Int) -> Void
    /// The loop for a whole array (or a fused region's whole iteration space) when results
    /// depend on its length, as XLA's exp and log of some short lengths do; nil when not.
    package var whole: (@Sendable (UnsafeRawPointer, UnsafeMutableRawPointer, Int) -> Void)? = nil
  }

  /// The loops by operand dtype (`DType.rawValue`).
  private var loops = [Erased?](repeating: nil, count: DType.allCases.count)

  /// A kernel defined on no dtype yet.
  public init() {}

  /// Computes `float32` and `float64` of each element, for operations defined on floats.
  public init(float32: @escaping @Sendable (Float) -> Float, float64: @escaping @Sendable (Double) -> Double) {
    self = UnaryKernel().map(float32).map(float64)
  }

  /// This kernel with `loop` for operands of `In`'s dtype, giving results of `Out`'s dtype.
  public func on<In: KernelElement, Out: KernelElement>(_ loop: @escaping Loop<In, Out>) -> UnaryKernel {
    var k = self
    k.loops[Int(In.kernelDType.rawValue)] = Erased(result: Out.kernelDType) { x, y, n in
      loop(x.assumingMemoryBound(to: In.self), y.assumingMemoryBound(to: Out.self), n)
    }
    return k
  }

  /// This kernel computing `f` of each element, for operands of `In`'s dtype.
  public func map<In: KernelElement, Out: KernelElement>(_ f: @escaping @Sendable (In) -> Out) -> UnaryKernel {
    on { (x: UnsafePointer<In>, y: UnsafeMutablePointer<Out>, n: Int) in
      for i in 0..<n { y[i] = f(x[i]) }
    }
  }

  /// The dtype of the results for operands of `dtype`; nil where the kernel is not defined.
  public func resultDType(for dtype: DType) -> DType? { loops[Int(dtype.rawValue)]?.result }

  package func loop(for dtype: DType) -> Erased? {
    guard var e = loops[Int(dtype.rawValue)] else { return nil }
    if dtype == .float32, let w = wholeFloat32 {
      e.whole = { x, y, n in w(x.assumingMemoryBound(to: Float.self), y.assumingMemoryBound(to: Float.self), n) }
    }
    return e
  }

  /// The float32 loop for a whole array (not a block of it), where its results depend on the
  /// array's length as XLA's do; nil when they do not.
  private var wholeFloat32: (@Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)?
}

// MARK: - the builtin kernels

extension UnaryKernel {
  /// This kernel with `loop` for whole standalone float32 arrays.
  func whole(_ loop: @escaping @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)
    -> UnaryKernel
  {
    var k = self
    k.wholeFloat32 = loop
    return k
  }

  /// The vectorised C kernels of one function (CKernels.h's FX_UNARY list): y[i] = f(x[i]), i < n.
  static func c(
    _ f32: @escaping @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void,
    _ f64: @escaping @convention(c) (UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void
  ) -> UnaryKernel {
    UnaryKernel().on { (x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, n: Int) in f32(x, y, n) }
      .on { (x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>, n: Int) in f64(x, y, n) }
  }

  public static let exp = c(fx_exp_f32, fx_exp_f64).whole { fx_exp_standalone_f32($0, $1, $2) }
  public static let expm1 = c(fx_expm1_f32, fx_expm1_f64)
  public static let log = c(fx_log_f32, fx_log_f64).whole { fx_log_standalone_f32($0, $1, $2) }
  public static let log1p = c(fx_log1p_f32, fx_log1p_f64)
  public static let sin = c(fx_sin_f32, fx_sin_f64)
  public static let cos = c(fx_cos_f32, fx_cos_f64)
  public static let tan = c(fx_tan_f32, fx_tan_f64)
  public static let asin = c(fx_asin_f32, fx_asin_f64)
  public static let acos = c(fx_acos_f32, fx_acos_f64)
  public static let atan = c(fx_atan_f32, fx_atan_f64)
  public static let sinh = c(fx_sinh_f32, fx_sinh_f64)
  public static let cosh = c(fx_cosh_f32, fx_cosh_f64)
  public static let tanh = c(fx_tanh_f32, fx_tanh_f64)
  public static let logistic = c(fx_logistic_f32, fx_logistic_f64)
  public static let erf = c(fx_erf_f32, fx_erf_f64)
  public static let erfInv = c(fx_erf_inv_f32, fx_erf_inv_f64)
  public static let sqrt = c(fx_sqrt_f32, fx_sqrt_f64)
  public static let rsqrt = c(fx_rsqrt_f32, fx_rsqrt_f64)
  public static let cbrt = c(fx_cbrt_f32, fx_cbrt_f64)

  /// Floats: -x as x · (-1), vectorised, -0 for 0 as negation requires (the -1 is read from
  /// memory, so the C compiler cannot make the product a sign flip, which differs on NaNs).
  /// Integers wrap.
  public static let neg = UnaryKernel().on(timesMinusOne(Float.self)).on(timesMinusOne(Double.self))
    .integers(Negate())
  public static let abs = UnaryKernel().floats(Abs()).integers(Abs()).map { (x: UInt8) in x }
  public static let sign = UnaryKernel().floats(Sign()).integers(Sign())
  public static let floor = UnaryKernel().floats(Rounded(rule: .down))
  public static let ceil = UnaryKernel().floats(Rounded(rule: .up))
  public static let roundHalfEven = UnaryKernel().floats(Rounded(rule: .toNearestOrEven))
  public static let roundAwayFromZero = UnaryKernel().floats(Rounded(rule: .toNearestOrAwayFromZero))
  /// Bitwise for integers, logical for bool.
  public static let not = UnaryKernel().integers(BitNot()).map { (x: UInt8) -> UInt8 in x == 0 ? 1 : 0 }
  /// Floats → bool.
  public static let isFinite = UnaryKernel().map { (x: Float) -> UInt8 in x.isFinite ? 1 : 0 }
    .map { (x: Double) -> UInt8 in x.isFinite ? 1 : 0 }

  static func timesMinusOne<T: BinaryFloatingPoint & KernelElement>(_: T.Type) -> Loop<T, T> {
    let t = T.kernelDType == .float32 ? FX_F32 : FX_F64
    return { x, y, n in
      withUnsafeBytes(of: T(-1)) { minusOne in _ = fx_arith(FX_MUL, t, x, 1, minusOne.baseAddress, 0, y, n) }
    }
  }

  /// This kernel with `f` on float32 and float64.
  func floats(_ f: some FloatFunction) -> UnaryKernel {
    func loop<T: BinaryFloatingPoint & KernelElement>(_: T.Type) -> Loop<T, T> {
      { x, y, n in for i in 0..<n { y[i] = f(x[i]) } }
    }
    return on(loop(Float.self)).on(loop(Double.self))
  }

  /// This kernel with `f` on the four integer dtypes.
  func integers(_ f: some IntegerFunction) -> UnaryKernel {
    func loop<T: FixedWidthInteger & KernelElement>(_: T.Type) -> Loop<T, T> {
      { x, y, n in for i in 0..<n { y[i] = f(x[i]) } }
    }
    return on(loop(Int32.self)).on(loop(UInt32.self)).on(loop(Int64.self)).on(loop(UInt64.self))
  }
}

/// A function of one element written once for both float types.
protocol FloatFunction: Sendable { func callAsFunction<T: BinaryFloatingPoint>(_ x: T) -> T }
/// A function of one element written once for the integer types (wrapping arithmetic).
protocol IntegerFunction: Sendable { func callAsFunction<T: FixedWidthInteger>(_ x: T) -> T }

private struct Negate: IntegerFunction {
  func callAsFunction<T: FixedWidthInteger>(_ x: T) -> T { 0 &- x }
}

private struct Abs: FloatFunction, IntegerFunction {
  func callAsFunction<T: BinaryFloatingPoint>(_ x: T) -> T { Swift.abs(x) }
  func callAsFunction<T: FixedWidthInteger>(_ x: T) -> T { x < 0 ? 0 &- x : x }
}

/// -1, 0 or 1 (floats keep ±0 and NaN).
private struct Sign: FloatFunction, IntegerFunction {
  func callAsFunction<T: BinaryFloatingPoint>(_ x: T) -> T { x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : x)) }
  func callAsFunction<T: FixedWidthInteger>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? 0 &- 1 : 0) }
}

private struct Rounded: FloatFunction {
  let rule: FloatingPointRoundingRule
  func callAsFunction<T: BinaryFloatingPoint>(_ x: T) -> T { x.rounded(rule) }
}

private struct BitNot: IntegerFunction {
  func callAsFunction<T: FixedWidthInteger>(_ x: T) -> T { ~x }
}

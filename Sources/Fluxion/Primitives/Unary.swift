import FluxionBackend

/// NumPy's abstract kinds of dtypes, in which JAX's rules say what an operation accepts.
public struct DTypeKinds: OptionSet, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let integer = DTypeKinds(rawValue: 1 << 0)
  public static let bool = DTypeKinds(rawValue: 1 << 1)
  public static let floating = DTypeKinds(rawValue: 1 << 2)
  /// Fluxion has no complex dtype; JAX's messages name the kind where an operation accepts it.
  public static let complexfloating = DTypeKinds(rawValue: 1 << 3)
  /// np.inexact: floating, complexfloating.
  public static let inexact: DTypeKinds = [.floating, .complexfloating]
  /// np.number: integer, floating, complexfloating.
  public static let number: DTypeKinds = [.integer, .inexact]
  public static let all: DTypeKinds = [.number, .bool]

  /// The kind `dtype` is of.
  init(_ dtype: DType) { self = dtype.isFloatingPoint ? .floating : (dtype == .bool ? .bool : .integer) }

  /// The kinds as JAX's messages list them: `integer, floating, complexfloating`.
  var names: String {
    let order: [(DTypeKinds, String)] = [
      (.integer, "integer"), (.bool, "bool"), (.floating, "floating"), (.complexfloating, "complexfloating"),
    ]
    return order.filter { contains($0.0) }.map(\.1).joined(separator: ", ")
  }
}

/// An elementwise operation of one operand, defined by one value: its jaxpr name and parameters,
/// the dtypes it accepts, its kernels (which fix the result's dtype) and its derivative.
///
/// `UnaryPrimitive` reads every rule from it, so an operation defined this way (the builtins
/// below, or one made anywhere else) evaluates, differentiates (jvp, grad), batches (vmap), prints
/// in jaxprs and compares as a `PrimitiveKey` with no other code:
///
/// ```swift
/// let softsign = UnaryOp(
///   "softsign", accepts: .floating,
///   kernel: UnaryKernel(float32: { $0 / (1 + Swift.abs($0)) }, float64: { $0 / (1 + Swift.abs($0)) })
/// ) { x, _, t in t / square(1 + abs(x)) }
/// grad { softsign($0).sum() }(x)
/// ```
public struct UnaryOp: Sendable {
  /// The forward-mode rule: the tangent of y = f(x) for the tangent t of x.
  public typealias JVPRule = @Sendable (_ x: Tensor, _ y: Tensor, _ t: Tensor) -> Tensor

  /// The definition, shared by copies: one reference keeps binding cheap, and it is the
  /// operation's identity (an operation holds code, so two are equal only when they are one).
  final class Definition: Sendable {
    let name: String
    let params: [(String, Param)]
    let accepts: DTypeKinds
    let kernel: UnaryKernel
    let jvp: JVPRule?
    let isLinear: Bool

    init(
      _ name: String, _ params: [(String, Param)], _ accepts: DTypeKinds, _ kernel: UnaryKernel, _ jvp: JVPRule?,
      _ isLinear: Bool
    ) {
      (self.name, self.params, self.accepts, self.kernel, self.jvp, self.isLinear) =
        (name, params, accepts, kernel, jvp, isLinear)
    }
  }

  let definition: Definition

  /// - Parameters:
  ///   - name: the jaxpr name.
  ///   - params: parameters the jaxpr shows (`round`'s `rounding_method`).
  ///   - accepts: the operand dtypes it takes; others raise JAX's TypeError, which lists these
  ///     kinds. The kernel needs a loop for each accepted dtype.
  ///   - kernel: the loops that compute it.
  ///   - isLinear: f(x) = c·x (`neg`): f is then its own transpose, so reverse mode runs through
  ///     it when it is applied to a tangent.
  ///   - jvp: the forward-mode rule; nil where the derivative is zero wherever it exists (`sign`,
  ///     `floor`).
  public init(
    _ name: String, params: [(String, Param)] = [], accepts: DTypeKinds, kernel: UnaryKernel, isLinear: Bool = false,
    jvp: JVPRule?
  ) {
    definition = Definition(name, params, accepts, kernel, jvp, isLinear)
  }

  public var name: String { definition.name }
  public var params: [(String, Param)] { definition.params }
  public var accepts: DTypeKinds { definition.accepts }
  public var kernel: UnaryKernel { definition.kernel }
  public var isLinear: Bool { definition.isLinear }

  /// Applies the operation as jnp's functions do: one defined only on floats first converts
  /// integer and bool operands to floats (`inexact`).
  public func callAsFunction(_ x: Tensor) -> Tensor {
    unary(self, accepts.isSubset(of: .inexact) ? inexact(x) : x)
  }
}

/// The primitive of a `UnaryOp`: every rule comes from the operation's definition.
struct UnaryPrimitive: Primitive {
  let op: UnaryOp

  var name: String { op.name }
  var params: [(String, Param)] { op.params }
  var key: PrimitiveKey { PrimitiveKey(name: name, params: params, identity: ObjectIdentifier(op.definition)) }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    guard op.accepts.contains(DTypeKinds(x.dtype)) else {
      throw FluxionError(.dtypeNotAccepted(operation: name, dtype: x.dtype, position: nil, accepted: op.accepts.names))
    }
    guard let dtype = op.kernel.resultDType(for: x.dtype) else { throw noKernel(x.dtype) }
    return [dtype == x.dtype ? x : ShapedArray(shape: x.shape, dtype: dtype)]
  }

  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    guard let y = Elementwise.unary(op.kernel, inputs[0]) else { throw noKernel(inputs[0].dtype) }
    return [y]
  }

  /// A definition that accepts a dtype its kernel has no loop for.
  func noKernel(_ dtype: DType) -> FluxionError {
    .valueError("internal error: '\(name)' accepts \(dtype) but its kernel has no loop for it")
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let x = primals[0]
    let y = bind1(self, [x])
    guard let t = tangents[0], let rule = op.definition.jvp else { return ([y], [nil]) }
    return ([y], [rule(x, y, t)])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard op.isLinear else {
      throw .valueError("'\(name)' is not linear, so it has no transpose (it was applied to a tangent)")
    }
    return [cts[0].map { bind1(self, [$0]) }]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    ([bind1(self, args)], dims)
  }
}

// MARK: - the builtin operations, one entry each

// The rules call the jnp functions by their full names (`Fluxion.cos`): here a bare name means the
// entry, and the entries' types would depend on each other.

extension UnaryOp {
  static let neg = UnaryOp("neg", accepts: .number, kernel: .neg, isLinear: true) { _, _, t in -t }
  static let abs = UnaryOp("abs", accepts: .all, kernel: .abs) { x, _, t in select(x .>= 0, t, -t) }
  static let sign = UnaryOp("sign", accepts: .number, kernel: .sign, jvp: nil)
  static let floor = UnaryOp("floor", accepts: .floating, kernel: .floor, jvp: nil)
  static let ceil = UnaryOp("ceil", accepts: .floating, kernel: .ceil, jvp: nil)
  static let roundHalfEven = UnaryOp(
    "round", params: [("rounding_method", .symbol("RoundingMethod.TO_NEAREST_EVEN"))], accepts: .floating,
    kernel: .roundHalfEven, jvp: nil)
  static let roundAwayFromZero = UnaryOp(
    "round", params: [("rounding_method", .symbol("RoundingMethod.AWAY_FROM_ZERO"))], accepts: .floating,
    kernel: .roundAwayFromZero, jvp: nil)
  static let not = UnaryOp("not", accepts: [.integer, .bool], kernel: .not, jvp: nil)
  static let isFinite = UnaryOp("is_finite", accepts: .floating, kernel: .isFinite, jvp: nil)
  static let exp = UnaryOp("exp", accepts: .inexact, kernel: .exp) { _, y, t in t * y }
  static let expm1 = UnaryOp("expm1", accepts: .inexact, kernel: .expm1) { _, y, t in t * (y + 1) }
  static let log = UnaryOp("log", accepts: .inexact, kernel: .log) { x, _, t in t / x }
  static let log1p = UnaryOp("log1p", accepts: .inexact, kernel: .log1p) { x, _, t in t / (x + 1) }
  static let sin = UnaryOp("sin", accepts: .inexact, kernel: .sin) { x, _, t in t * Fluxion.cos(x) }
  static let cos = UnaryOp("cos", accepts: .inexact, kernel: .cos) { x, _, t in -(t * Fluxion.sin(x)) }
  static let tan = UnaryOp("tan", accepts: .inexact, kernel: .tan) { _, y, t in t * (1 + y * y) }
  static let asin = UnaryOp("asin", accepts: .inexact, kernel: .asin) { x, _, t in t * Fluxion.rsqrt(1 - x * x) }
  static let acos = UnaryOp("acos", accepts: .inexact, kernel: .acos) { x, _, t in -(t * Fluxion.rsqrt(1 - x * x)) }
  static let atan = UnaryOp("atan", accepts: .inexact, kernel: .atan) { x, _, t in t / (1 + x * x) }
  static let sinh = UnaryOp("sinh", accepts: .inexact, kernel: .sinh) { x, _, t in t * Fluxion.cosh(x) }
  static let cosh = UnaryOp("cosh", accepts: .inexact, kernel: .cosh) { x, _, t in t * Fluxion.sinh(x) }
  /// JAX's rule, (t + t·y)·(1 − y), so that derivatives round as JAX's do.
  static let tanh = UnaryOp("tanh", accepts: .inexact, kernel: .tanh) { _, y, t in (t + t * y) * (1 - y) }
  static let logistic = UnaryOp("logistic", accepts: .inexact, kernel: .logistic) { _, y, t in t * (y * (1 - y)) }
  static let erf = UnaryOp("erf", accepts: .floating, kernel: .erf) { x, _, t in
    t * (Tensor.weak(1.1283791670955126) * Fluxion.exp(-(x * x)))
  }
  static let erfInv = UnaryOp("erf_inv", accepts: .floating, kernel: .erfInv) { _, y, t in
    t * (Tensor.weak(0.886226925452758) * Fluxion.exp(y * y))
  }
  /// JAX's rule, t·(0.5 / y).
  static let sqrt = UnaryOp("sqrt", accepts: .inexact, kernel: .sqrt) { _, y, t in t * (Tensor.weak(0.5) / y) }
  static let rsqrt = UnaryOp("rsqrt", accepts: .inexact, kernel: .rsqrt) { x, y, t in t * (y / x) * -0.5 }
  static let cbrt = UnaryOp("cbrt", accepts: .floating, kernel: .cbrt) { x, y, t in t * (y / (x * 3)) }
}

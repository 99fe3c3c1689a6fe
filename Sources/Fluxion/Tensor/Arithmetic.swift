import FluxionBackend

infix operator .&& : LogicalConjunctionPrecedence
infix operator .|| : LogicalDisjunctionPrecedence

// MARK: - lax-level helpers (no promotion)

/// Binds `op` to `x` as it is (lax); calling `op(x)` applies jnp's promotion first.
func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor { bind1(UnaryPrimitive(op: op), [x]) }

/// Checks NumPy broadcasting with JAX's two messages (same rank: the primitive's TypeError;
/// different ranks: ValueError listing the shapes).
func checkBroadcast(_ name: String, _ xs: [Tensor]) -> FluxionError? {
  if let e = xs.lazy.compactMap(\.error).first { return e }
  let shapes = xs.map(\.shape)
  var acc = shapes[0]
  for s in shapes.dropFirst() {
    guard let b = broadcastShapes(acc, s) else {
      if Set(shapes.map(\.count)).count > 1 {
        return .valueError(
          "Incompatible shapes for broadcasting: shapes=[\(shapes.map(pyShape).joined(separator: ", "))]")
      }
      return FluxionError(.incompatibleShapes(operation: name, shapes: shapes))
    }
    acc = b
  }
  return nil
}

/// A binary primitive after JAX's implicit promotion.
func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
  let p = BinaryPrimitive(op: op)
  if let e = checkBroadcast(p.name, [a, b]) { return Tensor(failed: e) }
  let xs = promote([a, b])
  return bind1(p, xs)
}

func compare(_ op: CompareOp, _ a: Tensor, _ b: Tensor) -> Tensor {
  let p = ComparePrimitive(op: op)
  if let e = checkBroadcast(p.name, [a, b]) { return Tensor(failed: e) }
  return bind1(p, promote([a, b]))
}

/// Converts to `dtype` (convert_element_type).
public func convertElementType(_ x: Tensor, _ dtype: DType, weakType: Bool = false) -> Tensor {
  let a = x.aval
  if a.dtype == dtype && a.weakType == weakType { return x }
  return bind1(ConvertElementType(newDtype: dtype, weakType: weakType), [x])
}

/// The same bits read as another dtype of the same width (lax.bitcast_convert_type); its
/// derivative is zero, as in JAX.
public func bitcastConvertType(_ x: Tensor, _ dtype: DType) -> Tensor {
  bind1(BitcastConvertType(newDtype: dtype), [x])
}

/// The float dtype jnp computes a math function of `x` in: floats stay, ints become floats.
func inexact(_ x: Tensor) -> Tensor {
  let a = x.aval
  if a.dtype.isFloatingPoint { return x }
  let target: DType =
    (a.dtype == .int64 || a.dtype == .uint64) ? .float64 : (a.weakType ? Config.defaultFloat : .float32)
  return convertElementType(x, Config.canonical(target), weakType: a.weakType)
}

// MARK: - operators

extension Tensor {
  public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
  public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.sub, a, b) }
  public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.mul, a, b) }
  /// True division: integers are converted to floats first (jnp.true_divide).
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    if let e = checkBroadcast("div", [a, b]) { return Tensor(failed: e) }
    let xs = promote([a, b])
    return binary(.div, inexact(xs[0]), inexact(xs[1]))
  }
  /// A division as the user's `x / y` is under JAX: as `/`, except that eagerly a quotient of
  /// one element is divided exactly (`jnp.float32(2.5) / 3` is 0.8333333, while `jnp.mean`,
  /// jitted in JAX, divides by its constant count as a product with the reciprocal).
  public static func userDivide(_ a: Tensor, _ b: Tensor) -> Tensor {
    if let e = checkBroadcast("div", [a, b]) { return Tensor(failed: e) }
    let xs = promote([a, b])
    var p = BinaryPrimitive(op: .div)
    p.userDivision = true
    return bind1(p, [inexact(xs[0]), inexact(xs[1])])
  }
  /// Python's remainder: the result has the sign of the divisor.
  public static func % (a: Tensor, b: Tensor) -> Tensor { remainder(a, b) }
  public static prefix func - (x: Tensor) -> Tensor { UnaryOp.neg(x) }
  public static prefix func + (x: Tensor) -> Tensor { x }

  public static func += (a: inout Tensor, b: Tensor) { a = a + b }
  public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
  public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
  public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

  /// Elementwise comparisons (→ bool).
  public static func .== (a: Tensor, b: Tensor) -> Tensor { compare(.eq, a, b) }
  public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare(.ne, a, b) }
  public static func .< (a: Tensor, b: Tensor) -> Tensor { compare(.lt, a, b) }
  public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare(.le, a, b) }
  public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(.gt, a, b) }
  public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(.ge, a, b) }

  /// Elementwise logical and / or / not (bool), bitwise for integers.
  public static func .&& (a: Tensor, b: Tensor) -> Tensor { binary(.and, a, b) }
  public static func .|| (a: Tensor, b: Tensor) -> Tensor { binary(.or, a, b) }
  public static prefix func .! (x: Tensor) -> Tensor { UnaryOp.not(x) }
  public static func & (a: Tensor, b: Tensor) -> Tensor { binary(.and, a, b) }
  public static func | (a: Tensor, b: Tensor) -> Tensor { binary(.or, a, b) }
  public static func ^ (a: Tensor, b: Tensor) -> Tensor { binary(.xor, a, b) }
  public static prefix func ~ (x: Tensor) -> Tensor { UnaryOp.not(x) }
  public static func << (a: Tensor, b: Tensor) -> Tensor { binary(.shiftLeft, a, b) }
  /// Arithmetic shift for signed integers, logical for unsigned (jnp.right_shift).
  public static func >> (a: Tensor, b: Tensor) -> Tensor {
    let xs = promote([a, b])
    return binary(xs[0].dtype.isUnsignedInteger ? .shiftRightLogical : .shiftRightArithmetic, xs[0], xs[1])
  }

  /// `self ** p`: a constant integer exponent uses integer_pow, as JAX does.
  public func pow(_ p: Int) -> Tensor { bind1(IntegerPow(y: p), [self]) }
  /// `self ** p` elementwise.
  public func pow(_ p: Tensor) -> Tensor { Fluxion.pow(self, p) }

  /// Converts to another dtype (jnp's astype).
  public func astype(_ dtype: DType) -> Tensor { convertElementType(self, Config.canonical(dtype)) }
}

/// `a ** b` elementwise (jnp.power): integer powers stay integers.
public func pow(_ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = checkBroadcast("pow", [a, b]) { return Tensor(failed: e) }
  // A constant integer exponent (a Python int) becomes integer_pow, as in JAX.
  if b.isWeaklyTyped, b.rank == 0, b.dtype.isInteger, case .array(let v, _) = b.resolved {
    let y = v.scalar(at: 0).asInt
    return bind1(IntegerPow(y: y), [a.dtype == .bool ? convertElementType(a, Config.defaultInt) : a])
  }
  var xs = promote([a, b])
  if xs[0].dtype == .bool { xs = xs.map { convertElementType($0, Config.defaultInt) } }
  if xs[0].dtype.isFloatingPoint { return bind1(BinaryPrimitive(op: .pow), xs) }
  if xs[0].dtype.isInteger {
    // Integer power by repeated squaring in the backend (the float primitive would lose bits).
    return bind1(IntegerPowArray(), xs)
  }
  return bind1(BinaryPrimitive(op: .pow), [inexact(xs[0]), inexact(xs[1])])
}

/// Python's floor division.
public func floorDivide(_ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = checkBroadcast("floor_divide", [a, b]) { return Tensor(failed: e) }
  var xs = promote([a, b])
  if xs[0].dtype == .bool { xs = xs.map { convertElementType($0, Config.defaultInt) } }
  let (x, y) = (xs[0], xs[1])
  if x.dtype.isUnsignedInteger { return bind1(BinaryPrimitive(op: .div), [x, y]) }
  if x.dtype.isInteger {
    let q = bind1(BinaryPrimitive(op: .div), [x, y])
    let r = bind1(BinaryPrimitive(op: .rem), [x, y])
    let adjust = (sign(x) .!= sign(y)) .&& (r .!= zerosLike(r.aval))
    return select(adjust, q - onesLike(q), q)
  }
  // Division by zero gives x / 0 (±inf or nan), as JAX.
  return select(y .== zerosLike(y.aval), x / y, floatDivmod(x, y).0)
}

/// Python's remainder (sign of the divisor).
public func remainder(_ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = checkBroadcast("rem", [a, b]) { return Tensor(failed: e) }
  let xs = promote([a, b])
  let (x, y) = (xs[0], xs[1])
  if x.dtype.isFloatingPoint { return floatDivmod(x, y).1 }
  let r = bind1(BinaryPrimitive(op: .rem), [x, y])
  let zero = zerosLike(r.aval)
  // x % 0 is 0 for integers, as NumPy and JAX.
  if x.dtype.isUnsignedInteger { return select(y .== zero, zero, r) }
  let plus = ((r .< zero) .!= (y .< zerosLike(y.aval))) .&& (r .!= zero)
  return select(y .== zero, zero, select(plus, r + y, r))
}

func floatDivmod(_ x: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
  let mod = bind1(BinaryPrimitive(op: .rem), [x, y])
  let div = (x - mod) / y
  let ind = (mod .!= zerosLike(mod.aval)) .&& (sign(y) .!= sign(mod))
  let mod2 = select(ind, mod + y, mod)
  let div2 = select(ind, div - onesLike(div), div)
  return (unary(.roundHalfEven, div2), mod2)
}

/// Integer `a ** b` with an array exponent.
struct IntegerPowArray: Primitive {
  var name: String { "pow" }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try sameDtypes("pow", inputs)
    return [
      ShapedArray(
        shape: try elementwiseShape("pow", inputs), dtype: inputs[0].dtype, weakType: inputs.allSatisfy(\.weakType))
    ]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.binary(.pow, inputs[0], inputs[1])] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([bind1(self, primals)], [nil]) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (xs, d) = alignBatched(args, dims)
    return ([bind1(self, xs)], [d])
  }
}

// MARK: - elementwise math (jnp)

public func sin(_ x: Tensor) -> Tensor { UnaryOp.sin(x) }
public func cos(_ x: Tensor) -> Tensor { UnaryOp.cos(x) }
public func tan(_ x: Tensor) -> Tensor { UnaryOp.tan(x) }
public func asin(_ x: Tensor) -> Tensor { UnaryOp.asin(x) }
public func acos(_ x: Tensor) -> Tensor { UnaryOp.acos(x) }
public func atan(_ x: Tensor) -> Tensor { UnaryOp.atan(x) }
public func sinh(_ x: Tensor) -> Tensor { UnaryOp.sinh(x) }
public func cosh(_ x: Tensor) -> Tensor { UnaryOp.cosh(x) }
public func tanh(_ x: Tensor) -> Tensor { UnaryOp.tanh(x) }
public func exp(_ x: Tensor) -> Tensor { UnaryOp.exp(x) }
public func expm1(_ x: Tensor) -> Tensor { UnaryOp.expm1(x) }
public func log(_ x: Tensor) -> Tensor { UnaryOp.log(x) }
public func log1p(_ x: Tensor) -> Tensor { UnaryOp.log1p(x) }
public func sqrt(_ x: Tensor) -> Tensor { UnaryOp.sqrt(x) }
public func rsqrt(_ x: Tensor) -> Tensor { UnaryOp.rsqrt(x) }
public func cbrt(_ x: Tensor) -> Tensor { UnaryOp.cbrt(x) }
public func erf(_ x: Tensor) -> Tensor { UnaryOp.erf(x) }
public func erfInv(_ x: Tensor) -> Tensor { UnaryOp.erfInv(x) }
/// 1 / (1 + exp(-x)) (lax.logistic, jax.nn.sigmoid).
public func logistic(_ x: Tensor) -> Tensor { UnaryOp.logistic(x) }
public func sigmoid(_ x: Tensor) -> Tensor { logistic(x) }
public func abs(_ x: Tensor) -> Tensor { x.dtype == .bool ? x : UnaryOp.abs(x) }
public func sign(_ x: Tensor) -> Tensor { UnaryOp.sign(x) }
public func floor(_ x: Tensor) -> Tensor { x.dtype.isFloatingPoint ? UnaryOp.floor(x) : x }
public func ceil(_ x: Tensor) -> Tensor { x.dtype.isFloatingPoint ? UnaryOp.ceil(x) : x }
/// Rounds half to even (jnp.round).
public func round(_ x: Tensor) -> Tensor { x.dtype.isFloatingPoint ? UnaryOp.roundHalfEven(x) : x }
func truncate(_ x: Tensor) -> Tensor { select(x .< zerosLike(x.aval), ceil(x), floor(x)) }
public func isFinite(_ x: Tensor) -> Tensor {
  x.dtype.isFloatingPoint ? UnaryOp.isFinite(x) : Tensor(DenseArray.filled(.bool(true), shape: x.shape, dtype: .bool))
}
public func isNaN(_ x: Tensor) -> Tensor { x .!= x }
public func square(_ x: Tensor) -> Tensor { (x.dtype == .bool ? convertElementType(x, Config.defaultInt) : x).pow(2) }
public func atan2(_ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = checkBroadcast("atan2", [a, b]) { return Tensor(failed: e) }
  let xs = promote([a, b])
  return bind1(BinaryPrimitive(op: .atan2), [inexact(xs[0]), inexact(xs[1])])
}
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.max, a, b) }
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.min, a, b) }
public func clip(_ x: Tensor, min lo: Tensor? = nil, max hi: Tensor? = nil) -> Tensor {
  var y = x
  if let lo { y = maximum(lo, y) }
  if let hi { y = minimum(hi, y) }
  return y
}
/// Elementwise logical and / or (nonzero is true); the result is bool.
public func logicalAnd(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.and, truth(a), truth(b)) }
public func logicalOr(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.or, truth(a), truth(b)) }
public func logicalXor(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.xor, truth(a), truth(b)) }

/// `x != 0` as a strongly typed bool (bools pass through).
func truth(_ x: Tensor) -> Tensor {
  x.dtype == .bool ? x : bind1(ComparePrimitive(op: .ne), [convertElementType(x, x.dtype), zerosLike(x.aval.strong)])
}

public func logicalNot(_ x: Tensor) -> Tensor { UnaryOp.not(truth(x)) }
public func nextafter(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.nextAfter, a, b) }

/// `where(cond, a, b)`: `a` where `cond` holds, else `b`, with broadcasting and promotion.
public func select(_ cond: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = checkBroadcast("select_n", [cond, a, b]) { return Tensor(failed: e) }
  let xs = promote([a, b])
  let c = cond.dtype == .bool ? cond : cond .!= zerosLike(cond.aval)
  let shape = broadcastShapes(broadcastShapes(c.shape, xs[0].shape)!, xs[1].shape)!
  let pred = c.rank == 0 ? c : broadcastTo(c, shape)
  return bind1(SelectNPrimitive(), [pred, broadcastTo(xs[1], shape), broadcastTo(xs[0], shape)])
}

/// jnp.where(cond, x, y).
public func `where`(_ cond: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor { select(cond, a, b) }

/// Blocks gradients: the value passes, the derivative is zero.
public func stopGradient(_ x: Tensor) -> Tensor { bind1(StopGradient(), [x]) }

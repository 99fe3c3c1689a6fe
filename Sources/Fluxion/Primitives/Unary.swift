import FluxionBackend

/// The elementwise primitives of one operand: neg, sin, exp, logistic, erf_inv, …
struct UnaryPrimitive: Primitive {
  let op: UnaryOp

  var name: String {
    switch op {
    case .neg: "neg"
    case .abs: "abs"
    case .sign: "sign"
    case .floor: "floor"
    case .ceil: "ceil"
    case .roundHalfEven, .roundAwayFromZero: "round"
    case .not: "not"
    case .isFinite: "is_finite"
    case .exp: "exp"
    case .expm1: "expm1"
    case .log: "log"
    case .log1p: "log1p"
    case .sin: "sin"
    case .cos: "cos"
    case .tan: "tan"
    case .asin: "asin"
    case .acos: "acos"
    case .atan: "atan"
    case .sinh: "sinh"
    case .cosh: "cosh"
    case .tanh: "tanh"
    case .logistic: "logistic"
    case .erf: "erf"
    case .erfInv: "erf_inv"
    case .sqrt: "sqrt"
    case .rsqrt: "rsqrt"
    case .cbrt: "cbrt"
    }
  }

  var params: [(String, Param)] {
    switch op {
    case .roundHalfEven: [("rounding_method", .symbol("RoundingMethod.TO_NEAREST_EVEN"))]
    case .roundAwayFromZero: [("rounding_method", .symbol("RoundingMethod.AWAY_FROM_ZERO"))]
    default: []
    }
  }

  /// Ops defined only on floats (the frontend converts integer inputs first).
  var floatOnly: Bool {
    switch op {
    case .neg, .abs, .sign, .not, .isFinite: false
    default: true
    }
  }

  /// Ops JAX also defines on complex numbers (its error text lists `complexfloating`).
  var acceptsComplex: Bool {
    switch op {
    case .erf, .erfInv, .cbrt, .floor, .ceil, .roundHalfEven, .roundAwayFromZero, .isFinite: false
    default: true
    }
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    let x = inputs[0]
    if floatOnly && !x.dtype.isFloatingPoint {
      throw .typeError(
        "\(name) does not accept dtype \(x.dtype). Accepted dtypes are subtypes of floating\(acceptsComplex ? ", complexfloating" : "")."
      )
    }
    if (op == .neg || op == .sign) && x.dtype == .bool {
      throw .typeError(
        "\(name) does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.")
    }
    if op == .not && x.dtype.isFloatingPoint {
      throw .typeError("not does not accept dtype \(x.dtype). Accepted dtypes are subtypes of integer, bool.")
    }
    if op == .isFinite {
      if !x.dtype.isFloatingPoint {
        throw .typeError("is_finite does not accept dtype \(x.dtype). Accepted dtypes are subtypes of floating.")
      }
      return [ShapedArray(shape: x.shape, dtype: .bool)]
    }
    return [x]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.unary(op, inputs[0])] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let x = primals[0]
    let y = bind1(self, [x])
    guard let t = tangents[0] else { return ([y], [nil]) }
    let dt: Tensor?
    switch op {
    case .neg: dt = -t
    case .abs: dt = select(x .>= 0, t, -t)
    case .sign, .floor, .ceil, .roundHalfEven, .roundAwayFromZero, .not, .isFinite: dt = nil
    case .exp: dt = t * y
    case .expm1: dt = t * (y + 1)
    case .log: dt = t / x
    case .log1p: dt = t / (x + 1)
    case .sin: dt = t * cos(x)
    case .cos: dt = -(t * sin(x))
    case .tan: dt = t * (1 + y * y)
    case .asin: dt = t * rsqrt(1 - x * x)
    case .acos: dt = -(t * rsqrt(1 - x * x))
    case .atan: dt = t / (1 + x * x)
    case .sinh: dt = t * cosh(x)
    case .cosh: dt = t * sinh(x)
    case .tanh: dt = t * (1 - y * y)
    case .logistic: dt = t * (y * (1 - y))
    case .erf: dt = t * (Tensor.weak(1.1283791670955126) * exp(-(x * x)))
    case .erfInv: dt = t * (Tensor.weak(0.886226925452758) * exp(y * y))
    case .sqrt: dt = t / (y * 2)
    case .rsqrt: dt = t * (y / x) * -0.5
    case .cbrt: dt = t * (y / (x * 3))
    }
    return ([y], [dt])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard op == .neg else {
      throw .valueError("'\(name)' is not linear, so it has no transpose (it was applied to a tangent)")
    }
    return [cts[0].map { -$0 }]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    ([bind1(self, args)], dims)
  }
}

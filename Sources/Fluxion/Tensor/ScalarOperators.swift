import FluxionBackend

// A Swift `Double` or `Int` value in arithmetic with a tensor is weakly typed, as a Python
// scalar is in JAX: `let d = 2.0; d * x` keeps `x`'s dtype, `int32_array + n` stays int32, and
// `int32_array * 2.5` becomes float32. Literals already work through `ExpressibleBy…Literal`;
// these overloads let variables of the two types do the same.

precedencegroup PowerPrecedence {
  higherThan: MultiplicationPrecedence
  associativity: right
}

/// `x ** y`, Python's power operator: binds tighter than `*` and groups to the right
/// (`2 ** x ** 2` is `2 ** (x ** 2)`). Unlike Python, Swift's prefix minus binds tighter still:
/// write `-(x ** 2)` for Python's `-x ** 2`.
infix operator ** : PowerPrecedence

extension Tensor {
  public static func + (a: Tensor, b: Double) -> Tensor { a + Tensor.weak(b) }
  public static func + (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) + b }
  public static func + (a: Tensor, b: Int) -> Tensor { a + Tensor.weak(b) }
  public static func + (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) + b }
  public static func - (a: Tensor, b: Double) -> Tensor { a - Tensor.weak(b) }
  public static func - (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) - b }
  public static func - (a: Tensor, b: Int) -> Tensor { a - Tensor.weak(b) }
  public static func - (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) - b }
  public static func * (a: Tensor, b: Double) -> Tensor { a * Tensor.weak(b) }
  public static func * (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) * b }
  public static func * (a: Tensor, b: Int) -> Tensor { a * Tensor.weak(b) }
  public static func * (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) * b }
  public static func / (a: Tensor, b: Double) -> Tensor { a / Tensor.weak(b) }
  public static func / (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) / b }
  public static func / (a: Tensor, b: Int) -> Tensor { a / Tensor.weak(b) }
  public static func / (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) / b }
  public static func % (a: Tensor, b: Double) -> Tensor { a % Tensor.weak(b) }
  public static func % (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) % b }
  public static func % (a: Tensor, b: Int) -> Tensor { a % Tensor.weak(b) }
  public static func % (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) % b }

  public static func += (a: inout Tensor, b: Double) { a = a + b }
  public static func += (a: inout Tensor, b: Int) { a = a + b }
  public static func -= (a: inout Tensor, b: Double) { a = a - b }
  public static func -= (a: inout Tensor, b: Int) { a = a - b }
  public static func *= (a: inout Tensor, b: Double) { a = a * b }
  public static func *= (a: inout Tensor, b: Int) { a = a * b }
  public static func /= (a: inout Tensor, b: Double) { a = a / b }
  public static func /= (a: inout Tensor, b: Int) { a = a / b }

  public static func .== (a: Tensor, b: Double) -> Tensor { a .== Tensor.weak(b) }
  public static func .== (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) .== b }
  public static func .== (a: Tensor, b: Int) -> Tensor { a .== Tensor.weak(b) }
  public static func .== (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) .== b }
  public static func .!= (a: Tensor, b: Double) -> Tensor { a .!= Tensor.weak(b) }
  public static func .!= (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) .!= b }
  public static func .!= (a: Tensor, b: Int) -> Tensor { a .!= Tensor.weak(b) }
  public static func .!= (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) .!= b }
  public static func .< (a: Tensor, b: Double) -> Tensor { a .< Tensor.weak(b) }
  public static func .< (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) .< b }
  public static func .< (a: Tensor, b: Int) -> Tensor { a .< Tensor.weak(b) }
  public static func .< (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) .< b }
  public static func .<= (a: Tensor, b: Double) -> Tensor { a .<= Tensor.weak(b) }
  public static func .<= (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) .<= b }
  public static func .<= (a: Tensor, b: Int) -> Tensor { a .<= Tensor.weak(b) }
  public static func .<= (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) .<= b }
  public static func .> (a: Tensor, b: Double) -> Tensor { a .> Tensor.weak(b) }
  public static func .> (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) .> b }
  public static func .> (a: Tensor, b: Int) -> Tensor { a .> Tensor.weak(b) }
  public static func .> (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) .> b }
  public static func .>= (a: Tensor, b: Double) -> Tensor { a .>= Tensor.weak(b) }
  public static func .>= (a: Double, b: Tensor) -> Tensor { Tensor.weak(a) .>= b }
  public static func .>= (a: Tensor, b: Int) -> Tensor { a .>= Tensor.weak(b) }
  public static func .>= (a: Int, b: Tensor) -> Tensor { Tensor.weak(a) .>= b }

  /// `x ** y` (jnp.power): an `Int` exponent is a Python int, so it becomes integer_pow as in
  /// JAX (`x ** 2` is `integer_pow[y=2]`; integers raised to a negative power are JAX's TypeError).
  public static func ** (a: Tensor, b: Int) -> Tensor {
    // Beyond int32 a Python int is still a valid integer_pow exponent.
    if !Config.x64 && Int32(exactly: b) == nil { return bind1(IntegerPow(y: b), [a]) }
    return Fluxion.pow(a, Tensor.weak(b))
  }
  /// `x ** 2.5`: a `Double` exponent is a weak float, so this is `pow` (`x ** 2.0` too, as JAX).
  public static func ** (a: Tensor, b: Double) -> Tensor { Fluxion.pow(a, Tensor.weak(b)) }
  public static func ** (a: Tensor, b: Tensor) -> Tensor { Fluxion.pow(a, b) }
  public static func ** (a: Double, b: Tensor) -> Tensor { Fluxion.pow(Tensor.weak(a), b) }
  public static func ** (a: Int, b: Tensor) -> Tensor { Fluxion.pow(Tensor.weak(a), b) }
}

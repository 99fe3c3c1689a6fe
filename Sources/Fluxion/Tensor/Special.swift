import FluxionBackend
import Foundation

// Special functions composed from primitives (jax.scipy.special, jnp), so every transformation
// goes through them.

extension UnaryOp {
  /// lax.erfc: 1 − erf(x), accurate where erf(x) is close to 1.
  static let erfc = UnaryOp(
    "erfc", accepts: .floating,
    kernel: UnaryKernel(float32: { Foundation.erfc($0) }, float64: { Foundation.erfc($0) })
  ) { x, _, t in Tensor.weak(-1.1283791670955126) * (t * Fluxion.exp(-(x * x))) }
}

/// The complementary error function 1 − erf(x) (lax.erfc), without erf's cancellation for
/// large x: `erfc(Tensor(10.0))` is 2.088e-45, not 0. Integers are converted to floats.
public func erfc(_ x: Tensor) -> Tensor { UnaryOp.erfc(x) }

/// True where `x` is +∞ or −∞ (jnp.isinf); false for every integer.
public func isInf(_ x: Tensor) -> Tensor {
  if let e = x.error { return Tensor(failed: e) }
  guard x.dtype.isFloatingPoint else { return Tensor(DenseArray.filled(.bool(false), shape: x.shape, dtype: .bool)) }
  return abs(x) .== Tensor(.infinity, dtype: x.dtype)
}

/// The operands of a jnp function that computes in floats (promote_args_inexact): one dtype,
/// integers and bools converted to the default float; or the error of operands that do not
/// broadcast, named for the first primitive JAX finds it in (`name`).
func promoteInexact(_ name: String, _ xs: [Tensor]) -> Result<[Tensor], FluxionError> {
  if let e = checkBroadcast(name, xs) { return .failure(e) }
  return .success(promote(xs).map(inexact))
}

/// log(exp(a) + exp(b)) without overflow (jnp.logaddexp), with broadcasting.
///
/// It is JAX's custom_jvp function: the derivative with respect to `a` is exp(a − out) with
/// +∞ read as 0 in both, so equal inputs get 0.5 each, `logaddexp(inf, 1)` has derivatives
/// (1, e), and `logaddexp(-inf, -inf)` has NaN ones, as in JAX.
///
/// ```swift
/// logaddexp(Tensor(1.0), Tensor(1.0))   // 1.6931472
/// ```
public func logaddexp(_ a: Tensor, _ b: Tensor) -> Tensor {
  switch promoteInexact("max", [a, b]) {
  case .failure(let e): return Tensor(failed: e)
  case .success(let xs): return logaddexpFunction(xs)[0]
  }
}

/// lax logaddexp's formula on operands of one float dtype.
func logaddexpValue(_ x1: Tensor, _ x2: Tensor) -> Tensor {
  let amax = maximum(x1, x2)
  let delta = x1 - x2
  // NaN, or infinities of one sign: their sum.
  return select(delta .!= delta, x1 + x2, amax + log1p(exp(-abs(delta))))
}

let logaddexpFunction = CustomJVP(
  name: "logaddexp", jvpName: "_logaddexp_jvp", { xs in [logaddexpValue(xs[0], xs[1])] }
) {
  primals, tangents in
  let (x1, x2) = (primals[0], primals[1])
  let y = logaddexp(x1, x2)
  func replaceInf(_ x: Tensor) -> Tensor { select(x .== Tensor(.infinity, dtype: x.dtype), zerosLike(x), x) }
  let t1 = tangents[0] * exp(replaceInf(x1) - replaceInf(y))
  let t2 = tangents[1] * exp(replaceInf(x2) - replaceInf(y))
  return ([y], [t1 + t2])
}

/// The largest element over `axes` with −∞ as the starting value (jnp.max with
/// `initial=-inf`): an empty reduction gives −∞ and, as in JAX, the result is `max(-inf, …)`.
func maxFromNegativeInfinity(_ x: Tensor, _ axes: [Int], keepDims: Bool) -> Tensor {
  var r = axes.isEmpty ? x : bind1(ReducePrimitive(op: .max, axes: axes), [x])
  if x.dtype.isFloatingPoint { r = maximum(Tensor(-.infinity, dtype: x.dtype), r) }
  return keepDims ? restoreAxes(r, x.shape, axes) : r
}

/// log(Σ b·exp(x)) over `axes` (all by default), computed stably (jax.scipy.special.logsumexp,
/// jax.nn.logsumexp). `b` scales each exponential and broadcasts against `x`; where the
/// weighted sum is negative the result is NaN. The largest element is shifted out under
/// stop_gradient (0 when it is not finite, so all −∞ gives −∞), as in JAX.
///
/// ```swift
/// logsumexp(Tensor([1.0, 2.0, 3.0]))            // 3.407606
/// logsumexp(x, axis: 1, keepDims: true)
/// ```
public func logsumexp(_ x: Tensor, axes: [Int]? = nil, b: Tensor? = nil, keepDims: Bool = false) -> Tensor {
  var a: Tensor
  var weights: Tensor? = nil
  if let b {
    // JAX's first broadcast is `where(b != 0, a, -inf)`.
    if let e = checkBroadcast("select_n", [b, x, Tensor.weak(0.0)]) { return Tensor(failed: e) }
    switch promoteInexact("select_n", [x, b]) {
    case .failure(let e): return Tensor(failed: e)
    case .success(let xs):
      a = select(xs[1] .!= 0, xs[0], Tensor.weak(-.infinity))
      weights = xs[1]
    }
  } else {
    a = inexact(x)
  }
  return overAxes(a, axes) { dims in
    let largest = maxFromNegativeInfinity(a, dims, keepDims: keepDims)
    let amax = stopGradient(select(isFinite(largest), largest, zerosLike(largest)))
    var exps = exp(a - (keepDims ? amax : restoreAxes(amax, a.shape, dims)))
    if let weights { exps = exps * weights }
    let total = exps.sum(axes: dims, keepDims: keepDims)
    let out = log(abs(total)) + amax
    guard weights != nil else { return out }
    return select(sign(total) .< 0, Tensor(.nan, dtype: out.dtype), out)
  }
}

/// logsumexp over one axis.
public func logsumexp(_ x: Tensor, axis: Int, b: Tensor? = nil, keepDims: Bool = false) -> Tensor {
  logsumexp(x, axes: [axis], b: b, keepDims: keepDims)
}

import FluxionBackend
import Foundation

/// Activation functions and friends, as `jax.nn`: each is composed from primitives (or is a
/// custom_jvp function where JAX's is), so grad, jvp, vmap, jit, jacrev and hessian all go
/// through it, with JAX's derivatives at the kinks.
///
/// ```swift
/// let h = NN.relu(matmul(x, w) + b)
/// let p = NN.softmax(logits, axis: -1)
/// let loss = -(NN.logSoftmax(logits) * NN.oneHot(labels, 10)).sum(axis: -1).mean()
/// ```
public enum NN {
  /// max(x, 0), with derivative 0 at 0 (jax.nn.relu, a custom_jvp function).
  public static func relu(_ x: Tensor) -> Tensor { reluFunction(x) }

  static let reluFunction = CustomJVP(name: "relu", jvpName: "jvp", { xs in [maximum(xs[0], 0)] }) {
    primals, tangents in
    let (x, t) = (primals[0], tangents[0])
    return ([maximum(x, 0)], [select(x .> 0, t, zerosLike(t))])
  }

  /// min(max(x, 0), 6), with JAX's gradient: 1 strictly between 0 and 6, else 0 (at both
  /// kinks too) (jax.nn.relu6).
  public static func relu6(_ x: Tensor) -> Tensor { relu6Function(x) }

  static let relu6Function = CustomJVP(name: "relu6", jvpName: "jvp", { xs in [minimum(maximum(xs[0], 0), 6)] }) {
    primals, tangents in
    let (x, t) = (primals[0], tangents[0])
    return ([minimum(maximum(x, 0), 6)], [select((x .> 0) .&& (x .< 6), t, zerosLike(t))])
  }

  /// x where x ≥ 0, else `negativeSlope`·x (jax.nn.leaky_relu).
  public static func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) -> Tensor {
    select(x .>= 0, x, negativeSlope * x)
  }

  /// x where x > 0, else α·expm1(x), expm1 taken of 0 where x > 0 (jax.nn.elu).
  public static func elu(_ x: Tensor, alpha: Double = 1) -> Tensor {
    let positive = x .> 0
    let safe = select(positive, zerosLike(x), x)
    return select(positive, x, alpha * expm1(safe))
  }

  /// log(1 + exp(x)), computed as `logaddexp(x, 0)` (jax.nn.softplus).
  public static func softplus(_ x: Tensor) -> Tensor { logaddexp(x, 0) }

  /// 1 / (1 + exp(−x)) (jax.nn.sigmoid: lax.logistic, which takes floats only).
  public static func sigmoid(_ x: Tensor) -> Tensor { unary(.logistic, x) }

  /// x · sigmoid(x) (jax.nn.silu, also called swish).
  public static func silu(_ x: Tensor) -> Tensor { x * sigmoid(x) }

  /// log(sigmoid(x)) = −softplus(−x) (jax.nn.log_sigmoid).
  public static func logSigmoid(_ x: Tensor) -> Tensor { -softplus(-x) }

  /// The Gaussian error linear unit (jax.nn.gelu): by default the tanh approximation
  /// x · ½(1 + tanh(√(2/π)(x + 0.044715x³))); with `approximate: false`, ½x · erfc(−x/√2).
  public static func gelu(_ x: Tensor, approximate: Bool = true) -> Tensor {
    let x = inexact(x)
    if approximate {
      let sqrt2OverPi = Tensor((2 / Double.pi).squareRoot(), dtype: x.dtype)
      let cdf = 0.5 * (1.0 + tanh(sqrt2OverPi * (x + 0.044715 * x ** 3)))
      return x * cdf
    }
    let sqrtHalf = Tensor(0.5.squareRoot(), dtype: x.dtype)
    return convertElementType(0.5 * x * erfc(-x * sqrtHalf), x.dtype)
  }

  /// exp(x) / Σ exp(x) along `axis` (jax.nn.softmax); the largest element is shifted out
  /// under stop_gradient.
  public static func softmax(_ x: Tensor, axis: Int = -1) -> Tensor { softmax(x, axes: [axis]) }

  /// softmax over several axes; nil means all of them.
  public static func softmax(_ x: Tensor, axes: [Int]?) -> Tensor {
    overAxes(x, axes) { dims in
      let largest = maxFromNegativeInfinity(x, dims, keepDims: true)
      let unnormalized = exp(x - stopGradient(largest))
      return unnormalized / unnormalized.sum(axes: dims, keepDims: true)
    }
  }

  /// x − log Σ exp(x) along `axis` (jax.nn.log_softmax).
  public static func logSoftmax(_ x: Tensor, axis: Int = -1) -> Tensor { logSoftmax(x, axes: [axis]) }

  /// logSoftmax over several axes; nil means all of them.
  public static func logSoftmax(_ x: Tensor, axes: [Int]?) -> Tensor {
    overAxes(x, axes) { dims in
      let shifted = x - stopGradient(maxFromNegativeInfinity(x, dims, keepDims: true))
      return shifted - log(exp(shifted).sum(axes: dims, keepDims: true))
    }
  }

  /// log Σ exp(x) over `axes`, computed stably (jax.nn.logsumexp); see `logsumexp(_:axes:b:keepDims:)`.
  public static func logsumexp(_ x: Tensor, axes: [Int]? = nil, b: Tensor? = nil, keepDims: Bool = false) -> Tensor {
    Fluxion.logsumexp(x, axes: axes, b: b, keepDims: keepDims)
  }

  public static func logsumexp(_ x: Tensor, axis: Int, b: Tensor? = nil, keepDims: Bool = false) -> Tensor {
    Fluxion.logsumexp(x, axes: [axis], b: b, keepDims: keepDims)
  }

  /// One-hot vectors (jax.nn.one_hot): a new axis of `numClasses` at `axis` (last by default),
  /// 1 where the class equals the index in `x`. Indices outside `0..<numClasses` give all zeros.
  /// The dtype is the default float unless given.
  ///
  /// ```swift
  /// NN.oneHot(Tensor([0, 2]), 3)   // [[1, 0, 0], [0, 0, 1]] as float32
  /// ```
  public static func oneHot(_ x: Tensor, _ numClasses: Int, dtype: DType? = nil, axis: Int = -1) -> Tensor {
    if let e = x.error { return Tensor(failed: e) }
    guard let position = normalizeAxis(axis, x.rank + 1) else { return axisError(axis, x.rank + 1) }
    guard numClasses >= 0 else {
      return Tensor(
        failed: .typeError(
          "iota shape must have every element be nonnegative, got \(pyTuple(oneHotShape(x.rank, numClasses, position)))."
        ))
    }
    guard x.dtype != .bool else {
      return Tensor(
        failed: .typeError(
          "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating."))
    }
    let lhs = expandDims(x, position)
    let classes = iota(x.dtype, oneHotShape(x.rank, numClasses, position), dimension: position)

    return (lhs .== classes).astype(dtype ?? Config.defaultFloat)
  }

  static func oneHotShape(_ rank: Int, _ numClasses: Int, _ position: Int) -> [Int] {
    var shape = Array(repeating: 1, count: rank)
    shape.insert(numClasses, at: position)
    return shape
  }
}

/// softmax along `axis` (jax.nn.softmax; see `NN.softmax`).
public func softmax(_ x: Tensor, axis: Int = -1) -> Tensor { NN.softmax(x, axis: axis) }

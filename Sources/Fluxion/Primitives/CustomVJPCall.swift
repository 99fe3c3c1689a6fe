import FluxionBackend

/// The tangent part of a custom_vjp function (JAX's `custom_lin`): linear in the tangents,
/// transposed by `bwd`.
struct CustomVJPCall: Primitive {
  let bwd: @Sendable ([Tensor], [Tensor]) -> [Tensor]
  let residualCount: Int
  let inputAvals: [ShapedArray]
  let outputAvals: [ShapedArray]
  /// `bwd` is code, which does not compare: each call is its own operation.
  private let identity = PrimitiveIdentity()

  var name: String { "custom_lin" }
  var outputCount: Int { outputAvals.count }
  var key: PrimitiveKey { PrimitiveKey(name: name, params: params, identity: ObjectIdentifier(identity)) }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { outputAvals }

  /// Pushing tangents forward through a custom_vjp function is undefined, as in JAX.
  static let forwardModeError = FluxionError.typeError(
    "can't apply forward-mode autodiff (jvp) to a custom_vjp function.")

  /// Reached when a linearized function (`linearize`'s f_jvp) is evaluated forward.
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { throw Self.forwardModeError }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let e = Self.forwardModeError
    return (outputAvals.map { _ in Tensor(failed: e) }, outputAvals.map { _ in Tensor(failed: e) })
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    let residuals = args.prefix(residualCount).map {
      $0 ?? Tensor(failed: .valueError("custom_vjp residual is linear"))
    }
    let full = zip(cts, outputAvals).map { $0 ?? zerosLike($1) }
    let grads = bwd(Array(residuals), full)
    if grads.count != inputAvals.count {
      throw .typeError(
        "Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, but got bwd output structure with \(grads.count) leaves for \(inputAvals.count) primal inputs."
      )
    }
    for (g, a) in zip(grads, inputAvals) where g.shape != a.shape {
      throw .valueError(
        "Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple of the primal function. Expected \(a.longDescription) but got \(g.aval.longDescription)."
      )
    }
    return Array(repeating: nil, count: residualCount) + grads.map { Optional($0) }
  }

  /// Batching is forward evaluation too (vmap of a linearized function), so it fails likewise.
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    (outputAvals.map { _ in Tensor(failed: Self.forwardModeError) }, outputAvals.map { _ in nil })
  }
}

import FluxionBackend

/// An immutable n-dimensional array, or a stand-in for one while a transformation traces.
///
/// Tensors follow JAX: NumPy broadcasting, JAX's dtype promotion with weak types, functional
/// updates (`x.at[i].set(v)`), and float32 as the default float.
///
/// ```swift
/// let x = Tensor([1.0, 2.0, 3.0])        // float32[3]
/// let y = sin(x) * x.pow(3)
/// print(y)                                // [0.84147096 7.2743835  3.8104   ]
/// ```
///
/// An operation that fails (incompatible shapes, a bad axis) does not trap: it yields a tensor
/// holding the error, which later operations pass on and which surfaces when the value is read
/// (`try x.value()`, `x.error`, printing).
///
/// Sendable without checking: data and errors are immutable values; a tracer belongs to the
/// transformation running on one thread and is meaningful only inside it (one that escapes is
/// reported as JAX's UnexpectedTracerError when used elsewhere).
public struct Tensor: @unchecked Sendable {
  enum Payload {
    case array(DenseArray, weak: Bool)
    case tracer(Tracer)
    case failed(FluxionError)
  }

  let payload: Payload

  init(payload: Payload) { self.payload = payload }

  /// A tensor over computed data.
  public init(_ array: DenseArray, weakType: Bool = false) {
    payload = .array(array, weak: weakType)
  }

  init(tracer: Tracer) { payload = .tracer(tracer) }

  /// A tensor that holds an error. An error without a location gets the current source span
  /// (the user code whose operation failed, when the language set one).
  public init(failed error: FluxionError) {
    var e = error
    if e.location == nil { e.location = FluxionContext.storage.sourceSpan }
    payload = .failed(e)
  }

  /// The abstract value: shape, dtype and weak type.
  public var aval: ShapedArray {
    switch payload {
    case .array(let a, let weak): ShapedArray(shape: a.shape, dtype: a.dtype, weakType: weak)
    case .tracer(let t): t.aval
    case .failed: ShapedArray(shape: [], dtype: .float32)
    }
  }

  public var shape: [Int] {
    switch payload {
    case .array(let a, _): a.shape
    case .tracer(let t): t.aval.shape
    case .failed: []
    }
  }

  public var dtype: DType { aval.dtype }
  public var rank: Int { shape.count }
  /// Number of elements.
  public var count: Int { elementCount(shape) ?? Int.max }
  public var isWeaklyTyped: Bool { aval.weakType }

  /// The error this tensor carries, if an operation producing it failed.
  public var error: FluxionError? {
    if case .failed(let e) = payload { return e }
    return nil
  }

  /// True when this is a tracer (inside a transformation) rather than data.
  public var isTracer: Bool {
    if case .tracer = payload { return true }
    return false
  }

  /// The data, when it is known: for tracers of forward/reverse differentiation this is the
  /// primal value (as JAX, `grad` does not abstract its inputs); vmap and jaxpr tracers have none.
  var concrete: DenseArray? {
    switch payload {
    case .array(let a, _): a
    case .tracer(let t): t.concreteValue
    case .failed: nil
    }
  }

  /// The data, or the error that prevents reading it.
  public func value() throws(FluxionError) -> DenseArray {
    switch payload {
    case .array(let a, _): return a
    case .failed(let e): throw e
    case .tracer(let t):
      if let a = t.concreteValue { return a }
      throw FluxionError(
        .concretizationTypeError,
        "Abstract tracer value encountered where concrete value is expected: traced array with shape \(aval.longDescription)"
      )
    }
  }
}

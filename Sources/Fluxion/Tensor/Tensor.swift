import FluxionBackend
import Foundation
import Synchronization

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
/// Sendable without checking: data and errors are immutable values, a pending result
/// (`PendingArray`, Sendable) is written once under its lock, and a tracer belongs to a trace (Sendable: see `Trace`) and is
/// meaningful only inside its transformation (one that escapes is reported as JAX's
/// UnexpectedTracerError when used elsewhere).
public struct Tensor: @unchecked Sendable {
  enum Payload {
    case array(DenseArray, weak: Bool)
    case tracer(Tracer)
    case failed(FluxionError)
    /// A result still being computed; `resolved` is the one place that waits for it.
    case pending(PendingArray)
  }

  /// A payload with nothing left to wait for.
  enum Resolved {
    case array(DenseArray, weak: Bool)
    case tracer(Tracer)
    case failed(FluxionError)
  }

  /// The payload, once it is there: the one place where reading a tensor waits for a pending
  /// result. Everything that reads data outside `bind` goes through it.
  var resolved: Resolved {
    switch payload {
    case .array(let a, let weak): .array(a, weak: weak)
    case .tracer(let t): .tracer(t)
    case .failed(let e): .failed(e)
    case .pending(let p): p.wait()
    }
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
    if e.location == nil { e.location = FluxionContext.span }
    payload = .failed(e)
  }

  /// The abstract value: shape, dtype and weak type.
  public var aval: ShapedArray {
    switch payload {
    case .array(let a, let weak): ShapedArray(shape: a.shape, dtype: a.dtype, weakType: weak)
    case .tracer(let t): t.aval
    case .failed: ShapedArray(shape: [], dtype: .float32)
    case .pending(let p): p.aval
    }
  }

  public var shape: [Int] {
    switch payload {
    case .array(let a, _): a.shape
    case .tracer(let t): t.aval.shape
    case .failed: []
    case .pending(let p): p.aval.shape
    }
  }

  public var dtype: DType { aval.dtype }
  public var rank: Int { shape.count }
  /// Number of elements.
  public var count: Int { elementCount(shape) ?? Int.max }
  public var isWeaklyTyped: Bool { aval.weakType }

  /// The error this tensor carries, if an operation producing it failed.
  ///
  /// It does not wait: a pending result reports its error once it is known to have failed.
  public var error: FluxionError? {
    switch payload {
    case .failed(let e): e
    case .pending(let p): p.failure
    default: nil
    }
  }

  /// True when this is a tracer (inside a transformation) rather than data.
  public var isTracer: Bool {
    if case .tracer = payload { return true }
    return false
  }

  /// The data when it is there without waiting: an array, or a dispatched result already
  /// computed; nil for tracers, failures and results still being computed.
  var readyArray: DenseArray? {
    switch payload {
    case .array(let a, _): a
    case .pending(let p): p.readyArray
    case .tracer, .failed: nil
    }
  }

  /// The data, when it is known: for tracers of forward/reverse differentiation this is the
  /// primal value (as JAX, `grad` does not abstract its inputs); vmap and jaxpr tracers have none.
  var concrete: DenseArray? {
    switch resolved {
    case .array(let a, _): a
    case .tracer(let t): t.concreteValue
    case .failed: nil
    }
  }

  /// The data, or the error that prevents reading it.
  public func value() throws(FluxionError) -> DenseArray { try concreteValue(for: .value) }
}

/// A result being computed elsewhere (by the executor): its abstract value is known now, its
/// data or error once `fulfill` is called. `wait` is reached only through `Tensor.resolved`.
///
/// The result is written once, under `state`'s lock; `done` is left when it is, and waiters
/// wait on it (a group lets any number of readers wait).
final class PendingArray: Sendable {
  let aval: ShapedArray
  private let state = Mutex<Result<DenseArray, FluxionError>?>(nil)
  private let done = DispatchGroup()

  init(aval: ShapedArray) {
    self.aval = aval
    done.enter()
    Executor.live.add(1, ordering: .relaxed)
  }

  deinit {
    // A pending result nobody fulfilled (its job was never run) still leaves the group once.
    if !isReady { done.leave() }
    Executor.live.subtract(1, ordering: .relaxed)
  }

  /// Publishes the result (once; later calls are ignored) and wakes every waiter.
  func fulfill(_ result: Result<DenseArray, FluxionError>) {
    let first = state.withAnnotatedLock(self) { s in
      guard s == nil else { return false }
      s = result
      return true
    }
    if first { done.leave() }
  }

  /// Whether the result is there (reading it would not wait).
  var isReady: Bool { state.withAnnotatedLock(self) { $0 != nil } }

  /// The data, if it is already there (without waiting).
  var readyArray: DenseArray? {
    state.withAnnotatedLock(self) { s in
      if case .success(let a)? = s { return a }
      return nil
    }
  }

  /// The error, if the result is already known to be one (without waiting).
  var failure: FluxionError? {
    state.withAnnotatedLock(self) { s in
      if case .failure(let e)? = s { return e }
      return nil
    }
  }

  fileprivate func wait() -> Tensor.Resolved {
    if let r = state.withAnnotatedLock(self, { $0 }) { return resolved(r) }
    Executor.blocking { done.wait() }
    return resolved(state.withAnnotatedLock(self) { $0 }!)  // invariant: `done` is left only after the result is set
  }

  private func resolved(_ r: Result<DenseArray, FluxionError>) -> Tensor.Resolved {
    switch r {
    case .success(let a): .array(a, weak: aval.weakType)
    case .failure(let e): .failed(e)
    }
  }
}

extension Tensor {
  /// A tensor whose value arrives later, and the object that delivers it.
  static func pending(_ aval: ShapedArray) -> (Tensor, PendingArray) {
    let p = PendingArray(aval: aval)
    return (Tensor(payload: .pending(p)), p)
  }
}

extension Tensor {
  /// Waits until the value (or the error) is computed, and returns the tensor
  /// (`jax.Array.block_until_ready`). A dispatched operation's error surfaces here as in any
  /// read: the returned tensor's `error` is set once it has failed.
  @discardableResult public func blockUntilReady() -> Tensor {
    _ = resolved
    return self
  }

  /// Whether reading the value would not wait: false only while a dispatched result is being
  /// computed.
  public var isReady: Bool {
    if case .pending(let p) = payload { return p.isReady }
    return true
  }
}

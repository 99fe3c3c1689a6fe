import FluxionBackend
import Foundation

/// One operation of the engine, with all of its rules.
///
/// Every Tensor operation is `bind(primitive, inputs)`; the current trace decides what binding
/// means: run a kernel, push tangents forward, add a batch axis, or record an equation.
public protocol Primitive: Sendable {
  /// The jaxpr name: `sin`, `dot_general`, `reduce_sum`.
  var name: String { get }
  /// How many results binding produces (1 for nearly all).
  var outputCount: Int { get }
  /// Parameters, in the order the jaxpr printer shows them.
  var params: [(String, Param)] { get }
  /// What makes two bindings the same operation (for CSE and caches); by default the name and
  /// the parameters.
  var key: PrimitiveKey { get }
  /// Shape/dtype rule; throws JAX's error for invalid inputs.
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray]
  /// Runs the kernels on concrete data (inputs already validated by `abstractEval`).
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray]
  /// Forward-mode rule: primal outputs and tangent outputs (nil = symbolic zero).
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?])
  /// Transpose rule of a linear primitive: `args[i] == nil` marks a linear input, whose
  /// cotangent is returned at position i; other inputs are constants.
  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?]
  /// Batching rule: `dims[i]` is the batch axis of input i (nil if unbatched).
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?])
}

extension Primitive {
  public var params: [(String, Param)] { [] }
  public var key: PrimitiveKey { PrimitiveKey(name: name, params: params) }
  public var outputCount: Int { 1 }
  /// Primitives that are not linear have no transpose; a linear program never contains them
  /// applied to a tangent, so reaching this is an engine invariant broken, reported as such.
  public func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    throw .valueError("'\(name)' is not linear, so it has no transpose (it was applied to a tangent)")
  }
}

/// An interpreter of primitives. Transformations nest: each trace knows its parent.
public class Trace {
  let parent: Trace?

  init(parent: Trace?) { self.parent = parent }

  func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    fatalError("abstract")  // invariant: every trace class overrides process; Trace itself is never made
  }

  /// A function with a custom forward-mode rule; only differentiation traces use the rule.
  func processCustomJVP(
    _ inputs: [Tensor], fun: @escaping ([Tensor]) -> [Tensor],
    rule: @escaping ([Tensor], [Tensor]) -> ([Tensor], [Tensor])
  ) -> [Tensor] {
    fun(inputs)
  }

  /// A function with a custom reverse-mode rule.
  func processCustomVJP(
    _ inputs: [Tensor], fun: @escaping ([Tensor]) -> [Tensor], fwd: @escaping ([Tensor]) -> ([Tensor], [Tensor]),
    bwd: @escaping @Sendable ([Tensor], [Tensor]) -> [Tensor]
  ) -> [Tensor] {
    fun(inputs)
  }
}

/// The trace that runs kernels: what happens outside every transformation.
///
/// Sendable without checking: it has no state (its parent is nil), so one instance serves
/// every thread.
final class EvalTrace: Trace, @unchecked Sendable {
  static let shared = EvalTrace(parent: nil)

  override func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    var arrays: [DenseArray] = []
    var avals: [ShapedArray] = []
    arrays.reserveCapacity(inputs.count)
    avals.reserveCapacity(inputs.count)
    for x in inputs {
      switch x.payload {
      case .array(let a, let weak):
        arrays.append(a)
        avals.append(ShapedArray(shape: a.shape, dtype: a.dtype, weakType: weak))
      case .tracer(let t):
        return failed(unexpectedTracer(t), p)
      case .failed(let e):
        return failed(e, p)
      }
    }
    let outAvals: [ShapedArray]
    let outs: [DenseArray]
    do throws(FluxionError) {
      outAvals = try p.abstractEval(avals)
      for a in outAvals { if let e = shapeError(a.shape, a.dtype) { throw e } }
      if outAvals.count != p.outputCount { throw outputCountError(p, outAvals.count) }
      outs = try p.impl(arrays)
      if outs.count != p.outputCount { throw outputCountError(p, outs.count) }
    } catch {
      return failed(error, p)
    }
    return zip(outs, outAvals).map { Tensor($0, weakType: $1.weakType) }
  }
}

func unexpectedTracer(_ t: Tracer) -> FluxionError {
  FluxionError(
    .unexpectedTracerError,
    "Encountered an unexpected tracer. A function transformed by JAX had a side effect, allowing for a reference to an intermediate value with type \(t.aval.longDescription) wrapped in a \(t.kindName) to escape the scope of the transformation.\nJAX transformations require that functions explicitly return their outputs, and disallow saving intermediate values to global state."
  )
}

/// A value standing in for an array while a trace runs.
public class Tracer {
  let trace: Trace
  let aval: ShapedArray

  init(trace: Trace, aval: ShapedArray) {
    self.trace = trace
    self.aval = aval
  }

  /// The data behind the tracer when the transformation keeps it (forward/reverse mode).
  var concreteValue: DenseArray? { nil }
  var kindName: String { "Tracer" }
}

// MARK: - the current trace (per thread)

final class TraceState {
  var current: Trace = EvalTrace.shared
  /// A per-thread x64 setting that overrides the global one (Config.withX64).
  var x64Override: Bool?
  /// A per-thread threefry layout (Config.withThreefryPartitionable).
  var partitionableOverride: Bool?
  /// Whether unreadable scalar pytree leaves take placeholders: only while `rebuild` makes a
  /// failed result.
  var scalarPlaceholders = false
}

private let traceStateKey: pthread_key_t = {
  var key = pthread_key_t()
  pthread_key_create(&key) { p in
    if let p { Unmanaged<TraceState>.fromOpaque(p).release() }
  }
  return key
}()

@inline(__always) func traceState() -> TraceState {
  if let p = pthread_getspecific(traceStateKey) {
    return Unmanaged<TraceState>.fromOpaque(p).takeUnretainedValue()
  }
  let s = TraceState()
  pthread_setspecific(traceStateKey, Unmanaged.passRetained(s).toOpaque())
  return s
}

/// The trace that processes operations bound now on this thread.
var currentTrace: Trace { traceState().current }

/// Runs `body` with `trace` as the current trace.
@inline(__always) func withTrace<R>(_ trace: Trace, _ body: () throws -> R) rethrows -> R {
  let state = traceState()
  let saved = state.current
  state.current = trace
  defer { state.current = saved }
  return try body()
}

/// Applies a primitive to inputs in the current trace.
public func bind(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
  for x in inputs {
    if case .failed(let e) = x.payload { return failed(e, p) }
  }
  return traceState().current.process(p, inputs)
}

/// Applies a one-output primitive.
@inline(__always) public func bind1(_ p: any Primitive, _ inputs: [Tensor]) -> Tensor {
  bind(p, inputs).first ?? Tensor(failed: outputCountError(p, 0))
}

/// A primitive whose rules gave another number of results than it declares: its own bug,
/// reported as an error instead of a trap or a silently shorter list.
func outputCountError(_ p: any Primitive, _ got: Int) -> FluxionError {
  .valueError("internal error: primitive '\(p.name)' produced \(got) results where it declares \(p.outputCount)")
}

/// As many failed results as `p` has outputs.
func failed(_ e: FluxionError, _ p: any Primitive) -> [Tensor] {
  Array(repeating: Tensor(failed: e), count: p.outputCount)
}

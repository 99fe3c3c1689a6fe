import FluxionBackend
import Foundation
import Synchronization

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
  /// Partial evaluation, when some inputs are known values and the others (`unknown`) are
  /// being staged into a jaxpr (linearize's tangent program): runs what it can now, in the
  /// current trace, and says what to stage. nil (the default) stages the whole equation.
  func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval?
  /// Whether `partialEval` can split the equation (false by default: it is staged whole).
  var hasPartialEval: Bool { get }
  /// A body whose inputs and results stand for this equation's operands and results, so the
  /// printer names them alike (jit); nil by default.
  var aliasedBody: ClosedJaxpr? { get }
}

/// What a partial-evaluation rule computed now and what it leaves to be staged.
public struct PartialEval {
  /// One entry per output: the value when it is known now, nil when the staged equation
  /// produces it (the staged equation's results fill the nil entries in order).
  public var known: [Tensor?]
  public var staged: any Primitive
  /// The staged equation's operands: residuals (known values it needs) and unknown inputs.
  public var stagedInputs: [Tensor]
  /// Which results of the staged equation fill the nil entries (in order); nil: all of them.
  /// (A staged while loop recomputes its known carries too, as JAX's does.)
  public var stagedResults: [Int]? = nil
}

extension Primitive {
  public var params: [(String, Param)] { [] }
  public var key: PrimitiveKey { PrimitiveKey(name: name, params: params) }
  public var outputCount: Int { 1 }
  public func partialEval(_ inputs: [Tensor], unknown: [Bool]) -> PartialEval? { nil }
  public var hasPartialEval: Bool { false }
  public var aliasedBody: ClosedJaxpr? { nil }
  /// Primitives that are not linear have no transpose; a linear program never contains them
  /// applied to a tangent, so reaching this is an engine invariant broken, reported as such.
  public func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    throw .valueError("'\(name)' is not linear, so it has no transpose (it was applied to a tangent)")
  }
}

/// An interpreter of primitives. Transformations nest: each trace knows its parent.
///
/// Sendable without checking: a trace's own fields never change after it is made, except the
/// program a JaxprTrace records, which it guards with a lock; so work that carries the context
/// to another task or thread (a child task of a traced function) may bind into it safely.
public class Trace: @unchecked Sendable {
  let parent: Trace?

  init(parent: Trace?) { self.parent = parent }

  /// Whether this trace or one it runs in records a program (a jaxpr): operations with no
  /// traced operands must then still be bound, to appear in it.
  var recordsProgram: Bool {
    var t: Trace? = self
    while let c = t {
      if c is JaxprTrace { return true }
      t = c.parent
    }
    return false
  }

  func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    fatalError("abstract")  // invariant: every trace class overrides process; Trace itself is never made
  }

  /// A function with a custom forward-mode rule; only differentiation traces use the rule,
  /// and recording traces keep it in the equation they stage.
  func processCustomJVP(_ inputs: [Tensor], _ f: CustomJVPFunction) -> [Tensor] {
    f.fun(inputs)
  }

  /// A function with a custom reverse-mode rule.
  func processCustomVJP(_ inputs: [Tensor], _ f: CustomVJPFunction) -> [Tensor] {
    f.fun(inputs)
  }
}

/// The trace that runs kernels: what happens outside every transformation.
///
/// Sendable without checking: it has no state (its parent is nil), so one instance serves
/// every thread.
final class EvalTrace: Trace, @unchecked Sendable {
  static let shared = EvalTrace(parent: nil)

  override func process(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    if let token = FluxionContext.cancellation, token.isCancelled {
      return failed(FluxionError(.cancelled), p)
    }
    var arrays: [DenseArray] = []
    var avals: [ShapedArray] = []
    arrays.reserveCapacity(inputs.count)
    avals.reserveCapacity(inputs.count)
    func take(_ a: DenseArray, _ weak: Bool) {
      arrays.append(a)
      avals.append(ShapedArray(shape: a.shape, dtype: a.dtype, weakType: weak))
    }
    var pending = false
    for x in inputs {
      // The payload is read in place (copying it out of the tensor costs a retain of each of
      // the array's parts, on every operation); a dispatched result already computed is
      // read like an array, one still being computed gives its abstract value.
      switch x.payload {
      case .array(let a, let weak): take(a, weak)
      case .tracer(let t): return failed(unexpectedTracer(t), p)
      case .failed(let e): return failed(e, p)
      case .pending(let q):
        if let a = q.readyArray {
          take(a, q.aval.weakType)
          continue
        }
        if let e = q.failure { return failed(e, p) }
        pending = true
        avals.append(q.aval)
      }
    }
    let outAvals: [ShapedArray]
    do throws(FluxionError) {
      outAvals = try p.abstractEval(avals)
      for a in outAvals { if let e = shapeError(a.shape, a.dtype) { throw e } }
      if outAvals.count != p.outputCount { throw outputCountError(p, outAvals.count) }
    } catch {
      return failed(error, p)
    }
    // Large work, or work that would wait for a pending operand, goes to the executor; work
    // with effects (a debug callback) runs here, on the caller's thread, in program order.
    if Executor.dispatches(elements: largestCount(avals, outAvals), pending: pending), !hasEffects(p) {
      return Executor.shared.dispatch(outAvals, waitingFor: inputs, in: FluxionContext.current) {
        arrays throws(FluxionError) in
        let outs = try p.impl(arrays)
        if outs.count != p.outputCount { throw outputCountError(p, outs.count) }
        return outs
      }
    }
    if pending {
      // On a worker: the operands are read here, waiting for them.
      arrays.removeAll(keepingCapacity: true)
      for x in inputs {
        switch x.resolved {
        case .array(let a, _): arrays.append(a)
        case .tracer(let t): return failed(unexpectedTracer(t), p)
        case .failed(let e): return failed(e, p)
        }
      }
    }
    let outs: [DenseArray]
    do throws(FluxionError) {
      outs = try p.impl(arrays)
      if outs.count != p.outputCount { throw outputCountError(p, outs.count) }
    } catch {
      return failed(error, p)
    }
    return zip(outs, outAvals).map { Tensor($0, weakType: $1.weakType) }
  }
}

func unexpectedTracer(_ t: Tracer) -> FluxionError {
  FluxionError(.unexpectedTracer(t.aval, tracer: t.kindName, note: nil))
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

// MARK: - the context that follows the work

/// A cooperative cancellation flag: operations bound while it is set fail with CancelledError
/// instead of running their kernels (the explorer cancels a keystroke's stale work with it).
public final class CancellationToken: Sendable {
  private let flag = Atomic<Bool>(false)
  /// A token this one follows: cancelling the parent cancels it (not the other way round).
  private let parent: CancellationToken?
  public init() { parent = nil }
  public init(parent: CancellationToken?) { self.parent = parent }
  public func cancel() { flag.store(true, ordering: .relaxed) }
  public var isCancelled: Bool { flag.load(ordering: .relaxed) || (parent?.isCancelled ?? false) }
}

/// Everything an operation needs to know about where it runs: the trace that interprets it,
/// the x64 and PRNG-layout settings in force, a cancellation token, and the source span of the
/// user code that bound it.
///
/// It is a task-local value, so it follows the work into child tasks (`async let`, task
/// groups, `Task { }`); work handed to another thread carries it explicitly:
/// `let ctx = FluxionContext.current` there, `ctx.run { … }` on the other side.
///
/// Every operation reads it, so each thread keeps a mirror of its innermost synchronous
/// `run` (one TLS load to read); a derivative rule swaps only the mirror's trace, as rules run
/// synchronously and start no tasks.
public struct FluxionContext: Sendable {
  var trace: Trace = EvalTrace.shared
  /// Overrides the global `Config.x64` when set.
  var x64: Bool?
  /// Overrides the global `Config.threefryPartitionable` when set.
  var threefryPartitionable: Bool?
  public var cancellation: CancellationToken?
  public var sourceSpan: SourceSpan?
  /// Overrides the global `Config.dispatchThreshold` when set.
  var dispatchThreshold: Int?
  /// Whether unreadable scalar pytree leaves take placeholders: only while `rebuild` makes a
  /// failed result.
  var scalarPlaceholders = false

  @TaskLocal static var storage = FluxionContext()

  /// The context of the running task (or thread, outside tasks).
  public static var current: FluxionContext {
    ContextMirror.reading { mirror in
      var c = mirror.context ?? taskValue ?? FluxionContext()
      if let t = mirror.trace { c.trace = t }
      return c
    }
  }

  /// The task-local value, or nil where there can be none set: outside every task only a
  /// synchronous `run` sets it, and the mirror holds that (so eager code on a thread of its own
  /// never looks the task-local value up).
  @inline(__always) static var taskValue: FluxionContext? {
    runningTask() == nil ? nil : storage
  }

  /// Runs `body` in this context (on whichever thread or task calls it).
  public func run<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    let mirror = ContextMirror.current
    let (savedContext, savedTrace) = (mirror.context, mirror.trace)
    mirror.enter(self)
    defer { mirror.enter(savedContext, trace: savedTrace) }
    return try Self.$storage.withValue(self) { Result { () throws(E) -> R in try body() } }.get()
  }

  /// Runs async `body` in this context. (It may resume on another thread, so it sets only the
  /// task-local value; no synchronous scope, hence no mirror, is open around an `await`.)
  public func run<R: Sendable>(_ body: () async throws -> R) async rethrows -> R {
    try await Self.$storage.withValue(self) { try await body() }
  }

  /// Fields of the current context, read without building it (every operation reads them):
  /// the mirror's copy inside a synchronous `run`, else the task-local value's.
  static var cancellation: CancellationToken? {
    ContextMirror.reading { $0.inRun ? $0.cancellation : taskValue?.cancellation }
  }
  static var x64Override: Bool? { ContextMirror.reading { $0.inRun ? $0.x64 : taskValue?.x64 } }
  static var span: SourceSpan? { ContextMirror.reading { $0.inRun ? $0.sourceSpan : taskValue?.sourceSpan } }
  static var partitionableOverride: Bool? {
    ContextMirror.reading { $0.inRun ? $0.threefryPartitionable : taskValue?.threefryPartitionable }
  }
  static var dispatchThresholdOverride: Int? {
    ContextMirror.reading { $0.inRun ? $0.dispatchThreshold : taskValue?.dispatchThreshold }
  }

  /// Runs `body` with a change to the current context.
  static func with<R, E: Error>(_ change: (inout FluxionContext) -> Void, _ body: () throws(E) -> R) throws(E) -> R {
    var c = current
    change(&c)
    return try c.run(body)
  }
}

/// The task running on this thread, if any: the concurrency runtime's own query, called
/// directly (`withUnsafeCurrentTask` costs a closure and was a tenth of an eager op).
@_silgen_name("swift_task_getCurrent")
private func runningTask() -> UnsafeRawPointer?

/// This thread's copy of the context of its innermost synchronous `FluxionContext.run` (nil
/// outside one): what the task-local value holds there, readable with one TLS load; and the
/// trace a rule running on this thread has put in place of the context's (nil when none).
final class ContextMirror {
  private(set) var context: FluxionContext?
  /// The rule's trace, when one is in place of the context's.
  var trace: Trace?
  /// Whether `context` is set, and its fields, kept apart so that an operation reads one
  /// without copying the whole context.
  private(set) var inRun = false
  private(set) var contextTrace: Trace = EvalTrace.shared
  private(set) var cancellation: CancellationToken?
  private(set) var sourceSpan: SourceSpan?
  private(set) var x64: Bool?
  private(set) var threefryPartitionable: Bool?
  private(set) var dispatchThreshold: Int?
  /// Whether this thread is one of the executor's workers (which run what they bind inline).
  var onExecutor = false
  /// Whether this thread holds a permit of `Parallel.budget` (an executor worker running a job),
  /// which it gives back while it waits for a pending result.
  var holdsPermit = false

  /// Makes `context` this thread's innermost synchronous context (nil: none), with `trace`
  /// as the rule trace.
  func enter(_ context: FluxionContext?, trace: Trace? = nil) {
    self.context = context
    self.trace = trace
    inRun = context != nil
    contextTrace = context?.trace ?? EvalTrace.shared
    cancellation = context?.cancellation
    sourceSpan = context?.sourceSpan
    x64 = context?.x64
    threefryPartitionable = context?.threefryPartitionable
    dispatchThreshold = context?.dispatchThreshold
  }

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { p in
      if let p { Unmanaged<ContextMirror>.fromOpaque(p).release() }
    }
    return key
  }()

  @inline(__always) static var current: ContextMirror {
    if let p = pthread_getspecific(key) { return Unmanaged<ContextMirror>.fromOpaque(p).takeUnretainedValue() }
    return make()
  }

  /// Calls `body` with this thread's mirror, without retaining it (the thread's key holds it).
  @inline(__always) static func reading<R>(_ body: (ContextMirror) -> R) -> R {
    guard let p = pthread_getspecific(key) else { return body(make()) }
    return Unmanaged<ContextMirror>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
  }

  @inline(never) private static func make() -> ContextMirror {
    let m = ContextMirror()
    pthread_setspecific(key, Unmanaged.passRetained(m).toOpaque())
    return m
  }
}

/// Runs `body` so that operations it binds stop (fail with CancelledError) once `token` is
/// cancelled.
public func withCancellation<R, E: Error>(_ token: CancellationToken, _ body: () throws(E) -> R) throws(E) -> R {
  try FluxionContext.with({ $0.cancellation = token }, body)
}

/// Runs `body` with `span` as the source of the operations it binds: jaxpr equations record
/// it and errors carry it. nil keeps the current span.
public func withSourceSpan<R, E: Error>(_ span: SourceSpan?, _ body: () throws(E) -> R) throws(E) -> R {
  guard let span else { return try body() }
  return try FluxionContext.with({ $0.sourceSpan = span }, body)
}

/// The trace that processes operations bound now.
var currentTrace: Trace {
  ContextMirror.reading { mirror in
    if let t = mirror.trace { return t }
    if mirror.inRun { return mirror.contextTrace }
    return FluxionContext.taskValue?.trace ?? EvalTrace.shared
  }
}

/// Runs a transformation's function with `trace` as the current trace, in the task-local
/// context, so tasks the function starts inherit it.
func withUserTrace<R, E: Error>(_ trace: Trace, _ body: () throws(E) -> R) throws(E) -> R {
  var c = FluxionContext.current
  c.trace = trace
  return try c.run(body)
}

/// Runs engine code (a derivative or batching rule) with `trace` as the current trace: only
/// this thread's mirror changes, as the rule runs synchronously and starts no tasks.
@inline(__always) func withTrace<R, E: Error>(_ trace: Trace, _ body: () throws(E) -> R) throws(E) -> R {
  let mirror = ContextMirror.current
  let saved = mirror.trace
  mirror.trace = trace
  defer { mirror.trace = saved }
  return try body()
}

/// Whether no transformation is active on this thread: operations run eagerly.
public var runsEagerly: Bool { currentTrace === EvalTrace.shared }

/// Applies a primitive to inputs in the current trace.
public func bind(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
  for x in inputs {
    if case .failed(let e) = x.payload { return failed(e, p) }
  }
  return currentTrace.process(p, inputs)
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

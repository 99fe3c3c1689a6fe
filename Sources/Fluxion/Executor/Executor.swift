import FluxionBackend
import Foundation
import Synchronization

/// The async executor: eager operations and jitted calls large enough to pay for another
/// thread are dispatched here and return at once with pending results (`Tensor` holding a
/// `PendingArray`); reading one (`value()`, printing, `blockUntilReady()`) waits for it, and an
/// error — the operation's, or a cancellation — surfaces at that read, as in JAX.
///
/// - Work below `Config.dispatchThreshold` elements runs inline on the caller's thread, as
///   before (waking a worker costs microseconds); so does everything a worker binds itself.
/// - Jobs start in the order they were dispatched, on `Parallel.cores` workers; a job waits for
///   its pending inputs (dispatched before it, so never behind it), then runs holding a permit
///   of `Parallel.budget` (given back while it waits for another pending value). The workers
///   and the kernels' helper threads together never keep more threads busy than there are
///   cores, and a worker that waits takes no permit from a kernel that could split.
/// - A job captures the dispatching context (trace, x64, PRNG layout, source span and
///   `CancellationToken`). A cancelled job stops before it starts, between the steps of a plan
///   and between its blocks; a result finished after the cancellation (a long BLAS call) is
///   dropped. Either way the result is a CancelledError, never partly written data.
public final class Executor: Sendable {
  /// The process's executor (its workers start on first use).
  public static let shared = Executor(workers: Parallel.cores)

  /// Pending results alive now (made and not yet freed), for tests of memory use.
  static let live = Atomic<Int>(0)

  /// A job: what it waits for, and what it then runs.
  struct Job: Sendable {
    let inputs: [Tensor]
    let run: @Sendable () -> Void
  }

  private struct Queue {
    var jobs: [Job] = []
    var head = 0

    mutating func push(_ job: Job) {
      if head > 64 && head * 2 > jobs.count {
        jobs.removeFirst(head)
        head = 0
      }
      jobs.append(job)
    }

    mutating func pop() -> Job? {
      guard head < jobs.count else { return nil }
      let job = jobs[head]
      head += 1
      if head == jobs.count {
        jobs.removeAll(keepingCapacity: true)
        head = 0
      }
      return job
    }
  }

  private let queue = Mutex(Queue())
  /// Signalled once per job queued; a worker waits on it for the next job.
  private let available = DispatchSemaphore(value: 0)
  /// Entered per job dispatched, left when it has finished.
  private let outstanding = DispatchGroup()
  private let queued = Atomic<Int>(0)
  private let running = Atomic<Int>(0)

  init(workers: Int) {
    for i in 0..<max(1, workers) {
      let thread = Thread { [self] in
        #if os(Linux)
          // The kernel's thread name (Thread.name does not set it here), for tools and tests.
          try? "fluxion-exec\(i)".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        #endif
        serve()
      }
      thread.start()
    }
  }

  /// Jobs dispatched and not yet started.
  public var queuedJobs: Int { queued.load(ordering: .relaxed) }
  /// Jobs running on a worker now (waiting for their inputs or computing).
  public var runningJobs: Int { running.load(ordering: .relaxed) }

  /// Whether nothing is queued, no job runs and no engine thread works (a kernel helper
  /// included): what a cancellation waits for to be over.
  public var isIdle: Bool { queuedJobs == 0 && runningJobs == 0 && Parallel.busyThreads == 0 }

  /// Waits until every job dispatched so far (and every job they dispatched) has finished.
  public func waitUntilIdle() { outstanding.wait() }

  /// Pending results alive now (dispatched results not yet freed).
  public static var livePendingResults: Int { live.load(ordering: .relaxed) }

  /// Queues `run`, to start once `inputs` are ready.
  func submit(waitingFor inputs: [Tensor], _ run: @escaping @Sendable () -> Void) {
    outstanding.enter()
    queued.add(1, ordering: .relaxed)
    queue.withAnnotatedLock(self) { $0.push(Job(inputs: inputs, run: run)) }
    available.signal()
  }

  private func serve() {
    ContextMirror.current.onExecutor = true
    while true {
      available.wait()
      if runNext() { outstanding.leave() }
    }
  }

  /// Runs the next job: waits for its inputs holding nothing, then runs it holding a permit
  /// of the budget (given back while it waits for another pending value), down to publishing
  /// its results. The job (and what it holds) is released before this returns, so a finished
  /// job holds nothing once `waitUntilIdle` returns.
  @inline(never) private func runNext() -> Bool {
    guard let job = queue.withAnnotatedLock(self, { $0.pop() }) else { return false }
    queued.subtract(1, ordering: .relaxed)
    running.add(1, ordering: .relaxed)
    defer { running.subtract(1, ordering: .relaxed) }
    for x in job.inputs { x.blockUntilReady() }
    let mirror = ContextMirror.current
    Parallel.budget.wait()
    mirror.holdsPermit = true
    Parallel.beginBusy()
    job.run()
    Parallel.endBusy()
    mirror.holdsPermit = false
    Parallel.budget.signal()
    return true
  }

  /// Runs `work` on the arrays of `inputs` on a worker, and returns its results now, pending,
  /// with the abstract values `outAvals` (known at dispatch). `work` runs in `context`.
  func dispatch(
    _ outAvals: [ShapedArray], waitingFor inputs: [Tensor], in context: FluxionContext,
    _ work: @escaping @Sendable ([DenseArray]) throws(FluxionError) -> [DenseArray]
  ) -> [Tensor] {
    let results = outAvals.map(PendingArray.init)
    submit(waitingFor: inputs) {
      let outcome = Executor.runJob(inputs, context, work)
      switch outcome {
      case .success(let arrays) where arrays.count == results.count:
        for (p, a) in zip(results, arrays) { p.fulfill(.success(a)) }
      case .success(let arrays):
        let e = FluxionError.valueError(
          "internal error: a dispatched operation produced \(arrays.count) results where it declares \(results.count)")
        for p in results { p.fulfill(.failure(e)) }
      case .failure(let e):
        for p in results { p.fulfill(.failure(e)) }
      }
    }
    return results.map { Tensor(payload: .pending($0)) }
  }

  /// A job's body on its worker: wait for the inputs (giving the permit back meanwhile), stop
  /// if cancelled, compute, and drop a result the token cancelled meanwhile.
  private static func runJob(
    _ inputs: [Tensor], _ context: FluxionContext,
    _ work: ([DenseArray]) throws(FluxionError) -> [DenseArray]
  ) -> Result<[DenseArray], FluxionError> {
    var arrays: [DenseArray] = []
    arrays.reserveCapacity(inputs.count)
    for x in inputs {
      switch x.resolved {
      case .array(let a, _): arrays.append(a)
      case .failed(let e): return .failure(e)
      case .tracer(let t): return .failure(unexpectedTracer(t))
      }
    }
    let token = context.cancellation
    func cancelled() -> FluxionError {
      var e = FluxionError(.cancelled)
      e.location = context.sourceSpan
      return e
    }
    if let token, token.isCancelled { return .failure(cancelled()) }
    let outcome = context.run { Result { () throws(FluxionError) in try work(arrays) } }
    if let token, token.isCancelled { return .failure(cancelled()) }
    if case .failure(var e) = outcome, e.location == nil {
      e.location = context.sourceSpan
      return .failure(e)
    }
    return outcome
  }

  /// Runs `wait` (a wait for a pending result); on a worker holding a permit, the permit is
  /// given back meanwhile, so the work it waits for can take it.
  static func blocking(_ wait: () -> Void) {
    let mirror = ContextMirror.current
    guard mirror.holdsPermit else { return wait() }
    Parallel.endBusy()
    Parallel.budget.signal()
    wait()
    Parallel.budget.wait()
    Parallel.beginBusy()
  }

  /// Whether work of `elements` elements (its largest operand or result), some of whose
  /// operands may be `pending`, is dispatched rather than run on this thread: when it is at
  /// least the threshold, or when it would wait for a pending operand (the caller should not
  /// block on it); never on a worker, which runs what it binds itself.
  @inline(__always) static func dispatches(elements: Int, pending: Bool) -> Bool {
    ContextMirror.reading { mirror in
      if mirror.onExecutor { return false }
      if pending { return true }
      let limit =
        (mirror.inRun ? mirror.dispatchThreshold : FluxionContext.taskValue?.dispatchThreshold)
        ?? Config.globalDispatchThreshold.load(ordering: .relaxed)
      return elements >= limit
    }
  }
}

extension Config {
  /// The default threshold, 65 536 elements: where a dispatched operation read at once costs no
  /// more than running it inline. Measured with the `executor_*` rows of `make bench` on this
  /// project's 2-core VM (release build, 2026-12-01, noisy): a dispatched scalar operation and
  /// its read take 11–15 µs (the wake-ups of a worker and of the reader); `a + b` on float32
  /// takes 7 µs inline against 17–36 µs dispatched at 16 384 elements, 30 µs against 18–33 µs
  /// at 65 536, and 220–270 µs against 160–180 µs at 262 144. Below it a dispatch only adds its
  /// round trip; above it the kernel hides it, and the caller is free meanwhile.
  public static let defaultDispatchThreshold: Int = 1 << 16

  static let globalDispatchThreshold = Atomic<Int>(defaultDispatchThreshold)

  /// The size (elements of an operation's largest operand or result, or of a jitted call's
  /// inputs and live arrays) from which eager operations and jitted calls are dispatched to the
  /// executor and return at once; smaller work runs inline. `Int.max` runs everything inline;
  /// 0 dispatches everything.
  public static var dispatchThreshold: Int {
    get { FluxionContext.dispatchThresholdOverride ?? globalDispatchThreshold.load(ordering: .relaxed) }
    set { globalDispatchThreshold.store(max(0, newValue), ordering: .relaxed) }
  }

  /// Runs `body` with `threshold` as the dispatch threshold in its context only (the work it
  /// dispatches carries it too).
  public static func withDispatchThreshold<R, E: Error>(_ threshold: Int, _ body: () throws(E) -> R) throws(E) -> R {
    try FluxionContext.with({ $0.dispatchThreshold = max(0, threshold) }, body)
  }
}

/// The largest element count of `avals` and `more`: the size of an operation's work.
@inline(__always) func largestCount(_ avals: [ShapedArray], _ more: [ShapedArray]) -> Int {
  var n = 0
  for a in avals { n = max(n, a.count) }
  for a in more { n = max(n, a.count) }
  return n
}

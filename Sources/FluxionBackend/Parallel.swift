import Foundation
import Synchronization

/// Splits work into chunks across the cores when it is large enough to pay for it.
///
/// The process has one set of helper threads for kernels, `cores - 1` of them, started on first
/// use. One caller at a time shares its chunks with them (and runs chunks itself); a caller
/// that finds them taken — another kernel or matmul is already split — runs all of its work on
/// its own thread. OpenBLAS runs single-threaded (`Linalg` splits large products here instead),
/// so however many threads call kernels at once, at most `cores - 1` others work for them.
///
/// Threads the engine starts share one budget of `cores` permits (`budget`): an executor worker
/// holds one while it runs a job, and a caller takes one for each helper it wakes (running
/// alone when none is free); so the helpers and the executor's workers together never keep
/// more threads busy than there are cores.
public enum Parallel {
  /// Element count above which elementwise kernels split their work.
  public static let threshold = 1 << 18
  public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// The permits of the engine's own busy threads (helpers and executor workers): `cores` of them.
  public static let budget = DispatchSemaphore(value: cores)

  /// The engine's own threads doing work now — executor workers running a job (outside its
  /// waits) and helpers running a caller's chunks — counted where that work starts and ends;
  /// the budget keeps it at most `cores`.
  public static var busyThreads: Int { busy.load(ordering: .relaxed) }
  /// The most `busyThreads` seen since the last `resetPeakBusyThreads()`.
  public static var peakBusyThreads: Int { peakBusy.load(ordering: .relaxed) }
  public static func resetPeakBusyThreads() { peakBusy.store(0, ordering: .relaxed) }

  @usableFromInline static let busy = Atomic<Int>(0)
  @usableFromInline static let peakBusy = Atomic<Int>(0)

  /// Marks the start of an engine thread's work (a worker's job, a helper's chunks).
  public static func beginBusy() {
    let now = busy.wrappingAdd(1, ordering: .relaxed).newValue
    peakBusy.max(now, ordering: .relaxed)
  }

  /// Marks its end.
  public static func endBusy() { busy.wrappingSubtract(1, ordering: .relaxed) }

  /// Whether some caller's work is shared with the helper threads right now.
  @usableFromInline static let helpersBusy = Atomic<Bool>(false)

  /// Calls `body(start, count)` over `0..<n`, on several threads when `n >= threshold`.
  @inlinable public static func forChunks(_ n: Int, _ body: (Int, Int) -> Void) {
    forChunks(n, splitting: n >= threshold, body)
  }

  /// Calls `body(start, count)` over `0..<n`: once, on this thread, unless `splitting` (the
  /// caller judges the work worth it) and the helper threads are free; then in one chunk per
  /// core, on this thread and the helpers at once. Returns when every chunk is done.
  @inlinable public static func forChunks(_ n: Int, splitting: Bool, _ body: (Int, Int) -> Void) {
    guard splitting, cores > 1, n > 1,
      helpersBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else {
      body(0, n)
      return
    }
    // One permit of the budget for each helper woken; none free: this thread runs it all.
    var seats = 0
    while seats < cores - 1, budget.wait(timeout: .now()) == .success { seats += 1 }
    defer {
      for _ in 0..<seats { budget.signal() }
      helpersBusy.store(false, ordering: .releasing)
    }
    guard seats > 0 else { return body(0, n) }
    Helpers.shared.run(n, chunks: min(seats + 1, n), seats: seats, body)
  }
}

extension Parallel {
  /// Calls `body(start, count)` over `0..<n` in the ranges `forChunks` makes when every helper
  /// is free (`min(cores, n)` chunks), whoever runs them: on the helpers when `splitting` and
  /// they are free, else one after another on this thread. For kernels whose results depend on
  /// where a range starts (OpenBLAS's edge kernels), so that their bits do not depend on what
  /// else is running.
  @inlinable public static func forFixedChunks(_ n: Int, splitting: Bool, _ body: (Int, Int) -> Void) {
    guard splitting, cores > 1, n > 1 else { return body(0, n) }
    let chunks = min(cores, n)
    let size = (n + chunks - 1) / chunks
    forChunks(chunks, splitting: true) { first, count in
      for i in first..<(first + count) where i * size < n { body(i * size, min(size, n - i * size)) }
    }
  }
}

/// The helper threads, and the one job they share at a time (its owner holds
/// `Parallel.helpersBusy`).
///
/// Sendable without checking: `job`, `posted`, `joined` and `seats` are touched only while `condition`
/// is held; a job's chunks are claimed through an atomic counter.
@usableFromInline final class Helpers: @unchecked Sendable {
  @usableFromInline static let shared = Helpers(count: Parallel.cores - 1)

  /// One caller's loop: `chunks` chunks of `size` elements of `0..<n`, claimed in turn.
  final class Job: @unchecked Sendable {
    let body: (Int, Int) -> Void
    let n, size, chunks: Int
    let next = Atomic<Int>(0)

    init(_ n: Int, chunks: Int, _ body: @escaping (Int, Int) -> Void) {
      (self.n, self.chunks, self.body) = (n, chunks, body)
      size = (n + chunks - 1) / chunks
    }

    /// Runs chunks until none is left to claim.
    func work() {
      while case let c = next.wrappingAdd(1, ordering: .relaxed).oldValue, c < chunks {
        let start = c * size
        if start < n { body(start, min(size, n - start)) }
      }
    }
  }

  private let condition = NSCondition()
  private var job: Job?
  /// Counts the jobs posted, so that a helper joins each at most once.
  private var posted = 0
  /// Helpers working on the current job.
  private var joined = 0
  /// Helpers the current job may still take (the caller holds a permit for each).
  private var seats = 0

  init(count: Int) {
    for i in 0..<count {
      let thread = Thread { [self] in serve() }
      thread.name = "fluxion-helper\(i)"
      thread.start()
    }
  }

  /// Runs `body` over `0..<n` in `chunks` chunks on this thread and the helpers; returns when
  /// all are done and no helper holds the job any more. A helper that wakes after this thread
  /// has claimed the last chunk finds the job closed.
  @usableFromInline func run(_ n: Int, chunks: Int, seats: Int, _ body: (Int, Int) -> Void) {
    withoutActuallyEscaping(body) { body in
      let current = Job(n, chunks: chunks, body)
      condition.lock()
      job = current
      self.seats = seats
      posted += 1
      for _ in 0..<seats { condition.signal() }
      condition.unlock()
      current.work()
      condition.lock()
      job = nil
      self.seats = 0
      while joined > 0 { condition.wait() }
      condition.unlock()
    }
  }

  /// A helper's life: join each job posted, run its chunks, leave.
  private func serve() {
    var seen = 0
    while true {
      guard joinNext(after: &seen) else { continue }
      condition.lock()
      joined -= 1
      if joined == 0 { condition.broadcast() }
      condition.unlock()
    }
  }

  /// Waits for a job posted after `seen` and runs its chunks if it is still open and has a seat
  /// left; false when it was closed (or full) before this helper woke. The job (holding the caller's closure) is released on
  /// return, before the helper leaves it.
  @inline(never) private func joinNext(after seen: inout Int) -> Bool {
    condition.lock()
    while posted == seen { condition.wait() }
    seen = posted
    // A helper joins only into a seat the caller holds a permit of the budget for.
    let current = seats > 0 ? job : nil
    if current != nil {
      seats -= 1
      joined += 1
    }
    condition.unlock()
    if let current {
      Parallel.beginBusy()
      current.work()
      Parallel.endBusy()
    }
    return current != nil
  }
}

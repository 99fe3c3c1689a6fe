import FluxionBackend
import Foundation
import Synchronization
import Testing

@testable import Fluxion

/// The async executor: large eager operations and jitted calls return at once with pending
/// results; reads wait; errors and cancellations surface at the read; small work stays inline.
///
/// Where a test needs work to be still pending when it looks, the work waits for a gate: an
/// input that is pending until the test fulfils it, so nothing here depends on timing.
@Suite(.serialized) struct ExecutorTests {
  /// Elements of the large arrays (above the default dispatch threshold).
  static let n: Int = 1 << 17

  /// A pending float32 input of `n` elements (value i/n at i) and the means to open it.
  static func gate(_ n: Int = n) -> (Tensor, open: @Sendable () -> Void) {
    let (t, p) = Tensor.pending(ShapedArray(shape: [n], dtype: .float32))
    let data = DenseArray.from((0..<n).map { Float($0) / Float(n) }, shape: [n])
    return (t, { p.fulfill(.success(data)) })
  }

  static func ramp(_ n: Int = n) -> Tensor { Tensor(DenseArray.from((0..<n).map { Float($0) / Float(n) }, shape: [n])) }

  /// The dtype, shape, weak type and a digest of the elements' bit patterns (as float64, which
  /// float32 converts to exactly), or the error.
  static func bits(_ t: Tensor) -> String {
    do {
      let a = try t.value()
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for d in a.doubles { h = (h ^ d.bitPattern) &* 0x100_0000_01b3 }
      return "\(a.dtype)\(a.shape)\(t.isWeaklyTyped) \(String(h, radix: 16))"
    } catch {
      return "error: \(error)"
    }
  }

  @Test func smallWorkRunsInline() {
    let y = sin(Tensor(1.0)) * 2
    #expect(y.isReady)
    let z = (ones([Config.defaultDispatchThreshold - 1]) + 1)
    #expect(z.isReady)
    let f = jit { (x: Tensor) in x * 3 }
    #expect(f(Tensor([1.0, 2.0])).isReady)
  }

  @Test func dispatchReturnsAtOnceAndReadsWait() throws {
    let (x, open) = Self.gate()
    let y = sin(x) * 2 + 1
    let s = y.sum()
    // Shape and dtype are known at dispatch; nothing can have run, as the input is pending.
    #expect(y.shape == [Self.n] && y.dtype == .float32)
    #expect(s.shape == [] && !s.isReady && !y.isReady)
    open()
    let expected = Config.withDispatchThreshold(Int.max) { sin(Self.ramp()) * 2 + 1 }
    #expect(Self.bits(y) == Self.bits(expected))
    #expect(Self.bits(s) == Self.bits(Config.withDispatchThreshold(Int.max) { expected.sum() }))
    #expect(s.blockUntilReady().isReady)
    #expect("\(s)" == "\(Config.withDispatchThreshold(Int.max) { expected.sum() })")
  }

  @Test func largeWorkIsDispatched() throws {
    let x = Self.ramp()
    let y = Config.withDispatchThreshold(0) { exp(x) - 1 }
    if case .pending = y.payload {} else { Issue.record("a dispatched result should be pending") }
    let f = jit { (v: Tensor) in (v * v).sum() }
    let s = Config.withDispatchThreshold(0) { f(x) }
    if case .pending = s.payload {} else { Issue.record("a dispatched jit call should be pending") }
    #expect(Self.bits(y) == Self.bits(exp(x) - 1))
    #expect(Self.bits(s) == Self.bits(Config.withDispatchThreshold(Int.max) { f(x) }))
  }

  @Test func jittedCallsWaitForPendingOperands() throws {
    let f = jit { (v: Tensor) in tanh(v) * v + 0.5 }
    let (x, open) = Self.gate(1000)
    let y = f(x)
    #expect(!y.isReady)
    open()
    let want = Config.withDispatchThreshold(Int.max) { f(Self.ramp(1000)) }
    #expect(Self.bits(y) == Self.bits(want))
  }

  /// A chain of dependent operations, dispatched at once, gives eager execution's bits.
  @Test func dependentChainsMatchEagerExecution() {
    func chain(_ x: Tensor) -> [Tensor] {
      var v = x
      var outs: [Tensor] = []
      for k in 0..<40 {
        v = k % 3 == 0 ? sin(v) + v : (k % 3 == 1 ? v * 0.75 - 0.1 : exp(-v * v))
        outs.append(k % 5 == 0 ? v.sum() : v)
      }
      return outs
    }
    let (x, open) = Self.gate()
    let dispatched = Config.withDispatchThreshold(0) { chain(x) }
    open()
    let eager = Config.withDispatchThreshold(Int.max) { chain(Self.ramp()) }
    #expect(dispatched.map(Self.bits) == eager.map(Self.bits))
  }

  /// Every program of the whole-program fixtures, and its ten transformations, with every
  /// operation dispatched: the same results, bit for bit, as with everything inline.
  @Test func wholeProgramsMatchEagerExecution() throws {
    var compared = 0
    for fixture in ["whole_programs", "whole_programs_control_flow"] {
      let programs = try #require(loadFixture(fixture)["programs"] as? [[String: Any]])
      var differ: [String] = []
      for program in programs {
        let name = program["name"] as? String ?? "?"
        func results(_ threshold: Int) -> [String: [String]] {
          Config.withDispatchThreshold(threshold) {
            do {
              return try WholeProgram(program).replay().mapValues { $0.map(Self.bits) }
            } catch {
              return ["replay": ["\(error)"]]
            }
          }
        }
        let (dispatched, eager) = (results(0), results(Int.max))
        compared += eager.values.reduce(0) { $0 + $1.count }
        for (check, want) in eager where dispatched[check] != want {
          differ.append("\(fixture) \(name) \(check): \(dispatched[check] ?? []) != \(want)")
        }
      }
      #expect(differ.isEmpty, "\(differ.count) differ:\n\(differ.prefix(10).joined(separator: "\n"))")
    }
    #expect(compared > 5_000, "results compared: \(compared)")
  }

  @Test func errorsSurfaceAtTheRead() throws {
    let (x, open) = Self.gate()
    let y = bind1(FailingKernel(), [x])
    let z = y * 2
    // Dispatched: nothing has failed yet.
    #expect(y.error == nil && z.error == nil)
    open()
    #expect(throws: FluxionError.valueError("the kernel failed on the worker")) { try z.value() }
    #expect(z.blockUntilReady().error?.message == "the kernel failed on the worker")
    #expect("\(y)" == "ValueError: the kernel failed on the worker")
    #expect(throws: FluxionError.self) { try y.item() }
  }

  @Test func cancelledWorkFailsAtTheReadAndNeverShowsData() {
    let (x, open) = Self.gate()
    let token = CancellationToken()
    let f = jit { (v: Tensor) in (v * v + 1).sum() }
    let (a, b, c) = withCancellation(token) { (sin(x) * 3, f(x), (x + 1).sum()) }
    #expect(!a.isReady && !b.isReady && !c.isReady)
    token.cancel()
    open()
    for t in [a, b, c, a * 2] {
      #expect(t.blockUntilReady().error?.kind == .cancelled)
      #expect(throws: FluxionError.self) { try t.value() }
    }
    // Work of another group is untouched.
    #expect(Self.bits(sin(x) * 3) == Self.bits(Config.withDispatchThreshold(Int.max) { sin(Self.ramp()) * 3 }))
  }

  /// A kernel that runs to its end after its group is cancelled (a long BLAS call) has its
  /// result dropped: the read is the cancellation, not the data it wrote.
  @Test func aResultFinishedAfterTheCancellationIsDropped() {
    let token = CancellationToken()
    let y = withCancellation(token) { bind1(CancellingKernel(token: token), [Self.ramp()]) }
    #expect(y.blockUntilReady().error?.kind == .cancelled)
    #expect(throws: FluxionError.self) { try y.value() }
  }

  /// Within a plan, cancelled work stops between operations: the step that cancels is the
  /// last that runs, and the result is the cancellation, not what the steps wrote.
  @Test func aPlanStopsBetweenItsSteps() {
    let token = CancellationToken()
    let counter = CallCounter()
    let f = jit { (v: Tensor) in
      bind1(CountingKernel(counter: counter), [bind1(CancellingKernel(token: token), [v * 2])]) * 3
    }
    let y = withCancellation(token) { f(Self.ramp()) }
    #expect(y.blockUntilReady().error?.kind == .cancelled)
    #expect(counter.calls.load(ordering: .relaxed) == 0)
    // The same plan runs to the end for a token not cancelled.
    let z = withCancellation(CancellationToken()) {
      jit { (v: Tensor) in bind1(CountingKernel(counter: counter), [v]) }(Self.ramp())
    }
    #expect(Self.bits(z) == Self.bits(Self.ramp()))
    #expect(counter.calls.load(ordering: .relaxed) == 1)
  }

  /// The explorer's pattern under load: 10 000 groups (one a keystroke), each cancelled right
  /// after it is dispatched and read after the next one starts. A read gives the exact value
  /// (the group's work finished before the cancellation) or the cancellation, never other
  /// data; the results of older groups do not pile up while it runs, and once the executor is
  /// idle every one of them has been freed.
  @Test func tenThousandCancelledGroupsKeepMemoryFlat() {
    let x = Self.ramp(Config.defaultDispatchThreshold)
    let f = jit { (v: Tensor) in (v * 1.5 + 0.25).sum() }
    let wants = Config.withDispatchThreshold(Int.max) { [Self.bits(exp(x) * 2), Self.bits(f(x))] }
    final class Weak {
      weak var value: PendingArray?
      init(_ t: Tensor) { if case .pending(let p) = t.payload { value = p } }
    }
    var refs: [Weak] = []
    var previous: [Tensor] = []
    var (cancelled, finished, wrong, untracked, mostAlive) = (0, 0, 0, 0, 0)
    for i in 0..<10_000 {
      let token = CancellationToken()
      let group = withCancellation(token) { [exp(x) * 2, f(x)] }
      token.cancel()
      for (t, want) in zip(previous, wants) {
        if Self.bits(t) == want {
          finished += 1
        } else if t.error?.kind == .cancelled {
          cancelled += 1
        } else {
          wrong += 1
        }
      }
      previous = group
      for t in group {
        refs.append(Weak(t))
        if refs.last?.value == nil { untracked += 1 }
      }
      if i % 100 == 99 {
        // Results of groups before the last two that are still alive.
        mostAlive = max(mostAlive, refs.dropLast(4).filter { $0.value != nil }.count)
      }
    }
    previous = []
    Executor.shared.waitUntilIdle()
    #expect(wrong == 0)
    #expect(untracked == 0, "every result of a group should have been dispatched")
    #expect(cancelled + finished == 2 * 9_999)
    #expect(cancelled > 0)
    // Growing with the groups would reach 20 000; what is alive is a few groups' at the most.
    #expect(mostAlive < 1_000, "results of older groups alive: \(mostAlive)")
    #expect(refs.allSatisfy { $0.value == nil }, "every group's results are freed once idle")
  }

  /// Independent dispatched work gives eager execution's results.
  @Test func independentWorkMatchesEagerExecution() {
    let (x, open) = Self.gate()
    let outs = (0..<8).map { k in sin(x + k).sum() }
    open()
    for (k, o) in outs.enumerated() {
      let want = Config.withDispatchThreshold(Int.max) { sin(Self.ramp() + k).sum() }
      #expect(Self.bits(o) == Self.bits(want))
    }
  }

  /// While several threads dispatch large eager operations, jitted calls and matmuls and read
  /// them, the engine's threads doing work (executor workers in a job, kernel helpers in a
  /// caller's chunks, counted where that work starts and ends) never outnumber the cores.
  @Test func busyThreadsNeverOutnumberTheCores() {
    Parallel.resetPeakBusyThreads()
    DispatchQueue.concurrentPerform(iterations: 3 * Parallel.cores) { i in
      let f = jit { (v: Tensor) in (exp(v) * 0.5 + v).sum() }
      for round in 0..<12 {
        let x = full([4 * Parallel.threshold], 0.25 + Double(i))
        switch (i + round) % 3 {
        case 0: (sin(x) * 2 + 1).blockUntilReady()
        case 1: f(x).blockUntilReady()
        default: matmul(full([384, 384], 0.5), ones([384, 384])).blockUntilReady()
        }
      }
    }
    Executor.shared.waitUntilIdle()
    #expect(Parallel.peakBusyThreads >= 1)
    #expect(Parallel.peakBusyThreads <= Parallel.cores, "\(Parallel.peakBusyThreads) busy on \(Parallel.cores) cores")
  }
}

/// A kernel that fails when it runs (its shape rule accepts the input).
struct FailingKernel: Primitive {
  var name: String { "failing_kernel" }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { [inputs[0]] }
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    throw .valueError("the kernel failed on the worker")
  }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { (primals, tangents) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { (args, dims) }
}

/// The identity, which cancels `token` as it runs.
struct CancellingKernel: Primitive {
  let token: CancellationToken
  var name: String { "cancelling_kernel" }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { [inputs[0]] }
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    token.cancel()
    return inputs
  }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { (primals, tangents) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { (args, dims) }
}

final class CallCounter: Sendable {
  let calls = Atomic<Int>(0)
}

/// The identity, counting its runs.
struct CountingKernel: Primitive {
  let counter: CallCounter
  var name: String { "counting_kernel" }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { [inputs[0]] }
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    counter.calls.add(1, ordering: .relaxed)
    return inputs
  }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { (primals, tangents) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { (args, dims) }
}

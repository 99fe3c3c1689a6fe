import Foundation
import Testing

@testable import Fluxion

/// The one context (trace, x64, PRNG layout, cancellation, source span) follows the work: into
/// child and unstructured tasks by itself, onto other threads when carried.
struct ContextTests {
  @Test func childTasksInheritTheSettings() async {
    let (inChild, inTask) = await Config.withX64(true) {
      async let child = Tensor.weak(1.0).dtype
      let task = Task { Config.withThreefryPartitionable(false) { Tensor.weak(2).dtype } }
      return (await child, await task.value)
    }
    #expect(inChild == .float64)
    #expect(inTask == .int64)
    #expect(Tensor.weak(1.0).dtype == .float32)
  }

  /// A thread does not see another's settings unless the context is carried over.
  @Test func aCarriedContextRunsOnAnotherThread() {
    let (carried, plain) = Config.withX64(true) {
      let ctx = FluxionContext.current
      return (onThread { ctx.run { Tensor.weak(1.0).dtype } }, onThread { Tensor.weak(1.0).dtype })
    }
    #expect(carried == .float64)
    #expect(plain == .float32)
  }

  /// Work that carries a trace's context to another thread records into that trace (its
  /// recording is locked), so the program gets the equation.
  @Test func tracedWorkOnAnotherThreadIsRecorded() throws {
    let j = try makeJaxpr(
      { (x: Tensor) in
        let ctx = FluxionContext.current
        let doubled = onThread { ctx.run { x * 2 } }
        return doubled + 1
      }, .weak(1.0)
    ).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            b:f32[] = mul a 2.0:f32[]
            c:f32[] = add b 1.0:f32[]
          in (c,) }
        """)
  }

  @Test func cancelledWorkFailsWithoutRunningKernels() {
    let token = CancellationToken()
    let before = withCancellation(token) { arange(4.0) * 2 }
    token.cancel()
    let after = withCancellation(token) { arange(4.0) * 2 }
    let underGrad = withCancellation(token) { grad { (x: Tensor) in sin(x) }(Tensor(1.0)) }
    #expect(before.error == nil)
    #expect(after.error?.kind == .cancelled)
    #expect(underGrad.error?.kind == .cancelled)
    #expect((arange(4.0) * 2).error == nil)
  }

  @Test func equationsAndErrorsCarryTheSourceSpan() throws {
    let span = SourceSpan(line: 3, column: 9, endLine: 3, endColumn: 21)
    let j = try makeJaxpr(
      { (x: Tensor) in
        let y = withSourceSpan(span) { sin(x) }
        return y * 2
      }, .weak(1.0)
    ).get()
    #expect(j.equations.map(\.span) == [span, nil])
    let failed = withSourceSpan(span) { ones([3]) + ones([4]) }
    #expect(failed.error?.location == span)
    #expect(failed.error?.kind == .typeError)
    // The location travels with the error through later operations, unchanged.
    #expect(
      withSourceSpan(SourceSpan(line: 9, column: 1, endLine: 9, endColumn: 2)) { failed * 2 }.error?.location == span)
  }
}

/// Runs `body` on a new thread and waits for its result.
func onThread<R>(_ body: @escaping @Sendable () -> R) -> R {
  let slot = ThreadResult<R>()
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    slot.value = body()
    done.signal()
  }
  thread.start()
  done.wait()
  return slot.value!
}

/// A result written by one thread before it signals the waiting one.
final class ThreadResult<R>: @unchecked Sendable {
  var value: R?
}

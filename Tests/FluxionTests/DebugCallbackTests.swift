import Foundation
import Synchronization
import Testing

@testable import Fluxion

/// `debugCallback` (jax.debug.callback's engine half) sees the values the program computes, where
/// it runs: eagerly, inside jit (also when the call is large enough to be dispatched), once on
/// the forward pass of grad, and once per element under vmap, as JAX runs it.
/// The values of `t` (empty for a failed tensor, which the comparisons then reject).
func callbackValues(of t: Tensor) -> [Double] { (try? t.doubles) ?? [] }

struct DebugCallbackTests {
  /// What the callbacks saw, in order.
  final class Seen: Sendable {
    let values = Mutex<[[Double]]>([])
    func record(_ ts: [Tensor]) { values.withLock { $0.append(ts.flatMap { callbackValues(of: $0) }) } }
    var all: [[Double]] { values.withLock { $0 } }
  }

  func program(_ seen: Seen) -> (Tensor) -> Tensor {
    { x in
      let y = sin(x) * 2
      debugCallback([y]) { seen.record($0) }
      return y.sum()
    }
  }

  @Test func eagerAndJitSeeTheValues() {
    let seen = Seen()
    let x = Tensor([0.0, 1.0, 2.0] as [Float])
    let eager = program(seen)(x)
    let jitted = jit(program(seen))(x)
    #expect(callbackValues(of: eager) == callbackValues(of: jitted))
    let expected = callbackValues(of: sin(x) * 2)
    #expect(seen.all == [expected, expected])
    // The traced program holds the callback as an equation with no results, which passes keep.
    let text = (try? makeJaxpr(program(Seen()), x, optimized: true).get())?.description ?? ""
    #expect(text.contains("debug_callback"), "\(text)")
  }

  @Test func gradSeesThePrimalOnceAndVmapEachElement() {
    let seen = Seen()
    let x = Tensor([0.5, -1.0] as [Float])
    let g = grad(program(seen))(x)
    #expect(callbackValues(of: g) == callbackValues(of: cos(x) * 2))
    #expect(seen.all == [callbackValues(of: sin(x) * 2)])

    let rows = Seen()
    let m = Tensor([[1.0, 2.0], [3.0, 4.0]] as [[Float]])
    _ = vmap(program(rows))(m)
    #expect(rows.all == [callbackValues(of: sin(m[0]) * 2), callbackValues(of: sin(m[1]) * 2)])
  }

  @Test func aLargeJitCallRunsItsCallbackBeforeItReturns() {
    let seen = Seen()
    let x = zeros([1 << 18], dtype: .float32)
    let f = jit { (t: Tensor) -> Tensor in
      debugCallback([t.sum()]) { seen.record($0) }
      return t + 1
    }
    _ = f(x)
    // No read of the result: a plan with an effect is never dispatched, so it has run.
    #expect(seen.all == [[0]])
  }
}

import FluxionBackend
import Synchronization

/// The execution plan of one traced body, built on its first run and kept with the body (the
/// jit cache holds the body, so a cached call finds its plan here).
final class PlanCache: Sendable {
  private enum State {
    case unbuilt
    case built(ExecutionPlan)
    /// Lowering gave up: the body is interpreted.
    case interpreted
  }

  private let state = Mutex(State.unbuilt)

  /// The plan for `body` (which must be the body this cache belongs to); nil when it is
  /// interpreted instead.
  func plan(for body: ClosedJaxpr) -> ExecutionPlan? {
    state.withLock { s in
      switch s {
      case .built(let p): return p
      case .interpreted: return nil
      case .unbuilt:
        if let p = ExecutionPlan.lower(body) {
          s = .built(p)
          return p
        }
        s = .interpreted
        return nil
      }
    }
  }
}

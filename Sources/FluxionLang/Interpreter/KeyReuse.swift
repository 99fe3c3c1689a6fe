import Fluxion

/// A PRNG key value given to a second consuming call (a sampler, `split` or `fold_in`): the
/// second call draws from the same randomness as the first, which is rarely what was meant.
/// JAX stays silent about it.
public struct KeyReuseWarning: Sendable, Equatable, CustomStringConvertible {
  /// The library function of each use (`jax.random.normal`) and where it was called.
  public var firstFunction: String
  public var firstSpan: SourceSpan?
  public var secondFunction: String
  public var secondSpan: SourceSpan?

  static func place(_ s: SourceSpan?) -> String {
    guard let s else { return "an unknown place" }
    return "line \(s.line), column \(s.column)"
  }

  /// `PRNG key reuse: random.normal at line 6, column 5 uses the key that random.split used at
  /// line 4, column 9; split it for each use`.
  public var description: String {
    "PRNG key reuse: \(Self.short(secondFunction)) at \(Self.place(secondSpan)) uses the key that "
      + "\(Self.short(firstFunction)) used at \(Self.place(firstSpan)); split it for each use"
  }

  static func short(_ name: String) -> String { name.hasPrefix("jax.") ? String(name.dropFirst(4)) : name }
}

/// Records the key values consuming calls were given (by key data), and each reuse.
public final class KeyReuseTracker {
  private var uses: [[UInt32]: (function: String, span: SourceSpan?)] = [:]
  public private(set) var warnings: [KeyReuseWarning] = []

  public init() {}

  func note(_ data: [UInt32], function: String, span: SourceSpan?) {
    guard let first = uses[data] else {
      uses[data] = (function, span)
      return
    }
    let w = KeyReuseWarning(
      firstFunction: first.function, firstSpan: first.span, secondFunction: function, secondSpan: span)
    // A loop reuses at the same place each time: one warning for it.
    if !warnings.contains(w) { warnings.append(w) }
  }
}

/// The library function being called and where (set for each call of a built-in function).
struct CallSite {
  var function: String
  var span: SourceSpan
}

extension Interpreter {
  /// Notes that the call being made consumes `key` (nothing while tracing, or without a tracker).
  func noteKeyUse(_ key: Value) {
    guard let tracker = keyReuse, !key.isTracer else { return }
    let data: Tensor
    switch key {
    case .key(let k): data = Random.keyData(k)
    case .array(let t) where t.dtype == .uint32: data = t
    default: return
    }
    guard !data.isTracer, let d = try? data.doubles else { return }
    tracker.note(d.map { UInt32($0) }, function: callSite?.function ?? "jax.random", span: callSite?.span)
  }
}

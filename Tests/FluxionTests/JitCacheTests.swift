import Synchronization
import Testing

@_spi(FluxionLang) @testable import Fluxion

/// jit's cache: static arguments, the bounded LRU, freeing with the function, and JAX's
/// explanations of cache misses.
struct JitCacheTests {
  final class Counter: Sendable {
    private let n = Atomic<Int>(0)
    func tick() { n.add(1, ordering: .relaxed) }
    var value: Int { n.load(ordering: .relaxed) }
  }

  @Test func staticTensorArgumentsAreConcreteAndKeyedByValue() throws {
    let traces = Counter()
    let f = jit(name: "scale", staticArgnums: [1]) { (xs: [Tensor]) -> [Tensor] in
      traces.tick()
      // A static argument is a value inside: it may steer Swift control flow.
      let k = (try? xs[1].item()) ?? .nan
      return [k > 2 ? xs[0] * xs[1] : xs[0] + xs[1]]
    }
    let x = Tensor([1.0, 2.0])
    #expect(try f([x, Tensor(3.0)])[0].doubles == [3, 6])
    #expect(try f([x * 2, Tensor(3.0)])[0].doubles == [6, 12])
    #expect(traces.value == 1)
    #expect(try f([x, Tensor(1.0)])[0].doubles == [2, 3])
    #expect(traces.value == 2)
    // -0.0 and 0.0 are different values, as their bits are.
    _ = f([x, Tensor(0.0)])
    _ = f([x, Tensor(-0.0)])
    #expect(traces.value == 4)
    _ = f([x, Tensor(3.0)])
    #expect(traces.value == 4)
    // A negative position counts from the end, as in JAX.
    let g = jit(staticArgnums: [-1]) { (xs: [Tensor]) in [xs[0] * xs[1]] }
    #expect(try g([x, Tensor(2.0)])[0].doubles == [2, 4])
  }

  @Test func badStaticArgumentsAreJAXsErrors() throws {
    let f = jit(staticArgnums: [2]) { (xs: [Tensor]) in [xs[0]] }
    #expect(
      f([Tensor(1.0), Tensor(2.0)])[0].error
        == FluxionError(
          .valueError, "Jitted function has static_argnums=(2,), but only accepts 2 positional arguments."))
    let g = jit(staticArgnums: [0]) { (xs: [Tensor]) in [xs[0] * 2] }
    var inner: FluxionError?
    _ = vmap { (x: Tensor) -> Tensor in
      let y = g([x])[0]
      inner = y.error
      return x
    }(Tensor([1.0, 2.0]))
    #expect(inner?.kind == .valueError)
    #expect(inner?.message.hasPrefix("Non-hashable static arguments are not supported.") == true)
  }

  @Test func swiftValuesAsStaticArguments() throws {
    let traces = Counter()
    let power = jit(
      name: "power",
      static: { (x: Tensor, n: Int) -> Tensor in
        traces.tick()
        return x ** n
      })
    let x = Tensor([1.0, 2.0, 3.0])
    #expect(try power(x, 3).doubles == [1, 8, 27])
    #expect(try power(x + 1, 3).doubles == [8, 27, 64])
    #expect(try power(x, 2).doubles == [1, 4, 9])
    #expect(traces.value == 2)
    let j = try makeJaxpr({ (y: Tensor) in power(y, 4) }, x).get()
    #expect(j.description.contains("integer_pow[y=4]"))
    // Any hashable Swift value: a string selecting a branch.
    let act = jit(static: { (x: Tensor, kind: String) -> Tensor in kind == "relu" ? maximum(x, 0.0) : tanh(x) })
    #expect(try act(Tensor([-1.0, 2.0]), "relu").doubles == [0, 2])
  }

  @Test func theCacheKeepsTheMostRecentlyUsedBodies() throws {
    let traces = Counter()
    let fn = JitFunction("lru", capacity: 2)
    let f = makeJit(fn) { xs in
      traces.tick()
      return [xs[0] + 1]
    }
    let (a, b, c) = (ones([1]), ones([2]), ones([3]))
    _ = f([a])
    _ = f([b])
    _ = f([a])  // a is now the most recent
    #expect(traces.value == 2 && fn.cache.count == 2)
    _ = f([c])  // drops b, the least recently used
    #expect(traces.value == 3 && fn.cache.count == 2)
    _ = f([a])
    #expect(traces.value == 3)
    _ = f([b])
    #expect(traces.value == 4)
    // Size 0 keeps nothing: every call traces.
    let none = JitFunction("none", capacity: 0)
    let g = makeJit(none) { xs in
      traces.tick()
      return xs
    }
    _ = g([a])
    _ = g([a])
    #expect(traces.value == 6 && none.cache.count == 0)
    #expect(Config.jitCacheSize == 64)
  }

  @Test func aDiscardedJittedFunctionFreesItsCache() throws {
    weak var cache: JitCache?
    weak var fn: JitFunction?
    do {
      let made = JitFunction("discarded")
      let f = makeJit(made) { xs in [xs[0] * Tensor([1.0, 2.0, 3.0])] }
      _ = f([ones([3])])
      _ = f([ones([2, 3])])
      cache = made.cache
      fn = made
      #expect(cache?.count == 2)
    }
    #expect(cache == nil && fn == nil)
    // A jitted function made and dropped per keystroke holds nothing afterwards.
    weak var last: JitFunction?
    for k in 1...50 {
      let made = JitFunction("keystroke\(k)")
      let f = makeJit(made) { xs in [xs[0] * Double(k)] }
      _ = f([Tensor(1.0)])
      last = made
    }
    #expect(last == nil)
  }

  /// Config.explainCacheMisses and the sink are global: one test sets them, keeping only the
  /// messages of its own functions.
  @Test func cacheMissesAreExplainedAsJAXDoes() throws {
    let messages = Mutex<[String]>([])
    let savedSink = Config.cacheMissSink
    Config.cacheMissSink = { m in
      if m.contains("explained_") { messages.withLock { $0.append(m) } }
    }
    Config.explainCacheMisses = true
    defer {
      Config.explainCacheMisses = false
      Config.cacheMissSink = savedSink
    }
    let f = jit(name: "explained_f") { (xs: [Tensor]) in [xs[0] * 2] }
    _ = f([ones([3])])
    _ = f([ones([3])])  // a hit: nothing reported
    _ = f([ones([4])])
    _ = f([Tensor(shape: [4], scalars: [.int(1), .int(2), .int(3), .int(4)], dtype: .int32)])
    _ = f([.weak(2.0)])
    _ = f([Tensor(2.0, dtype: .float32)])  // (Tensor(2.0) alone is a literal: weak)
    Config.withX64(true) { _ = f([ones([3], dtype: .float32)]) }
    let g = jit(name: "explained_g") { (xs: [Tensor]) in [xs[0] * xs[1]] }
    _ = g([ones([3]), ones([3])])
    _ = g([ones([3]), ones([1])])
    let h = jit(name: "explained_h", static: { (x: Tensor, n: Int) in x * Double(n) })
    _ = h(ones([3]), 2)
    _ = h(ones([3]), 3)
    let got = messages.withLock { $0 }
    #expect(got.count == 10, "\(got)")
    guard got.count == 10 else { return }
    #expect(got[0].hasPrefix("TRACING CACHE MISS at explained_f:\n  never seen function:\n    explained_f id="))
    let head =
      "TRACING CACHE MISS at explained_f:\n  for explained_f\n  all previously seen cache keys differ. For the closest previous key:\n"
    #expect(got[1] == head + "  different input types:\n  * at args[0], now f32[4] and before f32[3]")
    // The closest key is the oldest of those that differ least, as in JAX.
    #expect(got[2] == head + "  different input types:\n  * at args[0], now i32[4] and before f32[3]")
    #expect(
      got[3] == head
        + "  different input types:\n  * at args[0], now f32[]({}){weak_type=True} and before f32[3]({}){weak_type=False}https://docs.jax.dev/en/latest/type_promotion.html#weak-types"
    )
    #expect(
      got[4] == head
        + "  different input types:\n  * at args[0], now f32[] and before f32[3]")
    #expect(
      got[5] == head
        + "  Tracing context doesn't match, e.g. due to config or context manager.\n  * jax_enable_x64 differs: now True and before False"
    )
    #expect(got[7].hasSuffix("  different input types:\n  * at args[1], now f32[1] and before f32[3]"))
    #expect(
      got[9].hasSuffix(
        "  different input pytree:\n  * at input path [0][1], now <class 'jax._src.tree_util.Static'> with pytree metadata Static(val=3) and before <class 'jax._src.tree_util.Static'> with pytree metadata Static(val=2), so the pytree node metadata does not match"
      ))
  }

  /// jit runs the optimised body; with Config.jitOptimization off, the traced one (same values).
  @Test func theOptimisationSwitch() throws {
    let f = jit(name: "switch") { (xs: [Tensor]) in [xs[0] * 1.0 + 0.0] }
    let on = try makeJaxpr(f, [ones([2])]).get()
    let call = try #require(on.equations.first?.primitive as? JitCall)
    #expect(call.program.equations.count == 1 && call.body.equations.count == 2)
    Config.jitOptimization = false
    defer { Config.jitOptimization = true }
    let g = jit(name: "switch") { (xs: [Tensor]) in [xs[0] * 1.0 + 0.0] }
    let off = try makeJaxpr(g, [ones([2])]).get()
    let plain = try #require(off.equations.first?.primitive as? JitCall)
    #expect(plain.program === plain.body)
    #expect(on.description == off.description)
  }

  /// grad of a jit with a result that has no tangent (a symbolic zero) used to trap in tracing.
  @Test func gradOfAJitWithAnUndifferentiatedResult() throws {
    let f = jit(name: "pair") { (xs: [Tensor]) in [xs[0] * xs[0], xs[1]] }
    let g = grad(argnums: [0]) { (xs: [Tensor]) in f(xs)[0] + f(xs)[1] }([Tensor(3.0), Tensor(1.0)])
    #expect(try g[0].item() == 6)
  }
}

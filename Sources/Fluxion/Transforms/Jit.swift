import FluxionBackend
import Foundation
import Synchronization

/// Stages `f` as one `jit` equation (jax.jit): `f` is traced once per kind of arguments (shapes,
/// dtypes, weak types, the values of static arguments, and the x64 and PRNG settings), and the
/// program is what runs, is differentiated, batched and printed. Values `f` closes over become
/// explicit operands.
///
/// ```swift
/// let f = jit(name: "f") { (xs: [Tensor]) in [sin(xs[0]) * 2] }
/// makeJaxpr(f, [Tensor(1.0)])   // { lambda ; a:f32[]. let b:f32[] = jit[name=f jaxpr={ … }] a in (b,) }
/// ```
///
/// `staticArgnums` (jax.jit's `static_argnums`) names arguments that are not traced: `f`
/// receives their concrete values, and their values (dtype, shape and every element) are part
/// of the cache key, so each new value traces `f` again. A static argument must be concrete:
/// a tracer of an enclosing transformation there is JAX's error for an unhashable static
/// argument. (For a static argument that is any Swift value, see `jit(name:static:)`.)
///
/// Each jitted function keeps at most `Config.jitCacheSize` traced bodies, dropping the least
/// recently used; they are freed with the function. With `Config.explainCacheMisses` on, every
/// trace reports why the cache missed (jax_explain_cache_misses) to `Config.cacheMissSink`.
///
/// What runs is the body after the optimisation passes (`PassPipeline.standard`, unless
/// `Config.jitOptimization` is off); the body printed in the jaxpr is the traced one, as JAX's.
public func jit(
  name: String = "<lambda>", staticArgnums: [Int] = [], _ f: @escaping ([Tensor]) -> [Tensor]
) -> ([Tensor]) -> [Tensor] {
  makeJit(JitFunction(name), staticArgnums, f)
}

/// The jitted function of `f` with its cache `fn` (which it alone holds).
func makeJit(_ fn: JitFunction, _ staticArgnums: [Int] = [], _ f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) ->
  [Tensor]
{
  { args in flatJitCall(fn, staticArgnums, f, args) }
}

/// jit of a throwing function: tracing rethrows what `f` throws (see Grad.swift for why two
/// overloads).
public func jit(
  name: String = "<lambda>", staticArgnums: [Int] = [], _ f: @escaping ([Tensor]) throws -> [Tensor]
) -> ([Tensor]) throws -> [Tensor] {
  let fn = JitFunction(name)
  return { args in try flatJitCall(fn, staticArgnums, f, args) }
}

/// jit of a function of one tensor.
public func jit(name: String = "<lambda>", _ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  let flat = jit(name: name) { [f($0[0])] }
  return { x in flat([x]).first ?? Tensor(failed: noOutputs("jit")) }
}

/// jit of a function of a pytree (a `Tree`, a dictionary, your own node type) to a pytree: traced
/// once per argument structure and kind of leaves, as JAX keys its cache.
///
/// ```swift
/// let step = jit { (p: Tree) -> Tree in treeMap({ $0 * 0.9 }, p) }
/// ```
public func jit<In: PyTree, Out: PyTree>(name: String = "<lambda>", _ f: @escaping (In) -> Out) -> (In) -> Out {
  let fn = JitFunction(name)
  return { x in treeJitCall(fn, f, x, statics: []) }
}

public func jit<In: PyTree, Out: PyTree>(name: String = "<lambda>", _ f: @escaping (In) throws -> Out) -> (In) throws
  -> Out
{
  let fn = JitFunction(name)
  return { x in try treeJitCall(fn, f, x, statics: []) }
}

/// jit of a function whose second argument is static (jax.jit's `static_argnums=1`): any
/// hashable Swift value (an `Int` exponent, a `String` mode, a configuration struct), which is
/// never traced, and whose value, compared with `==`, is part of the cache key.
///
/// ```swift
/// let power = jit(static: { (x: Tensor, n: Int) in x ** n })
/// power(x, 3)   // traced for n = 3; power(x, 4) traces again
/// ```
public func jit<In: PyTree, S: Hashable & Sendable, Out: PyTree>(
  name: String = "<lambda>", static f: @escaping (In, S) -> Out
) -> (In, S) -> Out {
  let fn = JitFunction(name)
  return { x, s in treeJitCall(fn, { f($0, s) }, x, statics: [StaticValue(s, position: 1)]) }
}

public func jit<In: PyTree, S: Hashable & Sendable, Out: PyTree>(
  name: String = "<lambda>", static f: @escaping (In, S) throws -> Out
) -> (In, S) throws -> Out {
  let fn = JitFunction(name)
  return { x, s in try treeJitCall(fn, { try f($0, s) }, x, statics: [StaticValue(s, position: 1)]) }
}

// MARK: - calls

/// A jit of a list of tensors, some of them static.
func flatJitCall<E: Error>(
  _ fn: JitFunction, _ staticArgnums: [Int], _ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor]
) throws(E) -> [Tensor] {
  if let e = args.lazy.compactMap(\.error).first { return [Tensor(failed: e)] }
  guard !staticArgnums.isEmpty else {
    return try jitCall(fn, args, argNames: args.indices.map { "args[\($0)]" }, f).outs
  }
  let statics = Set(staticArgnums.map { $0 < 0 ? $0 + args.count : $0 })
  if statics.contains(where: { $0 < 0 || $0 >= args.count }) {
    return [
      Tensor(
        failed: .valueError(
          "Jitted function has static_argnums=\(pyTuple(staticArgnums.sorted())), but only accepts \(args.count) positional arguments."
        ))
    ]
  }
  var values: [StaticValue] = []
  for i in statics.sorted() {
    guard let v = StaticValue(tensor: args[i], position: i) else {
      return [
        Tensor(
          failed: .valueError(
            "Non-hashable static arguments are not supported. An error occurred while trying to hash an object of type <class 'jax._src.interpreters.partial_eval.DynamicJaxprTracer'>, \(args[i]). The error was:\nTypeError: unhashable type: 'DynamicJaxprTracer'"
          ))
      ]
    }
    values.append(v)
  }
  let dynamic = args.indices.filter { !statics.contains($0) }
  return try jitCall(
    fn, dynamic.map { args[$0] }, argNames: dynamic.map { "args[\($0)]" }, statics: values,
    { xs throws(E) in
      var full = args
      for (k, i) in dynamic.enumerated() { full[i] = xs[k] }
      return try f(full)
    }
  ).outs
}

func treeJitCall<In: PyTree, Out: PyTree, E: Error>(
  _ fn: JitFunction, _ f: (In) throws(E) -> Out, _ x: In, statics: [StaticValue]
) throws(E) -> Out {
  let (leaves, def) = treeFlatten(x)
  var traced: TreeDef?
  let paths = def.leafKeyPaths
  let (outs, entry) = try jitCall(
    fn, leaves, argNames: paths.map { "x" + $0 }, structure: def, statics: statics,
    { xs throws(E) in
      let (l, d) = try applyRebuilt(f, def, xs)
      traced = d
      return l
    }, outDef: { traced })
  guard let od = traced ?? entry?.outDef else {
    // jit failed before it traced `f` (an argument holding an error).
    return try rebuildFailed(f, x, outs.first?.error ?? noOutputs("jit"))
  }
  guard outs.count == od.leafCount else { return failedTree(od, outs.first?.error ?? noOutputs("jit")) }
  return rebuild(od, outs)
}

/// Looks `args` up in `fn`'s cache (tracing `f` on a miss) and binds the jit equation.
func jitCall<E: Error>(
  _ fn: JitFunction, _ args: [Tensor], argNames: @autoclosure () -> [String], structure: TreeDef? = nil,
  statics: [StaticValue] = [],
  _ f: ([Tensor]) throws(E) -> [Tensor], outDef: () -> TreeDef? = { nil }
) throws(E) -> (outs: [Tensor], entry: JitEntry?) {
  if let e = args.lazy.compactMap(\.error).first { return ([Tensor(failed: e)], nil) }
  let key = JitKey(
    avals: args.map(\.aval), x64: Config.x64, partitionable: Config.threefryPartitionable, structure: structure,
    statics: statics)
  let entry: JitEntry
  if let hit = fn.cache.lookup(key, in: currentTrace) {
    entry = hit
  } else {
    // The names are made only on a miss (a cached call spends no time on strings).
    let names = argNames()
    if Config.explainCacheMisses { Config.reportCacheMiss(fn.cache.explainMiss(key, fn, argNames: names)) }
    let traced = try traceBody(key.avals, debugInfo: TracingContext(functionName: fn.name, argNames: names)) {
      xs throws(E) in try f(xs).map(Optional.some)
    }
    switch traced {
    case .failure(let e): return ([Tensor(failed: e)], nil)
    case .success(let body):
      let program = Config.jitOptimization ? PassPipeline.standard.run(body.jaxpr) : body.jaxpr
      entry = JitEntry(body: body, program: program, outDef: outDef())
      fn.cache.store(key, entry, in: currentTrace)
    }
  }
  // Outside every transformation the program's plan runs directly (Compiler/CachedCall.swift).
  if let outs = entry.body.runOutsideTransformations(args, program: entry.program) { return (outs, entry) }
  return (bind(JitCall(fn.name, entry.body, program: entry.program), entry.body.captured + args), entry)
}

// MARK: - the cache

/// A jitted function: its name and its cache of traced bodies (freed with the function).
final class JitFunction: Sendable {
  let name: String
  let cache: JitCache
  /// `capacity` overrides `Config.jitCacheSize` for this function (tests).
  init(_ name: String, capacity: Int? = nil) {
    self.name = name
    cache = JitCache(capacity: capacity)
  }
}

/// A static argument's value, hashed and compared by value, with its description for
/// cache-miss explanations.
struct StaticValue: Hashable, @unchecked Sendable {
  // Sendable without checking: made only from Sendable values (or a tensor's immutable data).
  let value: AnyHashable
  let description: String
  /// The argument's position.
  let position: Int

  init<S: Hashable & Sendable>(_ s: S, position: Int) {
    value = AnyHashable(s)
    description = "\(s)"
    self.position = position
  }

  /// A concrete tensor's value (its abstract value and the bits of every element); nil for a
  /// tracer without a value.
  init?(tensor t: Tensor, position: Int) {
    guard case .array(let a, _) = t.resolved else { return nil }
    value = AnyHashable(TensorValue(aval: t.aval, bits: a.scalars.map(scalarBits)))
    description = "\(t)"
    self.position = position
  }

  static func == (a: StaticValue, b: StaticValue) -> Bool { a.value == b.value }
  func hash(into h: inout Hasher) { h.combine(value) }
}

/// The value of a static tensor argument.
struct TensorValue: Hashable, Sendable {
  let aval: ShapedArray
  let bits: [UInt64]
}

/// What a traced body depends on.
struct JitKey: Hashable, Sendable {
  let avals: [ShapedArray]
  let x64: Bool
  let partitionable: Bool
  /// The argument's structure (jit of a pytree).
  var structure: TreeDef? = nil
  var statics: [StaticValue] = []
}

/// A traced body, the optimised program that runs for it, and the structure of its result.
struct JitEntry: Sendable {
  let body: TracedBody
  let program: ClosedJaxpr
  let outDef: TreeDef?
}

/// The traced bodies of one jitted function, by kind of arguments: at most
/// `Config.jitCacheSize`, the least recently used dropped first.
///
/// A body that captured tracers of the transformation running now is valid only inside it:
/// those are kept apart, for that one trace (whose tracers they hold, so it cannot be freed
/// and its identity reused while they are kept).
final class JitCache: Sendable {
  private struct Entries {
    var closed: [JitKey: (entry: JitEntry, lastUse: UInt64)] = [:]
    var clock: UInt64 = 0
    var traceBound: (trace: ObjectIdentifier, bodies: [JitKey: JitEntry])?
    /// Keys seen before (most recent last, bounded), for explaining misses.
    var history: [JitKey] = []
    /// The closed body hit last and when: a repeated call compares its key with this one
    /// instead of hashing it twice (its `lastUse` in `closed` is brought up to date before the
    /// cache evicts or another body becomes the last).
    var last: (key: JitKey, entry: JitEntry)?
    var lastHit: UInt64 = 0

    mutating func settleLast() {
      if let l = last { closed[l.key]?.lastUse = lastHit }
    }
  }

  private let entries = Mutex(Entries())
  private let capacity: Int?

  init(capacity: Int? = nil) { self.capacity = capacity }

  /// How many closed bodies are kept now.
  var count: Int { entries.withLock { $0.closed.count } }

  func lookup(_ key: JitKey, in trace: Trace) -> JitEntry? {
    entries.withLock { e in
      e.clock += 1
      if let l = e.last, l.key == key {
        e.lastHit = e.clock
        return l.entry
      }
      if let hit = e.closed[key] {
        e.settleLast()
        e.closed[key]!.lastUse = e.clock
        (e.last, e.lastHit) = ((key, hit.entry), e.clock)
        return hit.entry
      }
      guard let bound = e.traceBound, bound.trace == ObjectIdentifier(trace) else { return nil }
      return bound.bodies[key]
    }
  }

  func store(_ key: JitKey, _ entry: JitEntry, in trace: Trace) {
    let capacity = max(self.capacity ?? Config.jitCacheSize, 0)
    entries.withLock { e in
      e.clock += 1
      e.history.removeAll { $0 == key }
      e.history.append(key)
      if e.history.count > max(capacity, 1) * 2 { e.history.removeFirst(e.history.count - max(capacity, 1) * 2) }
      guard entry.body.captured.contains(where: \.isTracer) else {
        guard capacity > 0 else { return }
        e.settleLast()
        while e.closed.count >= capacity, let oldest = e.closed.min(by: { $0.value.lastUse < $1.value.lastUse }) {
          e.closed[oldest.key] = nil
          if e.last?.key == oldest.key { e.last = nil }
        }
        e.closed[key] = (entry, e.clock)
        return
      }
      if e.traceBound?.trace != ObjectIdentifier(trace) { e.traceBound = (ObjectIdentifier(trace), [:]) }
      e.traceBound!.bodies[key] = entry
    }
  }

  /// JAX's explanation of a miss for `key` (jax_explain_cache_misses), against the closest key
  /// seen before.
  func explainMiss(_ key: JitKey, _ fn: JitFunction, argNames: [String]) -> String {
    let history = entries.withLock { $0.history }
    let head = "TRACING CACHE MISS at \(fn.name):\n"
    guard !history.isEmpty else {
      return head + "  never seen function:\n    \(fn.name) id=\(UInt(bitPattern: ObjectIdentifier(fn)))"
    }
    let reasons = history.map { missReasons(key, $0, argNames: argNames) }
    let closest = reasons.enumerated().min { $0.element.count < $1.element.count }!.element
    let body =
      closest.isEmpty
      ? [
        "  the key is the same as one seen before, whose traced body was dropped from the cache (its size is Config.jitCacheSize)"
      ]
      : closest
    return head + "  for \(fn.name)\n  all previously seen cache keys differ. For the closest previous key:\n"
      + body.joined(separator: "\n")
  }

  /// The differences between `now` and `before`, as JAX lists them.
  private func missReasons(_ now: JitKey, _ before: JitKey, argNames: [String]) -> [String] {
    if now.x64 != before.x64 || now.partitionable != before.partitionable {
      var lines = ["  Tracing context doesn't match, e.g. due to config or context manager."]
      if now.x64 != before.x64 {
        lines.append("  * jax_enable_x64 differs: now \(py(now.x64)) and before \(py(before.x64))")
      }
      if now.partitionable != before.partitionable {
        lines.append(
          "  * jax_threefry_partitionable differs: now \(py(now.partitionable)) and before \(py(before.partitionable))")
      }
      return lines
    }
    if now.structure != before.structure {
      return [
        "  different input pytree:",
        "  * now \(now.structure.map { "\($0)" } ?? "*") and before \(before.structure.map { "\($0)" } ?? "*")",
      ]
    }
    if now.statics != before.statics {
      var lines = ["  different input pytree:"]
      let node = "<class 'jax._src.tree_util.Static'> with pytree metadata Static(val="
      for (a, b) in zip(now.statics, before.statics) where a != b {
        lines.append(
          "  * at input path [0][\(a.position)], now \(node)\(a.description)) and before \(node)\(b.description)), so the pytree node metadata does not match"
        )
      }
      return lines
    }
    guard now.avals.count == before.avals.count else {
      return ["  different number of arguments: now \(now.avals.count) and before \(before.avals.count)"]
    }
    var lines = ["  different input types:"]
    for (i, (a, b)) in zip(now.avals, before.avals).enumerated() where a != b {
      let name = i < argNames.count ? argNames[i] : "args[\(i)]"
      if a.weakType != b.weakType {
        lines.append(
          "  * at \(name), now \(a)({}){weak_type=\(py(a.weakType))} and before \(b)({}){weak_type=\(py(b.weakType))}https://docs.jax.dev/en/latest/type_promotion.html#weak-types"
        )
      } else {
        lines.append("  * at \(name), now \(a) and before \(b)")
      }
    }
    return lines
  }

  private func py(_ b: Bool) -> String { b ? "True" : "False" }
}

// MARK: - settings

extension Config {
  private static let settings = Mutex(JitSettings())

  private struct JitSettings {
    var cacheSize = 64
    var explain = false
    var optimize = true
    var sink: @Sendable (String) -> Void = { message in
      var err = StandardError()
      print(message, to: &err)
    }
  }

  /// How many traced bodies each jitted function keeps (least recently used dropped first);
  /// 64 by default. 0 keeps none (every call traces).
  public static var jitCacheSize: Int {
    get { settings.withLock { $0.cacheSize } }
    set { settings.withLock { $0.cacheSize = newValue } }
  }

  /// `jax_explain_cache_misses`: when on, every trace of a jitted function reports why its
  /// cache missed to `cacheMissSink`.
  public static var explainCacheMisses: Bool {
    get { settings.withLock { $0.explain } }
    set { settings.withLock { $0.explain = newValue } }
  }

  /// Where cache-miss explanations go (standard error by default, as JAX logs a warning).
  public static var cacheMissSink: @Sendable (String) -> Void {
    get { settings.withLock { $0.sink } }
    set { settings.withLock { $0.sink = newValue } }
  }

  /// Whether jit runs its bodies through the optimisation passes (on by default). Values are
  /// the same either way; this is for comparing and debugging.
  public static var jitOptimization: Bool {
    get { settings.withLock { $0.optimize } }
    set { settings.withLock { $0.optimize = newValue } }
  }

  static func reportCacheMiss(_ message: String) { cacheMissSink(message) }
}

/// Standard error as a text stream.
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

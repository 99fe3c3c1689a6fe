import FluxionBackend
import Synchronization

/// Stages `f` as one `jit` equation (jax.jit): `f` is traced once per kind of arguments (shapes,
/// dtypes, weak types and the x64 and PRNG settings), and the program is what runs, is
/// differentiated, batched and printed. Values `f` closes over become explicit operands.
///
/// ```swift
/// let f = jit(name: "f") { (xs: [Tensor]) in [sin(xs[0]) * 2] }
/// makeJaxpr(f, [Tensor(1.0)])   // { lambda ; a:f32[]. let b:f32[] = jit[name=f jaxpr={ … }] a in (b,) }
/// ```
///
/// The body runs on the interpreter for now; the compiler replaces that with a fused plan.
public func jit(name: String = "<lambda>", _ f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] {
  let cache = JitCache()
  return { args in jitCall(name, cache, f, args) }
}

/// jit of a throwing function: tracing rethrows what `f` throws (see Grad.swift for why two
/// overloads).
public func jit(name: String = "<lambda>", _ f: @escaping ([Tensor]) throws -> [Tensor]) -> ([Tensor]) throws ->
  [Tensor]
{
  let cache = JitCache()
  return { args in try jitCall(name, cache, f, args) }
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
  let cache = TreeJitCache()
  return { x in treeJitCall(name, cache, f, x) }
}

public func jit<In: PyTree, Out: PyTree>(name: String = "<lambda>", _ f: @escaping (In) throws -> Out) -> (In) throws
  -> Out
{
  let cache = TreeJitCache()
  return { x in try treeJitCall(name, cache, f, x) }
}

func treeJitCall<In: PyTree, Out: PyTree, E: Error>(
  _ name: String, _ cache: TreeJitCache, _ f: (In) throws(E) -> Out, _ x: In
) throws(E) -> Out {
  let (leaves, def) = treeFlatten(x)
  let (bodies, outDefs) = cache.entry(for: def)
  var traced: TreeDef?
  let outs = try jitCall(
    name, bodies,
    { xs throws(E) in
      let (l, d) = try applyRebuilt(f, def, xs)
      traced = d
      return l
    }, leaves)
  let key = JitCache.Key(avals: leaves.map(\.aval), x64: Config.x64, partitionable: Config.threefryPartitionable)
  if let traced { outDefs.withLock { $0[key] = traced } }
  guard let od = traced ?? outDefs.withLock({ $0[key] }) else {
    // jit failed before it traced `f` (an argument holding an error).
    return try rebuildFailed(f, x, outs.first?.error ?? noOutputs("jit"))
  }
  guard outs.count == od.leafCount else { return failedTree(od, outs.first?.error ?? noOutputs("jit")) }
  return rebuild(od, outs)
}

/// The traced bodies of a jitted function of a pytree, by the argument's structure, and the
/// structure of the output each body makes.
final class TreeJitCache: Sendable {
  private let entries = Mutex<[TreeDef: (JitCache, OutputDefs)]>([:])

  final class OutputDefs: Sendable {
    private let defs = Mutex<[JitCache.Key: TreeDef]>([:])
    func withLock<R>(_ body: (inout [JitCache.Key: TreeDef]) -> R) -> R { defs.withLock { body(&$0) } }
  }

  func entry(for def: TreeDef) -> (JitCache, OutputDefs) {
    entries.withLock { e in
      if let hit = e[def] { return hit }
      let made = (JitCache(), OutputDefs())
      e[def] = made
      return made
    }
  }
}

func jitCall<E: Error>(_ name: String, _ cache: JitCache, _ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor])
  throws(E) -> [Tensor]
{
  if let e = args.lazy.compactMap(\.error).first { return [Tensor(failed: e)] }
  let key = JitCache.Key(avals: args.map(\.aval), x64: Config.x64, partitionable: Config.threefryPartitionable)
  let body: TracedBody
  if let hit = cache.lookup(key, in: currentTrace) {
    body = hit
  } else {
    switch try traceBody(key.avals, { xs throws(E) in try f(xs).map(Optional.some) }) {
    case .failure(let e): return [Tensor(failed: e)]
    case .success(let traced):
      body = traced
      cache.store(key, traced, in: currentTrace)
    }
  }
  // Outside every transformation the body's plan runs directly (Compiler/CachedCall.swift).
  if let outs = body.runOutsideTransformations(args) { return outs }
  return bind(JitCall(name, body), body.captured + args)
}

/// The traced bodies of one jitted function, by kind of arguments.
///
/// A body that captured tracers of the transformation running now is valid only inside it:
/// those are kept apart, for that one trace (whose tracers they hold, so it cannot be freed
/// and its identity reused while they are kept).
final class JitCache: Sendable {
  struct Key: Hashable {
    let avals: [ShapedArray]
    let x64: Bool
    let partitionable: Bool
  }

  private struct Entries {
    var closed: [Key: TracedBody] = [:]
    var traceBound: (trace: ObjectIdentifier, bodies: [Key: TracedBody])?
  }

  private let entries = Mutex(Entries())

  func lookup(_ key: Key, in trace: Trace) -> TracedBody? {
    entries.withLock { e in
      if let hit = e.closed[key] { return hit }
      guard let bound = e.traceBound, bound.trace == ObjectIdentifier(trace) else { return nil }
      return bound.bodies[key]
    }
  }

  func store(_ key: Key, _ body: TracedBody, in trace: Trace) {
    entries.withLock { e in
      guard body.captured.contains(where: \.isTracer) else {
        e.closed[key] = body
        return
      }
      if e.traceBound?.trace != ObjectIdentifier(trace) { e.traceBound = (ObjectIdentifier(trace), [:]) }
      e.traceBound!.bodies[key] = body
    }
  }
}

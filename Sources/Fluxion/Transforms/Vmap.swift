import FluxionBackend

/// Which axis of each leaf vmap maps over: one for all leaves, or a tree prefix of the value
/// (JAX's in_axes / out_axes pytrees), written with literals: `0`, `nil`, `[0, nil]` for a
/// list or tuple, `["w": 0, "b": nil]` for a dictionary.
public indirect enum AxisSpec: ExpressibleByIntegerLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral, Sendable, Equatable
{
  case axis(Int?)
  /// One spec per child of a list, tuple or registered node.
  case list([AxisSpec])
  case dict([String: AxisSpec])

  public init(integerLiteral value: Int) { self = .axis(value) }
  public init(nilLiteral: ()) { self = .axis(nil) }
  public init(arrayLiteral elements: AxisSpec...) { self = .list(elements) }
  public init(dictionaryLiteral elements: (String, AxisSpec)...) {
    self = .dict(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }

  /// One axis per leaf of a value with structure `def`.
  func leaves(for def: TreeDef) throws(FluxionError) -> [Int?] {
    switch (self, def) {
    case (.axis(let a), _): return Array(repeating: a, count: def.leafCount)
    case (.list(let specs), .list(let children)), (.list(let specs), .tuple(let children)),
      (.list(let specs), .custom(_, _, let children)):
      guard specs.count == children.count else { throw prefixError(def) }
      var out: [Int?] = []
      for (s, c) in zip(specs, children) { out += try s.leaves(for: c) }
      return out
    case (.dict(let specs), .dict(let keys, let children)):
      guard Set(specs.keys) == Set(keys) else { throw prefixError(def) }
      var out: [Int?] = []
      for (k, c) in zip(keys, children) {
        guard let s = specs[k] else { throw prefixError(def) }
        out += try s.leaves(for: c)
      }
      return out
    default:
      throw prefixError(def)
    }
  }

  func prefixError(_ def: TreeDef) -> FluxionError {
    .valueError(
      "vmap in_axes specification must be a tree prefix of the corresponding value, got specification \(self) for value tree \(def)."
    )
  }
}

/// Vectorising map on flat lists: `inAxes[i]` for argument leaf i, `outAxes[j]` for output j.
///
/// What `f` throws is rethrown as it is.
@_spi(FluxionLang) public func vmapFlat<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor], inAxes: [Int?], outAxes: (Int) -> Int?,
  axisSize: Int? = nil, argNames: [String]? = nil
) throws(E) -> [Tensor] {
  func fail(_ e: FluxionError) -> [Tensor] { [Tensor(failed: e)] }
  if let e = args.lazy.compactMap(\.error).first { return fail(e) }
  if inAxes.count != args.count {
    return fail(
      .valueError(
        "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=\(inAxes.count), len(args)=\(args.count)"
      ))
  }
  var axes: [Int?] = []
  var sizes: [Int?] = []
  for (x, a) in zip(args, inAxes) {
    guard let a else {
      axes.append(nil)
      sizes.append(nil)
      continue
    }
    guard let n = normalizeAxis(a, x.rank) else {
      return fail(
        .valueError(
          "vmap was requested to map its argument along axis \(a), which implies that its rank should be at least \(a >= 0 ? String(UInt(a) + 1) : String(a.magnitude)), but is only \(x.rank) (its shape is \(pyShape(x.shape)))"
        ))
    }
    axes.append(n)
    sizes.append(x.shape[n])
  }
  let distinct = Set(sizes.compactMap { $0 } + (axisSize.map { [$0] } ?? []))
  guard let size = axisSize ?? sizes.lazy.compactMap({ $0 }).first else {
    return fail(.valueError("vmap must have at least one non-None value in in_axes or axis_size must be specified"))
  }
  if distinct.count > 1 {
    let names = args.indices.map { i in argNames.flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? "args[\(i)]" }
    return fail(
      .valueError(inconsistentSizes(sizes, axes: inAxes, names: names, types: args.map(\.aval), axisSize: axisSize)))
  }
  let trace = BatchTrace(parent: currentTrace, axisSize: size)
  let inputs = zip(args, axes).map { x, a in a == nil ? x : trace.wrap(x, a) }
  let outs = try withUserTrace(trace) { () throws(E) in try f(inputs) }
  return outs.enumerated().map { j, o in
    if o.error != nil { return o }
    let (value, dim) = trace.unpack(o)
    guard let target = outAxes(j) else {
      if let dim {
        return Tensor(failed: .valueError("at vmap out_axes, got axis spec None but output was batched on axis \(dim)"))
      }
      return value
    }
    guard let t = normalizeAxis(target, value.rank + (dim == nil ? 1 : 0)) else {
      return Tensor(failed: FluxionError(.axisOutOfBounds(axis: target, rank: value.rank + (dim == nil ? 1 : 0))))
    }
    return moveBatchAxis(value, from: dim, to: t, size: size)
  }
}

/// JAX's message for mapped axes of different sizes: the sizes by how many leaves have each
/// (most first, ties in order of appearance), each with its first leaf as an example, named
/// by `names` (`args[0]['w']`, as JAX names arguments of a function without a signature).
func inconsistentSizes(_ sizes: [Int?], axes: [Int?], names: [String], types: [ShapedArray], axisSize: Int?)
  -> String
{
  var order: [Int] = []
  var counts: [Int: Int] = [:]
  for s in sizes.compactMap({ $0 }) {
    if counts[s] == nil { order.append(s) }
    counts[s, default: 0] += 1
  }
  let ranked = order.enumerated().sorted { a, b in
    counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
  }.map(\.element)
  var lines = ["vmap got inconsistent sizes for array axes to be mapped:"]
  if let axisSize { lines.append("  * the `axis_size` argument was \(axisSize);") }
  for (rank, size) in ranked.enumerated() {
    let i = sizes.firstIndex(of: size)!
    let example = "axis \(axes[i]!) of \(names[i]) of type \(types[i].longDescription)"
    let count = counts[size]!
    lines.append(
      count == 1
        ? "  * one axis had size \(size): \(example);"
        : "  * \(rank == 0 ? "most" : "some") axes (\(count) of them) had size \(size), e.g. \(example);")
  }
  return String(lines.joined(separator: "\n").dropLast())
}

/// Maps `f` over an axis of its argument (jax.vmap).
///
/// ```swift
/// let batched = vmap(grad(f))(linspace(-3, 3, 1_000))
/// ```
public func vmap<In: PyTree, Out: PyTree>(
  _ f: @escaping (In) -> Out, inAxes: AxisSpec = 0, outAxes: AxisSpec = 0, axisSize: Int? = nil
) -> (In) -> Out {
  { x in vmapCall(f, x, inAxes, outAxes, axisSize) }
}

/// vmap of a throwing function: rethrows what `f` throws (see Grad.swift for why two overloads).
public func vmap<In: PyTree, Out: PyTree>(
  _ f: @escaping (In) throws -> Out, inAxes: AxisSpec = 0, outAxes: AxisSpec = 0, axisSize: Int? = nil
) -> (In) throws -> Out {
  { x in try vmapCall(f, x, inAxes, outAxes, axisSize) }
}

/// vmap of `f` at `x`; `x` is the tuple of all the arguments when `packed` (else the one
/// argument), which names its leaves in errors (`args[1]['w']`).
func vmapCall<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ x: In, _ inAxes: AxisSpec, _ outAxes: AxisSpec, _ axisSize: Int?,
  packed: Bool = false
) throws(E) -> Out {
  let (leaves, def) = treeFlatten(x)
  let names = def.leafKeyPaths.map { (packed ? "args" : "args[0]") + $0 }
  let axes: [Int?]
  do throws(FluxionError) {
    axes = try inAxes.leaves(for: def)
  } catch {
    return try rebuildFailed(f, x, error)
  }
  var outDef: TreeDef?
  var outAxesLeaves: [Int?] = []
  var outAxesError: FluxionError?
  let outs = try vmapFlat(
    { xs throws(E) in
      let (l, d) = try applyRebuilt(f, def, xs)
      outDef = d
      do throws(FluxionError) {
        outAxesLeaves = try outAxes.leaves(for: d)
      } catch {
        outAxesError = error
      }
      return l
    }, leaves, inAxes: axes, outAxes: { outAxesLeaves.indices.contains($0) ? outAxesLeaves[$0] : 0 },
    axisSize: axisSize, argNames: names)
  guard let outDef else {
    // vmap failed before it ran `f` (inconsistent sizes, an axis out of range).
    return try rebuildFailed(f, x, outs.first?.error ?? .valueError("vmap produced no outputs"))
  }
  if let outAxesError { return failedTree(outDef, outAxesError) }
  guard outs.count == outDef.leafCount else {
    return failedTree(outDef, outs.first?.error ?? .valueError("vmap produced no outputs"))
  }
  return rebuild(outDef, outs)
}

/// vmap of a function of several arguments; `inAxes` holds one spec per argument.
func vmapCall<each A: PyTree, Out: PyTree, E: Error>(
  _ f: (repeat each A) throws(E) -> Out, inAxes: [AxisSpec], _ outAxes: AxisSpec, _ axisSize: Int?,
  _ args: repeat each A
) throws(E) -> Out {
  try vmapCall(
    { (t: Args<repeat each A>) throws(E) in try f(repeat each t.values) }, Args(repeat each args), .list(inAxes),
    outAxes, axisSize, packed: true)
}

/// Two values as one pytree (a Python 2-tuple).
public struct Pair<A: PyTree, B: PyTree>: PyTree {
  public var first: A
  public var second: B
  public init(_ first: A, _ second: B) {
    self.first = first
    self.second = second
  }
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    .tuple([first.flatten(into: &leaves), second.flatten(into: &leaves)])
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Pair {
    guard case .tuple(let c) = def, c.count == 2 else { throw structureError("a 2-tuple", def) }
    return Pair(try A.unflatten(c[0], &leaves), try B.unflatten(c[1], &leaves))
  }
}

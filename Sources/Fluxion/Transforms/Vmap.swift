import FluxionBackend

/// Which axis of each leaf vmap maps over: one for all leaves, or a tree prefix of the
/// arguments (`.list([0, nil])` for two arguments, nested as the arguments are).
public indirect enum AxisSpec: ExpressibleByIntegerLiteral, ExpressibleByNilLiteral, Sendable, Equatable {
  case axis(Int?)
  case list([AxisSpec])
  case dict([String: AxisSpec])

  public init(integerLiteral value: Int) { self = .axis(value) }
  public init(nilLiteral: ()) { self = .axis(nil) }

  /// One axis per leaf of a value with structure `def`.
  func leaves(for def: TreeDef) throws(FluxionError) -> [Int?] {
    switch (self, def) {
    case (.axis(let a), _): return Array(repeating: a, count: def.leafCount)
    case (.list(let specs), .list(let children)), (.list(let specs), .tuple(let children)):
      guard specs.count == children.count else { throw prefixError(def) }
      var out: [Int?] = []
      for (s, c) in zip(specs, children) { out += try s.leaves(for: c) }
      return out
    case (.list(let specs), .custom(_, _, let children)) where specs.count == 1:
      return try specs[0].leaves(for: children[0])
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
public func vmapFlat<E: Error>(
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
  if inAxes.allSatisfy({ $0 == nil }) && axisSize == nil {
    return fail(.valueError("vmap must have at least one non-None value in in_axes or axis_size must be specified"))
  }
  var axes: [Int?] = []
  var sizes: [(String, Int)] = []
  if let axisSize { sizes.append(("the `axis_size` argument was \(axisSize)", axisSize)) }
  for (i, (x, a)) in zip(args, inAxes).enumerated() {
    guard let a else {
      axes.append(nil)
      continue
    }
    guard let n = normalizeAxis(a, x.rank) else {
      return fail(
        .valueError(
          "vmap was requested to map its argument along axis \(a), which implies that its rank should be at least \(a >= 0 ? String(UInt(a) + 1) : String(a.magnitude)), but is only \(x.rank) (its shape is \(pyShape(x.shape)))"
        ))
    }
    axes.append(n)
    let name = argNames.flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? "argument \(i)"
    sizes.append(
      ("one axis had size \(x.shape[n]): axis \(n) of \(name) of type \(x.aval.longDescription)", x.shape[n]))
  }
  let size = sizes[0].1
  if sizes.contains(where: { $0.1 != size }) {
    return fail(
      .valueError(
        "vmap got inconsistent sizes for array axes to be mapped:\n"
          + sizes.map { "  * \($0.0)" }.joined(separator: ";\n")))
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

func vmapCall<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ x: In, _ inAxes: AxisSpec, _ outAxes: AxisSpec, _ axisSize: Int?
) throws(E) -> Out {
  let (leaves, def) = treeFlatten(x)
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
    axisSize: axisSize)
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

/// Maps a function of two arguments; `inAxes` gives each argument's axis (nil: not mapped).
public func vmap<A: PyTree, B: PyTree, Out: PyTree>(
  _ f: @escaping (A, B) -> Out, inAxes: (AxisSpec, AxisSpec) = (0, 0), outAxes: AxisSpec = 0, axisSize: Int? = nil
) -> (A, B) -> Out {
  { a, b in
    vmapCall({ (p: Pair<A, B>) in f(p.first, p.second) }, Pair(a, b), .list([inAxes.0, inAxes.1]), outAxes, axisSize)
  }
}

public func vmap<A: PyTree, B: PyTree, Out: PyTree>(
  _ f: @escaping (A, B) throws -> Out, inAxes: (AxisSpec, AxisSpec) = (0, 0), outAxes: AxisSpec = 0,
  axisSize: Int? = nil
) -> (A, B) throws -> Out {
  { a, b in
    try vmapCall(
      { (p: Pair<A, B>) throws in try f(p.first, p.second) }, Pair(a, b), .list([inAxes.0, inAxes.1]), outAxes,
      axisSize)
  }
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

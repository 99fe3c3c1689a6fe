/// The positional arguments of a function of several pytrees, as one pytree (a Python tuple):
/// the transformations of functions of several arguments run their one-argument cores on it.
struct Args<each A: PyTree>: PyTree {
  var values: (repeat each A)

  init(_ values: repeat each A) { self.values = (repeat each values) }

  static var count: Int {
    var n = 0
    for _ in repeat (each A).self { n += 1 }
    return n
  }

  func flatten(into leaves: inout [Tensor]) -> TreeDef {
    var defs: [TreeDef] = []
    for v in repeat each values { defs.append(v.flatten(into: &leaves)) }
    return .tuple(defs)
  }

  static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Args {
    guard case .tuple(let defs) = def, defs.count == count else { throw structureError("a \(count)-tuple", def) }
    var i = 0
    func next<T: PyTree>(_: T.Type) throws(FluxionError) -> T {
      defer { i += 1 }
      return try T.unflatten(defs[i], &leaves)
    }
    return Args(repeat try next((each A).self))
  }

  /// Each argument where `keep(position)` holds, nil elsewhere.
  func pick(_ keep: (Int) -> Bool) -> (repeat (each A)?) {
    var i = -1
    func one<T>(_ x: T) -> T? {
      i += 1
      return keep(i) ? x : nil
    }
    return (repeat one(each values))
  }
}

/// `argnums` made non-negative against `count` arguments, or JAX's error for one out of range.
func normalizedArgnums(_ argnums: [Int], count: Int) -> Result<[Int], FluxionError> {
  var out: [Int] = []
  for i in argnums {
    if i < 0 && i < -count {
      return .failure(
        .valueError(
          "Positional argument indices, e.g. for `static_argnums`, must have value greater than or equal to -len(args) and less than len(args), but got value \(i) for len(args) == \(count)."
        ))
    }
    if i >= count {
      return .failure(
        .typeError(
          "differentiating with respect to argnums=\(i) requires at least \(UInt(i) + 1) positional arguments to be passed by the caller, but got only \(count) positional arguments."
        ))
    }
    out.append(i < 0 ? i + count : i)
  }
  return .success(out)
}

// MARK: - cores of the transformations of several arguments

func valueAndGradCall<each A: PyTree, E: Error>(
  _ f: (repeat each A) throws(E) -> Tensor, _ args: repeat each A
) throws(E) -> (Tensor, (repeat each A)) {
  let (v, g) = try valueAndGradCall(
    { (t: Args<repeat each A>) throws(E) in try f(repeat each t.values) }, Args(repeat each args))
  return (v, g.values)
}

/// The value, and the gradient with respect to each argument at `argnums` (nil at the others,
/// which are not differentiated and may be of any dtype, as JAX's non-argnums arguments).
/// Invalid argnums give JAX's error in the value and in every gradient.
func valueAndGradCall<each A: PyTree, E: Error>(
  argnums: [Int], _ f: (repeat each A) throws(E) -> Tensor, _ args: repeat each A
) throws(E) -> (Tensor, (repeat (each A)?)) {
  let all = Args(repeat each args)
  let (leaves, def) = treeFlatten(all)
  let defs = def.children
  let picked: [Int]
  switch normalizedArgnums(argnums, count: defs.count) {
  case .failure(let e):
    return (Tensor(failed: e), (repeat Optional(failedLike(each args, e))))
  case .success(let p): picked = p
  }
  var starts = [0]
  for d in defs { starts.append(starts.last! + d.leafCount) }
  let leafIndices = picked.flatMap { Array(starts[$0]..<starts[$0 + 1]) }
  let r = try valueAndGradFlat(
    { xs throws(E) in try applyRebuilt({ (t: Args<repeat each A>) throws(E) in try f(repeat each t.values) }, def, xs).0
    },
    leaves, argnums: leafIndices)
  // Arguments not differentiated keep their own leaves, so that they rebuild (an Int stays one).
  var grads = leaves
  for (k, i) in leafIndices.enumerated() { grads[i] = r.grads[k] }
  let rebuilt: Args<repeat each A> = rebuild(def, grads)
  return (r.value, rebuilt.pick { picked.contains($0) })
}

/// A value of `x`'s structure with every leaf carrying `e`.
func failedLike<T: PyTree>(_ x: T, _ e: FluxionError) -> T { failedTree(treeStructure(x), e) }

import FluxionBackend

// Transformations that return a function come in two overloads: one for functions that do not
// throw (the result does not either) and one for functions that do (the result rethrows what
// the function throws, as it is: a Python exception raised inside a grad-ed lambda propagates
// as itself). Both are thin over one typed-throws core called directly; a returned closure
// typed `throws(E)` would have to be converted to a non-throwing one at E = Never, which the
// Swift 6.3 compiler cannot do (SILGen crashes emitting the reabstraction thunk).

/// The gradient of a scalar function of one pytree argument; the result has the argument's
/// structure (a `Point` in, a `Point` out).
///
/// ```swift
/// let df = grad { (x: Tensor) in sin(x) * x.pow(3) }
/// df(Tensor(2.0))   // Array(-3.0628..., dtype=float32)
/// ```
public func grad<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> In {
  { x in valueAndGradCall(f, x).1 }
}

/// The gradient of a throwing function: rethrows what `f` throws.
public func grad<In: PyTree>(_ f: @escaping (In) throws -> Tensor) -> (In) throws -> In {
  { x in try valueAndGradCall(f, x).1 }
}

/// The value and gradient of a scalar function of one pytree argument.
public func valueAndGrad<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> (value: Tensor, gradient: In) {
  { x in valueAndGradCall(f, x) }
}

public func valueAndGrad<In: PyTree>(
  _ f: @escaping (In) throws -> Tensor
) -> (In) throws -> (value: Tensor, gradient: In) {
  { x in try valueAndGradCall(f, x) }
}

func valueAndGradCall<In: PyTree, E: Error>(_ f: (In) throws(E) -> Tensor, _ x: In) throws(E) -> (Tensor, In) {
  let (leaves, def) = treeFlatten(x)
  let r = try valueAndGradFlat(
    { xs throws(E) in try applyRebuilt(f, def, xs).0 }, leaves, argnums: Array(leaves.indices))
  return (r.value, rebuild(def, r.grads))
}

/// Gradients of a function of several pytrees (all of one type: `Tree` mixes structures) with
/// respect to the arguments at `argnums` (negative counts from the end, as in JAX): one
/// gradient per entry of `argnums`, in that argument's structure. Invalid argnums give JAX's
/// error in every gradient. For functions of two to four arguments of their own types, see
/// `grad(argnums:_:)` in Arity.swift.
///
/// ```swift
/// let f = { (xs: [Tensor]) in xs[0].pow(2) * xs[1] }
/// grad(argnums: [1], f)([Tensor(3.0), Tensor(2.0)])   // [9.0]
/// ```
public func grad<T: PyTree>(argnums: [Int], _ f: @escaping ([T]) -> Tensor) -> ([T]) -> [T] {
  { args in valueAndGradCall(argnums, f, args).1 }
}

public func grad<T: PyTree>(argnums: [Int], _ f: @escaping ([T]) throws -> Tensor) -> ([T]) throws -> [T] {
  { args in try valueAndGradCall(argnums, f, args).1 }
}

/// The value, and the gradients with respect to the arguments at `argnums`.
public func valueAndGrad<T: PyTree>(argnums: [Int], _ f: @escaping ([T]) -> Tensor) -> ([T]) -> (Tensor, [T]) {
  { args in valueAndGradCall(argnums, f, args) }
}

public func valueAndGrad<T: PyTree>(
  argnums: [Int], _ f: @escaping ([T]) throws -> Tensor
) -> ([T]) throws -> (Tensor, [T]) {
  { args in try valueAndGradCall(argnums, f, args) }
}

func valueAndGradCall<T: PyTree, E: Error>(
  _ argnums: [Int], _ f: ([T]) throws(E) -> Tensor, _ args: [T]
) throws(E) -> (Tensor, [T]) {
  var value = Tensor(failed: .typeError("grad of a function of no arguments"))
  let grads = try selectedCall(argnums, args) { (picked: [Int]) throws(E) in
    let (v, g) = try valueAndGradCall(
      { (xs: [T]) throws(E) in
        var full = args
        for (k, i) in picked.enumerated() { full[i] = xs[k] }
        return try f(full)
      }, picked.map { args[$0] })
    value = v
    return g
  }
  if case .failure(let e) = normalizedArgnums(argnums, count: args.count) { value = Tensor(failed: e) }
  return (value, grads)
}

/// Gradient of a function returning `(value, aux)`: `(gradient, aux)` (JAX's `has_aux=True`).
public func grad<In: PyTree, Aux: PyTree>(
  hasAux f: @escaping (In) -> (Tensor, Aux)
) -> (In) -> (gradient: In, aux: Aux) {
  { x in
    let ((_, aux), g) = valueAndGradCall(hasAux: f, x)
    return (g, aux)
  }
}

public func grad<In: PyTree, Aux: PyTree>(
  hasAux f: @escaping (In) throws -> (Tensor, Aux)
) -> (In) throws -> (gradient: In, aux: Aux) {
  { x in
    let ((_, aux), g) = try valueAndGradCall(hasAux: f, x)
    return (g, aux)
  }
}

/// `((value, aux), gradient)` for a function returning `(value, aux)`, as JAX's
/// `value_and_grad(f, has_aux=True)`.
public func valueAndGrad<In: PyTree, Aux: PyTree>(
  hasAux f: @escaping (In) -> (Tensor, Aux)
) -> (In) -> ((value: Tensor, aux: Aux), gradient: In) {
  { x in valueAndGradCall(hasAux: f, x) }
}

public func valueAndGrad<In: PyTree, Aux: PyTree>(
  hasAux f: @escaping (In) throws -> (Tensor, Aux)
) -> (In) throws -> ((value: Tensor, aux: Aux), gradient: In) {
  { x in try valueAndGradCall(hasAux: f, x) }
}

func valueAndGradCall<In: PyTree, Aux: PyTree, E: Error>(
  hasAux f: (In) throws(E) -> (Tensor, Aux), _ x: In
) throws(E) -> ((Tensor, Aux), In) {
  let (leaves, def) = treeFlatten(x)
  var auxDef = TreeDef.leaf
  let r = try valueAndGradFlat(
    { xs throws(E) in
      var error: FluxionError?
      let (v, a) = try f(rebuild(def, xs, error: &error))
      let (auxLeaves, d) = treeFlatten(a)
      auxDef = d
      return ([v] + auxLeaves).map { y in error.map { Tensor(failed: $0) } ?? y }
    }, leaves, argnums: Array(leaves.indices))
  let aux: Aux = rebuild(
    auxDef, r.aux.count == auxDef.leafCount ? r.aux : Array(repeating: r.value, count: auxDef.leafCount))
  return ((r.value, aux), rebuild(def, r.grads))
}

/// The structure of a function's output, learnt while it runs on flat leaves.
final class OutputStructure {
  var def = TreeDef.leaf

  /// `f` on the leaves of an input of structure `inDef`, returning the output's leaves.
  func flat<In: PyTree, Out: PyTree, E: Error>(
    _ f: (In) throws(E) -> Out, _ inDef: TreeDef, _ xs: [Tensor]
  ) throws(E) -> [Tensor] {
    let (leaves, d) = try applyRebuilt(f, inDef, xs)
    def = d
    return leaves
  }
}

/// Forward mode: `(f(primals), J·tangents)` for pytree inputs and outputs.
///
/// What `f` throws is rethrown as it is.
public func jvp<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, primals: In, tangents: In
) throws(E) -> (output: Out, tangent: Out) {
  let (p, def) = treeFlatten(primals)
  let (t, tdef) = treeFlatten(tangents)
  if def != tdef {
    let e = FluxionError.typeError(
      "primal and tangent arguments to jax.jvp must have the same tree structure; primals have tree structure \(TreeDef.tuple([def])) whereas tangents have tree structure \(TreeDef.tuple([tdef]))."
    )
    let failed: Out = try rebuildFailed(f, primals, e)
    return (failed, failed)
  }
  let out = OutputStructure()
  let (ys, ts) = try jvpFlat({ xs throws(E) in try out.flat(f, def, xs) }, primals: p, tangents: t)
  return (rebuild(out.def, ys), rebuild(out.def, ts))
}

/// An output of `f`'s type with every leaf failed, for a transformation that fails before it
/// runs `f`: the structure comes from running `f` once, untransformed.
func rebuildFailed<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ x: In, _ e: FluxionError
) throws(E) -> Out {
  failedTree(treeStructure(try f(x)), e)
}

/// A value of structure `def` whose every leaf holds `e`.
func failedTree<Out: PyTree>(_ def: TreeDef, _ e: FluxionError) -> Out {
  rebuild(def, Array(repeating: Tensor(failed: e), count: def.leafCount))
}

/// Forward mode for one tensor.
public func jvp<E: Error>(
  _ f: (Tensor) throws(E) -> Tensor, _ x: Tensor, _ v: Tensor
) throws(E) -> (output: Tensor, tangent: Tensor) {
  try jvp(f, primals: x, tangents: v)
}

/// Evaluates `f` and returns its linearisation: a function of tangents (jax.linearize).
public func linearize<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ x: In
) throws(E) -> (output: Out, jvp: (In) -> Out) {
  let (p, def) = treeFlatten(x)
  let out = OutputStructure()
  let (ys, linear) = try linearizeFlat({ xs throws(E) in try out.flat(f, def, xs) }, primals: p)
  let od = out.def
  return (rebuild(od, ys), { t in rebuild(od, linear(treeLeaves(t))) })
}

/// Reverse mode: `f(x)` and a pullback from an output cotangent to the input's cotangent.
public func vjp<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ x: In
) throws(E) -> (output: Out, pullback: (Out) -> In) {
  let (y, pullback, _) = try vjp(hasAux: { (x: In) throws(E) in (try f(x), Tensor?.none) }, x)
  return (y, pullback)
}

/// Reverse mode for several arguments: the pullback returns one cotangent per argument.
///
/// ```swift
/// let (y, pullback) = vjp({ (w: Tensor, x: Tensor) in matmul(w, x) }, W, x)
/// let (gw, gx) = pullback(Tensor([1.0, -1.0]))
/// ```
public func vjp<A: PyTree, B: PyTree, each C: PyTree, Out: PyTree, E: Error>(
  _ f: (A, B, repeat each C) throws(E) -> Out, _ a: A, _ b: B, _ c: repeat each C
) throws(E) -> (output: Out, pullback: (Out) -> (A, B, repeat each C)) {
  try vjpCall(f, a, b, repeat each c)
}

func vjpCall<each A: PyTree, Out: PyTree, E: Error>(
  _ f: (repeat each A) throws(E) -> Out, _ args: repeat each A
) throws(E) -> (Out, (Out) -> (repeat each A)) {
  let (y, pullback) = try vjp(
    { (t: Args<repeat each A>) throws(E) in try f(repeat each t.values) }, Args(repeat each args))
  return (y, { ct in pullback(ct).values })
}

/// Reverse mode for a function returning `(output, aux)`: `(output, pullback, aux)`, the aux
/// not differentiated (JAX's `vjp(f, x, has_aux=True)`).
public func vjp<In: PyTree, Out: PyTree, Aux: PyTree, E: Error>(
  hasAux f: (In) throws(E) -> (Out, Aux), _ x: In
) throws(E) -> (output: Out, pullback: (Out) -> In, aux: Aux) {
  let (p, def) = treeFlatten(x)
  var (od, auxDef, outCount) = (TreeDef.leaf, TreeDef.leaf, 0)
  // The aux leaves are outputs too, so that they leave the trace as values; their cotangents are zeros.
  let (ys, pullback) = try vjpFlat(
    { xs throws(E) in
      var error: FluxionError?
      let (y, aux) = try f(rebuild(def, xs, error: &error))
      let (yl, yd) = treeFlatten(y)
      let (al, ad) = treeFlatten(aux)
      (od, auxDef, outCount) = (yd, ad, yl.count)
      return (yl + al).map { v in error.map { Tensor(failed: $0) } ?? v }
    }, primals: p)
  let auxValues = Array(ys[min(outCount, ys.count)...])
  return (
    rebuild(od, Array(ys.prefix(outCount))),
    { [od] ct in
      let (cts, ctDef) = treeFlatten(ct)
      if ctDef != od {
        let e = FluxionError.typeError(
          "Tree structure of cotangent input \(ctDef), does not match structure of primal output \(od).")
        return rebuild(def, p.map { _ in Tensor(failed: e) })
      }
      return rebuild(def, pullback(cts + auxValues.map { zerosLike(tangentAval($0.aval)) }))
    },
    rebuild(auxDef, auxValues)
  )
}

import FluxionBackend

/// The gradient of a scalar function of one pytree argument; the result has the argument's
/// structure (a `Point` in, a `Point` out).
///
/// ```swift
/// let df = grad { (x: Tensor) in sin(x) * x.pow(3) }
/// df(Tensor(2.0))   // Array(-3.0628..., dtype=float32)
/// ```
public func grad<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> In {
  { x in valueAndGrad(f)(x).1 }
}

/// The value and gradient of a scalar function of one pytree argument.
public func valueAndGrad<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> (Tensor, In) {
  { x in
    let (leaves, def) = treeFlatten(x)
    let r = valueAndGradFlat({ xs in applyRebuilt(f, def, xs).0 }, leaves, argnums: Array(leaves.indices))
    return (r.value, rebuild(def, r.grads))
  }
}

/// Gradients with respect to both arguments (JAX's `argnums=(0, 1)`).
public func grad<A: PyTree, B: PyTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> (A, B) {
  { a, b in valueAndGrad(f)(a, b).1 }
}

/// The value and the gradients with respect to both arguments.
public func valueAndGrad<A: PyTree, B: PyTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> (Tensor, (A, B)) {
  { a, b in
    let (la, da) = treeFlatten(a)
    let (lb, db) = treeFlatten(b)
    let r = valueAndGradFlat(
      { xs in
        var error: FluxionError?
        let y = f(
          rebuild(da, Array(xs[..<la.count]), error: &error), rebuild(db, Array(xs[la.count...]), error: &error))
        return [error.map { Tensor(failed: $0) } ?? y]
      }, la + lb, argnums: Array(0..<(la.count + lb.count)))
    return (r.value, (rebuild(da, Array(r.grads[..<la.count])), rebuild(db, Array(r.grads[la.count...]))))
  }
}

/// Gradients of a function of several tensors with respect to the arguments at `argnums`
/// (negative counts from the end, as in JAX); one gradient per entry of `argnums`.
///
/// ```swift
/// let f = { (xs: [Tensor]) in xs[0].pow(2) * xs[1] }
/// grad(argnums: [1], f)([Tensor(3.0), Tensor(2.0)])   // [9.0]
/// ```
public func grad(argnums: [Int], _ f: @escaping ([Tensor]) -> Tensor) -> ([Tensor]) -> [Tensor] {
  { args in
    let normalized = argnums.map { $0 < 0 ? $0 + args.count : $0 }
    return valueAndGradFlat({ [f($0)] }, args, argnums: normalized).grads
  }
}

/// Gradient of a function returning `(value, aux)`: `(gradient, aux)` (JAX's `has_aux=True`).
public func grad<In: PyTree, Aux: PyTree>(hasAux f: @escaping (In) -> (Tensor, Aux)) -> (In) -> (In, Aux) {
  { x in
    let ((_, aux), g) = valueAndGrad(hasAux: f)(x)
    return (g, aux)
  }
}

/// `((value, aux), gradient)` for a function returning `(value, aux)`, as JAX's
/// `value_and_grad(f, has_aux=True)`.
public func valueAndGrad<In: PyTree, Aux: PyTree>(
  hasAux f: @escaping (In) -> (Tensor, Aux)
) -> (In) -> ((Tensor, Aux), In) {
  { x in
    let (leaves, def) = treeFlatten(x)
    var auxDef = TreeDef.leaf
    let r = valueAndGradFlat(
      { xs in
        var error: FluxionError?
        let (v, a) = f(rebuild(def, xs, error: &error))
        let (auxLeaves, d) = treeFlatten(a)
        auxDef = d
        return ([v] + auxLeaves).map { y in error.map { Tensor(failed: $0) } ?? y }
      }, leaves, argnums: Array(leaves.indices))
    let aux: Aux = rebuild(
      auxDef, r.aux.count == auxDef.leafCount ? r.aux : Array(repeating: r.value, count: auxDef.leafCount))
    return ((r.value, aux), rebuild(def, r.grads))
  }
}

/// The structure of a function's output, learnt while it runs on flat leaves.
final class OutputStructure {
  var def = TreeDef.leaf

  /// `f` on the leaves of an input of structure `inDef`, returning the output's leaves.
  func flat<In: PyTree, Out: PyTree>(_ f: (In) -> Out, _ inDef: TreeDef, _ xs: [Tensor]) -> [Tensor] {
    let (leaves, d) = applyRebuilt(f, inDef, xs)
    def = d
    return leaves
  }
}

/// Forward mode: `(f(primals), J·tangents)` for pytree inputs and outputs.
public func jvp<In: PyTree, Out: PyTree>(_ f: (In) -> Out, primals: In, tangents: In) -> (Out, Out) {
  let (p, def) = treeFlatten(primals)
  let (t, tdef) = treeFlatten(tangents)
  if def != tdef {
    let e = FluxionError.typeError(
      "primal and tangent arguments to jax.jvp must have the same tree structure; primals have tree structure \(def) whereas tangents have tree structure \(tdef)."
    )
    let failed: Out = rebuildFailed(f, primals, e)
    return (failed, failed)
  }
  let out = OutputStructure()
  let (ys, ts) = jvpFlat({ out.flat(f, def, $0) }, primals: p, tangents: t)
  return (rebuild(out.def, ys), rebuild(out.def, ts))
}

/// An output of `f`'s type with every leaf failed (the structure comes from evaluating `f`).
func rebuildFailed<In: PyTree, Out: PyTree>(_ f: (In) -> Out, _ x: In, _ e: FluxionError) -> Out {
  let def = treeStructure(f(x))
  return rebuild(def, Array(repeating: Tensor(failed: e), count: def.leafCount))
}

/// Forward mode for one tensor.
public func jvp(_ f: (Tensor) -> Tensor, _ x: Tensor, _ v: Tensor) -> (Tensor, Tensor) {
  jvp(f, primals: x, tangents: v)
}

/// Evaluates `f` and returns its linearisation: a function of tangents (jax.linearize).
public func linearize<In: PyTree, Out: PyTree>(_ f: (In) -> Out, _ x: In) -> (Out, (In) -> Out) {
  let (p, def) = treeFlatten(x)
  let out = OutputStructure()
  let (ys, linear) = linearizeFlat({ out.flat(f, def, $0) }, primals: p)
  let od = out.def
  return (rebuild(od, ys), { t in rebuild(od, linear(treeLeaves(t))) })
}

/// Reverse mode: `f(x)` and a pullback from an output cotangent to the input's cotangent.
public func vjp<In: PyTree, Out: PyTree>(_ f: (In) -> Out, _ x: In) -> (Out, (Out) -> In) {
  let (p, def) = treeFlatten(x)
  let out = OutputStructure()
  let (ys, pullback) = vjpFlat({ out.flat(f, def, $0) }, primals: p)
  let od = out.def
  return (
    rebuild(od, ys),
    { ct in
      let (cts, ctDef) = treeFlatten(ct)
      if ctDef != od {
        let e = FluxionError.typeError(
          "Tree structure of cotangent input \(ctDef), does not match structure of primal output \(od).")
        return rebuild(def, p.map { _ in Tensor(failed: e) })
      }
      return rebuild(def, pullback(cts))
    }
  )
}

/// Reverse mode for two arguments: the pullback returns one cotangent per argument.
public func vjp<A: PyTree, B: PyTree, Out: PyTree>(_ f: (A, B) -> Out, _ a: A, _ b: B) -> (Out, (Out) -> (A, B)) {
  let (y, pullback) = vjp({ (p: Pair<A, B>) in f(p.first, p.second) }, Pair(a, b))
  return (
    y,
    { ct in
      let g = pullback(ct)
      return (g.first, g.second)
    }
  )
}

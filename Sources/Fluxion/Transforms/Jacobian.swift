import FluxionBackend

/// Rows of an identity matrix of size `n`, shaped `[n] + shape` (the basis vmap maps over).
func basis(_ aval: ShapedArray) -> Tensor {
  let n = aval.count
  let dtype = aval.dtype.isFloatingPoint ? aval.dtype : Config.defaultFloat
  let rows = reshape(eye(n, dtype: dtype), [n] + aval.shape)
  // A weakly typed value has weakly typed tangents, so its Jacobian stays weak (as JAX).
  return aval.weakType ? convertElementType(rows, dtype, weakType: true) : rows
}

/// Jacobian blocks `[output leaf][input leaf]`, each shaped `out.shape + in.shape`, by
/// reverse mode: one vjp per output element, batched with vmap (rows of the Jacobian).
public func jacrevFlat<E: Error>(_ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor]) throws(E) -> [[Tensor]] {
  let (outs, pullback) = try vjpFlat(f, primals: args)
  if let x = args.first(where: { !$0.dtype.isFloatingPoint && $0.error == nil }) {
    let e = FluxionError.typeError(
      "jacrev requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got \(x.dtype). If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True."
    )
    return outs.map { _ in args.map { _ in Tensor(failed: e) } }
  }
  var blocks: [[Tensor]] = []
  for (j, y) in outs.enumerated() {
    if let e = y.error {
      blocks.append(args.map { _ in Tensor(failed: e) })
      continue
    }
    if !y.dtype.isFloatingPoint {
      let e = FluxionError.typeError(
        "jacrev requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got \(y.dtype). For differentiation of functions with integer outputs, use jax.vjp directly."
      )
      blocks.append(args.map { _ in Tensor(failed: e) })
      continue
    }
    let rows = vmapFlat(
      { us in
        var cts = outs.map { zerosLike(tangentAval($0.aval)) }
        cts[j] = us[0]
        return pullback(cts)
      }, [basis(tangentAval(y.aval))], inAxes: [0], outAxes: { _ in 0 })
    blocks.append(zip(rows, args).map { r, x in reshape(r, y.shape + x.shape) })
  }
  return blocks
}

/// Jacobian blocks by forward mode: one jvp per input element, batched with vmap (columns).
public func jacfwdFlat<E: Error>(_ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor]) throws(E) -> [[Tensor]] {
  if let x = args.first(where: { !$0.dtype.isFloatingPoint && $0.error == nil }) {
    let e = FluxionError.typeError(
      "jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got \(x.dtype). For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex inputs or integer inputs, use jax.jvp directly."
    )
    // One evaluation tells how many output leaves the error stands for.
    return try f(args).map { _ in args.map { _ in Tensor(failed: e) } }
  }
  var columns: [[Tensor]] = []  // [input][output]
  for (i, x) in args.enumerated() {
    let cols = try vmapFlat(
      { vs throws(E) in
        var tangents = args.map { zerosLike(tangentAval($0.aval)) }
        tangents[i] = vs[0]
        return try jvpFlat(f, primals: args, tangents: tangents).1
      }, [basis(tangentAval(x.aval))], inAxes: [0], outAxes: { _ in -1 })
    columns.append(
      cols.map { c in
        // c: out.shape + [n] → out.shape + x.shape
        reshape(c, Array(c.shape.dropLast()) + x.shape)
      })
  }
  guard let first = columns.first else { return [] }
  return first.indices.map { j in columns.map { $0[j] } }
}

/// Replaces each output leaf of `f(x)` with its Jacobian block, by reverse or forward mode.
func jacobianOfLeaves<Out: PyTree, E: Error>(_ f: (Tensor) throws(E) -> Out, _ x: Tensor, forward: Bool) throws(E)
  -> Out
{
  var outDef = TreeDef.leaf
  let g = { (xs: [Tensor]) throws(E) -> [Tensor] in
    let (leaves, d) = treeFlatten(try f(xs[0]))
    outDef = d
    return leaves
  }
  let blocks = try forward ? jacfwdFlat(g, [x]) : jacrevFlat(g, [x])
  return rebuild(outDef, blocks.map { $0[0] })
}

// Each transformation below has an overload for throwing functions (see Grad.swift for why).

/// The Jacobian by reverse mode (jax.jacrev): rows from one vjp per output element, batched
/// with vmap. Each output leaf becomes its Jacobian, shaped `leaf.shape + x.shape`; a
/// dictionary of outputs gives a dictionary of Jacobians.
public func jacrev<Out: PyTree>(_ f: @escaping (Tensor) -> Out) -> (Tensor) -> Out {
  { x in jacobianOfLeaves(f, x, forward: false) }
}

public func jacrev<Out: PyTree>(_ f: @escaping (Tensor) throws -> Out) -> (Tensor) throws -> Out {
  { x in try jacobianOfLeaves(f, x, forward: false) }
}

/// The Jacobian by forward mode (jax.jacfwd): columns from one jvp per input element.
public func jacfwd<Out: PyTree>(_ f: @escaping (Tensor) -> Out) -> (Tensor) -> Out {
  { x in jacobianOfLeaves(f, x, forward: true) }
}

public func jacfwd<Out: PyTree>(_ f: @escaping (Tensor) throws -> Out) -> (Tensor) throws -> Out {
  { x in try jacobianOfLeaves(f, x, forward: true) }
}

/// Jacobians with respect to both arguments (JAX's `argnums=(0, 1)`), by reverse mode.
public func jacrev(_ f: @escaping (Tensor, Tensor) -> Tensor) -> (Tensor, Tensor) -> (Tensor, Tensor) {
  { a, b in pairJacobian(f, a, b, forward: false) }
}

public func jacrev(_ f: @escaping (Tensor, Tensor) throws -> Tensor) -> (Tensor, Tensor) throws -> (Tensor, Tensor) {
  { a, b in try pairJacobian(f, a, b, forward: false) }
}

/// Jacobians with respect to both arguments, by forward mode.
public func jacfwd(_ f: @escaping (Tensor, Tensor) -> Tensor) -> (Tensor, Tensor) -> (Tensor, Tensor) {
  { a, b in pairJacobian(f, a, b, forward: true) }
}

public func jacfwd(_ f: @escaping (Tensor, Tensor) throws -> Tensor) -> (Tensor, Tensor) throws -> (Tensor, Tensor) {
  { a, b in try pairJacobian(f, a, b, forward: true) }
}

func pairJacobian<E: Error>(
  _ f: (Tensor, Tensor) throws(E) -> Tensor, _ a: Tensor, _ b: Tensor, forward: Bool
) throws(E) -> (Tensor, Tensor) {
  let g = { (xs: [Tensor]) throws(E) -> [Tensor] in [try f(xs[0], xs[1])] }
  let blocks = try (forward ? jacfwdFlat(g, [a, b]) : jacrevFlat(g, [a, b]))[0]
  return (blocks[0], blocks[1])
}

/// Jacobians of a function of several tensors with respect to the arguments at `argnums`
/// (negative from the end), by reverse mode; `forward` uses forward mode instead.
public func jacobian(
  argnums: [Int], forward: Bool = false, _ f: @escaping ([Tensor]) -> Tensor
) -> ([Tensor]) -> [Tensor] {
  { args in jacobianCall(argnums, forward, f, args) }
}

public func jacobian(
  argnums: [Int], forward: Bool = false, _ f: @escaping ([Tensor]) throws -> Tensor
) -> ([Tensor]) throws -> [Tensor] {
  { args in try jacobianCall(argnums, forward, f, args) }
}

func jacobianCall<E: Error>(
  _ argnums: [Int], _ forward: Bool, _ f: ([Tensor]) throws(E) -> Tensor, _ args: [Tensor]
) throws(E) -> [Tensor] {
  let picked = argnums.map { $0 < 0 ? $0 + args.count : $0 }
  if let bad = picked.first(where: { $0 < 0 || $0 >= args.count }) {
    let e = FluxionError.typeError("jacrev requires argnums to be in range 0..<\(args.count), got \(bad)")
    return picked.map { _ in Tensor(failed: e) }
  }
  let g = { (xs: [Tensor]) throws(E) -> [Tensor] in
    var full = args
    for (k, i) in picked.enumerated() { full[i] = xs[k] }
    return [try f(full)]
  }
  let inputs = picked.map { args[$0] }
  return try (forward ? jacfwdFlat(g, inputs) : jacrevFlat(g, inputs))[0]
}

/// The Hessian: forward over reverse (jax.hessian), shaped `x.shape + x.shape`.
public func hessian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  jacfwd(jacrev(f))
}

public func hessian(_ f: @escaping (Tensor) throws -> Tensor) -> (Tensor) throws -> Tensor {
  jacfwd(jacrev(f))
}

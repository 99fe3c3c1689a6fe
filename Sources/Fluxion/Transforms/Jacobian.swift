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
@_spi(FluxionLang) public func jacrevFlat<E: Error>(_ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor]) throws(E)
  -> [[Tensor]]
{
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
@_spi(FluxionLang) public func jacfwdFlat<E: Error>(_ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor]) throws(E)
  -> [[Tensor]]
{
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

/// The Jacobian blocks of `f` at `x`, `[output leaf][input leaf]`, with the input's and the
/// output's structures.
func jacobianBlocks<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ x: In, forward: Bool
) throws(E) -> (blocks: [[Tensor]], inDef: TreeDef, outDef: TreeDef) {
  let (leaves, inDef) = treeFlatten(x)
  let out = OutputStructure()
  let g = { (xs: [Tensor]) throws(E) -> [Tensor] in try out.flat(f, inDef, xs) }
  let blocks = try forward ? jacfwdFlat(g, leaves) : jacrevFlat(g, leaves)
  return (blocks, inDef, out.def)
}

/// Each output leaf of `f(x)` replaced by its Jacobian block (`x` is one tensor).
func jacobianOfLeaves<Out: PyTree, E: Error>(_ f: (Tensor) throws(E) -> Out, _ x: Tensor, forward: Bool) throws(E)
  -> Out
{
  let j = try jacobianBlocks(f, x, forward: forward)
  return rebuild(j.outDef, j.blocks.map { $0.first ?? Tensor(failed: noOutputs("jacobian")) })
}

/// The Jacobian of a function to one tensor, in the input's structure (each leaf's block
/// shaped `out.shape + leaf.shape`).
func jacobianOfInput<In: PyTree, E: Error>(_ f: (In) throws(E) -> Tensor, _ x: In, forward: Bool) throws(E) -> In {
  let j = try jacobianBlocks(f, x, forward: forward)
  return rebuild(j.inDef, j.blocks.first ?? [])
}

/// The Jacobian as JAX nests it: the output's structure, each leaf replaced by a tree of the
/// input's structure holding that output leaf's blocks.
func jacobianTree<In: PyTree, Out: PyTree, E: Error>(_ f: (In) throws(E) -> Out, _ x: In, forward: Bool) throws(E)
  -> Tree
{
  let j = try jacobianBlocks(f, x, forward: forward)
  var rows = j.blocks.map { (row: [Tensor]) -> Tree in rebuild(j.inDef, row) }[...]
  if rows.count != j.outDef.leafCount { return failedTree(j.outDef, noOutputs("jacobian")) }
  return Nested<Tree>(j.outDef, &rows).flatMap { $0 }
}

// Each transformation below has an overload for throwing functions (see Grad.swift for why).
// Overloads for one tensor in or out keep those types; a pytree in gives the Jacobian in its
// structure; pytrees in and out give a `Tree` nested as JAX nests it.

/// The Jacobian by reverse mode (jax.jacrev): rows from one vjp per output element, batched
/// with vmap, shaped `out.shape + x.shape`.
///
/// ```swift
/// jacrev { (x: Tensor) in sin(x) * x[0] }(arange(3.0))   // 3×3
/// ```
public func jacrev(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  { x in jacobianOfLeaves(f, x, forward: false) }
}

public func jacrev(_ f: @escaping (Tensor) throws -> Tensor) -> (Tensor) throws -> Tensor {
  { x in try jacobianOfLeaves(f, x, forward: false) }
}

/// Each output leaf becomes its Jacobian: a dictionary of outputs gives a dictionary of Jacobians.
public func jacrev<Out: PyTree>(_ f: @escaping (Tensor) -> Out) -> (Tensor) -> Out {
  { x in jacobianOfLeaves(f, x, forward: false) }
}

public func jacrev<Out: PyTree>(_ f: @escaping (Tensor) throws -> Out) -> (Tensor) throws -> Out {
  { x in try jacobianOfLeaves(f, x, forward: false) }
}

/// The Jacobian of a function of a pytree to one tensor, in the argument's structure.
public func jacrev<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> In {
  { x in jacobianOfInput(f, x, forward: false) }
}

public func jacrev<In: PyTree>(_ f: @escaping (In) throws -> Tensor) -> (In) throws -> In {
  { x in try jacobianOfInput(f, x, forward: false) }
}

/// The Jacobian of a function from pytree to pytree, nested as JAX nests it: the output's
/// structure, each leaf replaced by a tree of the input's structure.
///
/// ```swift
/// let j = jacrev { (p: Tree) -> Tree in ["y": .leaf(p["w"].tensor * p["b"].tensor)] }(params)
/// j["y"]["w"].tensor   // ∂y/∂w
/// ```
public func jacrev<In: PyTree, Out: PyTree>(_ f: @escaping (In) -> Out) -> (In) -> Tree {
  { x in jacobianTree(f, x, forward: false) }
}

public func jacrev<In: PyTree, Out: PyTree>(_ f: @escaping (In) throws -> Out) -> (In) throws -> Tree {
  { x in try jacobianTree(f, x, forward: false) }
}

/// The Jacobian by forward mode (jax.jacfwd): columns from one jvp per input element. The
/// overloads are jacrev's.
public func jacfwd(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  { x in jacobianOfLeaves(f, x, forward: true) }
}

public func jacfwd(_ f: @escaping (Tensor) throws -> Tensor) -> (Tensor) throws -> Tensor {
  { x in try jacobianOfLeaves(f, x, forward: true) }
}

public func jacfwd<Out: PyTree>(_ f: @escaping (Tensor) -> Out) -> (Tensor) -> Out {
  { x in jacobianOfLeaves(f, x, forward: true) }
}

public func jacfwd<Out: PyTree>(_ f: @escaping (Tensor) throws -> Out) -> (Tensor) throws -> Out {
  { x in try jacobianOfLeaves(f, x, forward: true) }
}

public func jacfwd<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> In {
  { x in jacobianOfInput(f, x, forward: true) }
}

public func jacfwd<In: PyTree>(_ f: @escaping (In) throws -> Tensor) -> (In) throws -> In {
  { x in try jacobianOfInput(f, x, forward: true) }
}

public func jacfwd<In: PyTree, Out: PyTree>(_ f: @escaping (In) -> Out) -> (In) -> Tree {
  { x in jacobianTree(f, x, forward: true) }
}

public func jacfwd<In: PyTree, Out: PyTree>(_ f: @escaping (In) throws -> Out) -> (In) throws -> Tree {
  { x in try jacobianTree(f, x, forward: true) }
}

/// Jacobians of a function of several pytrees to one tensor with respect to each argument (JAX's
/// `argnums=(0, 1, …)`), by reverse or forward mode: one per argument, in its structure.
func jacobianCall<each A: PyTree, E: Error>(
  _ f: (repeat each A) throws(E) -> Tensor, forward: Bool, _ args: repeat each A
) throws(E) -> (repeat each A) {
  try jacobianOfInput(
    { (t: Args<repeat each A>) throws(E) in try f(repeat each t.values) }, Args(repeat each args), forward: forward
  ).values
}

/// Jacobians of a function of several pytrees (all of one type: `Tree` mixes structures) with
/// respect to the arguments at `argnums` (negative from the end), by reverse mode; `forward`
/// uses forward mode. One Jacobian per entry of `argnums`, in that argument's structure;
/// invalid argnums give JAX's error in every one.
public func jacobian<T: PyTree>(
  argnums: [Int], forward: Bool = false, _ f: @escaping ([T]) -> Tensor
) -> ([T]) -> [T] {
  { args in jacobianCall(argnums, forward, f, args) }
}

public func jacobian<T: PyTree>(
  argnums: [Int], forward: Bool = false, _ f: @escaping ([T]) throws -> Tensor
) -> ([T]) throws -> [T] {
  { args in try jacobianCall(argnums, forward, f, args) }
}

func jacobianCall<T: PyTree, E: Error>(
  _ argnums: [Int], _ forward: Bool, _ f: ([T]) throws(E) -> Tensor, _ args: [T]
) throws(E) -> [T] {
  try selectedCall(argnums, args) { (picked: [Int]) throws(E) in
    try jacobianOfInput(
      { (xs: [T]) throws(E) in
        var full = args
        for (k, i) in picked.enumerated() { full[i] = xs[k] }
        return try f(full)
      }, picked.map { args[$0] }, forward: forward)
  }
}

/// `body(argnums made non-negative)`, or for invalid argnums one value per entry shaped like the
/// first argument, carrying JAX's error.
func selectedCall<T: PyTree, E: Error>(
  _ argnums: [Int], _ args: [T], _ body: ([Int]) throws(E) -> [T]
) throws(E) -> [T] {
  switch normalizedArgnums(argnums, count: args.count) {
  case .success(let picked): return try body(picked)
  case .failure(let e): return args.first.map { a in argnums.map { _ in failedLike(a, e) } } ?? []
  }
}

/// The Hessian: forward over reverse (jax.hessian), shaped `x.shape + x.shape`.
public func hessian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  jacfwd(jacrev(f))
}

public func hessian(_ f: @escaping (Tensor) throws -> Tensor) -> (Tensor) throws -> Tensor {
  jacfwd(jacrev(f))
}

/// The Hessian of a scalar function of a pytree, nested as JAX nests it: the argument's
/// structure, each leaf replaced by a tree of the argument's structure holding the blocks
/// `∂²f/∂leaf_i∂leaf_j`, shaped `leaf_i.shape + leaf_j.shape`.
public func hessian<In: PyTree>(_ f: @escaping (In) -> Tensor) -> (In) -> Tree {
  { x in jacobianTree({ (y: In) in jacobianOfInput(f, y, forward: false) }, x, forward: true) }
}

public func hessian<In: PyTree>(_ f: @escaping (In) throws -> Tensor) -> (In) throws -> Tree {
  { x in
    try jacobianTree({ (y: In) throws in try jacobianOfInput(f, y, forward: false) }, x, forward: true)
  }
}

// The transformations of functions of two to four pytree arguments, one overload per arity
// (and one for throwing functions, see Grad.swift): each is a thin wrapper over the core of
// any arity in Arguments.swift. They are not parameter packs because Swift 6.3 cannot apply a
// returned closure whose parameters are a pack at once (`grad(f)(x, y, z)` fails to type-check).

// MARK: - two arguments
//
// `grad(f)` differentiates with respect to every argument (JAX's `argnums=(0, 1)`) and returns
// one gradient per argument, in its structure; `grad(argnums:)` only the arguments at argnums
// (negative from the end), nil at the others, which may be of any type (an `Int`, a `Bool`):
//
//     let (gp, _, _) = grad(argnums: [0]) { (p: Tree, x: Tensor, y: Tensor) in loss(p, x, y) }(params, x, y)
//
// jacrev / jacfwd of a function to one tensor give one Jacobian per argument, in its structure.
// vmap takes one in_axes spec per argument (`inAxes: (0, nil)`; nil: not mapped).

public func grad<A: PyTree, B: PyTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> (A, B) {
  { a, b in valueAndGradCall(f, a, b).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> (value: Tensor, gradient: (A, B)) {
  { a, b in valueAndGradCall(f, a, b) }
}

public func grad<A: PyTree, B: PyTree>(argnums: [Int], _ f: @escaping (A, B) -> Tensor) -> (A, B) -> (A?, B?) {
  { a, b in valueAndGradCall(argnums: argnums, f, a, b).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree>(
  argnums: [Int], _ f: @escaping (A, B) -> Tensor
) -> (A, B) -> (value: Tensor, gradient: (A?, B?)) {
  { a, b in valueAndGradCall(argnums: argnums, f, a, b) }
}

public func jacrev<A: PyTree, B: PyTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> (A, B) {
  { a, b in jacobianCall(f, forward: false, a, b) }
}

public func jacfwd<A: PyTree, B: PyTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> (A, B) {
  { a, b in jacobianCall(f, forward: true, a, b) }
}

public func vmap<A: PyTree, B: PyTree, Out: PyTree>(
  _ f: @escaping (A, B) -> Out, inAxes: (AxisSpec, AxisSpec) = (0, 0), outAxes: AxisSpec = 0, axisSize: Int? = nil
) -> (A, B) -> Out {
  { a, b in vmapCall(f, inAxes: [inAxes.0, inAxes.1], outAxes, axisSize, a, b) }
}

public func grad<A: PyTree, B: PyTree>(_ f: @escaping (A, B) throws -> Tensor) -> (A, B) throws -> (A, B) {
  { a, b in try valueAndGradCall(f, a, b).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree>(_ f: @escaping (A, B) throws -> Tensor) -> (A, B) throws -> (
  value: Tensor, gradient: (A, B)
) {
  { a, b in try valueAndGradCall(f, a, b) }
}

public func grad<A: PyTree, B: PyTree>(argnums: [Int], _ f: @escaping (A, B) throws -> Tensor) -> (A, B) throws -> (
  A?, B?
) {
  { a, b in try valueAndGradCall(argnums: argnums, f, a, b).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree>(
  argnums: [Int], _ f: @escaping (A, B) throws -> Tensor
) -> (A, B) throws -> (value: Tensor, gradient: (A?, B?)) {
  { a, b in try valueAndGradCall(argnums: argnums, f, a, b) }
}

public func jacrev<A: PyTree, B: PyTree>(_ f: @escaping (A, B) throws -> Tensor) -> (A, B) throws -> (A, B) {
  { a, b in try jacobianCall(f, forward: false, a, b) }
}

public func jacfwd<A: PyTree, B: PyTree>(_ f: @escaping (A, B) throws -> Tensor) -> (A, B) throws -> (A, B) {
  { a, b in try jacobianCall(f, forward: true, a, b) }
}

public func vmap<A: PyTree, B: PyTree, Out: PyTree>(
  _ f: @escaping (A, B) throws -> Out, inAxes: (AxisSpec, AxisSpec) = (0, 0), outAxes: AxisSpec = 0,
  axisSize: Int? = nil
) -> (A, B) throws -> Out {
  { a, b in try vmapCall(f, inAxes: [inAxes.0, inAxes.1], outAxes, axisSize, a, b) }
}

// MARK: - three arguments

public func grad<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) -> Tensor) -> (A, B, C) -> (A, B, C) {
  { a, b, c in valueAndGradCall(f, a, b, c).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) -> Tensor) -> (A, B, C) -> (
  value: Tensor, gradient: (A, B, C)
) {
  { a, b, c in valueAndGradCall(f, a, b, c) }
}

public func grad<A: PyTree, B: PyTree, C: PyTree>(argnums: [Int], _ f: @escaping (A, B, C) -> Tensor) -> (A, B, C) -> (
  A?, B?, C?
) {
  { a, b, c in valueAndGradCall(argnums: argnums, f, a, b, c).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree>(
  argnums: [Int], _ f: @escaping (A, B, C) -> Tensor
) -> (A, B, C) -> (value: Tensor, gradient: (A?, B?, C?)) {
  { a, b, c in valueAndGradCall(argnums: argnums, f, a, b, c) }
}

public func jacrev<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) -> Tensor) -> (A, B, C) -> (A, B, C) {
  { a, b, c in jacobianCall(f, forward: false, a, b, c) }
}

public func jacfwd<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) -> Tensor) -> (A, B, C) -> (A, B, C) {
  { a, b, c in jacobianCall(f, forward: true, a, b, c) }
}

public func vmap<A: PyTree, B: PyTree, C: PyTree, Out: PyTree>(
  _ f: @escaping (A, B, C) -> Out, inAxes: (AxisSpec, AxisSpec, AxisSpec) = (0, 0, 0), outAxes: AxisSpec = 0,
  axisSize: Int? = nil
) -> (A, B, C) -> Out {
  { a, b, c in vmapCall(f, inAxes: [inAxes.0, inAxes.1, inAxes.2], outAxes, axisSize, a, b, c) }
}

public func grad<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) throws -> Tensor) -> (A, B, C) throws -> (
  A, B, C
) {
  { a, b, c in try valueAndGradCall(f, a, b, c).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) throws -> Tensor) -> (A, B, C) throws
  -> (value: Tensor, gradient: (A, B, C))
{
  { a, b, c in try valueAndGradCall(f, a, b, c) }
}

public func grad<A: PyTree, B: PyTree, C: PyTree>(argnums: [Int], _ f: @escaping (A, B, C) throws -> Tensor) -> (
  A, B, C
) throws -> (A?, B?, C?) {
  { a, b, c in try valueAndGradCall(argnums: argnums, f, a, b, c).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree>(
  argnums: [Int], _ f: @escaping (A, B, C) throws -> Tensor
) -> (A, B, C) throws -> (value: Tensor, gradient: (A?, B?, C?)) {
  { a, b, c in try valueAndGradCall(argnums: argnums, f, a, b, c) }
}

public func jacrev<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) throws -> Tensor) -> (A, B, C) throws -> (
  A, B, C
) {
  { a, b, c in try jacobianCall(f, forward: false, a, b, c) }
}

public func jacfwd<A: PyTree, B: PyTree, C: PyTree>(_ f: @escaping (A, B, C) throws -> Tensor) -> (A, B, C) throws -> (
  A, B, C
) {
  { a, b, c in try jacobianCall(f, forward: true, a, b, c) }
}

public func vmap<A: PyTree, B: PyTree, C: PyTree, Out: PyTree>(
  _ f: @escaping (A, B, C) throws -> Out, inAxes: (AxisSpec, AxisSpec, AxisSpec) = (0, 0, 0), outAxes: AxisSpec = 0,
  axisSize: Int? = nil
) -> (A, B, C) throws -> Out {
  { a, b, c in try vmapCall(f, inAxes: [inAxes.0, inAxes.1, inAxes.2], outAxes, axisSize, a, b, c) }
}

// MARK: - four arguments

public func grad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) -> Tensor) -> (A, B, C, D) -> (
  A, B, C, D
) {
  { a, b, c, d in valueAndGradCall(f, a, b, c, d).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) -> Tensor) -> (
  A, B, C, D
) -> (value: Tensor, gradient: (A, B, C, D)) {
  { a, b, c, d in valueAndGradCall(f, a, b, c, d) }
}

public func grad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(argnums: [Int], _ f: @escaping (A, B, C, D) -> Tensor) -> (
  A, B, C, D
) -> (A?, B?, C?, D?) {
  { a, b, c, d in valueAndGradCall(argnums: argnums, f, a, b, c, d).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(
  argnums: [Int], _ f: @escaping (A, B, C, D) -> Tensor
) -> (A, B, C, D) -> (value: Tensor, gradient: (A?, B?, C?, D?)) {
  { a, b, c, d in valueAndGradCall(argnums: argnums, f, a, b, c, d) }
}

public func jacrev<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) -> Tensor) -> (A, B, C, D) ->
  (A, B, C, D)
{
  { a, b, c, d in jacobianCall(f, forward: false, a, b, c, d) }
}

public func jacfwd<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) -> Tensor) -> (A, B, C, D) ->
  (A, B, C, D)
{
  { a, b, c, d in jacobianCall(f, forward: true, a, b, c, d) }
}

public func vmap<A: PyTree, B: PyTree, C: PyTree, D: PyTree, Out: PyTree>(
  _ f: @escaping (A, B, C, D) -> Out, inAxes: (AxisSpec, AxisSpec, AxisSpec, AxisSpec) = (0, 0, 0, 0),
  outAxes: AxisSpec = 0, axisSize: Int? = nil
) -> (A, B, C, D) -> Out {
  { a, b, c, d in vmapCall(f, inAxes: [inAxes.0, inAxes.1, inAxes.2, inAxes.3], outAxes, axisSize, a, b, c, d) }
}

public func grad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) throws -> Tensor) -> (
  A, B, C, D
) throws -> (A, B, C, D) {
  { a, b, c, d in try valueAndGradCall(f, a, b, c, d).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) throws -> Tensor) -> (
  A, B, C, D
) throws -> (value: Tensor, gradient: (A, B, C, D)) {
  { a, b, c, d in try valueAndGradCall(f, a, b, c, d) }
}

public func grad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(
  argnums: [Int], _ f: @escaping (A, B, C, D) throws -> Tensor
) -> (A, B, C, D) throws -> (A?, B?, C?, D?) {
  { a, b, c, d in try valueAndGradCall(argnums: argnums, f, a, b, c, d).1 }
}

public func valueAndGrad<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(
  argnums: [Int], _ f: @escaping (A, B, C, D) throws -> Tensor
) -> (A, B, C, D) throws -> (value: Tensor, gradient: (A?, B?, C?, D?)) {
  { a, b, c, d in try valueAndGradCall(argnums: argnums, f, a, b, c, d) }
}

public func jacrev<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) throws -> Tensor) -> (
  A, B, C, D
) throws -> (A, B, C, D) {
  { a, b, c, d in try jacobianCall(f, forward: false, a, b, c, d) }
}

public func jacfwd<A: PyTree, B: PyTree, C: PyTree, D: PyTree>(_ f: @escaping (A, B, C, D) throws -> Tensor) -> (
  A, B, C, D
) throws -> (A, B, C, D) {
  { a, b, c, d in try jacobianCall(f, forward: true, a, b, c, d) }
}

public func vmap<A: PyTree, B: PyTree, C: PyTree, D: PyTree, Out: PyTree>(
  _ f: @escaping (A, B, C, D) throws -> Out, inAxes: (AxisSpec, AxisSpec, AxisSpec, AxisSpec) = (0, 0, 0, 0),
  outAxes: AxisSpec = 0, axisSize: Int? = nil
) -> (A, B, C, D) throws -> Out {
  { a, b, c, d in try vmapCall(f, inAxes: [inAxes.0, inAxes.1, inAxes.2, inAxes.3], outAxes, axisSize, a, b, c, d) }
}

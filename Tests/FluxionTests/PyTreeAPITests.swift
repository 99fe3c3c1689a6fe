import Foundation
import Testing

@testable import Fluxion

/// The Swift API over pytrees against Fixtures/pytrees.json (Tests/fixtures/make_pytree_fixtures.py
/// holds each JAX program; the one a test mirrors is in the comment above it). Values within 8
/// ulp of float32.
struct PyTreeAPITests {
  nonisolated(unsafe) static let cases = loadCases("pytrees")

  static func want(_ name: String) -> Any? {
    let w = cases[name]
    if w == nil { Issue.record("no fixture \(name)") }
    return w
  }

  /// A tree against a fixture value: dicts by key, lists and tuples by position, None, arrays.
  func check(_ got: Tree, _ want: Any?, _ path: String = "", weak: Bool = true) {
    switch want {
    case let d as [String: Any] where d["dtype"] != nil:
      let problem = got.leaf.map { mismatch($0, d, ulps: 8, checkWeak: weak) } ?? "not a leaf: \(got.structure)"
      #expect(problem == nil, "\(path): \(problem ?? "")")
    case let d as [String: Any]:
      #expect(Set(got.fields?.keys.map { $0 } ?? []) == Set(d.keys), "\(path): keys")
      for (k, v) in d { check(got[k], v, path + "['\(k)']", weak: weak) }
    case let l as [Any]:
      #expect(got.items?.count == l.count, "\(path): length")
      for (i, v) in l.enumerated() { check(got[i], v, path + "[\(i)]", weak: weak) }
    case is NSNull:
      #expect(got.isNone, "\(path): expected None")
    default:
      Issue.record("\(path): unreadable fixture \(String(describing: want))")
    }
  }

  func checkError(_ got: FluxionError?, _ name: String) {
    let want = (Self.want(name) as? [String: Any])?["error"] as? [String: Any]
    #expect(got?.kind.rawValue == want?["type"] as? String, "\(name)")
    #expect(got?.message == want?["message"] as? String, "\(name)")
  }

  // w1 = [[0.5, -1], [2, 0.25]]; b1 = [0.1, -0.2]; w2 = [[1.5], [-0.5]]; b2 = [0.3]; a = [1, 2]
  // params = {'layers': [{'w': w1, 'b': b1}, {'w': w2, 'b': b2}], 'scale': (a, 2.), 'unused': None}
  static let params: Tree = [
    "layers": [
      ["w": .leaf(Tensor([[0.5, -1], [2, 0.25]])), "b": .leaf(Tensor([0.1, -0.2]))],
      ["w": .leaf(Tensor([[1.5], [-0.5]])), "b": .leaf(Tensor([0.3]))],
    ],
    "scale": .tuple([.leaf(Tensor([1.0, 2.0])), 2.0]),
    "unused": nil,
  ]
  static let x = Tensor([0.5, -0.25])

  // def predict(p, x):
  //     h = jnp.tanh(x @ p['layers'][0]['w'] + p['layers'][0]['b'])
  //     y = h @ p['layers'][1]['w'] + p['layers'][1]['b']
  //     return jnp.sum(y * p['scale'][1]) + jnp.sum(p['scale'][0] * x)
  static func predict(_ p: Tree, _ x: Tensor) -> Tensor {
    let h = tanh(matmul(x, p["layers"][0]["w"].tensor) + p["layers"][0]["b"].tensor)
    let y = matmul(h, p["layers"][1]["w"].tensor) + p["layers"][1]["b"].tensor
    return (y * p["scale"][1].tensor).sum() + (p["scale"][0].tensor * x).sum()
  }

  // jax.tree_util.tree_leaves(params); str(jax.tree_util.tree_structure(params)); predict(params, x)
  @Test func aTreeOfLiteralsFlattensInJAXsOrder() {
    let (leaves, def) = treeFlatten(Self.params)
    #expect(def.description == Self.want("tree_structure") as? String)
    check(.list(leaves.map { .leaf($0) }), Self.want("tree_leaves_order"))
    check(.leaf(Self.predict(Self.params, Self.x)), Self.want("predict_value"))
    #expect(Self.params["scale"][-1].leaf?.isWeaklyTyped == true)
    #expect(Self.params["unused"].isNone)
  }

  // jax.grad(predict)(params, x); jax.value_and_grad(predict, argnums=(0, 1))(params, x);
  // jax.grad(predict, argnums=1)(params, x)
  @Test func gradOfATreeHasItsStructure() {
    check(grad { (p: Tree) in Self.predict(p, Self.x) }(Self.params), Self.want("grad_params"))
    let (v, (gp, gx)) = valueAndGrad(Self.predict)(Self.params, Self.x)
    let want = Self.want("value_and_grad_argnums_01") as? [Any]
    check(.leaf(v), want?[0])
    check(gp, (want?[1] as? [Any])?[0])
    check(.leaf(gx), (want?[1] as? [Any])?[1])
    let (none, onlyX) = grad(argnums: [1], Self.predict)(Self.params, Self.x)
    #expect(none == nil)
    check(onlyX.map { Tree.leaf($0) } ?? .none, Self.want("grad_argnums_1"))
    // The list form: arguments of one type (Tree mixes structures).
    let g = grad(argnums: [-1]) { (args: [Tree]) in Self.predict(args[0], args[1].tensor) }([
      Self.params, .leaf(Self.x),
    ])
    check(g.first ?? .none, Self.want("grad_argnums_1"))
  }

  // jax.grad(lambda a, b, c: jnp.sum(a * b) * c, argnums=(0, 1, 2))(jnp.array([1., 2.]), jnp.array([3., 4.]), 2.)
  // jax.grad(lambda x, n, y: x * n * y, argnums=(0, 2))(2., 3, 5.)
  @Test func gradOfThreeArgumentsAndArgnumsSkippingAnInt() {
    let (ga, gb, gc) = grad { (a: Tensor, b: Tensor, c: Tensor) in (a * b).sum() * c }(
      Tensor([1.0, 2.0]), Tensor([3.0, 4.0]), Tensor.weak(2.0))
    check([.leaf(ga), .leaf(gb), .leaf(gc)], Self.want("grad_three_args"))
    let (gx, gn, gy) = grad(argnums: [0, 2]) { (x: Tensor, n: Int, y: Tensor) in x * Tensor.weak(n) * y }(
      .weak(2.0), 3, .weak(5.0))
    #expect(gn == nil)
    check([gx.map { Tree.leaf($0) } ?? .none, gy.map { Tree.leaf($0) } ?? .none], Self.want("grad_argnums_skip_int"))
  }

  // jax.grad(lambda a, b: a * b, argnums=(0, 2))(1., 2.)  and  argnums=-3
  @Test func argnumsOutOfRangeAreJAXsErrorsNotTraps() {
    let f = { (a: Tensor, b: Tensor) in a * b }
    let (ga, gb) = grad(argnums: [0, 2], f)(.weak(1.0), .weak(2.0))
    #expect(ga?.error?.kind == .typeError && gb?.error == ga?.error)
    #expect(
      ga?.error?.message
        == "differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 2 positional arguments."
    )
    let (v, _) = valueAndGrad(argnums: [-3], f)(.weak(1.0), .weak(2.0))
    checkError(v.error, "grad_argnums_too_negative")
    #expect(grad(argnums: [Int.max, Int.min]) { (xs: [Tree]) in xs[0].tensor }([1.0]).first?.tensor.error != nil)
  }

  // jax.jacrev(lambda p: predict(p, x))(params)
  // jax.jacrev / jax.jacfwd(lambda p: {'y': p['w'] * p['b'], 's': jnp.sum(p['w'])})({'w': jnp.array([1., 2.]), 'b': 3.})
  // jax.jacrev(lambda a, b, c: a * b + c, argnums=(0, 1, 2))(...)
  @Test func jacobiansOverTreesNestAsJAXNestsThem() {
    check(jacrev { (p: Tree) in Self.predict(p, Self.x) }(Self.params), Self.want("jacrev_tree_in_scalar_out"))
    let p: Tree = ["w": .leaf(Tensor([1.0, 2.0])), "b": 3.0]
    let f = { (p: Tree) -> Tree in ["y": .leaf(p["w"].tensor * p["b"].tensor), "s": .leaf(p["w"].tensor.sum())] }
    check(jacrev(f)(p), Self.want("jacrev_tree_in_tree_out"))
    check(jacfwd(f)(p), Self.want("jacfwd_tree_in_tree_out"))
    let (ja, jb, jc) = jacrev { (a: Tensor, b: Tensor, c: Tensor) in a * b + c }(
      Tensor([1.0, 2.0]), Tensor([3.0, 4.0]), Tensor([5.0, 6.0]))
    check([.leaf(ja), .leaf(jb), .leaf(jc)], Self.want("jacrev_three_args"))
  }

  // jax.hessian(lambda p: jnp.sum(p['w'] ** 2 * p['b']) + p['b'] ** 3)({'b': 2., 'w': jnp.array([1., -1.])})
  @Test func hessianOfATreeIsATreeOfTrees() {
    let h = hessian { (p: Tree) in (p["w"].tensor.pow(2) * p["b"].tensor).sum() + p["b"].tensor.pow(3) }
    // Forward-over-reverse here makes every block strongly typed where JAX keeps two weak: values only.
    check(h(["b": 2.0, "w": .leaf(Tensor([1.0, -1.0]))]), Self.want("hessian_tree"), weak: false)
  }

  // jax.vmap(lambda a, b, c: a * b + c, in_axes=(0, None, 1))(arange(6.).reshape(3, 2), [1., 10.], arange(6.).reshape(2, 3))
  // jax.vmap(lambda p, x: p['w'] * x + p['b'], in_axes=({'w': 0, 'b': None}, 0))(...)
  @Test func vmapOfSeveralArgumentsWithTreeInAxes() {
    let out = vmap({ (a: Tensor, b: Tensor, c: Tensor) in a * b + c }, inAxes: (0, nil, 1))(
      arange(6.0).reshaped(3, 2), Tensor([1.0, 10.0]), arange(6.0).reshaped(2, 3))
    check(.leaf(out), Self.want("vmap_three_args"))
    let p: Tree = ["w": .leaf(arange(6.0).reshaped(3, 2)), "b": .leaf(Tensor([1.0, 2.0]))]
    let tree = vmap({ (p: Tree, x: Tensor) in p["w"].tensor * x + p["b"].tensor }, inAxes: (["w": 0, "b": nil], 0))(
      p, Tensor([1.0, 2.0, 3.0]).reshaped(3, 1))
    check(.leaf(tree), Self.want("vmap_tree_in_axes"))
  }

  // f = NoSignature(lambda p, y: p['x'][1] + y)   (a callable without a signature)
  // jax.vmap(f)({'x': [jnp.ones(3), jnp.ones(3)]}, jnp.ones(4))
  // jax.vmap(f, in_axes=(0, 1, 0, 0, 0))(ones(3), ones((2, 4)), ones(4), ones(3), ones(3))
  // jax.vmap(f, axis_size=4, in_axes=({'a': -1},))({'a': jnp.ones((2, 3))})
  @Test func vmapSizeMismatchNamesArgumentsByKeyPath() {
    let paths = vmap { (p: Tree, y: Tensor) in p["x"][1].tensor + y }(
      ["x": [.leaf(ones([3])), .leaf(ones([3]))]], ones([4]))
    checkError(paths.error, "vmap_sizes_tree_paths")
    let counted = vmap { (a: [Tensor], b: Tensor) in a[0] + b }(
      [ones([3]), ones([2, 4]), ones([4]), ones([3]), ones([3])], ones([3]))
    _ = counted  // a list argument is one argument: exercised below with JAX's five arguments
    let five = vmap({ (a: [Tensor]) in a[0] }, inAxes: [0, 1, 0, 0, 0])([
      ones([3]), ones([2, 4]), ones([4]), ones([3]), ones([3]),
    ])
    #expect(
      five.error?.message
        == (Self.want("vmap_sizes_most_and_some") as? [String: [String: String]])?["error"]?["message"]?.replacing(
          "args[", with: "args[0]["))
    let sized = vmap({ (p: Tree) in p["a"].tensor }, inAxes: ["a": -1], axisSize: 4)(["a": .leaf(ones([2, 3]))])
    checkError(sized.error, "vmap_sizes_axis_size")
  }

  // y, f_vjp, aux = jax.vjp(lambda p: (p['w'] * p['b'], {'n': jnp.sum(p['w'])}), {'w': [1., 2.], 'b': 3.}, has_aux=True)
  // (y, f_vjp(jnp.array([1., -1.])), aux);   y, f_vjp = jax.vjp(lambda a, b, c: a * b * c, 2., 3., 4.)
  @Test func vjpWithAuxAndOfThreeArguments() {
    let p: Tree = ["w": .leaf(Tensor([1.0, 2.0])), "b": 3.0]
    let (y, pullback, aux) = vjp(
      hasAux: { (p: Tree) in (p["w"].tensor * p["b"].tensor, ["n": p["w"].tensor.sum()]) }, p)
    let want = Self.want("vjp_has_aux_tree") as? [Any]
    check(.leaf(y), want?[0])
    check(pullback(Tensor([1.0, -1.0])), (want?[1] as? [Any])?[0])
    check(Tree(aux), want?[2])
    let (y3, pullback3) = vjp({ (a: Tensor, b: Tensor, c: Tensor) in a * b * c }, .weak(2.0), .weak(3.0), .weak(4.0))
    let (ga, gb, gc) = pullback3(.weak(1.0))
    check([.leaf(y3), [.leaf(ga), .leaf(gb), .leaf(gc)]], Self.want("vjp_three_args"))
  }

  // jax.jit(lambda p: jax.tree_util.tree_map(lambda t: t * 2., p))(params)
  // str(jax.tree_util.tree_map(lambda t: jnp.shape(t), params))
  @Test func jitAndTreeMapOverATree() {
    let double = jit { (p: Tree) in treeMap({ $0 * 2.0 }, p) }
    check(double(Self.params), Self.want("jit_tree"))
    check(double(Self.params), Self.want("jit_tree"))  // the second call runs the cached trace
    let shapes: Nested<[Int]> = treeMap({ $0.shape }, Self.params)
    #expect(shapes["layers"][1]["w"].leaf == [2, 1])
    #expect(shapes["scale"][1].leaf == [])
    #expect(shapes["unused"].isNone)
    #expect(shapes.leaves == [[2], [2, 2], [1], [2, 1], [2], []])
  }

  /// A layer with a name: static data, part of the structure.
  struct Layer: PyTreeNodeWithAux {
    var w, b: Tensor
    var name: String
    var treeChildren: Pair<Tensor, Tensor> { Pair(w, b) }
    var treeAux: String { name }
    init(w: Tensor, b: Tensor, name: String) { (self.w, self.b, self.name) = (w, b, name) }
    init(treeChildren c: Pair<Tensor, Tensor>, treeAux name: String) { self.init(w: c.first, b: c.second, name: name) }
  }

  // register_pytree_node(Layer, lambda l: (((l.w, l.b),), l.name), lambda aux, ch: Layer(*ch[0], aux))
  // str(tree_structure(Layer(1., 2., 'dense'))); jax.grad(lambda l: l.w * l.b)(Layer(2., 3., 'dense'))
  @Test func nodesWithAuxKeepItThroughTransformations() {
    let layer = Layer(w: .weak(2.0), b: .weak(3.0), name: "dense")
    #expect(treeStructure(layer).description == Self.want("aux_structure") as? String)
    let g = grad { (l: Layer) in l.w * l.b }(layer)
    #expect(g.name == "dense")
    #expect(treeStructure(g).description == Self.want("aux_grad_structure") as? String)
    check([.leaf(g.w), .leaf(g.b)], Self.want("aux_grad"))
    #expect(treeStructure(layer) != treeStructure(Layer(w: .weak(2.0), b: .weak(3.0), name: "conv")))
    // A Tree holds the node too, and rebuilds a Layer from it.
    let asTree = Tree(layer)
    #expect((try? asTree.as(Layer.self))?.name == "dense")
  }

  // jax.tree_util.tree_map(lambda a, b: a + b, {'k': [Layer(1., 2., 'dense')]}, {'k': [Layer(1., 2., 'conv')]})
  // jax.jvp(lambda l: l.w, (Layer(1., 2., 'dense'),), (Layer(1., 2., 'conv'),))
  @Test func differentAuxAreDifferentStructuresWithJAXsErrors() {
    let dense = ["k": [Layer(w: 1.0, b: 2.0, name: "dense")]]
    let conv = ["k": [Layer(w: 1.0, b: 2.0, name: "conv")]]
    checkError(treeMap(+, dense, conv)["k"]?[0].w.error, "aux_tree_map_mismatch")
    let (y, _) = jvp({ (l: Layer) in l.w }, primals: dense["k"]![0], tangents: conv["k"]![0])
    // The primals print as JAX's tuple of positional arguments: `PyTreeDef((…,))`.
    checkError(y.error, "aux_jvp_mismatch")
  }

  // tree_map over {'k': [1., 2.]} and {'k': [1., 2., 3.]}; [1., None] and [1., 2.];
  // {'a': 1., 'b': 2.} and {'a': 1., 'c': 2.}; {'a': 1., 'b': 2.} and {'a': 1.}
  @Test func mismatchedTreesGiveJAXsStructureErrors() {
    let add = { (a: Tensor, b: Tensor) in a + b }
    checkError(
      treeMap(add, ["k": [1.0, 2.0]] as Tree, ["k": [1.0, 2.0, 3.0]])["k"][0].tensor.error, "tree_map_list_length")
    checkError(treeMap(add, [1.0, nil] as Tree, [1.0, 2.0])[0].tensor.error, "tree_map_types")
    checkError(
      treeMap(add, ["a": 1.0, "b": 2.0] as Tree, ["a": 1.0, "c": 2.0])["a"].tensor.error, "tree_map_dict_keys")
    checkError(treeMap(add, ["a": 1.0, "b": 2.0] as Tree, ["a": 1.0])["a"].tensor.error, "tree_map_dict_count")
  }

  @Test func accessorsNeverTrap() {
    let t = Self.params
    #expect(t["nope"].tensor.error == FluxionError(.keyError, "'nope'"))
    #expect(t["layers"][7].tensor.error == FluxionError(.indexError, "list index out of range"))
    #expect(t["layers"][0]["w"][0].tensor.error?.kind == .typeError)
    #expect(t["layers"].tensor.error?.kind == .typeError)
    #expect(t["layers"][-1]["b"].leaf != nil)
    #expect(throws: FluxionError.self) { try t.as([String: Tensor].self) }
  }
}

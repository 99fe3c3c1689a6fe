/// A nested value: leaves in lists, tuples, dictionaries and registered nodes, nested to any
/// depth, as a Python pytree is (`{"layers": [...], "scale": (a, 2.0)}`). `Tree` (leaves are
/// tensors) is a `PyTree` that every transformation accepts and returns; `Nested<U>` with
/// other leaves is what `treeMap` gives for a function to another type (`treeMap(\.shape, t)`).
///
/// Written with literals: dictionaries, arrays, numbers (weakly typed scalars, as Python's),
/// `nil` (None, an empty node) and `.leaf(x)` for a tensor:
/// ```swift
/// let params: Tree = [
///   "layers": [["w": .leaf(w1), "b": .leaf(b1)], ["w": .leaf(w2), "b": .leaf(b2)]],
///   "scale": .tuple([.leaf(a), 2.0]),
/// ]
/// params["layers"][0]["w"].tensor     // w1
/// let g = grad { (p: Tree) in loss(p) }(params)   // a Tree of the same structure
/// ```
/// Flattening is JAX's order: dictionary keys sorted, None without leaves.
public indirect enum Nested<Leaf> {
  /// Python's None: a node without children.
  case none
  case leaf(Leaf)
  case list([Nested])
  case tuple([Nested])
  /// Keys are visited sorted, as jax.tree_util does.
  case dict([String: Nested])
  /// A registered node type: its name, its static auxiliary data and its children.
  case node(name: String, aux: TreeAux, children: [Nested])
}

/// A pytree of tensors, written with literals (see `Nested`).
public typealias Tree = Nested<Tensor>

extension Nested: ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
  public init(arrayLiteral elements: Nested...) { self = .list(elements) }
  public init(dictionaryLiteral elements: (String, Nested)...) {
    self = .dict(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
  public init(nilLiteral: ()) { self = .none }
}

extension Nested: ExpressibleByFloatLiteral where Leaf: ExpressibleByFloatLiteral {
  public init(floatLiteral value: Leaf.FloatLiteralType) { self = .leaf(Leaf(floatLiteral: value)) }
}

extension Nested: ExpressibleByIntegerLiteral where Leaf: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Leaf.IntegerLiteralType) { self = .leaf(Leaf(integerLiteral: value)) }
}

extension Nested: ExpressibleByBooleanLiteral where Leaf: ExpressibleByBooleanLiteral {
  public init(booleanLiteral value: Leaf.BooleanLiteralType) { self = .leaf(Leaf(booleanLiteral: value)) }
}

extension Nested: Equatable where Leaf: Equatable {}
extension Nested: Hashable where Leaf: Hashable {}
extension Nested: Sendable where Leaf: Sendable {}

extension Nested {
  /// The child at `key` of a dictionary; `.none` (None) when there is no such child.
  public subscript(key: String) -> Nested {
    if case .dict(let d) = self, let v = d[key] { return v }
    return .none
  }

  /// The child at `index` of a list, tuple or node (negative counts from the end, as in
  /// Python); `.none` when there is no such child.
  public subscript(index: Int) -> Nested {
    guard let c = items else { return .none }
    let i = index < 0 ? index + c.count : index
    return c.indices.contains(i) ? c[i] : .none
  }

  /// The leaf's value, or nil for a container.
  public var leaf: Leaf? {
    if case .leaf(let x) = self { return x }
    return nil
  }

  /// The children of a list, tuple or node, or nil.
  public var items: [Nested]? {
    switch self {
    case .list(let c), .tuple(let c), .node(_, _, let c): c
    default: nil
    }
  }

  /// The entries of a dictionary, or nil.
  public var fields: [String: Nested]? {
    if case .dict(let d) = self { return d }
    return nil
  }

  public var isNone: Bool {
    if case .none = self { return true }
    return false
  }

  /// The leaves in JAX's order (dictionary keys sorted).
  public var leaves: [Leaf] {
    var out: [Leaf] = []
    forEachLeaf { out.append($0) }
    return out
  }

  private func forEachLeaf(_ body: (Leaf) -> Void) {
    switch self {
    case .none: break
    case .leaf(let x): body(x)
    case .list(let c), .tuple(let c), .node(_, _, let c): for x in c { x.forEachLeaf(body) }
    case .dict(let d): for k in d.keys.sorted() { d[k]!.forEachLeaf(body) }
    }
  }

  /// The same structure with `f` applied to every leaf (in JAX's order).
  public func map<U, E: Error>(_ f: (Leaf) throws(E) -> U) throws(E) -> Nested<U> {
    try flatMap { x throws(E) in .leaf(try f(x)) }
  }

  /// Each leaf replaced by the subtree `f` makes of it (in JAX's order).
  public func flatMap<U, E: Error>(_ f: (Leaf) throws(E) -> Nested<U>) throws(E) -> Nested<U> {
    func all(_ c: [Nested]) throws(E) -> [Nested<U>] { try c.map { x throws(E) in try x.flatMap(f) } }
    switch self {
    case .none: return .none
    case .leaf(let x): return try f(x)
    case .list(let c): return .list(try all(c))
    case .tuple(let c): return .tuple(try all(c))
    case .node(let n, let a, let c): return .node(name: n, aux: a, children: try all(c))
    case .dict(let d):
      var out: [String: Nested<U>] = [:]
      for k in d.keys.sorted() { out[k] = try d[k]!.flatMap(f) }
      return .dict(out)
    }
  }

  /// The structure (leaves taken out).
  public var structure: TreeDef {
    switch self {
    case .none: .none
    case .leaf: .leaf
    case .list(let c): .list(c.map(\.structure))
    case .tuple(let c): .tuple(c.map(\.structure))
    case .node(let n, let a, let c): .custom(name: n, aux: a, children: c.map(\.structure))
    case .dict(let d):
      .dict(keys: d.keys.sorted(), values: d.keys.sorted().map { d[$0]!.structure })
    }
  }

  /// A value of structure `def` whose leaves are taken, in order, from `leaves` (which holds
  /// exactly `def.leafCount` of them).
  init(_ def: TreeDef, _ leaves: inout ArraySlice<Leaf>) {
    switch def {
    case .leaf: self = .leaf(leaves.removeFirst())
    case .none: self = .none
    case .tuple(let c): self = .tuple(c.map { Nested($0, &leaves) })
    case .list(let c): self = .list(c.map { Nested($0, &leaves) })
    case .custom(let n, let a, let c): self = .node(name: n, aux: a, children: c.map { Nested($0, &leaves) })
    case .dict(let keys, let c):
      var d: [String: Nested] = [:]
      for (k, v) in zip(keys, c) { d[k] = Nested(v, &leaves) }
      self = .dict(d)
    }
  }
}

extension Nested: CustomStringConvertible {
  /// Python's repr of the nested value: `{'a': [Array(1., dtype=float32), None], 'b': (…,)}`.
  public var description: String {
    switch self {
    case .none: "None"
    case .leaf(let x): String(describing: x)
    case .list(let c): "[" + c.map(\.description).joined(separator: ", ") + "]"
    case .tuple(let c): c.count == 1 ? "(\(c[0]),)" : "(" + c.map(\.description).joined(separator: ", ") + ")"
    case .node(let n, let a, let c): "\(n)[\(a)](" + c.map(\.description).joined(separator: ", ") + ")"
    case .dict(let d):
      "{" + d.keys.sorted().map { "\(pythonRepr($0)): \(d[$0]!)" }.joined(separator: ", ") + "}"
    }
  }
}

extension Nested: PyTree where Leaf == Tensor {
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    let def = structure
    leaves += self.leaves
    return def
  }

  /// Any structure rebuilds as a `Tree` (a registered node as `.node`).
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Tree {
    let n = def.leafCount
    guard leaves.count >= n else {
      throw .valueError("Too few leaves for PyTreeDef; expected \(n), got \(leaves.count)")
    }
    var mine = leaves.prefix(n)
    leaves = leaves.dropFirst(n)
    return Tree(def, &mine)
  }
}

extension Nested where Leaf == Tensor {
  /// The child at `key` of a dictionary; where there is none, a leaf carrying Python's
  /// `KeyError: 'key'` (so that what is computed from it fails with that error).
  public subscript(key: String) -> Tree {
    if case .dict(let d) = self, let v = d[key] { return v }
    if case .dict = self { return .leaf(Tensor(failed: FluxionError(.keyError, pythonRepr(key)))) }
    return .leaf(Tensor(failed: .typeError("\(structure) is not a dict: it has no key \(pythonRepr(key))")))
  }

  /// The child at `index` of a list, tuple or node (negative from the end); where there is
  /// none, a leaf carrying Python's `IndexError`.
  public subscript(index: Int) -> Tree {
    guard let c = items else {
      return .leaf(Tensor(failed: .typeError("\(structure) is not a sequence: it has no index \(index)")))
    }
    let i = index < 0 ? index + c.count : index
    guard c.indices.contains(i) else {
      let kind = if case .list = self { "list" } else { "tuple" }
      return .leaf(Tensor(failed: FluxionError(.indexError, "\(kind) index out of range")))
    }
    return c[i]
  }

  /// Any pytree as a `Tree` of the same structure and leaves (a `[String: Tensor]`, a `Point`).
  public init(_ value: some PyTree) {
    let (leaves, def) = treeFlatten(value)
    var slice = leaves[...]
    self.init(def, &slice)
  }

  /// The leaf's tensor; for anything else a tensor carrying JAX's error for using a container
  /// as an array (so a computation on a misspelt path fails instead of trapping).
  public var tensor: Tensor {
    if case .leaf(let x) = self { return x }
    return Tensor(
      failed: .typeError("expected an array leaf of the pytree, got a subtree of structure \(structure)"))
  }

  /// This tree's leaves rebuilt as a `T` (`jac["w"].as(Point.self)`); throws JAX's structure
  /// error when this tree does not have `T`'s structure.
  public func `as`<T: PyTree>(_ type: T.Type) throws(FluxionError) -> T {
    try treeUnflatten(T.self, structure, leaves)
  }
}

/// Applies `f` to every leaf of a pytree, giving a `Nested` of `f`'s results with the tree's
/// structure (jax.tree_util.tree_map to another kind of leaf: `treeMap({ $0.shape }, params)`).
public func treeMap<T: PyTree, U>(_ f: (Tensor) -> U, _ x: T) -> Nested<U> {
  let (leaves, def) = treeFlatten(x)
  var slice = leaves.map(f)[...]
  return Nested(def, &slice)
}

import FluxionBackend
import Foundation

/// The structure of a pytree: its containers, with the leaves taken out.
///
/// Prints as JAX's `PyTreeDef`: `PyTreeDef({'a': [*, *], 'b': (*, None)})`.
public indirect enum TreeDef: Hashable, Sendable, CustomStringConvertible {
  case leaf
  case none
  case tuple([TreeDef])
  case list([TreeDef])
  /// Keys are kept sorted, as JAX sorts dict keys.
  case dict(keys: [String], values: [TreeDef])
  /// A registered node type: its name, its auxiliary data (static, part of the structure: two
  /// nodes with different aux are different structures) and its children.
  case custom(name: String, aux: TreeAux, children: [TreeDef])

  /// Number of leaves.
  public var leafCount: Int {
    switch self {
    case .leaf: 1
    case .none: 0
    case .tuple(let c), .list(let c), .custom(_, _, let c): c.reduce(0) { $0 + $1.leafCount }
    case .dict(_, let c): c.reduce(0) { $0 + $1.leafCount }
    }
  }

  /// The children of a container node.
  public var children: [TreeDef] {
    switch self {
    case .leaf, .none: []
    case .tuple(let c), .list(let c), .custom(_, _, let c): c
    case .dict(_, let c): c
    }
  }

  var body: String {
    switch self {
    case .leaf: "*"
    case .none: "None"
    case .tuple(let c): c.count == 1 ? "(\(c[0].body),)" : "(" + c.map(\.body).joined(separator: ", ") + ")"
    case .list(let c): "[" + c.map(\.body).joined(separator: ", ") + "]"
    case .dict(let k, let v): "{" + zip(k, v).map { "'\($0)': \($1.body)" }.joined(separator: ", ") + "}"
    case .custom(let n, let aux, let c): "CustomNode(\(n)[\(aux)], [" + c.map(\.body).joined(separator: ", ") + "])"
    }
  }

  public var description: String { "PyTreeDef(\(body))" }
}

/// The auxiliary data of a pytree node (JAX's `aux_data`): any hashable value, kept in the
/// structure rather than among the leaves. Prints as its `description` (`CustomNode(Layer[dense], …)`).
public struct TreeAux: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  /// The value, as the node type gave it.
  public let value: any Hashable & Sendable

  public init(_ value: some Hashable & Sendable) { self.value = value }
  public init(stringLiteral value: String) { self.value = value }

  public var description: String { String(describing: value) }

  public static func == (a: TreeAux, b: TreeAux) -> Bool { AnyHashable(a.value) == AnyHashable(b.value) }
  public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(value)) }
}

/// A value that flattens to tensors (leaves) and a structure, and can be rebuilt from them.
///
/// Tensors are leaves; arrays, dictionaries and optionals are containers; `Tree` holds any mix
/// of them written as literals; your own types conform through `PyTreeNode` (or
/// `PyTreeNodeWithAux`, for a node with static data such as a name):
/// ```swift
/// struct Point: PyTreeNode {
///   var x, y, z: Tensor
///   var treeChildren: [Tensor] { [x, y, z] }
///   init(treeChildren c: [Tensor]) { (x, y, z) = (c[0], c[1], c[2]) }
/// }
/// ```
public protocol PyTree {
  /// Appends this value's leaves and returns its structure.
  func flatten(into leaves: inout [Tensor]) -> TreeDef
  /// Rebuilds a value of this type from a structure and leaves (consumed in order).
  static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Self
}

func structureError(_ expected: String, _ def: TreeDef) -> FluxionError {
  .valueError("pytree structure error: expected \(expected), got \(def)")
}

extension Tensor: PyTree {
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    leaves.append(self)
    return .leaf
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Tensor {
    guard def == .leaf else { throw structureError("a leaf", def) }
    guard let x = leaves.popFirst() else { throw .valueError("Too few leaves for PyTreeDef") }
    return x
  }
}

extension Double: PyTree {
  /// A Double is a leaf holding a weakly typed scalar, like a Python float. Rebuilding one reads
  /// its leaf's single element: a leaf holding an error throws that error, and an abstract
  /// tracer (under vmap or jit) JAX's ConcretizationTypeError.
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    leaves.append(.weak(self))
    return .leaf
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Double {
    try scalarLeaf(def, &leaves, placeholder: .nan) { x throws(FluxionError) in try x.item() }
  }
}

extension Float: PyTree {
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    leaves.append(Tensor(self))
    return .leaf
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Float {
    try scalarLeaf(def, &leaves, placeholder: .nan) { x throws(FluxionError) in Float(try x.item()) }
  }
}

extension Int: PyTree {
  /// An Int is a leaf holding a weakly typed integer, like a Python int; rebuilding one is
  /// Python's `int(x)` of the leaf (floats truncate; NaN, infinities and values beyond Int fail).
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    leaves.append(.weak(self))
    return .leaf
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Int {
    try scalarLeaf(def, &leaves, placeholder: 0) { x throws(FluxionError) in try pythonInt(x.scalarItem(for: .int)) }
  }
}

extension Bool: PyTree {
  /// A Bool is a leaf holding a bool scalar; rebuilding one is Python's `bool(x)` of the leaf
  /// (an abstract tracer is JAX's TracerBoolConversionError).
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    leaves.append(Tensor(self))
    return .leaf
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Bool {
    try scalarLeaf(def, &leaves, placeholder: false) { x throws(FluxionError) in try x.truthValue() }
  }
}

/// Reads the next leaf as a Swift scalar with `read`, which throws when the leaf holds an error
/// or an abstract tracer. Only while `rebuild` makes a failed result, whose tensor leaves carry
/// the error, does such a leaf give `placeholder` instead: a scalar has no way to carry it.
func scalarLeaf<T>(
  _ def: TreeDef, _ leaves: inout ArraySlice<Tensor>, placeholder: T, _ read: (Tensor) throws(FluxionError) -> T
) throws(FluxionError) -> T {
  let leaf = try Tensor.unflatten(def, &leaves)
  do {
    return try read(leaf)
  } catch {
    if FluxionContext.current.scalarPlaceholders { return placeholder }
    throw error
  }
}

/// Python's `int(x)` of one element: floats truncate toward zero; NaN, the infinities and
/// values beyond Int are errors, with CPython's messages.
func pythonInt(_ s: Scalar) throws(FluxionError) -> Int {
  let tooLarge = FluxionError(.overflowError, "Python int too large to convert to C long")
  switch s {
  case .bool(let b): return b ? 1 : 0
  case .int(let i): return Int(i)
  case .uint(let u):
    guard let i = Int(exactly: u) else { throw tooLarge }
    return i
  case .float(let d):
    if d.isNaN { throw FluxionError(.valueError, "cannot convert float NaN to integer") }
    if d.isInfinite { throw FluxionError(.overflowError, "cannot convert float infinity to integer") }
    guard let i = Int(exactly: d.rounded(.towardZero)) else { throw tooLarge }
    return i
  }
}

extension Array: PyTree where Element: PyTree {
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    .list(map { $0.flatten(into: &leaves) })
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> [Element] {
    guard case .list(let children) = def else { throw structureError("a list", def) }
    var out: [Element] = []
    for c in children { out.append(try Element.unflatten(c, &leaves)) }
    return out
  }
}

extension Dictionary: PyTree where Key == String, Value: PyTree {
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    let keys = self.keys.sorted()
    return .dict(keys: keys, values: keys.map { self[$0]!.flatten(into: &leaves) })
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> [String:
    Value]
  {
    guard case .dict(let keys, let values) = def else { throw structureError("a dict", def) }
    var out: [String: Value] = [:]
    for (k, v) in zip(keys, values) { out[k] = try Value.unflatten(v, &leaves) }
    return out
  }
}

extension Optional: PyTree where Wrapped: PyTree {
  /// nil is an empty subtree (JAX's None).
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    switch self {
    case .none: .none
    case .some(let w): w.flatten(into: &leaves)
    }
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Wrapped? {
    if def == .none { return nil }
    return try Wrapped.unflatten(def, &leaves)
  }
}

/// A user type as a pytree node with auxiliary data (jax.tree_util.register_pytree_node's
/// `aux_data`): `treeAux` is static, part of the structure rather than a leaf, so it is not
/// differentiated or batched, and two values with different aux are different structures
/// (transforming one with the other's structure is JAX's "different pytree metadata" error).
///
/// ```swift
/// struct Layer: PyTreeNodeWithAux {
///   var w, b: Tensor
///   var name: String
///   var treeChildren: [Tensor] { [w, b] }
///   var treeAux: String { name }
///   init(treeChildren c: [Tensor], treeAux name: String) { (w, b, self.name) = (c[0], c[1], name) }
/// }
/// treeStructure(layer)   // PyTreeDef(CustomNode(Layer[dense], [[*, *]]))
/// ```
public protocol PyTreeNodeWithAux: PyTree {
  associatedtype Children: PyTree
  associatedtype Aux: Hashable & Sendable
  var treeChildren: Children { get }
  var treeAux: Aux { get }
  init(treeChildren: Children, treeAux: Aux)
}

/// A user type as a pytree node: it names its children, and is rebuilt from them.
public protocol PyTreeNode: PyTreeNodeWithAux where Aux == NoAux {
  init(treeChildren: Children)
}

/// The auxiliary data of a node that has none (prints as nothing: `CustomNode(Point[], …)`).
public struct NoAux: Hashable, Sendable, CustomStringConvertible {
  public init() {}
  public var description: String { "" }
}

extension PyTreeNode {
  public var treeAux: NoAux { NoAux() }
  public init(treeChildren: Children, treeAux: NoAux) { self.init(treeChildren: treeChildren) }
}

extension PyTreeNodeWithAux {
  public func flatten(into leaves: inout [Tensor]) -> TreeDef {
    .custom(name: String(describing: Self.self), aux: TreeAux(treeAux), children: [treeChildren.flatten(into: &leaves)])
  }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Self {
    guard case .custom(let name, let aux, let children) = def, name == String(describing: Self.self),
      children.count == 1, let a = aux.value as? Aux
    else {
      throw structureError("a \(Self.self) node", def)
    }
    return Self(treeChildren: try Children.unflatten(children[0], &leaves), treeAux: a)
  }
}

// MARK: - tree_util

/// Leaves and structure (jax.tree_util.tree_flatten).
public func treeFlatten<T: PyTree>(_ x: T) -> ([Tensor], TreeDef) {
  var leaves: [Tensor] = []
  let def = x.flatten(into: &leaves)
  return (leaves, def)
}

/// Rebuilds a value from a structure and leaves (jax.tree_util.tree_unflatten).
public func treeUnflatten<T: PyTree>(_ type: T.Type = T.self, _ def: TreeDef, _ leaves: [Tensor]) throws(FluxionError)
  -> T
{
  if leaves.count < def.leafCount {
    throw .valueError("Too few leaves for PyTreeDef; expected \(def.leafCount), got \(leaves.count)")
  }
  if leaves.count > def.leafCount {
    throw .valueError("Too many leaves for PyTreeDef; expected \(def.leafCount), got \(leaves.count)")
  }
  var slice = leaves[...]
  return try T.unflatten(def, &slice)
}

public func treeLeaves<T: PyTree>(_ x: T) -> [Tensor] { treeFlatten(x).0 }
public func treeStructure<T: PyTree>(_ x: T) -> TreeDef { treeFlatten(x).1 }

/// Applies `f` to every leaf, keeping the structure (jax.tree_util.tree_map).
public func treeMap<T: PyTree>(_ f: (Tensor) -> Tensor, _ x: T) -> T {
  let (leaves, def) = treeFlatten(x)
  return rebuild(def, leaves.map(f))
}

/// Rebuilds `T` from leaves known to match `def`. When they cannot make a `T` (a mismatch, or
/// a scalar leaf given an error or an abstract tracer), the result is a failed `T`: each tensor
/// leaf carries the error and each scalar leaf, which cannot, holds a placeholder (NaN, 0,
/// false); `error` is then set (if it was nil), so that what is computed from the result can
/// fail with it.
func rebuild<T: PyTree>(_ def: TreeDef, _ leaves: [Tensor], error: inout FluxionError?) -> T {
  do {
    return try treeUnflatten(T.self, def, leaves)
  } catch let e {
    if error == nil { error = e }
    let bad = Array(repeating: Tensor(failed: e), count: def.leafCount)
    var slice = bad[...]
    let rebuilt = FluxionContext.with({ $0.scalarPlaceholders = true }) { try? T.unflatten(def, &slice) }
    guard let value = rebuilt else {
      // Every caller passes a structure made by flattening a value of type T (the argument, or
      // f's output); T rebuilds from its own structure with any leaves (the registry cannot lose
      // a node: it has no unregister), scalar leaves taking placeholders.
      preconditionFailure("a pytree type could not be rebuilt from its own structure: \(def)")  // invariant: see above
    }
    return value
  }
}

/// Rebuilds `T` from leaves known to match `def`, or a failed `T` (see above): for results,
/// whose tensor leaves then carry the error.
func rebuild<T: PyTree>(_ def: TreeDef, _ leaves: [Tensor]) -> T {
  var error: FluxionError?
  return rebuild(def, leaves, error: &error)
}

/// The leaves and structure of `f` applied to the argument rebuilt from `xs`. When `xs` cannot
/// make the argument (an abstract tracer for a Double leaf, say), `f` runs on the failed
/// argument only for its output's structure, and every output leaf carries the error: `f`
/// never computes a result from placeholders.
func applyRebuilt<In: PyTree, Out: PyTree, E: Error>(
  _ f: (In) throws(E) -> Out, _ def: TreeDef, _ xs: [Tensor]
) throws(E) -> ([Tensor], TreeDef) {
  var error: FluxionError?
  let (leaves, d) = treeFlatten(try f(rebuild(def, xs, error: &error)))
  guard let error else { return (leaves, d) }
  return (leaves.map { _ in Tensor(failed: error) }, d)
}

/// A runtime registry of pytree node types, for values whose types are known only at run time:
/// the language's registered classes (`@register_pytree_node_class`). `Value` is the dynamic
/// value type that holds instances; each registered type name maps to its flatten/unflatten.
///
/// A dynamic value's `flatten(into:)` calls `flatten(_:type:into:)` for an instance of a
/// registered class, and its `unflatten` calls `unflatten(_:_:)` for a `.custom` node.
///
/// Sendable without checking: `nodes` is read and written only while `lock` is held; the
/// registered closures are the registering code's, called on the thread that flattens.
public final class PyTreeRegistry<Value: PyTree>: @unchecked Sendable {
  public struct Node {
    /// The children of an instance, and its auxiliary data as text (part of the structure).
    public let flatten: (Value) -> (children: [Value], aux: String)
    /// An instance rebuilt from auxiliary data and children.
    public let unflatten: (String, [Value]) -> Value

    public init(
      flatten: @escaping (Value) -> (children: [Value], aux: String), unflatten: @escaping (String, [Value]) -> Value
    ) {
      self.flatten = flatten
      self.unflatten = unflatten
    }
  }

  private var nodes: [String: Node] = [:]
  private let lock = NSLock()

  public init() {}

  public func register(_ typeName: String, _ node: Node) { lock.withLock { nodes[typeName] = node } }
  public func node(for typeName: String) -> Node? { lock.withLock { nodes[typeName] } }
  public func isRegistered(_ typeName: String) -> Bool { node(for: typeName) != nil }

  /// Flattens an instance of a registered type (a leaf if the type is not registered).
  public func flatten(_ value: Value, type typeName: String, into leaves: inout [Tensor]) -> TreeDef? {
    guard let node = node(for: typeName) else { return nil }
    let (children, aux) = node.flatten(value)
    return .custom(name: typeName, aux: TreeAux(aux), children: children.map { $0.flatten(into: &leaves) })
  }

  /// Rebuilds an instance from a `.custom` node.
  public func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> Value {
    guard case .custom(let name, let aux, let children) = def, let node = node(for: name) else {
      throw structureError("a registered pytree node", def)
    }
    var values: [Value] = []
    for c in children { values.append(try Value.unflatten(c, &leaves)) }
    return node.unflatten(aux.value as? String ?? aux.description, values)
  }
}

/// Applies `f` leaf by leaf to two trees of one structure (jax.tree_util.tree_map with two
/// trees). Trees of different structures give a result whose leaves carry JAX's "pytree
/// structure error" naming the key path where they differ.
public func treeMap<T: PyTree>(_ f: (Tensor, Tensor) -> Tensor, _ x: T, _ y: T) -> T {
  let (a, da) = treeFlatten(x)
  let (b, db) = treeFlatten(y)
  guard da == db else {
    let e = FluxionError.valueError(
      prefixMismatch(da, db, name: "tree_map tree", strict: true) ?? "pytree structure error: \(da) and \(db) differ")
    return rebuild(da, a.map { _ in Tensor(failed: e) })
  }
  return rebuild(da, zip(a, b).map(f))
}

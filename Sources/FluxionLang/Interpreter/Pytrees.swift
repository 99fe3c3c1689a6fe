import Fluxion

/// How a registered node type flattens: its own `tree_flatten`/`tree_unflatten` methods,
/// functions given to `register_pytree_node`, or named fields (NamedTuple, dataclass).
enum PytreeNodeType {
  case methods(PyClass)
  case functions(PyClass, flatten: Value, unflatten: Value)
  case fields(PyClass, data: [String], meta: [String])

  var cls: PyClass {
    switch self {
    case .methods(let c), .functions(let c, _, _), .fields(let c, _, _): c
    }
  }
}

/// A registered node's static data in a TreeDef: the node's class and its aux data, both by
/// index into the interpreter's tables (so equal aux data gives equal tree structures).
struct AuxKey: Hashable, Sendable, CustomStringConvertible {
  let node: Int
  let aux: Int
  let text: String
  var description: String { text }
  static func == (a: AuxKey, b: AuxKey) -> Bool { a.node == b.node && a.aux == b.aux }
  func hash(into h: inout Hasher) {
    h.combine(node)
    h.combine(aux)
  }
}

extension Interpreter {
  /// The registration of `cls` (or of its nearest registered base), if any.
  func pytreeNode(_ cls: PyClass) -> PytreeNodeType? { pytreeNodes[ObjectIdentifier(cls)] }

  /// A Python value as a pytree whose leaves are the Python values themselves: tuples, lists,
  /// dicts, None and registered nodes are nodes, everything else a leaf.
  func toNested(_ v: Value, isLeaf: Value? = nil) throws(PyError) -> Nested<Value> {
    if StackGuard.nearlyExhausted() { throw PyError("RecursionError", "maximum recursion depth exceeded") }
    if let isLeaf, try truthy(try call(isLeaf, [v])) { return .leaf(v) }
    switch v {
    case .none: return .none
    case .tuple(let items): return .tuple(try items.map { x throws(PyError) in try toNested(x, isLeaf: isLeaf) })
    case .list(let l): return .list(try l.items.map { x throws(PyError) in try toNested(x, isLeaf: isLeaf) })
    case .dict(let d):
      var out: [String: Nested<Value>] = [:]
      var allStrings = true
      for (k, x) in d.pairs {
        guard case .str(let s) = k else {
          allStrings = false
          break
        }
        out[s] = try toNested(x, isLeaf: isLeaf)
      }
      if allStrings { return .dict(out) }
      // Non-string keys: a node whose aux data is the sorted keys.
      let pairs = try sortedDictItems(d)
      let keys = Value.tuple(pairs.map(\.0))
      return .node(
        name: "dict", aux: TreeAux(try auxKey(node: -1, keys)),
        children: try pairs.map { p throws(PyError) in try toNested(p.1, isLeaf: isLeaf) })
    case .object(let inst as PyInstance):
      guard let node = pytreeNode(inst.cls) else { return .leaf(v) }
      let (children, aux) = try flattenNode(node, v, inst)
      let index = nodeIndex(node.cls)
      var key = try auxKey(node: index, aux)
      // A NamedTuple prints as JAX shows it: `CustomNode(namedtuple[Params], [*, *])`.
      let isNamedTuple = namedTupleFields(inst.cls) != nil
      if isNamedTuple { key = AuxKey(node: key.node, aux: key.aux, text: inst.cls.name) }
      return .node(
        name: isNamedTuple ? "namedtuple" : inst.cls.name, aux: TreeAux(key),
        children: try children.map { x throws(PyError) in try toNested(x, isLeaf: isLeaf) })
    default:
      return .leaf(v)
    }
  }

  private func flattenNode(_ node: PytreeNodeType, _ v: Value, _ inst: PyInstance) throws(PyError) -> ([Value], Value) {
    switch node {
    case .methods:
      let r = try call(try getAttribute(v, "tree_flatten"), [])
      return try flattenResult(r, inst.cls.name)
    case .functions(_, let flatten, _):
      return try flattenResult(try call(flatten, [v]), inst.cls.name)
    case .fields(_, let data, let meta):
      let children = data.map { inst.attributes[$0] ?? Value.none }
      let aux = Value.tuple(meta.map { inst.attributes[$0] ?? Value.none })
      return (children, aux)
    }
  }

  private func flattenResult(_ r: Value, _ name: String) throws(PyError) -> ([Value], Value) {
    guard case .tuple(let pair) = r, pair.count == 2 else {
      throw PyError.type("tree_flatten of \(name) must return a pair (children, aux_data)")
    }
    return (try materialize(pair[0]), pair[1])
  }

  func nodeIndex(_ cls: PyClass) -> Int {
    if let i = nodeClasses.firstIndex(where: { $0 === cls }) { return i }
    nodeClasses.append(cls)
    return nodeClasses.count - 1
  }

  /// Interns aux data: equal data (Python `==`) gets the same index.
  func auxKey(node: Int, _ aux: Value) throws(PyError) -> AuxKey {
    for (i, a) in auxTable.enumerated() where try sameOrEqual(a, aux) {
      return AuxKey(node: node, aux: i, text: try str(aux))
    }
    auxTable.append(aux)
    // A PyTreeDef shows a node's aux data with str (`CustomNode(Box[w], [*])`).
    return AuxKey(node: node, aux: auxTable.count - 1, text: try str(aux))
  }

  func sortedDictItems(_ d: PyDict) throws(PyError) -> [(Value, Value)] {
    let pairs = Array(d.pairs)
    var failed = false
    let sorted = pairs.sorted { a, b in
      guard !failed else { return false }
      do { return try order(a.0, b.0, .lt) < 0 } catch {
        failed = true
        return false
      }
    }
    return failed ? pairs : sorted
  }

  /// The Python value of a pytree of Python values.
  func fromNested(_ n: Nested<Value>) throws(PyError) -> Value {
    switch n {
    case .none: return .none
    case .leaf(let v): return v
    case .tuple(let c): return .tuple(try c.map { x throws(PyError) in try fromNested(x) })
    case .list(let c): return .list(PyList(try c.map { x throws(PyError) in try fromNested(x) }))
    case .dict(let d):
      let out = PyDict()
      for k in d.keys.sorted() { out.set(.str(k), .str(k), try fromNested(d[k]!)) }
      return .dict(out)
    case .node(_, let aux, let children):
      guard let key = aux.value as? AuxKey else { throw PyError.type("unknown pytree node") }
      let kids = try children.map { x throws(PyError) in try fromNested(x) }
      let auxValue = auxTable[key.aux]
      if key.node < 0 {
        let d = PyDict()
        for (k, v) in zip(try materialize(auxValue), kids) { d.set(try hashKey(k), k, v) }
        return .dict(d)
      }
      let cls = nodeClasses[key.node]
      guard let node = pytreeNode(cls) else { throw PyError.type("unregistered pytree node \(cls.name)") }
      switch node {
      case .methods:
        let unflatten = try getAttribute(.object(cls), "tree_unflatten")
        return try call(unflatten, [auxValue, .tuple(kids)])
      case .functions(_, _, let unflatten):
        return try call(unflatten, [auxValue, .tuple(kids)])
      case .fields(_, let data, let meta):
        let inst = PyInstance(cls)
        for (f, v) in zip(data, kids) { inst.attributes[f] = v }
        for (f, v) in zip(meta, try materialize(auxValue)) { inst.attributes[f] = v }
        return .object(inst)
      }
    }
  }

  // MARK: - pytrees of arrays, for the transformations

  /// A Python pytree as the engine's Tree: every leaf an array (Python scalars weakly typed).
  func toTree(_ v: Value, what: String = "Argument") throws(PyError) -> Tree {
    try toNested(v).flatMap { (leaf) throws(PyError) -> Tree in
      switch leaf {
      case .array(let t):
        if let e = t.error { throw PyError(e) }
        return .leaf(t)
      case .key(let k): return .node(name: "key<fry>", aux: "key", children: [.leaf(k.data)])
      case .int, .float, .bool, .object(is NPArray): return .leaf(try asTensor(leaf))
      default:
        throw PyError.type("\(what) '\(try repr(leaf))' of type \(leafTypeName(leaf)) is not a valid JAX type.")
      }
    }
  }

  private func leafTypeName(_ v: Value) -> String {
    switch v {
    case .object(let inst as PyInstance): "<class '__main__.\(inst.cls.name)'>"
    default: "<class '\(v.typeName)'>"
    }
  }

  /// The Python value of a Tree (registered nodes rebuilt with their unflatten).
  func fromTree(_ t: Tree) throws(PyError) -> Value {
    try fromNested(try restoringKeys(t.map { (x: Tensor) -> Value in .array(x) }))
  }
}

extension Interpreter {
  /// Typed PRNG keys travel through the engine as nodes over their data; turn them back.
  func restoringKeys(_ n: Nested<Value>) throws(PyError) -> Nested<Value> {
    switch n {
    case .node(let name, _, let children) where name == "key<fry>":
      if case .leaf(.array(let data))? = children.first { return .leaf(Value.key(Random.wrapKeyData(data))) }
      return n
    case .node(let name, let aux, let children):
      return .node(name: name, aux: aux, children: try children.map { c throws(PyError) in try restoringKeys(c) })
    case .tuple(let c): return .tuple(try c.map { x throws(PyError) in try restoringKeys(x) })
    case .list(let c): return .list(try c.map { x throws(PyError) in try restoringKeys(x) })
    case .dict(let d):
      var out: [String: Nested<Value>] = [:]
      for (k, v) in d { out[k] = try restoringKeys(v) }
      return .dict(out)
    default: return n
    }
  }
}

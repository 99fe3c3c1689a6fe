/// Key paths into a structure, and JAX's messages for two structures that do not match.

extension TreeDef {
  /// The key path of each leaf, as `jax.tree_util.keystr` prints it: `['layers'][0]`
  /// (sequence and registered-node children by index, dict entries by key).
  public var leafKeyPaths: [String] {
    var out: [String] = []
    appendKeyPaths("", to: &out)
    return out
  }

  private func appendKeyPaths(_ prefix: String, to out: inout [String]) {
    switch self {
    case .leaf: out.append(prefix)
    case .none: break
    case .tuple(let c), .list(let c), .custom(_, _, let c):
      for (i, d) in c.enumerated() { d.appendKeyPaths(prefix + "[\(i)]", to: &out) }
    case .dict(let keys, let c):
      for (k, d) in zip(keys, c) { d.appendKeyPaths(prefix + "[\(pythonRepr(k))]", to: &out) }
    }
  }

  /// The Python type JAX names for a node of this kind.
  var pythonType: String {
    switch self {
    case .leaf: "<class 'jaxlib._jax.ArrayImpl'>"
    case .none: "<class 'NoneType'>"
    case .tuple: "<class 'tuple'>"
    case .list: "<class 'list'>"
    case .dict: "<class 'dict'>"
    case .custom(let name, _, _): "<class '\(name)'>"
    }
  }

  /// The node's kind, without its children (two nodes of one kind can differ in metadata).
  fileprivate var kind: String {
    if case .custom(let name, _, _) = self { return "custom " + name }
    return pythonType
  }

  /// The node's metadata as JAX prints it: a dict's keys as a tuple, a custom node's aux.
  fileprivate var metadata: String? {
    switch self {
    case .dict(let keys, _):
      keys.count == 1 ? "(\(pythonRepr(keys[0])),)" : "(" + keys.map(pythonRepr).joined(separator: ", ") + ")"
    case .custom(_, let aux, _): aux.description
    default: nil
    }
  }

  fileprivate var childKeys: [String] {
    if case .dict(let keys, _) = self { return keys }
    return children.indices.map(String.init)
  }
}

/// JAX's message (jax.tree_util's prefix check) for the first place where `full` does not have
/// `prefix` as a prefix, or nil when it does. `name` is what the message calls the prefix tree
/// (`tree_map tree`, `vmap in_axes`). A leaf of `prefix` matches any subtree of `full`, unless
/// `strict` (two trees of one structure are wanted).
func prefixMismatch(
  _ prefix: TreeDef, _ full: TreeDef, name: String, strict: Bool = false, path: String = ""
) -> String? {
  if prefix == .leaf && (!strict || full == .leaf) { return nil }
  let at = "at key path\n    \(name)\(path)\n"
  if prefix.kind != full.kind {
    return "pytree structure error: different types \(at)"
      + "At that key path, the prefix pytree \(name) has a subtree of type\n    \(prefix.pythonType)\n"
      + "but at the same key path the full pytree has a subtree of different type\n    \(full.pythonType)."
  }
  let (pc, fc) = (prefix.children, full.children)
  switch prefix {
  case .tuple, .list:
    if pc.count != fc.count {
      let type = prefix.pythonType.dropFirst(8).dropLast(2)
      return "pytree structure error: different lengths of \(type) \(at)"
        + "At that key path, the prefix pytree \(name) has a subtree of type \(type) of length \(pc.count), "
        + "but the full pytree has a subtree of the same type but of length \(fc.count)."
    }
  default:
    if pc.count != fc.count {
      let (pk, fk) = (prefix.childKeys, full.childKeys)
      let difference: String = Set(pk).symmetricDifference(fk).sorted().joined(separator: " ")
      let head: String =
        "pytree structure error: different numbers of pytree children \(at)"
        + "At that key path, the prefix pytree \(name) has a subtree of type\n    \(prefix.pythonType)\n"
      let counts: String =
        "with \(pc.count) child keys\n    \(pk.joined(separator: " "))\n"
        + "but at the same key path the full pytree has a subtree of the same type but with \(fc.count) child keys\n"
      return head + counts
        + "    \(fk.joined(separator: " "))\nso the symmetric difference on key sets is\n    \(difference)"
    }
  }
  if let pm = prefix.metadata, let fm = full.metadata, pm != fm || prefix.childKeys != full.childKeys {
    return "pytree structure error: different pytree metadata \(at)"
      + "At that key path, the prefix pytree \(name) has a subtree of type\n    \(prefix.pythonType)\n"
      + "with metadata\n    \(pm)\n"
      + "but at the same key path the full pytree has a subtree of the same type but with metadata\n    \(fm)\n"
      + "so the diff in the metadata at these pytree nodes is\n"
      + lineDiff(pm, fm).map { "    " + $0 }.joined(separator: "\n")
  }
  let keys: [String] =
    if case .dict(let k, _) = prefix { k.map { "[\(pythonRepr($0))]" } } else { pc.indices.map { "[\($0)]" } }
  for (k, (p, f)) in zip(keys, zip(pc, fc)) {
    if let m = prefixMismatch(p, f, name: name, strict: strict, path: path + k) { return m }
  }
  return nil
}

/// Python's `repr` of a string: single quotes unless the text holds one and no double quote.
func pythonRepr(_ s: String) -> String {
  let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
  var out = String(quote)
  for c in s {
    switch c {
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    case quote: out += "\\" + String(c)
    default: out.append(c)
    }
  }
  out.append(quote)
  return out
}

/// Python's `difflib.ndiff` of two one-line texts: `- a` and `+ b`, each followed by a `? `
/// guide line marking the changed characters when the lines are alike (ratio ≥ 0.75), as
/// `_fancy_replace` does. Matching is by longest common runs (difflib's, without its junk
/// heuristic, which only matters for lines with many spaces).
func lineDiff(_ a: String, _ b: String) -> [String] {
  let (x, y) = (Array(a), Array(b))
  let blocks = matchingBlocks(x, y)
  let matched = blocks.reduce(0) { $0 + $1.count }
  guard x.count + y.count > 0, Double(2 * matched) / Double(x.count + y.count) >= 0.75 else {
    return ["- " + a, "+ " + b]
  }
  var (aTags, bTags) = ("", "")
  var (i, j) = (0, 0)
  for block in blocks + [(a: x.count, b: y.count, count: 0)] {
    let (da, db) = (block.a - i, block.b - j)
    let mark = da > 0 && db > 0 ? "^" : nil
    aTags += String(repeating: mark ?? "-", count: da)
    bTags += String(repeating: mark ?? "+", count: db)
    aTags += String(repeating: " ", count: block.count)
    bTags += String(repeating: " ", count: block.count)
    (i, j) = (block.a + block.count, block.b + block.count)
  }
  var out = ["- " + a]
  let trimmedA = aTags.replacing(/\s+$/, with: "")
  if !trimmedA.isEmpty { out.append("? " + trimmedA + "\n") }
  out.append("+ " + b)
  let trimmedB = bTags.replacing(/\s+$/, with: "")
  if !trimmedB.isEmpty { out.append("? " + trimmedB + "\n") }
  return out
}

/// The runs two sequences share, in order: the longest common run, then the same on each side.
private func matchingBlocks(_ x: [Character], _ y: [Character]) -> [(a: Int, b: Int, count: Int)] {
  func longest(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> (a: Int, b: Int, count: Int) {
    var best = (a: a0, b: b0, count: 0)
    guard a0 < a1, b0 < b1 else { return best }
    for i in a0..<a1 {
      for j in b0..<b1 {
        var n = 0
        while i + n < a1 && j + n < b1 && x[i + n] == y[j + n] { n += 1 }
        if n > best.count { best = (i, j, n) }
      }
    }
    return best
  }
  func blocks(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> [(a: Int, b: Int, count: Int)] {
    let m = longest(a0, a1, b0, b1)
    guard m.count > 0 else { return [] }
    return blocks(a0, m.a, b0, m.b) + [m] + blocks(m.a + m.count, a1, m.b + m.count, b1)
  }
  return blocks(0, x.count, 0, y.count)
}

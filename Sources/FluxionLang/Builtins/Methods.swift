import Fluxion
import Foundation

extension Interpreter {
  /// A method of a str, list, dict, tuple or set, bound to `obj`.
  func builtinMethod(_ obj: Value, _ name: String) throws(PyError) -> Value? {
    func method(_ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value {
      .builtin("\(obj.typeName).\(name)", body)
    }
    switch obj {
    case .str(let s): return stringMethod(s, name, method)
    case .list(let l): return listMethod(l, name, method)
    case .dict(let d): return dictMethod(d, name, method)
    case .tuple(let t):
      switch name {
      case "count":
        return method { i, a throws(PyError) in
          let x = try i.bind("count", a, ["value"], required: 1).values[0]!
          return .int(try i.count(t, x))
        }
      case "index":
        return method { i, a throws(PyError) in
          let x = try i.bind("index", a, ["value"], required: 1).values[0]!
          for (k, v) in t.enumerated() where try i.equals(v, x) { return .int(k) }
          throw PyError.value("tuple.index(x): x not in tuple")
        }
      default: return nil
      }
    case .set(let set):
      switch name {
      case "add":
        return method { i, a throws(PyError) in
          let x = try i.bind("add", a, ["elem"], required: 1).values[0]!
          set.insert(try i.hashKey(x), x)
          return .none
        }
      case "discard", "remove":
        return method { i, a throws(PyError) in
          let x = try i.bind(name, a, ["elem"], required: 1).values[0]!
          if !set.remove(try i.hashKey(x)) && name == "remove" { throw i.keyError(x) }
          return .none
        }
      case "union", "intersection", "difference":
        return method { i, a throws(PyError) in
          let other = PySet()
          for x in try i.materialize(a.positional.first ?? .tuple([])) { other.insert(try i.hashKey(x), x) }
          let op: BinaryOperator = name == "union" ? .bitOr : name == "intersection" ? .bitAnd : .sub
          return try i.binary(op, obj, .set(other))
        }
      default: return nil
      }
    case .slice(let sl):
      switch name {
      case "start": return sl.start
      case "stop": return sl.stop
      case "step": return sl.step
      default: return nil
      }
    case .int(let n):
      switch name {
      case "real", "numerator": return .int(n)
      case "imag": return .int(0)
      case "bit_length": return method { _, _ throws(PyError) in .int(Int.bitWidth - n.magnitude.leadingZeroBitCount) }
      default: return nil
      }
    case .float(let d):
      switch name {
      case "real": return .float(d)
      case "imag": return .float(0)
      case "is_integer": return method { _, _ throws(PyError) in .bool(d.isFinite && d == d.rounded()) }
      default: return nil
      }
    default: return nil
    }
  }

  private func stringMethod(
    _ s: String, _ name: String, _ method: (@escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value
  ) -> Value? {
    switch name {
    case "format":
      return method { i, a throws(PyError) in .str(try i.strFormat(s, a.positional, a.keywords)) }
    case "join":
      return method { i, a throws(PyError) in
        let items = try i.materialize(try i.bind("join", a, ["iterable"], required: 1).values[0]!)
        var parts: [String] = []
        for (k, x) in items.enumerated() {
          guard case .str(let p) = x else {
            throw PyError.type("sequence item \(k): expected str instance, \(x.typeName) found")
          }
          parts.append(p)
        }
        return .str(parts.joined(separator: s))
      }
    case "upper": return method { _, _ throws(PyError) in .str(s.uppercased()) }
    case "lower": return method { _, _ throws(PyError) in .str(s.lowercased()) }
    case "title": return method { _, _ throws(PyError) in .str(s.capitalized) }
    case "partition", "rpartition":
      return method { i, a throws(PyError) in
        guard case .str(let sep) = try i.bind(name, a, ["sep"], required: 1).required(0) else {
          throw PyError.type("must be str, not \(a.positional.first?.typeName ?? "NoneType")")
        }
        guard !sep.isEmpty else { throw PyError.value("empty separator") }
        let found = name == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards)
        guard let r = found else {
          return name == "partition" ? .tuple([.str(s), .str(""), .str("")]) : .tuple([.str(""), .str(""), .str(s)])
        }
        return .tuple([.str(String(s[..<r.lowerBound])), .str(sep), .str(String(s[r.upperBound...]))])
      }
    case "swapcase":
      return method { _, _ throws(PyError) in
        .str(s.map { c in c.isUppercase ? c.lowercased() : c.isLowercase ? c.uppercased() : String(c) }.joined())
      }
    case "capitalize":
      return method { _, _ throws(PyError) in .str(s.prefix(1).uppercased() + s.dropFirst().lowercased()) }
    case "strip", "lstrip", "rstrip":
      return method { i, a throws(PyError) in
        let b = try i.bind(name, a, ["chars"])
        var chars = Set(" \t\n\r\u{0B}\u{0C}")
        if case .str(let c)? = b[0] { chars = Set(c) }
        var t = Substring(s)
        if name != "rstrip" { while let f = t.first, chars.contains(f) { t.removeFirst() } }
        if name != "lstrip" { while let l = t.last, chars.contains(l) { t.removeLast() } }
        return .str(String(t))
      }
    case "split", "rsplit":
      return method { i, a throws(PyError) in
        let b = try i.bind(name, a, ["sep", "maxsplit"])
        let maxSplit = try b[1].map { v throws(PyError) in try i.int(v, "maxsplit") } ?? -1
        if case .str(let sep)? = b[0] {
          guard !sep.isEmpty else { throw PyError.value("empty separator") }
          var parts = s.components(separatedBy: sep)
          if maxSplit >= 0 && parts.count > maxSplit + 1 {
            if name == "split" {
              parts = Array(parts[..<maxSplit]) + [parts[maxSplit...].joined(separator: sep)]
            } else {
              let cut = parts.count - maxSplit
              parts = [parts[..<cut].joined(separator: sep)] + Array(parts[cut...])
            }
          }
          return .list(PyList(parts.map { .str($0) }))
        }
        return .list(PyList(s.split(whereSeparator: { $0.isWhitespace }).map { .str(String($0)) }))
      }
    case "splitlines":
      return method { i, a throws(PyError) in
        let keep = try i.boolArg(try i.bind("splitlines", a, ["keepends"]), "keepends")
        var lines: [Value] = []
        var current = ""
        for c in s {
          if c.isNewline {
            lines.append(.str(keep ? current + String(c) : current))
            current = ""
          } else {
            current.append(c)
          }
        }
        if !current.isEmpty { lines.append(.str(current)) }
        return .list(PyList(lines))
      }
    case "replace":
      return method { i, a throws(PyError) in
        let b = try i.bind("replace", a, ["old", "new", "count"], required: 2)
        guard case .str(let old) = b.values[0]!, case .str(let new) = b.values[1]! else {
          throw PyError.type("replace() arguments must be str")
        }
        return .str(s.replacingOccurrences(of: old, with: new))
      }
    case "startswith", "endswith":
      return method { i, a throws(PyError) in
        let b = try i.bind(name, a, ["prefix"], required: 1)
        let options: [Value]
        if case .tuple(let t) = b.values[0]! { options = t } else { options = [b.values[0]!] }
        for o in options {
          guard case .str(let p) = o else { throw PyError.type("\(name) first arg must be str or a tuple of str") }
          if name == "startswith" ? s.hasPrefix(p) : s.hasSuffix(p) { return .bool(true) }
        }
        return .bool(false)
      }
    case "find", "index", "count":
      return method { i, a throws(PyError) in
        guard case .str(let sub) = try i.bind(name, a, ["sub"], required: 1).values[0]! else {
          throw PyError.type("must be str")
        }
        if name == "count" {
          return .int(sub.isEmpty ? s.count + 1 : s.components(separatedBy: sub).count - 1)
        }
        if let r = s.range(of: sub) { return .int(s.distance(from: s.startIndex, to: r.lowerBound)) }
        if name == "index" { throw PyError.value("substring not found") }
        return .int(-1)
      }
    case "isdigit", "isalpha", "isspace", "isalnum", "isupper", "islower":
      return method { _, _ throws(PyError) in
        guard !s.isEmpty else { return .bool(false) }
        switch name {
        case "isdigit": return .bool(s.allSatisfy(\.isNumber))
        case "isalpha": return .bool(s.allSatisfy(\.isLetter))
        case "isspace": return .bool(s.allSatisfy(\.isWhitespace))
        case "isalnum": return .bool(s.allSatisfy { $0.isLetter || $0.isNumber })
        case "isupper": return .bool(s.contains(where: \.isLetter) && s == s.uppercased())
        default: return .bool(s.contains(where: \.isLetter) && s == s.lowercased())
        }
      }
    case "center", "ljust", "rjust", "zfill":
      return method { i, a throws(PyError) in
        let b = try i.bind(name, a, ["width", "fillchar"], required: 1)
        let w = try i.int(b.values[0]!, "width")
        var fill = name == "zfill" ? "0" : " "
        if case .str(let f)? = b[1] { fill = f }
        let align = name == "center" ? "^" : name == "ljust" ? "<" : ">"
        return .str(try i.format(.str(s), fill + align + String(w)))
      }
    default: return nil
    }
  }

  private func listMethod(
    _ l: PyList, _ name: String, _ method: (@escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value
  ) -> Value? {
    switch name {
    case "append":
      return method { i, a throws(PyError) in
        l.items.append(try i.bind("append", a, ["object"], required: 1).values[0]!)
        return .none
      }
    case "extend":
      return method { i, a throws(PyError) in
        l.items.append(contentsOf: try i.materialize(try i.bind("extend", a, ["iterable"], required: 1).values[0]!))
        return .none
      }
    case "insert":
      return method { i, a throws(PyError) in
        let b = try i.bind("insert", a, ["index", "object"], required: 2)
        var k = try i.int(b.values[0]!, "index")
        if k < 0 { k += l.items.count }
        l.items.insert(b.values[1]!, at: Swift.min(Swift.max(k, 0), l.items.count))
        return .none
      }
    case "pop":
      return method { i, a throws(PyError) in
        let b = try i.bind("pop", a, ["index"])
        guard !l.items.isEmpty else { throw PyError.index("pop from empty list") }
        var k = try b[0].map { v throws(PyError) in try i.int(v, "index") } ?? -1
        if k < 0 { k += l.items.count }
        guard k >= 0 && k < l.items.count else { throw PyError.index("pop index out of range") }
        return l.items.remove(at: k)
      }
    case "remove":
      return method { i, a throws(PyError) in
        let x = try i.bind("remove", a, ["value"], required: 1).values[0]!
        for (k, v) in l.items.enumerated() where try i.equals(v, x) {
          l.items.remove(at: k)
          return .none
        }
        throw PyError.value("list.remove(x): x not in list")
      }
    case "index", "count":
      return method { i, a throws(PyError) in
        let x = try i.bind(name, a, ["value"], required: 1).values[0]!
        if name == "count" { return .int(try i.count(l.items, x)) }
        for (k, v) in l.items.enumerated() where try i.equals(v, x) { return .int(k) }
        throw PyError.value("\(try i.repr(x)) is not in list")
      }
    case "reverse":
      return method { _, _ throws(PyError) in
        l.items.reverse()
        return .none
      }
    case "sort":
      return method { i, a throws(PyError) in
        var key: Value?
        var reverse = false
        for (k, v) in a.keywords {
          if k == "key" { key = v.isNone ? nil : v } else if k == "reverse" { reverse = try i.truthy(v) }
        }
        l.items = try i.sortValues(l.items, key: key, reverse: reverse)
        return .none
      }
    case "copy": return method { _, _ throws(PyError) in .list(PyList(l.items)) }
    case "clear":
      return method { _, _ throws(PyError) in
        l.items.removeAll()
        return .none
      }
    default: return nil
    }
  }

  private func dictMethod(
    _ d: PyDict, _ name: String, _ method: (@escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value
  ) -> Value? {
    switch name {
    case "keys": return method { _, _ throws(PyError) in .list(PyList(d.keys)) }
    case "values": return method { _, _ throws(PyError) in .list(PyList(d.values)) }
    case "items": return method { _, _ throws(PyError) in .list(PyList(d.pairs.map { .tuple([$0, $1]) })) }
    case "get":
      return method { i, a throws(PyError) in
        let b = try i.bind("get", a, ["key", "default"], required: 1)
        return d.get(try i.hashKey(b.values[0]!)) ?? b.values[1] ?? Value.none
      }
    case "pop":
      return method { i, a throws(PyError) in
        let b = try i.bind("pop", a, ["key", "default"], required: 1)
        if let v = d.remove(try i.hashKey(b.values[0]!)) { return v }
        if let def = b.values[1] { return def }
        throw i.keyError(b.values[0] ?? .none)
      }
    case "setdefault":
      return method { i, a throws(PyError) in
        let b = try i.bind("setdefault", a, ["key", "default"], required: 1)
        let k = try i.hashKey(b.values[0]!)
        if let v = d.get(k) { return v }
        d.set(k, b.values[0]!, b.values[1] ?? Value.none)
        return b.values[1] ?? Value.none
      }
    case "update":
      return method { i, a throws(PyError) in
        if let other = a.positional.first {
          if case .dict(let o) = other {
            for (k, v) in o.pairs { d.set(try i.hashKey(k), k, v) }
          } else {
            for item in try i.materialize(other) {
              let kv = try i.materialize(item)
              guard kv.count == 2 else {
                throw PyError.value("dictionary update sequence element has length \(kv.count); 2 is required")
              }
              d.set(try i.hashKey(kv[0]), kv[0], kv[1])
            }
          }
        }
        for (k, v) in a.keywords { d.set(.str(k), .str(k), v) }
        return .none
      }
    case "copy":
      return method { i, _ throws(PyError) in
        let c = PyDict()
        for (k, v) in d.pairs { c.set(try i.hashKey(k), k, v) }
        return .dict(c)
      }
    case "clear":
      return method { _, _ throws(PyError) in
        d.removeAll()
        return .none
      }
    default: return nil
    }
  }

  /// How many items equal `x`.
  func count(_ items: [Value], _ x: Value) throws(PyError) -> Int {
    var n = 0
    for v in items where try equals(v, x) { n += 1 }
    return n
  }

  /// `"{} {name:.3f}".format(...)`.
  func strFormat(_ s: String, _ args: [Value], _ keywords: [(String, Value)]) throws(PyError) -> String {
    var use = FormatUse()
    return try strFormat(s, args, keywords, &use, formatting: true)
  }

  /// The arguments a format string refers to (positional indices and keyword names).
  struct FormatUse {
    var indices = Set<Int>()
    var names = Set<String>()
  }

  /// `strFormat`, recording in `use` the arguments each field refers to; without `formatting`
  /// the fields are looked up but not formatted (the check `jax.debug.print` makes at trace time).
  func strFormat(
    _ s: String, _ args: [Value], _ keywords: [(String, Value)], _ use: inout FormatUse, formatting: Bool
  ) throws(PyError) -> String {
    var out = ""
    var chars = Array(s)[...]
    var auto = 0
    while let c = chars.popFirst() {
      if c == "}" {
        if chars.first == "}" { chars.removeFirst() }
        out.append("}")
        continue
      }
      guard c == "{" else {
        out.append(c)
        continue
      }
      if chars.first == "{" {
        chars.removeFirst()
        out.append("{")
        continue
      }
      var field = ""
      var depth = 0
      while let n = chars.popFirst() {
        if n == "{" { depth += 1 }
        if n == "}" {
          if depth == 0 { break }
          depth -= 1
        }
        field.append(n)
      }
      var spec = ""
      var conversion: Character?
      if let colon = field.firstIndex(of: ":") {
        spec = String(field[field.index(after: colon)...])
        field = String(field[..<colon])
      }
      if let bang = field.firstIndex(of: "!") {
        conversion = field[field.index(after: bang)...].first
        field = String(field[..<bang])
      }
      // Field: "", a number or a name, then .attr / [index] parts.
      var name = field
      var rest = ""
      if let cut = field.firstIndex(where: { $0 == "." || $0 == "[" }) {
        name = String(field[..<cut])
        rest = String(field[cut...])
      }
      var v: Value
      if name.isEmpty {
        guard auto < args.count else {
          throw PyError.index("Replacement index \(auto) out of range for positional args tuple")
        }
        v = args[auto]
        use.indices.insert(auto)
        auto += 1
      } else if let n = Int(name) {
        guard n < args.count else {
          throw PyError.index("Replacement index \(n) out of range for positional args tuple")
        }
        v = args[n]
        use.indices.insert(n)
      } else {
        guard let kv = keywords.first(where: { $0.0 == name }) else { throw keyError(.str(name)) }
        v = kv.1
        use.names.insert(name)
      }
      guard formatting else { continue }
      while !rest.isEmpty {
        if rest.hasPrefix(".") {
          rest.removeFirst()
          let attr = String(rest.prefix { $0 != "." && $0 != "[" })
          rest.removeFirst(attr.count)
          v = try getAttribute(v, attr)
        } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
          let key = String(rest[rest.index(after: rest.startIndex)..<close])
          rest = String(rest[rest.index(after: close)...])
          v = try getItem(v, Int(key).map { .int($0) } ?? .str(key))
        } else {
          break
        }
      }
      if conversion == "r" { v = .str(try repr(v)) } else if conversion == "s" { v = .str(try str(v)) }
      if spec.contains("{") { spec = try strFormat(spec, args, keywords, &use, formatting: true) }
      out += try format(v, spec)
    }
    return out
  }

  // MARK: - arrays

  /// Attributes and methods of an array: data attributes here, methods bound to the
  /// jax.numpy function of the same name.
  func arrayAttribute(_ t: Tensor, _ obj: Value, _ name: String) throws(PyError) -> Value {
    switch name {
    case "shape": return .tuple(t.shape.map { .int($0) })
    case "dtype": return dtypeObject(t.dtype)
    case "ndim": return .int(t.rank)
    case "size": return .int(t.count)
    case "T", "mT": return try checked(transpose(t))
    case "at": return .object(PyAtHelper(t, nil))
    case "weak_type": return .bool(t.isWeaklyTyped)
    case "real": return obj
    case "itemsize": return .int(t.dtype.size)
    case "nbytes": return .int(t.dtype.size * t.count)
    default: break
    }
    func method(_ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value {
      .builtin("Array.\(name)", body)
    }
    switch name {
    case "item":
      return method { i, _ throws(PyError) in try i.scalarValue(t) }
    case "tolist":
      return method { i, _ throws(PyError) in try i.toList(t) }
    case "block_until_ready":
      return method { i, _ throws(PyError) in
        if let e = t.error { throw PyError(e) }
        _ = try i.str(obj)
        return obj
      }
    case "astype":
      return method { i, a throws(PyError) in
        let b = try i.bind("astype", a, ["dtype", "copy", "device"], required: 1)
        guard let d = try i.dtype(b.values[0]) else { return obj }
        return try i.checked(t.astype(d))
      }
    case "reshape", "transpose":
      return method { i, a throws(PyError) in
        var pos = a.positional
        if pos.count > 1 || (pos.count == 1 && { if case .int = pos[0] { true } else { false } }()) {
          pos = [.tuple(pos)]
        }
        if name == "reshape" {
          var kw = a.keywords
          if let k = kw.firstIndex(where: { $0.0 == "shape" }) { pos = [kw.remove(at: k).1] }
          guard let shapeValue = pos.first else { throw PyError.type("reshape() missing required argument 'shape'") }
          return try i.checked(reshape(t, try i.shape(shapeValue)))
        }
        return try i.checked(transpose(t, try pos.first.flatMap { v throws(PyError) in try i.axes(v) }))
      }
    case "flatten", "ravel":
      return method { i, _ throws(PyError) in try i.checked(reshape(t, [t.count])) }
    case "conj", "conjugate", "copy":
      return method { _, _ throws(PyError) in obj }
    default:
      let aliases = ["var": "var", "std": "std", "clip": "clip", "round": "round"]
      let jnpName = aliases[name] ?? name
      let arrayMethods: Set<String> = [
        "sum", "mean", "prod", "max", "min", "argmax", "argmin", "std", "var", "cumsum", "any", "all", "clip",
        "dot", "round", "squeeze", "swapaxes", "sort", "argsort",
      ]
      guard arrayMethods.contains(name), case .object(let jnp as PyModule) = try importModule("jax.numpy"),
        let f = jnp.attributes[jnpName]
      else {
        throw noAttribute(obj, name)
      }
      return .object(PyBoundMethod(f, obj))
    }
  }

  /// `x.tolist()`: nested lists of Python scalars.
  func toList(_ t: Tensor) throws(PyError) -> Value {
    let values: [Double]
    do { values = try t.doubles } catch { throw PyError(error) }
    func scalar(_ d: Double) -> Value {
      switch t.dtype {
      case .bool: return .bool(d != 0)
      case .float32, .float64: return .float(d)
      default: return .int(Int(d))
      }
    }
    if t.rank == 0 { return scalar(values[0]) }
    func build(_ dim: Int, _ offset: Int) -> (Value, Int) {
      let n = t.shape[dim]
      var items: [Value] = []
      var o = offset
      for _ in 0..<n {
        if dim == t.rank - 1 {
          items.append(scalar(values[o]))
          o += 1
        } else {
          let (v, next) = build(dim + 1, o)
          items.append(v)
          o = next
        }
      }
      return (.list(PyList(items)), o)
    }
    return build(0, 0).0
  }
}

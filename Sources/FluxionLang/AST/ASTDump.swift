/// A canonical text form of the AST, the same as Python's `ast.dump` without `ctx` and
/// `type_comment` fields and, when `positions` is set, with each located node's position
/// written `Name@1:0-1:1(...)` (Python's 1-based lines and 0-based columns). Nodes inside an
/// f-string carry no positions (CPython 3.11's are unreliable there).
///
/// ```swift
/// try Parser.parse("x = 1").dump()  // Module(body=[Assign(targets=[Name(id='x')], value=Constant(value=1))])
/// ```
extension Module {
  public func dump(positions: Bool = false) -> String {
    var d = ASTDumper(positions: positions)
    return d.node("Module", nil, [("body", d.stmts(body))])
  }
}

extension Stmt {
  public func dump(positions: Bool = false) -> String {
    var d = ASTDumper(positions: positions)
    return d.stmt(self)
  }
}

extension Expr {
  public func dump(positions: Bool = false) -> String {
    var d = ASTDumper(positions: positions)
    return d.expr(self)
  }
}

struct ASTDumper {
  var positions: Bool

  func node(_ name: String, _ range: SourceRange?, _ fields: [(String, String)]) -> String {
    var out = name
    if positions, let r = range { out += "@\(r.line):\(r.column - 1)-\(r.endLine):\(r.endColumn - 1)" }
    out += "(" + fields.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ")"
    return out
  }

  func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

  mutating func stmts(_ body: [Stmt]) -> String { list(body.map { stmt($0) }) }
  mutating func exprs(_ items: [Expr]) -> String { list(items.map { expr($0) }) }
  mutating func optional(_ e: Expr?) -> String { e.map { expr($0) } ?? "None" }
  func string(_ s: String?) -> String { s.map { PythonRepr.string($0) } ?? "None" }

  mutating func stmt(_ s: Stmt) -> String {
    let r = s.range
    switch s.kind {
    case .functionDef(let f):
      return node(
        f.isAsync ? "AsyncFunctionDef" : "FunctionDef", r,
        [
          ("name", string(f.name)), ("args", arguments(f.args)), ("body", stmts(f.body)),
          ("decorator_list", exprs(f.decorators)), ("returns", optional(f.returns)),
        ])
    case .classDef(let c):
      return node(
        "ClassDef", r,
        [
          ("name", string(c.name)), ("bases", exprs(c.bases)), ("keywords", list(c.keywords.map { keyword($0) })),
          ("body", stmts(c.body)), ("decorator_list", exprs(c.decorators)),
        ])
    case .return(let value): return node("Return", r, [("value", optional(value))])
    case .delete(let targets): return node("Delete", r, [("targets", exprs(targets))])
    case .assign(let targets, let value):
      return node("Assign", r, [("targets", exprs(targets)), ("value", expr(value))])
    case .augAssign(let target, let op, let value):
      return node("AugAssign", r, [("target", expr(target)), ("op", op.rawValue), ("value", expr(value))])
    case .annAssign(let target, let annotation, let value, let simple):
      return node(
        "AnnAssign", r,
        [
          ("target", expr(target)), ("annotation", expr(annotation)), ("value", optional(value)),
          ("simple", simple ? "1" : "0"),
        ])
    case .for(let target, let iter, let body, let orelse, let isAsync):
      return node(
        isAsync ? "AsyncFor" : "For", r,
        [("target", expr(target)), ("iter", expr(iter)), ("body", stmts(body)), ("orelse", stmts(orelse))])
    case .while(let test, let body, let orelse):
      return node("While", r, [("test", expr(test)), ("body", stmts(body)), ("orelse", stmts(orelse))])
    case .if(let test, let body, let orelse):
      return node("If", r, [("test", expr(test)), ("body", stmts(body)), ("orelse", stmts(orelse))])
    case .with(let items, let body, let isAsync):
      let dumped = items.map { item in
        node(
          "withitem", nil, [("context_expr", expr(item.contextExpr)), ("optional_vars", optional(item.optionalVars))])
      }
      return node(isAsync ? "AsyncWith" : "With", r, [("items", list(dumped)), ("body", stmts(body))])
    case .raise(let exc, let cause): return node("Raise", r, [("exc", optional(exc)), ("cause", optional(cause))])
    case .try(let body, let handlers, let orelse, let finalbody, let isStar):
      let dumped = handlers.map { h in
        node("ExceptHandler", h.range, [("type", optional(h.type)), ("name", string(h.name)), ("body", stmts(h.body))])
      }
      return node(
        isStar ? "TryStar" : "Try", r,
        [("body", stmts(body)), ("handlers", list(dumped)), ("orelse", stmts(orelse)), ("finalbody", stmts(finalbody))])
    case .assert(let test, let msg): return node("Assert", r, [("test", expr(test)), ("msg", optional(msg))])
    case .import(let names): return node("Import", r, [("names", list(names.map { alias($0) }))])
    case .importFrom(let module, let names, let level):
      return node(
        "ImportFrom", r, [("module", string(module)), ("names", list(names.map { alias($0) })), ("level", "\(level)")])
    case .match(let subject, let cases):
      let dumped = cases.map { c in
        node(
          "match_case", nil,
          [("pattern", pattern(c.pattern)), ("guard", optional(c.guardExpr)), ("body", stmts(c.body))])
      }
      return node("Match", r, [("subject", expr(subject)), ("cases", list(dumped))])
    case .global(let names): return node("Global", r, [("names", list(names.map { string($0) }))])
    case .nonlocal(let names): return node("Nonlocal", r, [("names", list(names.map { string($0) }))])
    case .expr(let value): return node("Expr", r, [("value", expr(value))])
    case .pass: return node("Pass", r, [])
    case .break: return node("Break", r, [])
    case .continue: return node("Continue", r, [])
    }
  }

  mutating func pattern(_ p: Pattern) -> String {
    let r = p.range
    switch p.kind {
    case .value(let value): return node("MatchValue", r, [("value", expr(value))])
    case .singleton(let value): return node("MatchSingleton", r, [("value", constant(value))])
    case .sequence(let patterns): return node("MatchSequence", r, [("patterns", list(patterns.map { pattern($0) }))])
    case .mapping(let keys, let patterns, let rest):
      return node(
        "MatchMapping", r,
        [("keys", exprs(keys)), ("patterns", list(patterns.map { pattern($0) })), ("rest", string(rest))])
    case .class(let cls, let patterns, let names, let keywordPatterns):
      return node(
        "MatchClass", r,
        [
          ("cls", expr(cls)), ("patterns", list(patterns.map { pattern($0) })),
          ("kwd_attrs", list(names.map { string($0) })), ("kwd_patterns", list(keywordPatterns.map { pattern($0) })),
        ])
    case .star(let name): return node("MatchStar", r, [("name", string(name))])
    case .as(let inner, let name):
      return node("MatchAs", r, [("pattern", inner.map { pattern($0) } ?? "None"), ("name", string(name))])
    case .or(let patterns): return node("MatchOr", r, [("patterns", list(patterns.map { pattern($0) }))])
    }
  }

  mutating func arguments(_ a: Arguments) -> String {
    node(
      "arguments", nil,
      [
        ("posonlyargs", list(a.posonlyargs.map { parameter($0) })), ("args", list(a.args.map { parameter($0) })),
        ("vararg", a.vararg.map { parameter($0) } ?? "None"), ("kwonlyargs", list(a.kwonlyargs.map { parameter($0) })),
        ("kw_defaults", list(a.kwDefaults.map { optional($0) })), ("kwarg", a.kwarg.map { parameter($0) } ?? "None"),
        ("defaults", exprs(a.defaults)),
      ])
  }

  mutating func parameter(_ p: Parameter) -> String {
    node("arg", p.range, [("arg", string(p.name)), ("annotation", optional(p.annotation))])
  }

  mutating func keyword(_ k: KeywordArgument) -> String {
    node("keyword", k.range, [("arg", string(k.name)), ("value", expr(k.value))])
  }

  func alias(_ a: Alias) -> String {
    node("alias", a.range, [("name", string(a.name)), ("asname", string(a.asName))])
  }

  mutating func comprehensions(_ gens: [Comprehension]) -> String {
    list(
      gens.map { g in
        node(
          "comprehension", nil,
          [
            ("target", expr(g.target)), ("iter", expr(g.iter)), ("ifs", exprs(g.ifs)),
            ("is_async", g.isAsync ? "1" : "0"),
          ])
      })
  }

  mutating func expr(_ e: Expr) -> String {
    let r = e.range
    switch e.kind {
    case .boolOp(let op, let values): return node("BoolOp", r, [("op", op.rawValue), ("values", exprs(values))])
    case .namedExpr(let target, let value):
      return node("NamedExpr", r, [("target", expr(target)), ("value", expr(value))])
    case .binOp(let left, let op, let right):
      return node("BinOp", r, [("left", expr(left)), ("op", op.rawValue), ("right", expr(right))])
    case .unaryOp(let op, let operand): return node("UnaryOp", r, [("op", op.rawValue), ("operand", expr(operand))])
    case .lambda(let args, let body): return node("Lambda", r, [("args", arguments(args)), ("body", expr(body))])
    case .ifExp(let test, let body, let orelse):
      return node("IfExp", r, [("test", expr(test)), ("body", expr(body)), ("orelse", expr(orelse))])
    case .dict(let keys, let values):
      return node("Dict", r, [("keys", list(keys.map { optional($0) })), ("values", exprs(values))])
    case .set(let elts): return node("Set", r, [("elts", exprs(elts))])
    case .listComp(let elt, let gens):
      return node("ListComp", r, [("elt", expr(elt)), ("generators", comprehensions(gens))])
    case .setComp(let elt, let gens):
      return node("SetComp", r, [("elt", expr(elt)), ("generators", comprehensions(gens))])
    case .dictComp(let key, let value, let gens):
      return node("DictComp", r, [("key", expr(key)), ("value", expr(value)), ("generators", comprehensions(gens))])
    case .generatorExp(let elt, let gens):
      return node("GeneratorExp", r, [("elt", expr(elt)), ("generators", comprehensions(gens))])
    case .await(let value): return node("Await", r, [("value", expr(value))])
    case .yield(let value): return node("Yield", r, [("value", optional(value))])
    case .yieldFrom(let value): return node("YieldFrom", r, [("value", expr(value))])
    case .compare(let left, let ops, let comparators):
      return node(
        "Compare", r, [("left", expr(left)), ("ops", list(ops.map(\.rawValue))), ("comparators", exprs(comparators))])
    case .call(let function, let args, let keywords):
      return node(
        "Call", r, [("func", expr(function)), ("args", exprs(args)), ("keywords", list(keywords.map { keyword($0) }))])
    case .formattedValue(let value, let conversion, let spec):
      let code = conversion.flatMap { $0.unicodeScalars.first.map { Int($0.value) } } ?? -1
      return node(
        "FormattedValue", r, [("value", expr(value)), ("conversion", "\(code)"), ("format_spec", optional(spec))])
    case .joinedStr(let values):
      let saved = positions
      let head = node("JoinedStr", r, [])
      positions = false
      defer { positions = saved }
      return String(head.dropLast(2)) + "(values=" + exprs(values) + ")"
    case .constant(let c): return node("Constant", r, [("value", constant(c))])
    case .attribute(let value, let attr): return node("Attribute", r, [("value", expr(value)), ("attr", string(attr))])
    case .subscript(let value, let slice):
      return node("Subscript", r, [("value", expr(value)), ("slice", expr(slice))])
    case .starred(let value): return node("Starred", r, [("value", expr(value))])
    case .name(let id): return node("Name", r, [("id", string(id))])
    case .list(let elts): return node("List", r, [("elts", exprs(elts))])
    case .tuple(let elts): return node("Tuple", r, [("elts", exprs(elts))])
    case .slice(let lower, let upper, let step):
      return node("Slice", r, [("lower", optional(lower)), ("upper", optional(upper)), ("step", optional(step))])
    }
  }

  func constant(_ c: Constant) -> String {
    switch c {
    case .none: "None"
    case .bool(let b): b ? "True" : "False"
    case .int(let i): i.decimalDigits
    case .float(let v): PythonRepr.float(v)
    case .imaginary(let v): PythonRepr.imaginary(v)
    case .string(let s): PythonRepr.string(s)
    case .bytes(let b): PythonRepr.bytes(b)
    case .ellipsis: "Ellipsis"
    }
  }
}

/// Python's `repr` of literal values.
public enum PythonRepr {
  /// `repr(float)`: shortest round-trip digits, fixed notation for exponents -4 ..< 16.
  public static func float(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    var text = "\(v.magnitude)"
    let sign = v.sign == .minus ? "-" : ""
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = String(text[..<e])
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let integerPart = parts.first.map(String.init) ?? "0"
    let fraction = parts.count > 1 ? String(parts[1]) : ""
    var digits = Array(integerPart + fraction)
    var e10 = integerPart.count - 1 + exponent
    while let first = digits.first, first == "0" {
      digits.removeFirst()
      e10 -= 1
    }
    while let last = digits.last, last == "0" { digits.removeLast() }
    if digits.isEmpty { return sign + "0.0" }
    if e10 >= -4 && e10 < 16 {
      if e10 >= 0 {
        let whole = digits.count > e10 + 1 ? digits[0...e10] : digits[...]
        let pad = String(repeating: "0", count: max(0, e10 + 1 - digits.count))
        let rest = digits.count > e10 + 1 ? String(digits[(e10 + 1)...]) : "0"
        return sign + String(whole) + pad + "." + rest
      }
      return sign + "0." + String(repeating: "0", count: -e10 - 1) + String(digits)
    }
    let mantissa = digits.count > 1 ? "\(digits[0])." + String(digits[1...]) : String(digits[0])
    let exponentText = abs(e10) < 10 ? "0\(abs(e10))" : "\(abs(e10))"
    return sign + mantissa + "e" + (e10 < 0 ? "-" : "+") + exponentText
  }

  /// `repr(complex(0, v))`: `1j`, `2.5j`.
  public static func imaginary(_ v: Double) -> String {
    var text = float(v)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text + "j"
  }

  /// `repr(str)`, quoting and escaping as Python does.
  public static func string(_ s: String) -> String {
    let quote: Unicode.Scalar = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String.UnicodeScalarView()
    out.append(quote)
    for c in s.unicodeScalars {
      switch c {
      case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
      case "\n": out.append(contentsOf: "\\n".unicodeScalars)
      case "\r": out.append(contentsOf: "\\r".unicodeScalars)
      case "\t": out.append(contentsOf: "\\t".unicodeScalars)
      case quote:
        out.append("\\")
        out.append(c)
      default:
        if c == " " || (c.value >= 0x20 && c.value < 0x7F) || (c.value >= 0x80 && isPrintable(c)) {
          out.append(c)
        } else {
          out.append(contentsOf: escaped(c.value).unicodeScalars)
        }
      }
    }
    out.append(quote)
    return String(out)
  }

  /// `repr(bytes)`.
  public static func bytes(_ b: [UInt8]) -> String {
    let quote: UInt8 = b.contains(0x27) && !b.contains(0x22) ? 0x22 : 0x27
    var out = "b" + String(UnicodeScalar(quote))
    for byte in b {
      switch byte {
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case quote: out += "\\" + String(UnicodeScalar(byte))
      case 0x20..<0x7F: out += String(UnicodeScalar(byte))
      default: out += escaped(UInt32(byte))
      }
    }
    return out + String(UnicodeScalar(quote))
  }

  static func escaped(_ v: UInt32) -> String {
    let hex = String(v, radix: 16)
    let (prefix, width) = v <= 0xFF ? ("\\x", 2) : v <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
    return prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
  }

  static func isPrintable(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
      .spaceSeparator:
      false
    default: true
    }
  }
}

extension Module: CustomStringConvertible {
  /// `dump()`: Python's `ast.dump` form.
  public var description: String { dump() }
}

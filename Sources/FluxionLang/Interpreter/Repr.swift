import BigInt
import Fluxion
import Foundation

extension Interpreter {
  /// Python's `repr(x)`; arrays as JAX's `Array([...], dtype=float32)`.
  func repr(_ v: Value) throws(PyError) -> String {
    // Containers count against the recursion limit, as CPython's repr does.
    depth += 1
    defer { depth -= 1 }
    if depth > limits.recursionDepth || StackGuard.nearlyExhausted() {
      throw PyError("RecursionError", "maximum recursion depth exceeded while getting the repr of an object")
    }
    switch v {
    case .none: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .bigint(let b): return try bigString(b)
    case .float(let d): return pyFloatRepr(d)
    case .str(let s): return pyStringRepr(s)
    case .tuple(let items):
      if items.count == 1 { return "(\(try repr(items[0])),)" }
      return "(" + (try items.map { x throws(PyError) in try repr(x) }).joined(separator: ", ") + ")"
    case .list(let l):
      return "[" + (try l.items.map { x throws(PyError) in try repr(x) }).joined(separator: ", ") + "]"
    case .dict(let d):
      var parts: [String] = []
      for (k, x) in d.pairs { parts.append("\(try repr(k)): \(try repr(x))") }
      return "{" + parts.joined(separator: ", ") + "}"
    case .set(let s):
      if s.order.isEmpty { return "set()" }
      return "{" + (try s.values.map { x throws(PyError) in try repr(x) }).joined(separator: ", ") + "}"
    case .array(let t):
      // A dispatched result is waited for: its error (or cancellation) surfaces here, at the read.
      if let e = t.blockUntilReady().error { throw PyError(e) }
      if t.isTracer { return tracerRepr(t) }
      return t.debugDescription
    case .key(let k): return k.debugDescription
    case .object(let a as NPArray): return try npRepr(a)
    case .slice(let s): return "slice(\(try repr(s.start)), \(try repr(s.stop)), \(try repr(s.step)))"
    case .ellipsis: return "Ellipsis"
    case .object(let o): return try objectRepr(o, v)
    }
  }

  /// Python's `str(x)`; arrays as NumPy prints them (`[0. 1. 2.]`).
  func str(_ v: Value) throws(PyError) -> String {
    switch v {
    case .str(let s): return s
    case .array(let t):
      // A dispatched result is waited for: its error (or cancellation) surfaces here, at the read.
      if let e = t.blockUntilReady().error { throw PyError(e) }
      if t.isTracer { return tracerRepr(t) }
      return t.description
    case .key(let k): return k.description
    case .object(let a as NPArray):
      if let e = a.tensor.blockUntilReady().error { throw PyError(e) }
      return a.tensor.description
    case .object(let inst as PyInstance):
      if let m = inst.cls.lookup("__str__") { return try stringResult(try call(m, [v]), "__str__") }
      if let base = exceptionClasses["BaseException"], inst.cls.isSubclass(of: base), inst.cls.lookup("__repr__") == nil
      {
        return exceptionMessage(inst)
      }
      return try repr(v)
    case .object(let o as PyOpaque) where o.kind == "Generator" || o.kind == "RandomState":
      return o.repr
    case .object(let o as PyOpaque) where o.kind == "dtype":
      // str(dtype) is its name (`float32`), repr is `dtype('float32')`.
      if case .str(let name)? = o.attributes["name"] { return name }
      return o.repr
    default: return try repr(v)
    }
  }

  private func stringResult(_ v: Value, _ method: String) throws(PyError) -> String {
    guard case .str(let s) = v else { throw PyError.type("\(method) returned non-string (type \(v.typeName))") }
    return s
  }

  /// How JAX shows a tracer: `Traced<ShapedArray(float32[3])>with<JVPTrace>`.
  func tracerRepr(_ t: Tensor) -> String {
    "Traced<\(t.aval.longDescription)>with<DynamicJaxprTrace>"
  }

  private func objectRepr(_ o: PyObject, _ v: Value) throws(PyError) -> String {
    switch o {
    case let inst as PyInstance:
      if let m = inst.cls.lookup("__repr__") { return try stringResult(try call(m, [v]), "__repr__") }
      if let base = exceptionClasses["BaseException"], inst.cls.isSubclass(of: base) {
        let args: [Value]
        if case .tuple(let a)? = inst.attributes["args"] { args = a } else { args = [] }
        if args.count == 1 { return "\(inst.cls.name)(\(try repr(args[0])))" }
        return inst.cls.name + (try repr(.tuple(args)))
      }
      if let fields = namedTupleFields(inst.cls) {
        let parts = try fields.map { f throws(PyError) in "\(f)=\(try repr(inst.attributes[f] ?? Value.none))" }
        return "\(inst.cls.name)(\(parts.joined(separator: ", ")))"
      }
      return "<__main__.\(inst.cls.name) object at \(address(o))>"
    case let f as PyFunction: return "<function \(f.name) at \(address(o))>"
    case let b as PyBuiltin:
      // jnp.float32 and friends are classes in JAX.
      if b.attributes["dtype"] != nil { return "<class '\(b.name)'>" }
      return "<function \(b.name) at \(address(o))>"
    case let c as PyClass where c === arrayImplClass: return "<class 'jaxlib._jax.ArrayImpl'>"
    case let c as PyClass where c === npArrayClass: return "<class 'numpy.ndarray'>"
    case let c as PyClass: return c.isBuiltin ? "<class '\(c.name)'>" : "<class '__main__.\(c.name)'>"
    case let m as PyModule: return "<module '\(m.name)'>"
    case let m as PyBoundMethod:
      return "<bound method \(try callableName(m.function)) of \(try repr(m.receiver))>"
    case let r as PyRange:
      return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
    case let o as PyOpaque where o.kind == "Generator" || o.kind == "RandomState":
      // NumPy's generators: str is `Generator(PCG64)`, repr adds the address.
      return o.repr + " at " + address(o).uppercased().replacingOccurrences(of: "0X", with: "0x")
    case let o as PyOpaque: return o.repr
    default: return "<\(o.typeName) object at \(address(o))>"
    }
  }

  func callableName(_ v: Value) throws(PyError) -> String {
    switch v {
    case .object(let f as PyFunction): return f.name
    case .object(let b as PyBuiltin): return b.name
    case .object(let c as PyClass): return c.name
    default: return v.typeName
    }
  }

  func address(_ o: PyObject) -> String {
    "0x" + String(UInt(bitPattern: ObjectIdentifier(o).hashValue), radix: 16)
  }

  // MARK: - format specs

  /// `format(value, spec)`, as f-strings and `str.format` apply it.
  func format(_ v: Value, _ spec: String) throws(PyError) -> String {
    if case .object(let inst as PyInstance) = v, let m = inst.cls.lookup("__format__") {
      return try stringResult(try call(m, [v, .str(spec)]), "__format__")
    }
    if case .object(let a as NPArray) = v {
      // A NumPy scalar or 0-d array formats as the Python scalar (f"{np.float32(0.1)}" is
      // 0.10000000149011612); other arrays only without a spec, as their str.
      if a.tensor.rank == 0 { return try format(try scalarValue(a.tensor), spec) }
      guard spec.isEmpty else { throw PyError.type("unsupported format string passed to numpy.ndarray.__format__") }
      return try str(v)
    }
    if spec.isEmpty {
      // Array.__format__ formats a 0-d array's NumPy scalar, which formats as a Python scalar:
      // f"{jnp.array(0.1)}" is 0.10000000149011612, where str gives 0.1.
      if case .array(let t) = v, t.rank == 0, !t.isTracer { return try str(try scalarValue(t)) }
      return try str(v)
    }
    var value = v
    if case .array(let t) = v {
      guard t.rank == 0, !t.isTracer else {
        throw PyError.type("unsupported format string passed to ArrayImpl.__format__")
      }
      value = try scalarValue(t)
    }
    guard let f = FormatSpec(spec) else {
      throw PyError.value("Invalid format specifier '\(spec)' for object of type '\(value.typeName)'")
    }
    if f.missingPrecision { throw PyError.value("Format specifier missing precision") }
    if f.tooManyDigits { throw PyError.value("Too many decimal digits in format string") }
    try checkSize(f, of: value)
    var body: String
    var negative = false
    switch value {
    case .bigint(let b) where f.type == nil || "dnbxXo".contains(f.type!):
      negative = b < 0
      let radix = ["b": 2, "x": 16, "X": 16, "o": 8][f.type ?? "d"] ?? 10
      body =
        radix == 10 ? try bigString(BigInt(b.magnitude)) : String(b.magnitude, radix: radix, uppercase: f.type == "X")
      if f.alternate, let t = f.type, "bxXo".contains(t) { body = "0" + String(t) + body }
      if let sep = f.grouping { body = group(body, sep) }
    case .int(let i) where f.type == nil || "dnbxXoc".contains(f.type!):
      negative = i < 0
      let m = i.magnitude
      switch f.type {
      case "b": body = String(m, radix: 2)
      case "x": body = String(m, radix: 16)
      case "X": body = String(m, radix: 16).uppercased()
      case "o": body = String(m, radix: 8)
      case "c": body = String(UnicodeScalar(UInt32(m)).map(Character.init) ?? " ")
      default: body = String(m)
      }
      if f.alternate, let t = f.type, "bxXo".contains(t) { body = "0" + (t == "X" ? "X" : String(t)) + body }
      if let sep = f.grouping { body = group(body, sep) }
    case .int, .float, .bool:
      let d = numericValue(value)
      negative = d < 0 || (d == 0 && d.sign == .minus)
      body = formatFloat(Swift.abs(d), f, isInt: { if case .float = value { false } else { true } }())
      if let sep = f.grouping {
        let parts = body.split(separator: ".", maxSplits: 1)
        body = group(String(parts[0]), sep) + (parts.count > 1 ? "." + parts[1] : "")
      }
    case .str(let s):
      guard f.type == nil || f.type == "s" else {
        throw PyError.value("Unknown format code '\(f.type!)' for object of type 'str'")
      }
      body = f.precision.map { String(s.prefix($0)) } ?? s
      return pad(body, f, defaultAlign: "<")
    default:
      return pad(try str(value), f, defaultAlign: "<")
    }
    let sign = negative ? "-" : f.sign == "+" ? "+" : f.sign == " " ? " " : ""
    if f.zeroPad, f.align == nil, let w = f.width, sign.count + body.count < w {
      return sign + String(repeating: "0", count: w - sign.count - body.count) + body
    }
    return pad(sign + body, f, defaultAlign: ">")
  }

  /// Python's limit on a number's precision, and the interpreter's on the characters a width or
  /// precision asks for (Foundation's formatter traps on a precision beyond Int32).
  private func checkSize(_ f: FormatSpec, of value: Value) throws(PyError) {
    // A string's precision only cuts it.
    let precision: Int? = if case .str = value { nil } else { f.precision }
    if let p = precision, p > Int(Int32.max) { throw PyError.value("precision too big") }
    for (what, n) in [("width", f.width), ("precision", precision)] {
      if let n, n > limits.sequenceItems {
        throw PyError(
          "MemoryError", "a format \(what) of \(n) exceeds the limit of \(limits.sequenceItems) characters")
      }
    }
  }

  private func formatFloat(_ d: Double, _ f: FormatSpec, isInt: Bool) -> String {
    let p = f.precision
    switch f.type {
    case "f", "F": return d.isFinite ? String(format: "%.\(p ?? 6)f", d) : nonFinite(d, upper: f.type == "F")
    case "e", "E":
      return d.isFinite ? String(format: "%.\(p ?? 6)\(f.type!)", d) : nonFinite(d, upper: f.type == "E")
    case "%": return d.isFinite ? String(format: "%.\(p ?? 6)f", d * 100) + "%" : nonFinite(d, upper: false) + "%"
    case "g", "G":
      guard d.isFinite else { return nonFinite(d, upper: f.type == "G") }
      return String(format: "%\(f.alternate ? "#" : "").\(p ?? 6)\(f.type!)", d)
    default:
      if isInt && p == nil { return String(Int(d)) }
      guard let p else { return pyFloatRepr(d) }
      guard d.isFinite else { return nonFinite(d, upper: false) }
      // No type with a precision: like 'g' but always with a digit after the point.
      let s = String(format: "%.\(Swift.max(p, 1))g", d)
      return s.contains(".") || s.contains("e") || s.contains("n") ? s : s + ".0"
    }
  }

  private func nonFinite(_ d: Double, upper: Bool) -> String {
    let s = d.isNaN ? "nan" : "inf"
    return upper ? s.uppercased() : s
  }

  private func group(_ digits: String, _ sep: Character) -> String {
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(sep) }
      out.append(c)
    }
    return String(out.reversed())
  }

  private func pad(_ s: String, _ f: FormatSpec, defaultAlign: Character) -> String {
    guard let w = f.width, s.count < w else { return s }
    let n = w - s.count
    let fill = String(f.fill ?? " ")
    switch f.align ?? defaultAlign {
    case "<": return s + String(repeating: fill, count: n)
    case "^": return String(repeating: fill, count: n / 2) + s + String(repeating: fill, count: n - n / 2)
    case "=":
      if let first = s.first, "+- ".contains(first) {
        return String(first) + String(repeating: fill, count: n) + s.dropFirst()
      }
      return String(repeating: fill, count: n) + s
    default: return String(repeating: fill, count: n) + s
    }
  }

  // MARK: - printf-style

  /// `"%.3f" % x`.
  func percentFormat(_ template: String, _ args: Value) throws(PyError) -> String {
    var items: [Value]
    if case .tuple(let t) = args { items = t } else { items = [args] }
    var out = ""
    var chars = Array(template)[...]
    var used = 0
    while let c = chars.popFirst() {
      guard c == "%" else {
        out.append(c)
        continue
      }
      // `%(name)s` takes its value from a mapping argument.
      var named: Value?
      if chars.first == "(" {
        chars.removeFirst()
        var key = ""
        while let n = chars.popFirst(), n != ")" { key.append(n) }
        guard case .dict(let d) = args else { throw PyError.type("format requires a mapping") }
        guard let v = d.get(.str(key)) else { throw keyError(.str(key)) }
        named = v
      }
      var spec = ""
      while let n = chars.first, !"diouxXeEfFgGcrsa%".contains(n) {
        spec.append(n)
        chars.removeFirst()
      }
      guard let conv = chars.popFirst() else { throw PyError.value("incomplete format") }
      if conv == "%" {
        out.append("%")
        continue
      }
      let v: Value
      if let named {
        v = named
      } else {
        guard used < items.count else { throw PyError.type("not enough arguments for format string") }
        v = items[used]
        used += 1
      }
      switch conv {
      case "s": out += try format(.str(try str(v)), specToFormat(spec, nil))
      case "r", "a": out += try format(.str(try repr(v)), specToFormat(spec, nil))
      case "d", "i", "u":
        let n = try int(v, "%d format")
        out += try format(.int(n), specToFormat(spec, "d"))
      default:
        if conv == "c" {
          out += try format(v, specToFormat(spec, "c"))
        } else {
          out += try format(v, specToFormat(spec, conv))
        }
      }
    }
    if used < items.count, case .tuple = args {
      throw PyError.type("not all arguments converted during string formatting")
    }
    return out
  }

  /// A printf flag/width/precision string as a format spec.
  private func specToFormat(_ spec: String, _ type: Character?) -> String {
    var flags = spec
    // %5s right-aligns, as every conversion does unless the `-` flag asks for the left.
    var align = type == nil && !flags.isEmpty ? ">" : ""
    if flags.hasPrefix("-") {
      align = "<"
      flags.removeFirst()
    }
    return align + flags + (type.map(String.init) ?? "")
  }
}

/// `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
struct FormatSpec {
  var fill: Character?
  var align: Character?
  var sign: Character?
  var alternate = false
  var zeroPad = false
  var width: Int?
  var grouping: Character?
  var precision: Int?
  var type: Character?
  /// A width or precision beyond Int: Python's "Too many decimal digits in format string".
  var tooManyDigits = false
  /// A point with no digits after it.
  var missingPrecision = false

  init?(_ spec: String) {
    var s = Array(spec)[...]
    if s.count >= 2, "<>^=".contains(s[s.startIndex + 1]) {
      fill = s.removeFirst()
      align = s.removeFirst()
    } else if let c = s.first, "<>^=".contains(c) {
      align = s.removeFirst()
    }
    if let c = s.first, "+- ".contains(c) { sign = s.removeFirst() }
    if s.first == "#" {
      alternate = true
      s.removeFirst()
    }
    if s.first == "0" {
      zeroPad = true
      s.removeFirst()
    }
    var digits = ""
    while let c = s.first, c.isNumber {
      digits.append(c)
      s.removeFirst()
    }
    if !digits.isEmpty {
      width = Int(digits)
      tooManyDigits = width == nil
    }
    if let c = s.first, c == "," || c == "_" { grouping = s.removeFirst() }
    if s.first == "." {
      s.removeFirst()
      var p = ""
      while let c = s.first, c.isNumber {
        p.append(c)
        s.removeFirst()
      }
      missingPrecision = p.isEmpty
      precision = p.isEmpty ? 0 : Int(p)
      tooManyDigits = tooManyDigits || precision == nil
    }
    if let c = s.first {
      guard "bcdeEfFgGnosxX%".contains(c) else { return nil }
      type = c == "n" ? "g" : c
      s.removeFirst()
    }
    guard s.isEmpty else { return nil }
  }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in positional notation for
/// exponents from -4 to 15 and scientific (`1e-05`, `1.5e+16`) outside.
func pyFloatRepr(_ d: Double) -> String {
  if d.isNaN { return "nan" }
  if d.isInfinite { return d < 0 ? "-inf" : "inf" }
  if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
  // Swift's description gives the shortest round-trip digits; take them apart.
  var text = "\(Swift.abs(d))"
  var exponent = 0
  if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
    exponent = Int(text[text.index(after: e)...]) ?? 0
    text = String(text[..<e])
  }
  let parts = text.split(separator: ".", omittingEmptySubsequences: false)
  let intPart = String(parts[0])
  let fracPart = parts.count > 1 ? String(parts[1]) : ""
  var digits = intPart + fracPart
  var pointPos = intPart.count + exponent  // position of the decimal point in `digits`
  let leading = digits.prefix { $0 == "0" }.count
  digits.removeFirst(leading)
  pointPos -= leading
  while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
  if digits.isEmpty { return "0.0" }
  let sciExp = pointPos - 1
  let sign = d < 0 ? "-" : ""
  if sciExp < -4 || sciExp >= 16 {
    let mantissa = digits.count == 1 ? digits : String(digits.first!) + "." + digits.dropFirst()
    let e =
      sciExp < 0
      ? "-" + (Swift.abs(sciExp) < 10 ? "0" : "") + String(-sciExp) : "+" + (sciExp < 10 ? "0" : "") + String(sciExp)
    return sign + mantissa + "e" + e
  }
  if pointPos <= 0 { return sign + "0." + String(repeating: "0", count: -pointPos) + digits }
  if pointPos >= digits.count { return sign + digits + String(repeating: "0", count: pointPos - digits.count) + ".0" }
  let i = digits.index(digits.startIndex, offsetBy: pointPos)
  return sign + digits[..<i] + "." + digits[i...]
}

/// Python's `repr(str)`: single quotes unless the text has one and no double quote.
func pyStringRepr(_ s: String) -> String {
  let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
  var out = String(quote)
  for u in s.unicodeScalars {
    switch u {
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if Character(u) == quote {
        out += "\\" + String(quote)
      } else if u.value < 0x20 || u.value == 0x7f {
        out += "\\x" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
      } else {
        out.unicodeScalars.append(u)
      }
    }
  }
  out.append(quote)
  return out
}

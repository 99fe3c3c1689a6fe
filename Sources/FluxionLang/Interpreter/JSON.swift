import Fluxion
import Foundation

/// The `--json` encoding of values (LANGUAGE.md's table): arrays as dtype, shape and nested
/// data; Python scalars, strings, None, lists and dicts as JSON; registered pytree nodes as
/// `{"type", "children"}`; anything else as its repr.
extension Interpreter {
  public func json(_ v: Value) throws(PyError) -> String {
    var out = ""
    try writeJSON(v, into: &out)
    return out
  }

  private func writeJSON(_ v: Value, into out: inout String) throws(PyError) {
    if StackGuard.nearlyExhausted() { throw PyError("RecursionError", "maximum recursion depth exceeded") }
    switch v {
    case .none: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .bigint(let b): out += try bigString(b)
    case .float(let d): out += jsonNumber(d)
    case .str(let s): out += jsonString(s)
    case .tuple(let items): try writeList(items, into: &out)
    case .list(let l): try writeList(l.items, into: &out)
    case .dict(let d):
      out += "{"
      for (k, (key, value)) in try sortedDictItems(d).enumerated() {
        if k > 0 { out += ", " }
        out += jsonString(try str(key)) + ": "
        try writeJSON(value, into: &out)
      }
      out += "}"
    case .array(let t):
      try writeArray(t, dtype: t.dtype.description, shape: t.shape, into: &out)
    case .object(let a as NPArray):
      try writeArray(a.tensor, dtype: a.tensor.dtype.description, shape: a.tensor.shape, into: &out)
    case .key(let k):
      let data = Random.keyData(k)
      try writeArray(data, dtype: "key<fry>", shape: k.shape, into: &out)
    case .object(let inst as PyInstance):
      if let fields = namedTupleFields(inst.cls) {
        // A NamedTuple is a tuple: a JSON array of its fields.
        try writeList(fields.map { inst.attributes[$0] ?? .none }, into: &out)
      } else if pytreeNode(inst.cls) != nil {
        let children = try nodeChildren(v)
        out += "{\"type\": " + jsonString(inst.cls.name) + ", \"children\": "
        try writeList(children, into: &out)
        out += "}"
      } else {
        out += "{\"repr\": " + jsonString(try repr(v)) + "}"
      }
    default:
      out += "{\"repr\": " + jsonString(try repr(v)) + "}"
    }
  }

  /// A registered node's children, one level down (what JAX's flatten of the node gives).
  func nodeChildren(_ v: Value) throws(PyError) -> [Value] {
    guard case .node(_, _, let children) = try toNested(v) else { return [] }
    return try children.map { c throws(PyError) in try fromNested(c) }
  }

  private func writeList(_ items: [Value], into out: inout String) throws(PyError) {
    out += "["
    for (k, x) in items.enumerated() {
      if k > 0 { out += ", " }
      try writeJSON(x, into: &out)
    }
    out += "]"
  }

  private func writeArray(_ t: Tensor, dtype: String, shape: [Int], into out: inout String) throws(PyError) {
    if let e = t.blockUntilReady().error { throw PyError(e) }
    let values: [Double]
    do { values = try t.doubles } catch { throw PyError(error) }
    let dt = t.dtype
    func element(_ d: Double) -> String {
      switch dt {
      case .bool: return d != 0 ? "true" : "false"
      case .float32, .float64: return jsonNumber(d)
      default: return String(Int(d))
      }
    }
    out +=
      "{\"dtype\": " + jsonString(dtype) + ", \"shape\": [" + shape.map(String.init).joined(separator: ", ")
      + "], \"data\": "
    if t.rank == 0 {
      out += element(values[0])
    } else {
      var index = 0
      func level(_ dim: Int) {
        out += "["
        for k in 0..<t.shape[dim] {
          if k > 0 { out += ", " }
          if dim == t.rank - 1 {
            out += element(values[index])
            index += 1
          } else {
            level(dim + 1)
          }
        }
        out += "]"
      }
      level(0)
    }
    out += "}"
  }
}

/// A float as Python's json module writes it: its repr, or NaN / Infinity / -Infinity.
func jsonNumber(_ d: Double) -> String {
  if d.isNaN { return "NaN" }
  if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
  return pyFloatRepr(d)
}

/// A JSON string literal, non-ASCII escaped as Python's json module does by default.
public func jsonString(_ s: String) -> String {
  var out = "\""
  for u in s.unicodeScalars {
    switch u {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if u.value < 0x20 || u.value > 0x7e {
        if u.value > 0xFFFF {
          let v = u.value - 0x10000
          out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
        } else {
          out += String(format: "\\u%04x", u.value)
        }
      } else {
        out.unicodeScalars.append(u)
      }
    }
  }
  return out + "\""
}

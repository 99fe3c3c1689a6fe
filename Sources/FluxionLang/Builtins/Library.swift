import Fluxion

/// Helpers for defining library functions with JAX's parameter names.
extension PyModule {
  /// Defines `name` with parameters `params` (the first `required` must be given).
  func def(
    _ name: String, _ params: [String], required: Int = 0, variadic: Bool = false,
    _ body: @escaping (Interpreter, BoundArgs) throws(PyError) -> Value
  ) {
    let qualified = "\(self.name).\(name)"
    attributes[name] = .builtin(qualified) { interp, args throws(PyError) in
      try body(interp, try interp.bind(name, args, params, required: required, variadic: variadic))
    }
  }
}

/// Python's tuple form of a shape: `(3,)`, `(2, 3)`, `()`.
func shapeText(_ s: [Int]) -> String {
  s.count == 1 ? "(\(s[0]),)" : "(" + s.map(String.init).joined(separator: ", ") + ")"
}

extension Interpreter {
  /// The dtype a value names: a dtype object, a scalar type (`jnp.float32`, `float`), or its
  /// name as a string.
  func dtype(_ v: Value?) throws(PyError) -> DType? {
    guard let v else { return nil }
    switch v {
    case .none: return nil
    case .str(let s):
      if let d = DType.allCases.first(where: { $0.description == s }) { return d }
      if s == "bool_" { return .bool }
      throw PyError.type("data type '\(s)' not understood")
    case .object(let o as PyOpaque) where o.kind == "dtype":
      if let d = o.payload as? DType { return d }
    case .object(let b as PyBuiltin):
      if case .str(let s)? = b.attributes["dtype"] { return try dtype(.str(s)) }
    case .object(let c as PyClass) where c.isBuiltin:
      switch c.name {
      case "float": return Config.defaultFloat
      case "int": return Config.defaultInt
      case "bool": return .bool
      default: break
      }
    default: break
    }
    throw PyError.type("Cannot interpret '\(try repr(v))' as a data type")
  }

  /// The `x.dtype` object of an array.
  func dtypeObject(_ d: DType) -> Value {
    if let v = dtypeObjects[d] { return v }
    let o = PyOpaque("dtype", d, repr: "dtype('\(d)')")
    o.attributes["name"] = .str(d.description)
    o.attributes["itemsize"] = .int(d.size)
    let v = Value.object(o)
    dtypeObjects[d] = v
    return v
  }

  func tensorArg(_ b: BoundArgs, _ i: Int) throws(PyError) -> Tensor { try asTensor(try b.required(i)) }

  func optionalTensor(_ b: BoundArgs, _ i: Int) throws(PyError) -> Tensor? {
    guard let v = b[i] else { return nil }
    return try asTensor(v)
  }

  func boolArg(_ b: BoundArgs, _ name: String, _ def: Bool = false) throws(PyError) -> Bool {
    guard let v = b[name] else { return def }
    return try truthy(v)
  }

  func doubleArg(_ v: Value?, _ def: Double) throws(PyError) -> Double {
    guard let v else { return def }
    switch v {
    case .int(let i): return Double(i)
    case .float(let d): return d
    case .bool(let b): return b ? 1 : 0
    case .array(let t): return try scalarDouble(t)
    case .object(let a as NPArray): return try scalarDouble(a.tensor)
    default: throw PyError.type("must be real number, not \(v.typeName)")
    }
  }

  /// One axis argument (None allowed).
  func axisArg(_ v: Value?) throws(PyError) -> Int? {
    guard let v else { return nil }
    if case .none = v { return nil }
    return try int(v, "axis")
  }
}

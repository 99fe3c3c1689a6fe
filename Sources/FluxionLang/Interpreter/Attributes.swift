import Fluxion

extension Interpreter {
  // MARK: - attributes

  func getAttribute(_ obj: Value, _ name: String) throws(PyError) -> Value {
    if name.hasPrefix("__") && name.hasSuffix("__") && !allowedDunders.contains(name) {
      throw noAttribute(obj, name)
    }
    switch obj {
    case .object(let m as PyModule):
      if let v = m.attributes[name] { return v }
      throw PyError.attribute("module '\(m.name)' has no attribute '\(name)'")
    case .object(let inst as PyInstance):
      if let v = inst.attributes[name] { return v }
      if let v = inst.cls.lookup(name) { return try bindClassAttribute(v, receiver: obj, cls: inst.cls) }
      if name == "__class__" { return .object(inst.cls) }
      if let base = exceptionClasses["BaseException"], inst.cls.isSubclass(of: base), name == "args" {
        return inst.attributes["args"] ?? .tuple([])
      }
      if let getattr = inst.cls.lookup("__getattr__") { return try call(getattr, [obj, .str(name)]) }
      throw PyError.attribute("'\(inst.cls.name)' object has no attribute '\(name)'")
    case .object(let c as PyClass):
      if name == "__name__" { return .str(c.name) }
      if let v = c.lookup(name) {
        if case .object(let w as PyMethodWrapper) = v {
          switch w.kind {
          case .classMethod: return .object(PyBoundMethod(w.function, obj))
          case .staticMethod, .property: return w.function
          }
        }
        return v
      }
      throw PyError.attribute("type object '\(c.name)' has no attribute '\(name)'")
    case .object(let f as PyFunction):
      if let v = f.attributes[name] { return v }
      if name == "__name__" { return .str(f.name) }
      throw PyError.attribute("'function' object has no attribute '\(name)'")
    case .object(let b as PyBuiltin):
      if let v = b.attributes[name] { return v }
      if name == "__name__" { return .str(String(b.name.split(separator: ".").last ?? "")) }
      throw PyError.attribute("'builtin_function_or_method' object has no attribute '\(name)'")
    case .object(let o as PyOpaque):
      if let v = o.attributes[name] { return v }
      throw noAttribute(obj, name)
    case .object(let at as PyAtHelper):
      return try atMethod(at, name)
    case .object(let s as PySuper):
      return try superAttribute(s, name)
    case .array(let t):
      return try arrayAttribute(t, obj, name)
    case .object(let a as NPArray):
      return try npAttribute(a, obj, name)
    case .key(let k):
      switch name {
      case "shape": return .tuple(k.shape.map { .int($0) })
      case "ndim": return .int(k.shape.count)
      case "dtype": return .object(PyOpaque("dtype", "key<fry>", repr: "key<fry>"))
      case "size": return .int(k.shape.reduce(1, *))
      default: throw noAttribute(obj, name)
      }
    default:
      if let m = try builtinMethod(obj, name) { return m }
      throw noAttribute(obj, name)
    }
  }

  func noAttribute(_ obj: Value, _ name: String) -> PyError {
    if case .object(let m as PyModule) = obj {
      return PyError.attribute("module '\(m.name)' has no attribute '\(name)'")
    }
    if case .array = obj {
      // JAX's array class is a C++ type: its error names the module too.
      return PyError.attribute("'jaxlib._jax.ArrayImpl' object has no attribute '\(name)'")
    }
    return PyError.attribute("'\(obj.typeName)' object has no attribute '\(name)'")
  }

  /// Dunder attributes a script may read; every other is refused (no walks into internals).
  var allowedDunders: Set<String> {
    [
      "__init__", "__call__", "__name__", "__class__", "__repr__", "__str__", "__eq__", "__hash__", "__len__",
      "__getitem__", "__iter__", "__add__", "__mul__", "__sub__", "__truediv__", "__neg__", "__lt__",
    ]
  }

  /// A class attribute read through an instance: functions bind, wrappers unwrap.
  func bindClassAttribute(_ v: Value, receiver: Value, cls: PyClass) throws(PyError) -> Value {
    switch v {
    case .object(is PyFunction), .object(is PyBuiltin):
      return .object(PyBoundMethod(v, receiver))
    case .object(let w as PyMethodWrapper):
      switch w.kind {
      case .classMethod: return .object(PyBoundMethod(w.function, .object(cls)))
      case .staticMethod: return w.function
      case .property: return try call(w.function, [receiver])
      }
    default:
      return v
    }
  }

  func setAttribute(_ obj: Value, _ name: String, _ value: Value) throws(PyError) {
    switch obj {
    case .object(let inst as PyInstance):
      if let frozen = inst.cls.lookup("__frozen__"), try truthy(frozen) {
        throw PyError("FrozenInstanceError", "cannot assign to field '\(name)'")
      }
      inst.attributes[name] = value
    case .object(let c as PyClass):
      c.attributes[name] = value
    case .object(let f as PyFunction):
      f.attributes[name] = value
    case .object(let m as PyModule) where m.name == "__main__":
      m.attributes[name] = value
    case .array:
      throw PyError.attribute("'ArrayImpl' object attribute '\(name)' is read-only")
    default:
      throw PyError.attribute("'\(obj.typeName)' object has no attribute '\(name)'")
    }
  }

  // MARK: - items

  func getItem(_ obj: Value, _ index: Value) throws(PyError) -> Value {
    switch obj {
    case .list(let l):
      return try sequenceItem(l.items, index, "list", wrap: { .list(PyList($0)) })
    case .tuple(let t):
      return try sequenceItem(t, index, "tuple", wrap: { .tuple($0) })
    case .str(let s):
      let chars = s.map { Value.str(String($0)) }
      return try sequenceItem(chars, index, "string") { items in
        .str(items.map { if case .str(let c) = $0 { c } else { "" } }.joined())
      }
    case .dict(let d):
      if let v = d.get(try hashKey(index)) { return v }
      throw keyError(index)
    case .array(let t):
      return try checked(t.getItem(try tensorIndices(index)))
    case .object(let a as NPArray):
      return try npGetItem(a, index)
    case .key(let k):
      guard case .int(let i) = index else { throw PyError.type("key arrays index with integers here") }
      let n = k.shape.first ?? 0
      guard i >= -n && i < n else { throw PyError.index("index \(i) is out of bounds for axis 0 with size \(n)") }
      return .key(k[i < 0 ? i + n : i])
    case .object(let r as PyRange):
      guard case .int(var i) = index else {
        throw PyError.type("range indices must be integers or slices, not \(index.typeName)")
      }
      if i < 0 { i += r.count }
      guard i >= 0 && i < r.count else { throw PyError.index("range object index out of range") }
      return .int(r[i])
    case .object(let at as PyAtHelper) where at.index == nil:
      return .object(PyAtHelper(at.base, index))
    case .object(let inst as PyInstance):
      guard let m = inst.cls.lookup("__getitem__") else {
        throw PyError.type("'\(inst.cls.name)' object is not subscriptable")
      }
      return try call(m, [obj, index])
    case .object(let c as PyClass):
      if c.name == "type" || c.isBuiltin { return obj }  // list[int], tuple[...] annotations
      throw PyError.type("type '\(c.name)' is not subscriptable")
    case .object(let o as PyOpaque) where o.kind == "typing":
      return obj
    default:
      throw PyError.type("'\(obj.typeName)' object is not subscriptable")
    }
  }

  private func sequenceItem(
    _ items: [Value], _ index: Value, _ kind: String, wrap: ([Value]) -> Value
  ) throws(PyError) -> Value {
    switch index {
    case .int(var i):
      if i < 0 { i += items.count }
      guard i >= 0 && i < items.count else { throw PyError.index("\(kind) index out of range") }
      return items[i]
    case .bool(let b):
      return try sequenceItem(items, .int(b ? 1 : 0), kind, wrap: wrap)
    case .slice(let s):
      let (start, stop, step) = try sliceIndices(s, count: items.count)
      var out: [Value] = []
      var i = start
      while step > 0 ? i < stop : i > stop {
        out.append(items[i])
        i += step
      }
      return wrap(out)
    case .array(let t) where t.rank == 0 && t.dtype.isInteger && !t.isTracer:
      return try sequenceItem(items, .int(Int(try scalarDouble(t))), kind, wrap: wrap)
    case .object(let a as NPArray) where a.tensor.rank == 0 && a.tensor.dtype.isInteger:
      return try sequenceItem(items, .int(try int(index, "index")), kind, wrap: wrap)
    default:
      throw PyError.type("\(kind) indices must be integers or slices, not \(index.typeName)")
    }
  }

  /// Python's `slice.indices(n)`: start, stop and step clamped to a sequence of `count`.
  func sliceIndices(_ s: PySlice, count n: Int) throws(PyError) -> (Int, Int, Int) {
    func int(_ v: Value) throws(PyError) -> Int? {
      switch v {
      case .none: return nil
      case .int(let i): return i
      case .bool(let b): return b ? 1 : 0
      case .object(let a as NPArray) where a.tensor.rank == 0 && a.tensor.dtype.isInteger:
        return try self.int(v, "slice")
      default: throw PyError.type("slice indices must be integers or None or have an __index__ method")
      }
    }
    let step = try int(s.step) ?? 1
    guard step != 0 else { throw PyError.value("slice step cannot be zero") }
    func clamp(_ v: Int?, _ def: Int) -> Int {
      guard var v else { return def }
      if v < 0 { v += n }
      if step > 0 { return Swift.min(Swift.max(v, 0), n) }
      return Swift.min(Swift.max(v, -1), n - 1)
    }
    let start = clamp(try int(s.start), step > 0 ? 0 : n - 1)
    let stop = clamp(try int(s.stop), step > 0 ? n : -1)
    return (start, stop, step)
  }

  /// A NumPy index as the engine's list of index entries.
  func tensorIndices(_ index: Value) throws(PyError) -> [TensorIndex] {
    if case .tuple(let items) = index {
      var out: [TensorIndex] = []
      for i in items { out.append(try tensorIndex(i)) }
      return out
    }
    return [try tensorIndex(index)]
  }

  private func tensorIndex(_ v: Value) throws(PyError) -> TensorIndex {
    switch v {
    case .int(let i): return .index(i)
    case .bool(let b): return .array(Tensor(b))
    case .none: return .newAxis
    case .ellipsis: return .ellipsis
    case .slice(let s):
      func int(_ v: Value) throws(PyError) -> Int? {
        switch v {
        case .none: return nil
        case .int(let i): return i
        case .array(let t) where t.rank == 0 && !t.isTracer: return Int(try scalarDouble(t))
        case .object(let a as NPArray) where a.tensor.rank == 0: return Int(try scalarDouble(a.tensor))
        default:
          throw PyError("IndexError", "Slice entries must be static integers. Got \(try repr(v))")
        }
      }
      return .slice(start: try int(s.start), stop: try int(s.stop), step: try int(s.step))
    case .array(let t):
      if t.dtype == .bool && !t.isTracer { return .array(t) }
      guard t.dtype.isInteger || t.dtype == .bool else {
        throw PyError(
          "IndexError",
          "Indexer must have integer or boolean type, got indexer with type \(t.dtype) at position 0, indexer value \(try repr(v))"
        )
      }
      return .array(t)
    case .list, .tuple:
      return .array(try asTensor(v))
    case .object(let a as NPArray):
      if a.tensor.rank == 0 && a.tensor.dtype.isInteger { return .index(try int(v, "index")) }
      return try tensorIndex(.array(try jaxView(a)))
    default:
      throw PyError.type("Indexer must be an integer, slice, None, Ellipsis or array, got \(v.typeName)")
    }
  }

  func setItem(_ obj: Value, _ index: Value, _ value: Value) throws(PyError) {
    switch obj {
    case .list(let l):
      if case .slice(let s) = index {
        let (start, stop, step) = try sliceIndices(s, count: l.items.count)
        guard step == 1 else { throw PyError.value("extended slice assignment is not supported") }
        l.items.replaceSubrange(start..<Swift.max(start, stop), with: try materialize(value))
        return
      }
      guard case .int(var i) = index else {
        throw PyError.type("list indices must be integers or slices, not \(index.typeName)")
      }
      if i < 0 { i += l.items.count }
      guard i >= 0 && i < l.items.count else { throw PyError.index("list assignment index out of range") }
      l.items[i] = value
    case .dict(let d):
      d.set(try hashKey(index), index, value)
    case .object(let a as NPArray):
      try npSetItem(a, index, value)
    case .array:
      throw PyError.type(
        "JAX arrays are immutable and do not support in-place item assignment. Instead of x[idx] = y, use x = x.at[idx].set(y) or another .at[] method: https://docs.jax.dev/en/latest/_autosummary/jax.numpy.ndarray.at.html"
      )
    case .object(let inst as PyInstance):
      guard let m = inst.cls.lookup("__setitem__") else {
        throw PyError.type("'\(inst.cls.name)' object does not support item assignment")
      }
      _ = try call(m, [obj, index, value])
    default:
      throw PyError.type("'\(obj.typeName)' object does not support item assignment")
    }
  }

  func delItem(_ obj: Value, _ index: Value) throws(PyError) {
    switch obj {
    case .list(let l):
      guard case .int(var i) = index else { throw PyError.type("list indices must be integers") }
      if i < 0 { i += l.items.count }
      guard i >= 0 && i < l.items.count else { throw PyError.index("list assignment index out of range") }
      l.items.remove(at: i)
    case .dict(let d):
      guard d.remove(try hashKey(index)) != nil else { throw keyError(index) }
    case .array:
      throw PyError.type("'ArrayImpl' object does not support item deletion")
    default:
      throw PyError.type("'\(obj.typeName)' object doesn't support item deletion")
    }
  }

  // MARK: - x.at[i]

  private func atMethod(_ at: PyAtHelper, _ name: String) throws(PyError) -> Value {
    guard let index = at.index else {
      throw PyError.attribute("'_IndexUpdateHelper' object has no attribute '\(name)'")
    }
    let ref = at.base.at(try tensorIndices(index))
    let base = at.base
    switch name {
    case "set", "add", "multiply", "mul", "min", "max", "divide", "power", "subtract":
      return .builtin("at.\(name)") { interp, args throws(PyError) in
        let b = try interp.bind(name, args, ["values", "indices_are_sorted", "unique_indices", "mode"], required: 1)
        var v = try interp.asTensor(try b.required(0))
        if case .str(let mode)? = b["mode"], mode != "drop" && mode != "promise_in_bounds" && mode != "clip" {
          throw PyError.value("Unrecognized mode '\(mode)'")
        }
        switch name {
        case "set": return try interp.checked(ref.set(v))
        case "add": return try interp.checked(ref.add(v))
        case "subtract": return try interp.checked(ref.add(-v))
        case "multiply", "mul": return try interp.checked(ref.multiply(v))
        case "divide":
          v = Fluxion.pow(v, Tensor.weak(-1.0))
          return try interp.checked(ref.multiply(v))
        case "power":
          let current = ref.get()
          return try interp.checked(ref.set(Fluxion.pow(current, v)))
        case "min": return try interp.checked(ref.min(v))
        default: return try interp.checked(ref.max(v))
        }
      }
    case "get":
      return .builtin("at.get") { interp, args throws(PyError) in
        let b = try interp.bind("get", args, ["indices_are_sorted", "unique_indices", "mode", "fill_value"])
        let got = ref.get()
        if case .str("fill")? = b["mode"] ?? (b["fill_value"] != nil ? .str("fill") : nil) {
          return try interp.checked(
            try interp.fillOutOfRange(base, index, got, fill: b["fill_value"]))
        }
        return try interp.checked(got)
      }
    default:
      throw PyError.attribute("'_IndexUpdateRef' object has no attribute '\(name)'")
    }
  }

  /// `x.at[i].get(mode="fill", fill_value=v)`: out-of-range positions read `v` (NaN for floats
  /// by default, as JAX).
  func fillOutOfRange(_ base: Tensor, _ index: Value, _ got: Tensor, fill: Value?) throws(PyError) -> Tensor {
    guard base.rank >= 1 else { return got }
    let idx: Tensor
    switch index {
    case .array(let t): idx = t
    case .int(let i): idx = Tensor.weak(i)
    default: return got
    }
    let n = base.shape[0]
    let inRange = (idx .>= Tensor.weak(-n)) .&& (idx .< Tensor.weak(n))
    let fillValue: Tensor
    if let fill {
      fillValue = try asTensor(fill)
    } else {
      fillValue = base.dtype.isFloatingPoint ? Tensor.weak(Double.nan) : Tensor.weak(0)
    }
    let mask = reshape(inRange, inRange.shape + Array(repeating: 1, count: got.rank - inRange.rank))
    return select(broadcastTo(mask, got.shape), got, broadcastTo(convertElementType(fillValue, got.dtype), got.shape))
  }
}

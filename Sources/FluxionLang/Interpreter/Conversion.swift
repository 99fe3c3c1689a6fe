import Fluxion

extension Interpreter {
  // MARK: - values as arrays

  /// `jnp.asarray(v)`: arrays as they are, Python scalars weakly typed, nested lists and
  /// tuples of numbers and arrays stacked (strongly typed, as JAX).
  func asTensor(_ v: Value, dtype: DType? = nil) throws(PyError) -> Tensor {
    let t: Tensor
    switch v {
    case .array(let a): t = a
    case .object(let a as NPArray): t = try jaxView(a)
    case .float(let d): t = weakScalar(d)
    case .int(let i):
      // A requested integer dtype is NumPy's conversion, with NumPy's message.
      if let dtype, !Config.canonical(dtype).holds(i) {
        throw PyError.overflow("Python integer \(i) out of bounds for \(Config.canonical(dtype))")
      }
      if let dtype, dtype.isFloatingPoint { return try asTensor(.float(Double(i)), dtype: dtype) }
      if !Config.x64 && (i < Int(Int32.min) || i > Int(Int32.max)) {
        throw PyError.overflow("Python int \(i) too large to convert to int32")
      }
      t = Tensor.weak(i)
    case .bool(let b): t = Tensor(b)
    case .list, .tuple:
      t = try stackLiteral(try materialize(v))
    case .key:
      throw PyError.type("JAX arrays of PRNG keys cannot be used as numbers; use jax.random.key_data(key)")
    case .bigint(let b):
      if let dtype, dtype.isFloatingPoint { return try asTensor(.float(Double(b)), dtype: dtype) }
      if dtype != nil { throw PyError.overflow("Python int too large to convert to C long") }
      throw PyError.overflow("Python int \(try bigString(b)) too large to convert to \(Config.defaultInt)")
    default:
      throw PyError.type("Value \(try repr(v)) with type \(v.typeName) is not a valid JAX type")
    }
    if let e = t.error { throw PyError(e) }
    guard let dtype else { return t }
    let converted = convertElementType(t, Config.canonical(dtype))
    if let e = converted.error { throw PyError(e) }
    return converted
  }

  /// A nested list of numbers and arrays as one array: scalars give the result's dtype by
  /// JAX's rule for literals (bool < int < float, all strongly typed).
  private func stackLiteral(_ items: [Value]) throws(PyError) -> Tensor {
    if items.isEmpty { return zeros([0]) }
    var allScalars = true
    var kind = 0  // 0 bool, 1 int, 2 float
    var doubles: [Double] = []
    doubles.reserveCapacity(items.count)
    for x in items {
      switch x {
      case .bool(let b): doubles.append(b ? 1 : 0)
      case .int(let i):
        kind = Swift.max(kind, 1)
        doubles.append(Double(i))
      case .float(let d):
        kind = 2
        doubles.append(d)
      default: allScalars = false
      }
      if !allScalars { break }
    }
    if allScalars {
      switch kind {
      case 0: return Tensor(doubles.map { $0 != 0 })
      case 1: return Tensor(doubles.map { Int($0) })
      default: return Tensor(doubles)
      }
    }
    var parts: [Tensor] = []
    for x in items {
      var t = try asTensor(x)
      if t.isWeaklyTyped { t = convertElementType(t, t.dtype) }
      parts.append(t)
    }
    let shapes = Set(parts.map(\.shape))
    guard shapes.count == 1 else {
      throw PyError.value(
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (\(items.count),) + inhomogeneous part."
      )
    }
    return try checkedTensor(stack(parts, axis: 0))
  }

  func checkedTensor(_ t: Tensor) throws(PyError) -> Tensor {
    if let e = t.error { throw PyError(e) }
    return t
  }

  /// The Python scalar an array of one element holds (`x.item()`, `float(x)`).
  func scalarValue(_ t: Tensor) throws(PyError) -> Value {
    let d = try scalarDouble(t)
    switch t.dtype {
    case .bool: return .bool(d != 0)
    case .float32, .float64: return .float(d)
    default: return .int(Int(d))
    }
  }

  func scalarDouble(_ t: Tensor) throws(PyError) -> Double {
    do { return try t.item() } catch { throw PyError(error) }
  }

  /// An integer argument (`int`, `bool`, or a concrete integer array of one element).
  func int(_ v: Value, _ what: String) throws(PyError) -> Int {
    switch v {
    case .int(let i): return i
    case .bool(let b): return b ? 1 : 0
    case .bigint: throw PyError.overflow("Python int too large to convert to C ssize_t")
    case .object(let a as NPArray) where a.tensor.dtype.isInteger || a.tensor.dtype == .bool:
      return Int(try scalarDouble(a.tensor))
    case .array(let t) where t.dtype.isInteger || t.dtype == .bool:
      if t.isTracer {
        throw PyError(
          "TracerIntegerConversionError",
          "The __index__() method was called on traced array with shape \(t.aval.longDescription)\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerIntegerConversionError"
        )
      }
      return Int(try scalarDouble(t))
    default:
      throw PyError.type("'\(v.typeName)' object cannot be interpreted as an integer")
    }
  }

  /// JAX's error for a shape holding traced values (`jnp.zeros(n)` under jit), with where the
  /// traced value came from (what the engine says when it cannot make it concrete).
  func tracedShapeError(_ items: [Value]) -> PyError {
    var parts: [String] = []
    var origin = ""
    for x in items {
      guard case .array(let t) = x, t.isTracer else {
        parts.append((try? repr(x)) ?? "?")
        continue
      }
      parts.append("JitTracer(\(t.isWeaklyTyped ? "~" : "")\(t.aval.longDescription))")
      if origin.isEmpty { origin = tracerOriginText(t) }
    }
    let tuple = parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
    return PyError.type(
      "Shapes must be 1D sequences of concrete values of integer type, got \(tuple).\nIf using `jit`, try using `static_argnums` or applying `jit` to smaller subfunctions."
        + origin)
  }

  /// A shape argument: an int or a sequence of ints, within the array size limit.
  func shape(_ v: Value) throws(PyError) -> [Int] {
    switch v {
    case .int, .bool: return try checkSize([try int(v, "shape")])
    case .object(let a as NPArray) where a.tensor.rank == 0 && a.tensor.dtype.isInteger:
      return try checkSize([try int(v, "shape")])
    case .array(let t) where t.rank == 0 && t.dtype.isInteger && !t.isTracer:
      return try checkSize([try int(v, "shape")])
    case .array(let t) where t.isTracer: throw tracedShapeError([v])
    case .tuple, .list:
      let items = try materialize(v)
      var out: [Int] = []
      for x in items {
        if case .array(let t) = x, t.isTracer { throw tracedShapeError(items) }
        out.append(try int(x, "shape"))
      }
      return try checkSize(out)
    default:
      throw PyError.type("Shapes must be 1D sequences of concrete values of integer type, got \(try repr(v)).")
    }
  }

  /// Axes: None, an int or a sequence of ints.
  func axes(_ v: Value?) throws(PyError) -> [Int]? {
    guard let v else { return nil }
    if case .none = v { return nil }
    return try shape(v)
  }

  /// `shape` if an array of that shape fits the limit on one array's elements.
  @discardableResult
  func checkSize(_ shape: [Int], _ dtype: String = "float32") throws(PyError) -> [Int] {
    var n = 1
    for d in shape where d > 0 {
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      if overflow || p > limits.arrayElements {
        throw PyError(
          "MemoryError",
          "Unable to allocate an array with shape \(shapeText(shape)) and data type \(dtype): it exceeds the limit of \(limits.arrayElements) elements per array"
        )
      }
      n = p
    }
    return shape
  }

  // MARK: - iteration

  /// The items of an iterable, all at once.
  func materialize(_ v: Value) throws(PyError) -> [Value] {
    switch v {
    case .tuple(let t): return t
    case .list(let l): return l.items
    default:
      var out: [Value] = []
      try forEach(v) { (x) throws(PyError) -> Bool in
        out.append(x)
        return true
      }
      return out
    }
  }

  /// Calls `body` with each item of an iterable until it returns false.
  func forEach(_ v: Value, _ body: (Value) throws(PyError) -> Bool) throws(PyError) {
    switch v {
    case .list(let l):
      var i = 0
      while i < l.items.count {
        if !(try body(l.items[i])) { return }
        i += 1
      }
    case .tuple(let t):
      for x in t where !(try body(x)) { return }
    case .str(let s):
      for c in s where !(try body(.str(String(c)))) { return }
    case .dict(let d):
      for k in d.keys where !(try body(k)) { return }
    case .set(let s):
      for x in s.values where !(try body(x)) { return }
    case .object(let r as PyRange):
      var i = r.start
      while r.step > 0 ? i < r.stop : i > r.stop {
        if !(try body(.int(i))) { return }
        i += r.step
      }
    case .object(let it as PyIterator):
      while let x = try it.next() {
        if !(try body(x)) { return }
      }
    case .array(let t):
      guard t.rank > 0 else { throw PyError.type("iteration over a 0-d array") }
      for i in 0..<t.shape[0] where !(try body(try checked(t[i]))) { return }
    case .object(let a as NPArray):
      guard a.tensor.rank > 0 else { throw PyError.type("iteration over a 0-d array") }
      for i in 0..<a.tensor.shape[0] where !(try body(try npGetItem(a, .int(i)))) { return }
    case .key(let k):
      guard let n = k.shape.first else { throw PyError.type("iteration over a 0-d key array") }
      for i in 0..<n where !(try body(.key(k[i]))) { return }
    case .object(let inst as PyInstance):
      if let m = inst.cls.lookup("__iter__") {
        let it = try call(m, [v])
        if case .object(let i as PyInstance) = it, let next = i.cls.lookup("__next__") {
          while true {
            do {
              if !(try body(try call(next, [it]))) { return }
            } catch {
              if error.kind == "StopIteration" { return }
              throw error
            }
          }
        }
        try forEach(it, body)
        return
      }
      if let getitem = inst.cls.lookup("__getitem__") {
        var i = 0
        while true {
          let x: Value
          do { x = try call(getitem, [v, .int(i)]) } catch {
            if error.kind == "IndexError" || error.kind == "StopIteration" { return }
            throw error
          }
          if !(try body(x)) { return }
          i += 1
        }
      }
      throw PyError.type("'\(inst.cls.name)' object is not iterable")
    default:
      throw PyError.type("'\(v.typeName)' object is not iterable")
    }
  }

  /// An iterator object over an iterable (`iter(x)`).
  func makeIterator(_ v: Value) throws(PyError) -> PyIterator {
    if case .object(let it as PyIterator) = v { return it }
    if case .object(let inst as PyInstance) = v, let m = inst.cls.lookup("__iter__") {
      let it = try call(m, [v])
      if case .object(let i as PyIterator) = it { return i }
      if case .object(let i as PyInstance) = it, let next = i.cls.lookup("__next__") {
        return PyIterator { [unowned self] () throws(PyError) -> Value? in
          do throws(PyError) { return try self.call(next, [it]) } catch {
            if error.kind == "StopIteration" { return nil }
            throw error
          }
        }
      }
    }
    return PyIterator.over("\(v.typeName)_iterator", try materialize(v))
  }

  func length(_ v: Value) throws(PyError) -> Int {
    switch v {
    case .str(let s): return s.count
    case .tuple(let t): return t.count
    case .list(let l): return l.items.count
    case .dict(let d): return d.count
    case .set(let s): return s.order.count
    case .array(let t):
      guard let n = t.shape.first else { throw PyError.type("len() of unsized object") }
      return n
    case .object(let a as NPArray):
      guard let n = a.tensor.shape.first else {
        throw PyError.type(a.isScalar ? "object of type 'numpy.\(a.typeName)' has no len()" : "len() of unsized object")
      }
      return n
    case .key(let k):
      guard let n = k.shape.first else { throw PyError.type("len() of unsized object") }
      return n
    case .object(let r as PyRange): return r.count
    case .object(let inst as PyInstance):
      guard let m = inst.cls.lookup("__len__") else {
        throw PyError.type("object of type '\(inst.cls.name)' has no len()")
      }
      return try int(try call(m, [v]), "__len__")
    default:
      throw PyError.type("object of type '\(v.typeName)' has no len()")
    }
  }
}

extension DType {
  /// Whether this integer dtype holds the value `i` (true for the float and bool dtypes).
  func holds(_ i: Int) -> Bool {
    switch self {
    case .int32: Int32(exactly: i) != nil
    case .uint32: UInt32(exactly: i) != nil
    case .uint64: i >= 0
    default: true
    }
  }
}

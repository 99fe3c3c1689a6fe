import BigInt
import Fluxion
import Foundation

extension Interpreter {
  // MARK: - binary operators

  func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    switch (a, b) {
    case (.float(let x), .float(let y)): return try floatOp(op, x, y)
    case (.int(let x), .int(let y)): return try intOp(op, x, y)
    case (.float(let x), .int(let y)): return try floatOp(op, x, Double(y))
    case (.int(let x), .float(let y)): return try floatOp(op, Double(x), y)
    case (.str(let s), .array) where op == .mod:
      // str.__mod__ comes first: "%.3f" % x formats the array's value.
      return .str(try percentFormat(s, b))
    case (.array, _), (_, .array):
      return try arrayOp(op, a, b)
    case (.object(is NPArray), _):
      return try npBinary(op, a, b)
    case (_, .object(is NPArray)):
      if case .str(let s) = a, op == .mod { return .str(try percentFormat(s, b)) }
      return try npBinary(op, a, b)
    case (.bigint, _), (_, .bigint):
      if let x = bigValue(a), let y = bigValue(b) { return try bigOp(op, x, y) }
      if case .float(let y) = b, let x = bigValue(a) { return try floatOp(op, try bigToDouble(x), y) }
      if case .float(let x) = a, let y = bigValue(b) { return try floatOp(op, x, try bigToDouble(y)) }
    case (.bool(let x), _):
      if case .bool(let y) = b, [.bitAnd, .bitOr, .bitXor].contains(op) {
        return .bool(op == .bitAnd ? x && y : op == .bitOr ? x || y : x != y)
      }
      return try binary(op, .int(x ? 1 : 0), b)
    case (_, .bool(let y)):
      if isNumber(a) { return try binary(op, a, .int(y ? 1 : 0)) }
    default: break
    }
    if let v = try userOperator(op, a, b) { return v }
    switch (op, a, b) {
    case (.add, .str(let x), .str(let y)): return .str(x + y)
    case (.add, .list(let x), .list(let y)): return .list(PyList(x.items + y.items))
    case (.add, .tuple(let x), .tuple(let y)): return .tuple(x + y)
    case (.mult, .str(let s), .int(let n)), (.mult, .int(let n), .str(let s)):
      try checkRepetition(s.count, n)
      return .str(String(repeating: s, count: max(0, n)))
    case (.mult, .list(let l), .int(let n)), (.mult, .int(let n), .list(let l)):
      try checkRepetition(l.items.count, n)
      return .list(PyList(Array([[Value]](repeating: l.items, count: max(0, n)).joined())))
    case (.mult, .tuple(let t), .int(let n)), (.mult, .int(let n), .tuple(let t)):
      try checkRepetition(t.count, n)
      return .tuple(Array([[Value]](repeating: t, count: max(0, n)).joined()))
    case (.mod, .str(let s), _):
      return .str(try percentFormat(s, b))
    case (.bitOr, .dict(let x), .dict(let y)):
      let d = PyDict()
      for (k, v) in x.pairs { d.set(try hashKey(k), k, v) }
      for (k, v) in y.pairs { d.set(try hashKey(k), k, v) }
      return .dict(d)
    case (.bitOr, .set(let x), .set(let y)), (.bitAnd, .set(let x), .set(let y)), (.sub, .set(let x), .set(let y)),
      (.bitXor, .set(let x), .set(let y)):
      return .set(setOp(op, x, y))
    case (.mult, .str, .float), (.mult, .list, .float), (.mult, .tuple, .float), (.mult, .str, .str),
      (.mult, .list, .list), (.mult, .tuple, .tuple), (.mult, .str, .list), (.mult, .list, .str):
      throw PyError.type("can't multiply sequence by non-int of type '\(b.typeName)'")
    case (.mult, .float, .str), (.mult, .float, .list), (.mult, .float, .tuple):
      throw PyError.type("can't multiply sequence by non-int of type '\(a.typeName)'")
    case (.add, .str, _):
      throw PyError.type("can only concatenate str (not \"\(b.typeName)\") to str")
    case (.add, .list, _), (.add, .tuple, _):
      throw PyError.type("can only concatenate \(a.typeName) (not \"\(b.typeName)\") to \(a.typeName)")
    default:
      throw PyError.type("unsupported operand type(s) for \(op.symbol): '\(a.typeName)' and '\(b.typeName)'")
    }
  }

  /// `seq * n` within the limit on a sequence's items.
  private func checkRepetition(_ count: Int, _ n: Int) throws(PyError) {
    let (total, overflow) = count.multipliedReportingOverflow(by: Swift.max(n, 0))
    if overflow || total > limits.sequenceItems {
      throw PyError(
        "MemoryError",
        "repeating a sequence of \(count) items \(n) times exceeds the limit of \(limits.sequenceItems) items")
    }
  }

  private func resultDType(_ x: Tensor, _ y: Tensor) -> String {
    x.dtype == y.dtype || y.isWeaklyTyped ? x.dtype.description : y.dtype.description
  }

  func isNumber(_ v: Value) -> Bool {
    switch v {
    case .int, .float, .bool, .bigint: true
    default: false
    }
  }

  private func setOp(_ op: BinaryOperator, _ x: PySet, _ y: PySet) -> PySet {
    let out = PySet()
    switch op {
    case .bitOr:
      for k in x.order { out.insert(k, x.items[k]!) }
      for k in y.order { out.insert(k, y.items[k]!) }
    case .bitAnd:
      for k in x.order where y.items[k] != nil { out.insert(k, x.items[k]!) }
    case .sub:
      for k in x.order where y.items[k] == nil { out.insert(k, x.items[k]!) }
    default:
      for k in x.order where y.items[k] == nil { out.insert(k, x.items[k]!) }
      for k in y.order where x.items[k] == nil { out.insert(k, y.items[k]!) }
    }
    return out
  }

  /// `__add__`/`__radd__` and friends of script classes.
  private func userOperator(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PyError) -> Value? {
    let names: [BinaryOperator: String] = [
      .add: "add", .sub: "sub", .mult: "mul", .div: "truediv", .floorDiv: "floordiv", .mod: "mod", .pow: "pow",
      .matMult: "matmul", .bitAnd: "and", .bitOr: "or", .bitXor: "xor", .lShift: "lshift", .rShift: "rshift",
    ]
    guard let n = names[op] else { return nil }
    if case .object(let inst as PyInstance) = a, let m = inst.cls.lookup("__\(n)__") {
      let r = try call(m, [a, b])
      if !isNotImplemented(r) { return r }
    }
    if case .object(let inst as PyInstance) = b, let m = inst.cls.lookup("__r\(n)__") {
      let r = try call(m, [b, a])
      if !isNotImplemented(r) { return r }
    }
    return nil
  }

  func isNotImplemented(_ v: Value) -> Bool {
    if case .object(let o as PyOpaque) = v, o.kind == "NotImplementedType" { return true }
    return false
  }

  func intOp(_ op: BinaryOperator, _ x: Int, _ y: Int) throws(PyError) -> Value {
    func checked(_ r: (partialValue: Int, overflow: Bool)) throws(PyError) -> Value {
      if r.overflow { return try bigOp(op, BigInt(x), BigInt(y)) }
      return .int(r.partialValue)
    }
    switch op {
    case .add: return try checked(x.addingReportingOverflow(y))
    case .sub: return try checked(x.subtractingReportingOverflow(y))
    case .mult: return try checked(x.multipliedReportingOverflow(by: y))
    case .div:
      guard y != 0 else { throw PyError.zeroDivision("division by zero") }
      return .float(Double(x) / Double(y))
    case .floorDiv:
      guard y != 0 else { throw PyError.zeroDivision("integer division or modulo by zero") }
      if x == Int.min && y == -1 { return try bigOp(op, BigInt(x), BigInt(y)) }
      let q = x / y
      return .int((x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q)
    case .mod:
      guard y != 0 else { throw PyError.zeroDivision("integer modulo by zero") }
      if y == -1 { return .int(0) }
      let r = x % y
      return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
    case .pow:
      if y < 0 {
        guard x != 0 else { throw PyError.zeroDivision("0.0 cannot be raised to a negative power") }
        return .float(Foundation.pow(Double(x), Double(y)))
      }
      var result = 1
      var base = x
      var e = y
      while e > 0 {
        if e & 1 == 1 {
          let r = result.multipliedReportingOverflow(by: base)
          if r.overflow { return try bigOp(op, BigInt(x), BigInt(y)) }
          result = r.partialValue
        }
        e >>= 1
        if e > 0 {
          let r = base.multipliedReportingOverflow(by: base)
          if r.overflow { return try bigOp(op, BigInt(x), BigInt(y)) }
          base = r.partialValue
        }
      }
      return .int(result)
    case .lShift:
      guard y >= 0 else { throw PyError.value("negative shift count") }
      if y >= 63 || (x != 0 && (x << y) >> y != x) {
        if x == 0 { return .int(0) }
        return try bigOp(op, BigInt(x), BigInt(y))
      }
      return .int(x << y)
    case .rShift:
      guard y >= 0 else { throw PyError.value("negative shift count") }
      return .int(x >> min(y, 63))
    case .bitAnd: return .int(x & y)
    case .bitOr: return .int(x | y)
    case .bitXor: return .int(x ^ y)
    case .matMult: throw PyError.type("unsupported operand type(s) for @: 'int' and 'int'")
    }
  }

  func floatOp(_ op: BinaryOperator, _ x: Double, _ y: Double) throws(PyError) -> Value {
    switch op {
    case .add: return .float(x + y)
    case .sub: return .float(x - y)
    case .mult: return .float(x * y)
    case .div:
      guard y != 0 else { throw PyError.zeroDivision("float division by zero") }
      return .float(x / y)
    case .floorDiv:
      guard y != 0 else { throw PyError.zeroDivision("float floor division by zero") }
      return .float(Foundation.floor(x / y) == x / y ? x / y : pyFloatFloorDiv(x, y))
    case .mod:
      guard y != 0 else { throw PyError.zeroDivision("float modulo") }
      var r = fmod(x, y)
      if r != 0 && ((r < 0) != (y < 0)) { r += y } else if r == 0 { r = copysign(0, y) }
      return .float(r)
    case .pow:
      if x == 0 && y < 0 { throw PyError.zeroDivision("0.0 cannot be raised to a negative power") }
      if x < 0 && y != y.rounded() {
        throw PyError.value(
          "math domain error: a negative number to a fractional power is complex, which FluxionLang lacks")
      }
      return .float(Foundation.pow(x, y))
    default:
      throw PyError.type("unsupported operand type(s) for \(op.symbol): 'float' and 'float'")
    }
  }

  private func pyFloatFloorDiv(_ x: Double, _ y: Double) -> Double {
    var mod = fmod(x, y)
    var div = (x - mod) / y
    if mod != 0 && ((y < 0) != (mod < 0)) {
      mod += y
      div -= 1
    }
    var floordiv = div.rounded(.down)
    if div - floordiv > 0.5 { floordiv += 1 }
    return floordiv
  }

  /// An operator with an array operand: the engine's, with Python scalars weakly typed.
  func arrayOp(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    if case .array(let x) = a, op == .pow, case .int(let n) = b { return try checked(x ** n) }
    let x = try operand(a, op, position: 0)
    let y = try operand(b, op, position: 1)
    try checkSize(resultShape(x.shape, y.shape), resultDType(x, y))
    let r: Tensor
    switch op {
    case .add: r = x + y
    case .sub: r = x - y
    case .mult: r = x * y
    case .div: r = Tensor.userDivide(x, y)
    case .floorDiv: r = floorDivide(x, y)
    case .mod: r = x % y
    case .pow: r = Fluxion.pow(x, y)
    case .matMult: r = matmul(x, y)
    case .bitAnd: r = x & y
    case .bitOr: r = x | y
    case .bitXor: r = x ^ y
    case .lShift: r = x << y
    case .rShift: r = x >> y
    }
    return try checked(r)
  }

  /// A Python number or array as an operand of an array operation.
  func operand(_ v: Value, _ op: BinaryOperator, position: Int) throws(PyError) -> Tensor {
    switch v {
    case .array(let t): return t
    case .object(let a as NPArray): return try jaxView(a)
    case .float(let d): return weakScalar(d)
    case .int(let i):
      if !Config.x64 && (i < Int(Int32.min) || i > Int(Int32.max)) { throw operandOverflow(.int(i), position) }
      return Tensor.weak(i)
    case .bool(let b): return Tensor(b)
    case .bigint: throw operandOverflow(v, position)
    default:
      throw PyError.type(
        "unsupported operand type(s) for \(op.symbol): '\(position == 0 ? v.typeName : "ArrayImpl")' and '\(position == 0 ? "ArrayImpl" : v.typeName)'"
      )
    }
  }

  /// JAX's error for a Python int operand its default int cannot hold (the operator is a
  /// jitted function of `x` and `y`).
  private func operandOverflow(_ v: Value, _ position: Int) -> PyError {
    PyError.overflow(
      "An overflow was encountered while parsing an argument to a jitted computation, whose argument path is \(position == 0 ? "x" : "y"). Got <class 'int'> with value \((try? str(v)) ?? "")"
    )
  }

  /// A Python float as a weakly typed scalar, made once per value: a loop's constants
  /// (`x * 0.5 + 0.1`) are not rebuilt on every iteration. Tensors are immutable, so sharing is safe.
  func weakScalar(_ d: Double) -> Tensor {
    // An entry made in the other x64 mode has the other default dtype, and is made again.
    let key = d.bitPattern
    if let t = scalarCache[key], t.dtype == Config.defaultFloat { return t }
    if scalarCache.count >= 512 { scalarCache.removeAll(keepingCapacity: true) }
    let t = Tensor.weak(d)
    scalarCache[key] = t
    return t
  }

  /// A tensor result, or the error it carries, raised here (so the traceback points at the
  /// operation that failed).
  @inline(__always) func checked(_ t: Tensor) throws(PyError) -> Value {
    if let e = t.error { throw PyError(e) }
    if Config.liveArrayBytes > limits.liveArrayBytes {
      throw PyError(
        "MemoryError",
        "the arrays alive now hold \(Config.liveArrayBytes) bytes, more than the limit of \(limits.liveArrayBytes)")
    }
    return .array(t)
  }

  // MARK: - unary operators

  func unary(_ op: UnaryOperator, _ v: Value) throws(PyError) -> Value {
    switch (op, v) {
    case (.not, _): return .bool(!(try truthy(v)))
    case (.uSub, .int(let i)):
      guard i != Int.min else { return normalized(-BigInt(i)) }
      return .int(-i)
    case (.uSub, .bigint(let b)): return normalized(-b)
    case (.uAdd, .bigint): return v
    case (.invert, .bigint(let b)): return normalized(~b)
    case (.uSub, .float(let d)): return .float(-d)
    case (.uSub, .bool(let b)): return .int(b ? -1 : 0)
    case (.uSub, .array(let t)): return try checked(-t)
    case (.uAdd, .int), (.uAdd, .float), (.uAdd, .array): return v
    case (.uAdd, .bool(let b)): return .int(b ? 1 : 0)
    case (.invert, .int(let i)): return .int(~i)
    case (.invert, .bool(let b)): return .int(~(b ? 1 : 0))
    case (.invert, .array(let t)): return try checked(~t)
    case (_, .object(let a as NPArray)): return try npUnary(op, a)
    default:
      let names: [UnaryOperator: String] = [.uSub: "__neg__", .uAdd: "__pos__", .invert: "__invert__"]
      if case .object(let inst as PyInstance) = v, let n = names[op], let m = inst.cls.lookup(n) {
        return try call(m, [v])
      }
      let sym = op == .uSub ? "-" : op == .uAdd ? "+" : "~"
      throw PyError.type("bad operand type for unary \(sym): '\(v.typeName)'")
    }
  }

  // MARK: - comparisons

  func compare(_ op: CompareOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    switch op {
    case .is: return .bool(identical(a, b))
    case .isNot: return .bool(!identical(a, b))
    case .in: return .bool(try contains(b, a))
    case .notIn: return .bool(!(try contains(b, a)))
    default: break
    }
    if case .array = a { return try arrayCompare(op, a, b) }
    if case .array = b { return try arrayCompare(op, a, b) }
    if case .object(is NPArray) = a { return try npCompare(op, a, b) }
    if case .object(is NPArray) = b { return try npCompare(op, a, b) }
    switch op {
    case .eq: return try richEquals(a, b)
    case .notEq:
      let r = try richEquals(a, b)
      if case .bool(let x) = r { return .bool(!x) }
      return try unary(.not, r)
    default:
      if case .object(let inst as PyInstance) = a {
        let names: [CompareOperator: String] = [.lt: "__lt__", .ltE: "__le__", .gt: "__gt__", .gtE: "__ge__"]
        if let m = inst.cls.lookup(names[op]!) { return try call(m, [a, b]) }
      }
      let c = try order(a, b, op)
      switch op {
      case .lt: return .bool(c < 0)
      case .ltE: return .bool(c <= 0)
      case .gt: return .bool(c > 0)
      default: return .bool(c >= 0)
      }
    }
  }

  private func arrayCompare(_ op: CompareOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    let x = try operand(a, .sub, position: 0)
    let y = try operand(b, .sub, position: 1)
    switch op {
    case .eq: return try checked(x .== y)
    case .notEq: return try checked(x .!= y)
    case .lt: return try checked(x .< y)
    case .ltE: return try checked(x .<= y)
    case .gt: return try checked(x .> y)
    default: return try checked(x .>= y)
    }
  }

  /// `a == b` as Python evaluates it, for values that are not arrays.
  func richEquals(_ a: Value, _ b: Value) throws(PyError) -> Value {
    if case .object(let inst as PyInstance) = a, let m = inst.cls.lookup("__eq__") {
      let r = try call(m, [a, b])
      if !isNotImplemented(r) { return r }
    }
    return .bool(try equals(a, b))
  }

  /// Python's `==` as a Bool (containers compare element by element).
  func equals(_ a: Value, _ b: Value) throws(PyError) -> Bool {
    if StackGuard.nearlyExhausted() { throw PyError("RecursionError", "maximum recursion depth exceeded") }
    switch (a, b) {
    case (.none, .none), (.ellipsis, .ellipsis): return true
    case (.str(let x), .str(let y)): return x == y
    case (.tuple(let x), .tuple(let y)): return try sequenceEquals(x, y)
    case (.list(let x), .list(let y)): return x === y ? true : try sequenceEquals(x.items, y.items)
    case (.dict(let x), .dict(let y)):
      guard x.count == y.count else { return false }
      for (k, v) in x.pairs {
        guard let w = y.get(try hashKey(k)), try equals(v, w) else { return false }
      }
      return true
    case (.set(let x), .set(let y)): return Set(x.order) == Set(y.order)
    case (.array, _), (_, .array):
      let r = try arrayCompare(.eq, a, b)
      return try truthy(r)
    case (.object(is NPArray), _), (_, .object(is NPArray)):
      return try truthy(try npCompare(.eq, a, b))
    case (.bigint, _), (_, .bigint):
      if let x = bigValue(a), let y = bigValue(b) { return x == y }
      if case .float(let d) = b, let x = bigValue(a) {
        return Double(x) == d && d.rounded() == d && BigInt(exactly: d) == x
      }
      if case .float(let d) = a, let y = bigValue(b) { return BigInt(exactly: d) == y }
      return false
    case (.object(let o as PyOpaque), _) where o.kind == "dtype",
      (_, .object(let o as PyOpaque)) where o.kind == "dtype":
      // A dtype equals its scalar type and its name, as NumPy's (x.dtype == jnp.int32, == "int32").
      _ = o
      guard let x = dtypeName(a), let y = dtypeName(b) else { return false }
      return x == y
    default:
      if isNumber(a) && isNumber(b) { return numericValue(a) == numericValue(b) }
      if case .object(let inst as PyInstance) = a, inst.cls.lookup("__eq__") != nil {
        return try truthy(try richEquals(a, b))
      }
      return identical(a, b)
    }
  }

  /// The dtype name a dtype object, a scalar type (`jnp.float32`) or a string stands for.
  func dtypeName(_ v: Value) -> String? {
    switch v {
    case .object(let o as PyOpaque) where o.kind == "dtype":
      if case .str(let n)? = o.attributes["name"] { return n }
      return o.repr
    case .object(let b as PyBuiltin):
      if case .str(let n)? = b.attributes["dtype"] { return n }
      return nil
    case .str(let s): return s
    default: return nil
    }
  }

  /// `a is b or a == b`, as containers compare their items.
  func sameOrEqual(_ a: Value, _ b: Value) throws(PyError) -> Bool {
    identical(a, b) ? true : try equals(a, b)
  }

  private func sequenceEquals(_ x: [Value], _ y: [Value]) throws(PyError) -> Bool {
    guard x.count == y.count else { return false }
    for (p, q) in zip(x, y) where !(try sameOrEqual(p, q)) { return false }
    return true
  }

  func numericValue(_ v: Value) -> Double {
    switch v {
    case .int(let i): Double(i)
    case .float(let d): d
    case .bool(let b): b ? 1 : 0
    case .bigint(let b): Double(b)
    default: .nan
    }
  }

  /// Orders two values as Python's `<` does: -1, 0 or 1.
  func order(_ a: Value, _ b: Value, _ op: CompareOperator) throws(PyError) -> Int {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
    case (.bigint, .int), (.int, .bigint), (.bigint, .bigint), (.bigint, .bool), (.bool, .bigint):
      let (x, y) = (bigValue(a)!, bigValue(b)!)
      return x < y ? -1 : x == y ? 0 : 1
    case (.str(let x), .str(let y)):
      let (p, q) = (Array(x.unicodeScalars), Array(y.unicodeScalars))
      for (c, d) in zip(p, q) where c != d { return c.value < d.value ? -1 : 1 }
      return p.count < q.count ? -1 : p.count == q.count ? 0 : 1
    case (.tuple(let x), .tuple(let y)): return try sequenceOrder(x, y, op)
    case (.list(let x), .list(let y)): return try sequenceOrder(x.items, y.items, op)
    default:
      if isNumber(a) && isNumber(b) {
        let (x, y) = (numericValue(a), numericValue(b))
        if x.isNaN || y.isNaN { return op == .lt || op == .ltE ? 1 : -1 }  // every comparison false
        return x < y ? -1 : x == y ? 0 : 1
      }
      let sym = [CompareOperator.lt: "<", .ltE: "<=", .gt: ">", .gtE: ">="][op] ?? "<"
      throw PyError.type("'\(sym)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
    }
  }

  private func sequenceOrder(_ x: [Value], _ y: [Value], _ op: CompareOperator) throws(PyError) -> Int {
    for (p, q) in zip(x, y) where !(try equals(p, q)) { return try order(p, q, op) }
    return x.count < y.count ? -1 : x.count == y.count ? 0 : 1
  }

  func identical(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.none, .none), (.ellipsis, .ellipsis): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.bigint(let x), .bigint(let y)): return x == y
    case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
    case (.str(let x), .str(let y)): return x == y
    case (.list(let x), .list(let y)): return x === y
    case (.dict(let x), .dict(let y)): return x === y
    case (.set(let x), .set(let y)): return x === y
    case (.object(let x), .object(let y)): return x === y
    default: return false
    }
  }

  func contains(_ container: Value, _ item: Value) throws(PyError) -> Bool {
    switch container {
    case .str(let s):
      guard case .str(let sub) = item else {
        throw PyError.type("'in <string>' requires string as left operand, not \(item.typeName)")
      }
      return sub.isEmpty || s.contains(sub)
    case .dict(let d): return d.get(try hashKey(item)) != nil
    case .set(let s): return s.items[try hashKey(item)] != nil
    case .object(let inst as PyInstance) where inst.cls.lookup("__contains__") != nil:
      return try truthy(try call(inst.cls.lookup("__contains__")!, [container, item]))
    case .array(let t):
      let r = try checked((t .== (try operand(item, .sub, position: 1))).flattened().sum())
      return try truthy(r)
    case .object(let a as NPArray):
      return try numpy { () throws(PyError) -> Bool in try contains(.array(a.tensor), try npUnwrap(item)) }
    default:
      var found = false
      try forEach(container) { (x) throws(PyError) -> Bool in
        if try sameOrEqual(x, item) {
          found = true
          return false
        }
        return true
      }
      return found
    }
  }

  // MARK: - truth and hashing

  func truthy(_ v: Value) throws(PyError) -> Bool {
    switch v {
    case .bool(let b): return b
    case .none: return false
    case .int(let i): return i != 0
    case .bigint: return true
    case .float(let d): return d != 0
    case .str(let s): return !s.isEmpty
    case .tuple(let t): return !t.isEmpty
    case .list(let l): return !l.items.isEmpty
    case .dict(let d): return d.count > 0
    case .set(let s): return !s.order.isEmpty
    case .array(let t):
      if t.isTracer {
        do { return try t.truthValue() } catch { throw PyError(error) }
      }
      guard t.count == 1 else {
        throw PyError.value(
          "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
      }
      do { return try t.truthValue() } catch { throw PyError(error) }
    case .object(let a as NPArray): return try truthy(.array(a.tensor))
    case .object(let inst as PyInstance):
      if let m = inst.cls.lookup("__bool__") { return try truthy(try call(m, [v])) }
      if let m = inst.cls.lookup("__len__") { return try truthy(try call(m, [v])) }
      return true
    case .object(let r as PyRange): return r.count > 0
    default: return true
    }
  }

  func hashKey(_ v: Value) throws(PyError) -> HashKey {
    if StackGuard.nearlyExhausted() { throw PyError("RecursionError", "maximum recursion depth exceeded") }
    switch v {
    case .none: return .none
    case .bool(let b): return .int(b ? 1 : 0)
    case .int(let i): return .int(i)
    case .bigint(let b): return .str("int:" + String(b))
    case .float(let d):
      if d == d.rounded(), Swift.abs(d) < 9.2e18 { return .int(Int(d)) }
      if d == d.rounded(), d.isFinite, let b = BigInt(exactly: d) { return .str("int:" + String(b)) }
      return .float(d)
    case .str(let s): return .str(s)
    case .ellipsis: return .ellipsis
    case .tuple(let items):
      var keys: [HashKey] = []
      for x in items { keys.append(try hashKey(x)) }
      return .tuple(keys)
    case .list, .dict, .set:
      throw PyError.type("unhashable type: '\(v.typeName)'")
    case .array(let t):
      throw PyError.type("unhashable type: '\(t.isTracer ? "DynamicJaxprTracer" : "ArrayImpl")'")
    case .key: throw PyError.type("unhashable type: 'ArrayImpl'")
    case .slice: throw PyError.type("unhashable type: 'slice'")
    case .object(let a as NPArray):
      guard a.isScalar else { throw PyError.type("unhashable type: 'numpy.ndarray'") }
      return try hashKey(try scalarValue(a.tensor))
    case .object(let o):
      if let inst = o as? PyInstance, let m = inst.cls.lookup("__hash__") {
        if case .none = m { throw PyError.type("unhashable type: '\(inst.cls.name)'") }
        guard case .int(let h) = try call(m, [v]) else {
          throw PyError.type("__hash__ method should return an integer")
        }
        return .custom(h, ObjectIdentifier(inst.cls))
      }
      if let inst = o as? PyInstance, inst.cls.lookup("__eq__") != nil {
        throw PyError.type("unhashable type: '\(inst.cls.name)'")
      }
      return .identity(ObjectIdentifier(o))
    }
  }
}

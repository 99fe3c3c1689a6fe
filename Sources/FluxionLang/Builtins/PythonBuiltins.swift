import BigInt
import Fluxion
import Foundation

extension Interpreter {
  func installExceptions() {
    for (name, base) in builtinExceptionBases {
      let bases = base.flatMap { exceptionClasses[$0] }.map { [$0] } ?? []
      let c = PyClass(name, bases: bases, isBuiltin: true)
      exceptionClasses[name] = c
      builtins[name] = .object(c)
    }
  }

  private func builtinType(_ name: String, _ make: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value
  {
    let c = PyClass(name, bases: [], isBuiltin: true)
    c.attributes["__new_builtin__"] = .builtin(name, make)
    return .object(c)
  }

  func installBuiltins() {
    func def(_ name: String, _ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) {
      builtins[name] = .builtin(name, body)
    }
    builtins["None"] = Value.none
    builtins["True"] = .bool(true)
    builtins["False"] = .bool(false)
    builtins["Ellipsis"] = .ellipsis
    builtins["NotImplemented"] = .object(PyOpaque("NotImplementedType", 0, repr: "NotImplemented"))

    def("print") { i, args throws(PyError) in
      var sep = " "
      var end = "\n"
      for (k, v) in args.keywords {
        switch k {
        case "sep":
          if case .str(let s) = v {
            sep = s
          } else if !v.isNone {
            throw PyError.type("sep must be None or a string, not \(v.typeName)")
          }
        case "end":
          if case .str(let s) = v {
            end = s
          } else if !v.isNone {
            throw PyError.type("end must be None or a string, not \(v.typeName)")
          }
        case "flush", "file": break
        default: throw PyError.type("'\(k)' is an invalid keyword argument for print()")
        }
      }
      let parts = try args.positional.map { v throws(PyError) in try i.str(v) }
      i.write(parts.joined(separator: sep) + end)
      return .none
    }
    def("len") { i, args throws(PyError) in
      let b = try i.bind("len", args, ["obj"], required: 1)
      return .int(try i.length(try b.required(0)))
    }
    def("repr") { i, args throws(PyError) in
      .str(try i.repr(try i.bind("repr", args, ["obj"], required: 1).required(0)))
    }
    def("abs") { i, args throws(PyError) in
      let v = try i.bind("abs", args, ["x"], required: 1).required(0)
      switch v {
      case .int(let n): return n == Int.min ? i.normalized(-BigInt(n)) : .int(Swift.abs(n))
      case .bigint(let b): return .bigint(BigInt(b.magnitude))
      case .float(let d): return .float(Swift.abs(d))
      case .bool(let b): return .int(b ? 1 : 0)
      case .array(let t): return try i.checked(Fluxion.abs(t))
      case .object(is NPArray): return try i.call(try i.importModule("numpy").attribute("abs"), [v])
      default:
        if case .object(let inst as PyInstance) = v, let m = inst.cls.lookup("__abs__") { return try i.call(m, [v]) }
        throw PyError.type("bad operand type for abs(): '\(v.typeName)'")
      }
    }
    for name in ["min", "max"] {
      def(name) { i, args throws(PyError) in
        var key: Value?
        var defaultValue: Value?
        for (k, v) in args.keywords {
          if k == "key" {
            key = v
          } else if k == "default" {
            defaultValue = v
          } else {
            throw PyError.type("'\(k)' is an invalid keyword argument for \(name)()")
          }
        }
        let items = args.positional.count == 1 ? try i.materialize(args.positional[0]) : args.positional
        guard var best = items.first else {
          if let defaultValue { return defaultValue }
          throw PyError.value("\(name)() arg is an empty sequence")
        }
        var bestKey = try key.map { k throws(PyError) in try i.call(k, [best]) } ?? best
        for x in items.dropFirst() {
          let kx = try key.map { k throws(PyError) in try i.call(k, [x]) } ?? x
          let better = try i.truthy(try i.compare(name == "min" ? .lt : .gt, kx, bestKey))
          if better {
            best = x
            bestKey = kx
          }
        }
        return best
      }
    }
    def("sum") { i, args throws(PyError) in
      let b = try i.bind("sum", args, ["iterable", "start"], required: 1)
      var total = b.values[1] ?? .int(0)
      for x in try i.materialize(try b.required(0)) { total = try i.binary(.add, total, x) }
      return total
    }
    def("range") { i, args throws(PyError) in
      let ints = try args.positional.map { v throws(PyError) in try i.int(v, "range") }
      switch ints.count {
      case 1: return .object(PyRange(0, ints[0], 1))
      case 2: return .object(PyRange(ints[0], ints[1], 1))
      case 3:
        guard ints[2] != 0 else { throw PyError.value("range() arg 3 must not be zero") }
        return .object(PyRange(ints[0], ints[1], ints[2]))
      default:
        throw PyError.type("range expected at most 3 arguments, got \(ints.count)")
      }
    }
    def("zip") { i, args throws(PyError) in
      var strict = false
      for (k, v) in args.keywords where k == "strict" { strict = try i.truthy(v) }
      let lists = try args.positional.map { v throws(PyError) in try i.materialize(v) }
      let n = lists.map(\.count).min() ?? 0
      if strict, Set(lists.map(\.count)).count > 1 {
        throw PyError.value("zip() argument 2 is shorter than argument 1")
      }
      var k = 0
      return .object(
        PyIterator("zip") {
          guard k < n else { return nil }
          k += 1
          return .tuple(lists.map { $0[k - 1] })
        })
    }
    def("enumerate") { i, args throws(PyError) in
      let b = try i.bind("enumerate", args, ["iterable", "start"], required: 1)
      let items = try i.materialize(try b.required(0))
      let start = try b[1].map { v throws(PyError) in try i.int(v, "start") } ?? 0
      var k = 0
      return .object(
        PyIterator("enumerate") {
          guard k < items.count else { return nil }
          k += 1
          return .tuple([.int(start + k - 1), items[k - 1]])
        })
    }
    def("reversed") { i, args throws(PyError) in
      let items = Array(try i.materialize(try i.bind("reversed", args, ["seq"], required: 1).required(0)).reversed())
      return .iterator("reversed", items)
    }
    def("sorted") { i, args throws(PyError) in
      var items = try i.materialize(
        try i.bind("sorted", CallArgs(args.positional), ["iterable"], required: 1).required(0))
      var key: Value?
      var reverse = false
      for (k, v) in args.keywords {
        if k == "key" {
          key = v.isNone ? nil : v
        } else if k == "reverse" {
          reverse = try i.truthy(v)
        } else {
          throw PyError.type("sort() got an unexpected keyword argument '\(k)'")
        }
      }
      items = try i.sortValues(items, key: key, reverse: reverse)
      return .list(PyList(items))
    }
    def("map") { i, args throws(PyError) in
      guard let f = args.positional.first, args.positional.count >= 2 else {
        throw PyError.type("map() must have at least two arguments.")
      }
      let lists = try args.positional.dropFirst().map { v throws(PyError) in try i.materialize(v) }
      let n = lists.map(\.count).min() ?? 0
      var out: [Value] = []
      for k in 0..<n { out.append(try i.call(f, lists.map { $0[k] })) }
      return .iterator("map", out)
    }
    def("filter") { i, args throws(PyError) in
      let b = try i.bind("filter", args, ["function", "iterable"], required: 2)
      let f = b.values[0]!
      var out: [Value] = []
      for x in try i.materialize(try b.required(1)) {
        let keep = f.isNone ? try i.truthy(x) : try i.truthy(try i.call(f, [x]))
        if keep { out.append(x) }
      }
      return .iterator("filter", out)
    }
    for name in ["any", "all"] {
      def(name) { i, args throws(PyError) in
        let items = try i.materialize(try i.bind(name, args, ["iterable"], required: 1).required(0))
        for x in items {
          let t = try i.truthy(x)
          if name == "any" && t { return .bool(true) }
          if name == "all" && !t { return .bool(false) }
        }
        return .bool(name == "all")
      }
    }
    def("isinstance") { i, args throws(PyError) in
      let b = try i.bind("isinstance", args, ["obj", "class_or_tuple"], required: 2)
      return .bool(try i.isInstance(try b.required(0), try b.required(1)))
    }
    def("issubclass") { i, args throws(PyError) in
      let b = try i.bind("issubclass", args, ["cls", "class_or_tuple"], required: 2)
      guard case .object(let c as PyClass) = try b.required(0) else {
        throw PyError.type("issubclass() arg 1 must be a class")
      }
      let targets = try i.materialize(try b.required(1).asTupleIfClass)
      return .bool(targets.contains { if case .object(let t as PyClass) = $0 { c.isSubclass(of: t) } else { false } })
    }
    def("callable") { i, args throws(PyError) in
      .bool(i.isCallable(try i.bind("callable", args, ["obj"], required: 1).required(0)))
    }
    def("hasattr") { i, args throws(PyError) in
      let b = try i.bind("hasattr", args, ["obj", "name"], required: 2)
      guard case .str(let n) = try b.required(1) else { throw PyError.type("attribute name must be string") }
      do throws(PyError) {
        _ = try i.getAttribute(try b.required(0), n)
        return .bool(true)
      } catch {
        if error.kind == "AttributeError" { return .bool(false) }
        throw error
      }
    }
    def("getattr") { i, args throws(PyError) in
      let b = try i.bind("getattr", args, ["obj", "name", "default"], required: 2)
      guard case .str(let n) = try b.required(1) else { throw PyError.type("attribute name must be string") }
      do throws(PyError) { return try i.getAttribute(try b.required(0), n) } catch {
        if error.kind == "AttributeError", let d = b.values[2] { return d }
        throw error
      }
    }
    def("setattr") { i, args throws(PyError) in
      let b = try i.bind("setattr", args, ["obj", "name", "value"], required: 3)
      guard case .str(let n) = try b.required(1) else { throw PyError.type("attribute name must be string") }
      guard !n.hasPrefix("__") else { throw PyError.attribute("cannot set attribute '\(n)'") }
      try i.setAttribute(try b.required(0), n, try b.required(2))
      return .none
    }
    def("round") { i, args throws(PyError) in
      let b = try i.bind("round", args, ["number", "ndigits"], required: 1)
      let v = try b.required(0)
      if case .array(let t) = v { return try i.checked(Fluxion.round(t)) }
      if case .object(let a as NPArray) = v {
        if b[1] == nil, a.tensor.rank == 0, !a.tensor.dtype.isFloatingPoint { return try i.scalarValue(a.tensor) }
        let x = try i.scalarValue(a.tensor)
        let r = try i.call(i.builtins["round"]!, CallArgs(b[1].map { [x, $0] } ?? [x]))
        // round(np.float64(x), n) stays a NumPy scalar of its dtype.
        guard b[1] != nil, case .float(let d) = r else { return r }
        let t = Config.withX64(true) { Tensor(shape: [], scalars: [.float(d)], dtype: a.tensor.dtype) }
        return .object(NPArray(t, scalar: true))
      }
      guard let nd = b[1] else {
        let d = i.numericValue(v)
        guard d.isFinite else { throw PyError.value("cannot convert float \(pyFloatRepr(d)) to integer") }
        return .int(Int(d.rounded(.toNearestOrEven)))
      }
      let n = try i.int(nd, "ndigits")
      if case .int(let x) = v {
        // Integers round to a multiple of 10**-n, half to even.
        guard n < 0 else { return v }
        guard n > -19 else { return .int(0) }
        var q = 1
        for _ in 0..<(-n) { q *= 10 }
        let (down, r) = (x - ((x % q) + q) % q, ((x % q) + q) % q)
        let up = 2 * r > q || (2 * r == q && (down / q) % 2 != 0)
        let (result, overflow) = down.addingReportingOverflow(up ? q : 0)
        if overflow { throw PyError.overflow("integer result out of FluxionLang's 64-bit int range") }
        return .int(result)
      }
      let x = i.numericValue(v)
      guard x.isFinite else { return .float(x) }
      if n >= 0 {
        // The correctly rounded decimal of the exact binary value, as CPython rounds
        // (round(2.675, 2) is 2.67: 2.675 is stored as 2.67499999...).
        return .float(Double(String(format: "%.\(min(n, 340))f", x)) ?? x)
      }
      let scale = Foundation.pow(10.0, Double(-n))
      return .float((x / scale).rounded(.toNearestOrEven) * scale)
    }
    def("divmod") { i, args throws(PyError) in
      let b = try i.bind("divmod", args, ["a", "b"], required: 2)
      return .tuple([
        try i.binary(.floorDiv, try b.required(0), try b.required(1)),
        try i.binary(.mod, try b.required(0), try b.required(1)),
      ])
    }
    def("format") { i, args throws(PyError) in
      let b = try i.bind("format", args, ["value", "format_spec"], required: 1)
      guard case .str(let spec) = b[1] ?? .str("") else {
        throw PyError.type("format() argument 2 must be str, not \(b[1]!.typeName)")
      }
      return .str(try i.format(try b.required(0), spec))
    }
    def("pow") { i, args throws(PyError) in
      let b = try i.bind("pow", args, ["base", "exp", "mod"], required: 2)
      let r = try i.binary(.pow, try b.required(0), try b.required(1))
      if let m = b[2] { return try i.binary(.mod, r, m) }
      return r
    }
    def("hash") { i, args throws(PyError) in
      var h = Hasher()
      h.combine(try i.hashKey(try i.bind("hash", args, ["obj"], required: 1).required(0)))
      return .int(h.finalize())
    }
    def("id") { i, args throws(PyError) in
      let v = try i.bind("id", args, ["obj"], required: 1).required(0)
      if case .object(let o) = v { return .int(ObjectIdentifier(o).hashValue) }
      var h = Hasher()
      h.combine((try? i.repr(v)) ?? "")
      return .int(h.finalize())
    }
    def("iter") { i, args throws(PyError) in
      .object(try i.makeIterator(try i.bind("iter", args, ["object"], required: 1).required(0)))
    }
    def("next") { i, args throws(PyError) in
      let b = try i.bind("next", args, ["iterator", "default"], required: 1)
      guard case .object(let it as PyIterator) = try b.required(0) else {
        if case .object(let inst as PyInstance) = try b.required(0), let m = inst.cls.lookup("__next__") {
          return try i.call(m, [try b.required(0)])
        }
        throw PyError.type("'\(try b.required(0).typeName)' object is not an iterator")
      }
      if let v = try it.next() { return v }
      if let d = b.values[1] { return d }
      throw PyError("StopIteration", "")
    }
    def("chr") { i, args throws(PyError) in
      let n = try i.int(try i.bind("chr", args, ["i"], required: 1).required(0), "chr")
      guard let u = UnicodeScalar(UInt32(clamping: n)) else { throw PyError.value("chr() arg not in range(0x110000)") }
      return .str(String(Character(u)))
    }
    def("ord") { i, args throws(PyError) in
      guard case .str(let s) = try i.bind("ord", args, ["c"], required: 1).required(0), s.unicodeScalars.count == 1
      else { throw PyError.type("ord() expected a character") }
      return .int(Int(s.unicodeScalars.first!.value))
    }
    def("vars") { i, args throws(PyError) in
      let v = try i.bind("vars", args, ["object"], required: 1).required(0)
      guard case .object(let inst as PyInstance) = v else {
        throw PyError.type("vars() argument must have __dict__ attribute")
      }
      let d = PyDict()
      for (k, x) in inst.attributes.sorted(by: { $0.key.string < $1.key.string }) {
        d.set(.str(k.string), .str(k.string), x)
      }
      return .dict(d)
    }
    def("super") { i, args throws(PyError) in try i.makeSuper(args) }
    for banned in [
      "open", "eval", "exec", "compile", "__import__", "input", "globals", "locals", "breakpoint", "exit", "quit",
    ] {
      builtins.removeValue(forKey: banned)
    }

    builtins["int"] = builtinType("int") { i, args throws(PyError) in
      let b = try i.bind("int", args, ["x", "base"])
      guard let v = b.values[0] else { return .int(0) }
      switch v {
      case .int, .bigint: return v
      case .bool(let x): return .int(x ? 1 : 0)
      case .float(let d):
        guard d.isFinite else {
          throw d.isNaN
            ? PyError.value("cannot convert float NaN to integer")
            : PyError.overflow("cannot convert float infinity to integer")
        }
        if Swift.abs(d) < 9.2e18 { return .int(Int(d)) }
        return i.normalized(BigInt(d.rounded(.towardZero)))
      case .str(let s):
        let base = try b[1].map { x throws(PyError) in try i.int(x, "base") } ?? 10
        let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        if let n = Int(t, radix: base) { return .int(n) }
        let digits = t.hasPrefix("+") ? String(t.dropFirst()) : t
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit || $0 == "-" }),
          let big = try i.parseBig(digits, radix: base)
        else {
          throw PyError.value("invalid literal for int() with base \(base): \(pyStringRepr(s))")
        }
        return big
      case .object(let a as NPArray):
        return try i.call(i.builtins["int"]!, [try i.scalarValue(a.tensor)])
      case .array(let t):
        if t.isTracer {
          do throws(FluxionError) { return .int(try Int(tensor: t)) } catch { throw PyError(error) }
        }
        let s = try i.scalarValue(t)
        return try i.call(i.builtins["int"]!, [s])
      default:
        throw PyError.type("int() argument must be a string, a bytes-like object or a real number, not '\(v.typeName)'")
      }
    }
    builtins["float"] = builtinType("float") { i, args throws(PyError) in
      let b = try i.bind("float", args, ["x"])
      guard let v = b.values[0] else { return .float(0) }
      switch v {
      case .float: return v
      case .int(let n): return .float(Double(n))
      case .bigint(let n): return .float(try i.bigToDouble(n))
      case .bool(let x): return .float(x ? 1 : 0)
      case .str(let s):
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        if ["inf", "+inf", "infinity"].contains(t) { return .float(.infinity) }
        if ["-inf", "-infinity"].contains(t) { return .float(-.infinity) }
        if t == "nan" { return .float(.nan) }
        guard let d = Double(t.replacingOccurrences(of: "_", with: "")) else {
          throw PyError.value("could not convert string to float: \(pyStringRepr(s))")
        }
        return .float(d)
      case .array(let t):
        do throws(FluxionError) { return .float(try Double(tensor: t)) } catch { throw PyError(error) }
      case .object(let a as NPArray):
        do throws(FluxionError) { return .float(try Double(tensor: a.tensor)) } catch { throw PyError(error) }
      default:
        throw PyError.type("float() argument must be a string or a real number, not '\(v.typeName)'")
      }
    }
    builtins["bool"] = builtinType("bool") { i, args throws(PyError) in
      let b = try i.bind("bool", args, ["x"])
      return .bool(try b.values[0].map { v throws(PyError) in try i.truthy(v) } ?? false)
    }
    builtins["str"] = builtinType("str") { i, args throws(PyError) in
      let b = try i.bind("str", args, ["object"])
      return .str(try b.values[0].map { v throws(PyError) in try i.str(v) } ?? "")
    }
    builtins["tuple"] = builtinType("tuple") { i, args throws(PyError) in
      let b = try i.bind("tuple", args, ["iterable"])
      return .tuple(try b.values[0].map { v throws(PyError) in try i.materialize(v) } ?? [])
    }
    builtins["list"] = builtinType("list") { i, args throws(PyError) in
      let b = try i.bind("list", args, ["iterable"])
      return .list(PyList(try b.values[0].map { v throws(PyError) in try i.materialize(v) } ?? []))
    }
    builtins["set"] = builtinType("set") { i, args throws(PyError) in
      let b = try i.bind("set", args, ["iterable"])
      let s = PySet()
      for x in try b.values[0].map({ v throws(PyError) in try i.materialize(v) }) ?? [] {
        s.insert(try i.hashKey(x), x)
      }
      return .set(s)
    }
    builtins["frozenset"] = builtins["set"]
    builtins["dict"] = builtinType("dict") { i, args throws(PyError) in
      let d = PyDict()
      if let first = args.positional.first {
        if case .dict(let other) = first {
          for (k, v) in other.pairs { d.set(try i.hashKey(k), k, v) }
        } else {
          for item in try i.materialize(first) {
            let kv = try i.materialize(item)
            guard kv.count == 2 else {
              throw PyError.value("dictionary update sequence element has length \(kv.count); 2 is required")
            }
            d.set(try i.hashKey(kv[0]), kv[0], kv[1])
          }
        }
      }
      for (k, v) in args.keywords { d.set(.str(k), .str(k), v) }
      return .dict(d)
    }
    builtins["type"] = builtinType("type") { i, args throws(PyError) in
      guard args.positional.count == 1 else { throw PyError.type("type() takes 1 argument") }
      return i.typeObject(args.positional[0])
    }
    builtins["object"] = .object(
      PyClass(
        "object", bases: [], attributes: ["__init__": .builtin("object.__init__") { _, _ throws(PyError) in .none }],
        isBuiltin: true))
    builtins["slice"] = builtinType("slice") { i, args throws(PyError) in
      let p = args.positional
      switch p.count {
      case 1: return .slice(PySlice(start: .none, stop: p[0], step: .none))
      case 2: return .slice(PySlice(start: p[0], stop: p[1], step: .none))
      case 3: return .slice(PySlice(start: p[0], stop: p[1], step: p[2]))
      default: throw PyError.type("slice expected at least 1 argument, got 0")
      }
    }
    builtins["classmethod"] = .builtin("classmethod") { _, args throws(PyError) in
      guard let f = args.positional.first else { throw PyError.type("classmethod expected 1 argument, got 0") }
      return .object(PyMethodWrapper(.classMethod, f))
    }
    builtins["staticmethod"] = .builtin("staticmethod") { _, args throws(PyError) in
      guard let f = args.positional.first else { throw PyError.type("staticmethod expected 1 argument, got 0") }
      return .object(PyMethodWrapper(.staticMethod, f))
    }
    builtins["property"] = .builtin("property") { _, args throws(PyError) in
      guard let f = args.positional.first else { throw PyError.type("property expected 1 argument, got 0") }
      return .object(PyMethodWrapper(.property, f))
    }
  }

  /// `type(x)`: a script class, or the built-in type of that name.
  func typeObject(_ v: Value) -> Value {
    if case .object(let inst as PyInstance) = v { return .object(inst.cls) }
    if case .array = v { return .object(arrayImplClass) }
    if case .object(let a as NPArray) = v, !a.isScalar { return .object(npArrayClass) }
    if let t = builtins[v.typeName], case .object(is PyClass) = t { return t }
    return .object(PyClass(v.typeName, bases: [], isBuiltin: true))
  }

  func isInstance(_ v: Value, _ spec: Value) throws(PyError) -> Bool {
    if case .tuple(let options) = spec {
      for o in options where try isInstance(v, o) { return true }
      return false
    }
    guard case .object(let cls as PyClass) = spec else {
      if case .object(let o as PyOpaque) = spec, o.kind == "typing" { return true }
      throw PyError.type("isinstance() arg 2 must be a type, a tuple of types, or a union")
    }
    if case .object(let inst as PyInstance) = v {
      // A NamedTuple's instances are tuples.
      if cls.isBuiltin, cls.name == "tuple", namedTupleFields(inst.cls) != nil { return true }
      return inst.cls.isSubclass(of: cls)
    }
    if case .object(let a as NPArray) = v {
      if cls === npArrayClass { return !a.isScalar }
      if cls.isBuiltin, a.isScalar {
        if cls.name == "float" { return a.tensor.dtype == .float64 }
        if cls.name == "object" { return true }
      }
      return false
    }
    if cls === arrayClass || cls === arrayImplClass {
      if case .array = v { return true }
      if case .key = v { return true }
      return false
    }
    guard cls.isBuiltin else { return false }
    switch (cls.name, v) {
    case ("object", _): return true
    case ("int", .int), ("int", .bigint), ("int", .bool), ("bool", .bool), ("float", .float), ("str", .str),
      ("tuple", .tuple),
      ("list", .list), ("dict", .dict), ("set", .set), ("slice", .slice):
      return true
    case ("type", .object(is PyClass)): return true
    default: return false
    }
  }

  func sortValues(_ items: [Value], key: Value?, reverse: Bool) throws(PyError) -> [Value] {
    let keys = try items.map { x throws(PyError) in try key.map { k throws(PyError) in try call(k, [x]) } ?? x }
    var failure: PyError?
    // A stable merge sort on Python's `<` (Swift's sort is not guaranteed stable).
    func less(_ a: Int, _ b: Int) -> Bool {
      guard failure == nil else { return false }
      do {
        return try truthy(try compare(.lt, keys[a], keys[b]))
      } catch {
        failure = error
        return false
      }
    }
    func mergeSort(_ a: [Int]) -> [Int] {
      guard a.count > 1 else { return a }
      let l = mergeSort(Array(a[..<(a.count / 2)]))
      let r = mergeSort(Array(a[(a.count / 2)...]))
      var out: [Int] = []
      out.reserveCapacity(a.count)
      var (i, j) = (0, 0)
      while i < l.count && j < r.count {
        // Take from the left unless the right item sorts strictly first (stability).
        if reverse ? less(l[i], r[j]) : less(r[j], l[i]) {
          out.append(r[j])
          j += 1
        } else {
          out.append(l[i])
          i += 1
        }
      }
      return out + l[i...] + r[j...]
    }
    let idx = mergeSort(Array(items.indices))
    if let failure { throw failure }
    return idx.map { items[$0] }
  }
}

extension Value {
  var asTupleIfClass: Value {
    if case .tuple = self { return self }
    return .tuple([self])
  }
}

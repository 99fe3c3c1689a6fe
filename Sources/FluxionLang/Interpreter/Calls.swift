import Fluxion

extension Interpreter {
  func call(_ f: Value, _ positional: [Value]) throws(PyError) -> Value {
    try call(f, CallArgs(positional))
  }

  /// Calls any callable value with Python's argument passing.
  func call(_ f: Value, _ args: CallArgs) throws(PyError) -> Value {
    switch f {
    case .object(let fn as PyFunction):
      return try callFunction(fn, args)
    case .object(let b as PyBuiltin):
      try tick()
      return try b.body(self, args)
    case .object(let m as PyBoundMethod):
      return try call(m.function, CallArgs([m.receiver] + args.positional, args.keywords))
    case .object(let c as PyClass):
      return try instantiate(c, args)
    case .object(let w as PyMethodWrapper):
      return try call(w.function, args)
    case .object(let inst as PyInstance):
      guard let m = inst.cls.lookup("__call__") else {
        throw PyError.type("'\(inst.cls.name)' object is not callable")
      }
      return try call(m, CallArgs([f] + args.positional, args.keywords))
    default:
      throw PyError.type("'\(f.typeName)' object is not callable")
    }
  }

  func isCallable(_ v: Value) -> Bool {
    switch v {
    case .object(is PyFunction), .object(is PyBuiltin), .object(is PyBoundMethod), .object(is PyClass),
      .object(is PyMethodWrapper):
      return true
    case .object(let inst as PyInstance): return inst.cls.lookup("__call__") != nil
    default: return false
    }
  }

  func callFunction(_ f: PyFunction, _ args: CallArgs) throws(PyError) -> Value {
    try tick()
    depth += 1
    defer { depth -= 1 }
    guard depth < limits.recursionDepth, !StackGuard.nearlyExhausted() else {
      throw PyError("RecursionError", "maximum recursion depth exceeded")
    }
    let scope = Scope(parent: f.closure)
    scope.closures = []
    try bindParameters(f, args, scope)
    let savedFile = currentFilename
    currentFilename = f.code.filename
    callStack.append((f, scope))
    defer {
      currentFilename = savedFile
      callStack.removeLast()
      scope.releaseIfUnreachable(held: 1)
    }
    do {
      switch f.code.body {
      case .expression(let e):
        return try e(scope)
      case .statements(let body):
        if case .returned(let v) = try body(scope) { return v }
        return .none
      }
    } catch var e {
      e.frames.append(TraceFrame(filename: f.code.filename, function: f.name, range: e.pendingRange))
      e.pendingRange = nil
      e.needsLocation = true
      throw e
    }
  }

  private func bindParameters(_ f: PyFunction, _ args: CallArgs, _ scope: Scope) throws(PyError) {
    let p = f.code.parameters
    let params = p.posonlyargs + p.args
    let name = f.name
    var bound = [Value?](repeating: nil, count: params.count)
    let given = args.positional
    for (i, v) in given.prefix(params.count).enumerated() { bound[i] = v }
    if given.count > params.count {
      if let va = p.vararg {
        scope.vars[va.name] = .tuple(Array(given[params.count...]))
      } else {
        let required = params.count - p.defaults.count
        let takes =
          p.defaults.isEmpty
          ? "\(params.count) positional argument\(params.count == 1 ? "" : "s")"
          : "from \(required) to \(params.count) positional arguments"
        throw PyError.type("\(name)() takes \(takes) but \(given.count) \(given.count == 1 ? "was" : "were") given")
      }
    } else if let va = p.vararg {
      scope.vars[va.name] = .tuple([])
    }
    var extra: PyDict?
    if p.kwarg != nil { extra = PyDict() }
    for (k, v) in args.keywords {
      if let i = params.firstIndex(where: { $0.name == k }), i >= p.posonlyargs.count {
        if bound[i] != nil { throw PyError.type("\(name)() got multiple values for argument '\(k)'") }
        bound[i] = v
      } else if p.kwonlyargs.contains(where: { $0.name == k }) {
        if scope.vars[k] != nil { throw PyError.type("\(name)() got multiple values for argument '\(k)'") }
        scope.vars[k] = v
      } else if let extra {
        extra.set(.str(k), .str(k), v)
      } else {
        throw PyError.type("\(name)() got an unexpected keyword argument '\(k)'")
      }
    }
    let firstDefault = params.count - p.defaults.count
    var missing: [String] = []
    for i in 0..<params.count {
      if let v = bound[i] {
        scope.vars[params[i].name] = v
      } else if i >= firstDefault {
        scope.vars[params[i].name] = f.defaults[i - firstDefault]
      } else {
        missing.append(params[i].name)
      }
    }
    if !missing.isEmpty { throw PyError.type("\(name)() missing \(missingList(missing, "positional"))") }
    var missingKw: [String] = []
    for k in p.kwonlyargs where scope.vars[k.name] == nil {
      if let d = f.kwDefaults[k.name] { scope.vars[k.name] = d } else { missingKw.append(k.name) }
    }
    if !missingKw.isEmpty { throw PyError.type("\(name)() missing \(missingList(missingKw, "keyword-only"))") }
    if let kw = p.kwarg, let extra { scope.vars[kw.name] = .dict(extra) }
  }

  /// `1 required positional argument: 'x'`, `2 required positional arguments: 'x' and 'y'`.
  private func missingList(_ names: [String], _ kind: String) -> String {
    let quoted = names.map { "'\($0)'" }
    let list =
      quoted.count == 1
      ? quoted[0]
      : quoted.dropLast().joined(separator: ", ") + (quoted.count > 2 ? "," : "") + " and " + quoted.last!
    return "\(names.count) required \(kind) argument\(names.count == 1 ? "" : "s"): \(list)"
  }

  func instantiate(_ c: PyClass, _ args: CallArgs) throws(PyError) -> Value {
    if let make = c.attributes["__new_builtin__"], case .object(let b as PyBuiltin) = make {
      return try b.body(self, args)
    }
    let inst = PyInstance(c)
    let v = Value.object(inst)
    if let base = exceptionClasses["BaseException"], c.isSubclass(of: base) {
      inst.attributes["args"] = .tuple(args.positional)
    }
    if let initializer = c.lookup("__init__") {
      if case .object(let b as PyBuiltin) = initializer, b.name == "object.__init__" { return v }
      _ = try call(initializer, CallArgs([v] + args.positional, args.keywords))
    } else if !args.positional.isEmpty || !args.keywords.isEmpty,
      exceptionClasses["BaseException"].map({ !c.isSubclass(of: $0) }) ?? true
    {
      throw PyError.type("\(c.name)() takes no arguments")
    }
    return v
  }
}

/// The arguments of a library function bound to its parameter names, as Python binds them:
/// positionally, then by keyword, with JAX's names.
struct BoundArgs {
  let function: String
  var values: [Value?]
  let names: [String]
  /// Extra positional arguments, for functions with `*args`.
  var rest: [Value] = []

  subscript(_ i: Int) -> Value? {
    guard let v = values[i] else { return nil }
    if case .none = v { return nil }
    return v
  }

  subscript(_ name: String) -> Value? {
    guard let i = names.firstIndex(of: name) else { return nil }
    return self[i]
  }

  func required(_ i: Int) throws(PyError) -> Value {
    guard let v = values[i] else {
      throw PyError.type("\(function)() missing 1 required positional argument: '\(names[i])'")
    }
    return v
  }
}

extension Interpreter {
  /// Binds `args` to `names`; the first `required` must be given. `variadic` collects extra
  /// positional arguments into `rest` instead of failing: the names after the required ones
  /// are then keyword-only, as in `def tree_map(f, tree, *rest, is_leaf=None)`.
  func bind(
    _ function: String, _ args: CallArgs, _ names: [String], required: Int = 0, variadic: Bool = false
  ) throws(PyError) -> BoundArgs {
    var values = [Value?](repeating: nil, count: names.count)
    var rest: [Value] = []
    let positionalNames = variadic ? min(required, names.count) : names.count
    for (i, v) in args.positional.enumerated() {
      if i < positionalNames {
        values[i] = v
      } else if variadic {
        rest.append(v)
      } else {
        throw PyError.type(
          "\(function)() takes \(required == names.count ? "" : "from \(required) to ")\(names.count) positional argument\(names.count == 1 ? "" : "s") but \(args.positional.count) were given"
        )
      }
    }
    for (k, v) in args.keywords {
      guard let i = names.firstIndex(of: k) else {
        throw PyError.type("\(function)() got an unexpected keyword argument '\(k)'")
      }
      if values[i] != nil { throw PyError.type("\(function)() got multiple values for argument '\(k)'") }
      values[i] = v
    }
    for i in 0..<required where values[i] == nil {
      throw PyError.type("\(function)() missing 1 required positional argument: '\(names[i])'")
    }
    return BoundArgs(function: function, values: values, names: names, rest: rest)
  }
}

import Fluxion
import Foundation

/// A namespace the interpreter looks names up in: a module's globals, a function call's
/// locals, a class body. `parent` is the enclosing function scope (the closure), nil at
/// module level and for functions defined there.
public final class Scope {
  public var vars: [Name: Value]
  let parent: Scope?
  let code: FunctionCode?
  /// A class body: its names are not visible to the functions defined in it.
  var isClassBody = false

  init(parent: Scope?, code: FunctionCode?, vars: [Name: Value] = [:]) {
    self.parent = parent
    self.code = code
    self.vars = vars
  }
}

/// What running a statement did to the flow of control.
enum Flow {
  case normal
  case breakLoop
  case continueLoop
  case returned(Value)
}

/// Limits of one interpreter, each a clean error when passed.
public struct InterpreterLimits: Sendable {
  /// Python's default recursion limit.
  public var recursionDepth: Int = 1000
  /// Wall time of one evaluation, in seconds (nil: no limit).
  public var wallTime: Double? = nil
  /// Elements of one array.
  public var arrayElements: Int = 1 << 28
  /// Characters of one source text.
  public var sourceCharacters: Int = 4 << 20
  /// Items of one string, list or tuple built by repetition (`'a' * n`, `[0] * n`).
  public var sequenceItems: Int = 1 << 26

  public init() {}
}

/// Runs FluxionLang programs: Python's semantics over the engine's arrays and transformations.
///
/// ```swift
/// let interp = Interpreter()
/// let value = try interp.run("import jax.numpy as jnp\njnp.arange(3) * 2")
/// ```
public final class Interpreter {
  public let globals: Scope
  var builtins: [Name: Value] = [:]
  var moduleCache: [String: Value] = [:]
  /// Where `print` writes (stdout unless a session captures it).
  public var write: (String) -> Void = { s in FileHandle.standardOutput.write(s.data(using: .utf8) ?? Data()) }
  /// Source texts by file name, for tracebacks.
  public private(set) var sources: [String: String] = [:]
  public var limits = InterpreterLimits()
  /// Polled per statement, loop iteration and call: once cancelled, the script stops with
  /// CancelledError. Engine operations see it too.
  public var cancellation: CancellationToken?
  var deadline: UInt64?
  var depth = 0
  var ticks = 0
  /// Python-level classes of the built-in exceptions, by name.
  var exceptionClasses: [String: PyClass] = [:]
  /// Pytree node types registered with `register_pytree_node(_class)`, by class identity.
  var pytreeNodes: [ObjectIdentifier: PytreeNodeType] = [:]
  /// Static auxiliary data of registered nodes, interned so equal data gives an equal TreeAux.
  var auxTable: [Value] = []
  /// Classes of registered nodes, indexed by the node numbers in AuxKey.
  var nodeClasses: [PyClass] = []
  /// One `dtype` object per dtype, so `x.dtype is y.dtype` holds as in NumPy.
  var dtypeObjects: [DType: Value] = [:]
  /// Weakly typed scalars of Python floats used as operands, by value (see `weakScalar`).
  var scalarCache: [UInt64: Tensor] = [:]
  /// `jax.Array` / `jnp.ndarray`, for isinstance.
  let arrayClass = PyClass("Array", bases: [], isBuiltin: true)
  /// `type(x)` of an array: JAX's `jaxlib._jax.ArrayImpl`, a subclass of `jax.Array`.
  lazy var arrayImplClass = PyClass("ArrayImpl", bases: [arrayClass], isBuiltin: true)
  /// Function names of the frames being run (for tracebacks).
  var frameNames: [String] = []
  /// The functions being run and their local scopes, innermost last (for `super()`).
  var callStack: [(PyFunction, Scope)] = []
  var currentFilename = "<string>"
  /// Whether x64 mode is on (`jax.config.update("jax_enable_x64", True)` or `--x64`).
  public var x64 = false

  public init() {
    globals = Scope(parent: nil, code: nil)
    globals.vars["__name__"] = .str("__main__")
    installExceptions()
    installBuiltins()
  }

  // MARK: - running source

  /// Parses and runs `source`; returns the value of its last statement if that is an
  /// expression, else nil.
  @discardableResult
  public func run(_ source: String, filename: String = "<string>") throws(PyError) -> Value? {
    guard source.unicodeScalars.count <= limits.sourceCharacters else {
      throw PyError(
        "MemoryError",
        "source of \(source.unicodeScalars.count) characters exceeds the limit of \(limits.sourceCharacters)")
    }
    sources[filename] = source
    let module: Module
    do { module = try Parser.parse(source) } catch { throw syntaxError(error, filename: filename) }
    return try run(module, filename: filename)
  }

  /// Runs a parsed module (parse once, run many times).
  @discardableResult
  public func run(_ module: Module, filename: String = "<string>") throws(PyError) -> Value? {
    var body = module.body
    var last: Expr?
    if case .expr(let e)? = body.last?.kind {
      last = e
      body.removeLast()
    }
    return try withLimits(filename: filename) { () throws(PyError) -> Value? in
      do throws(PyError) {
        // Each top-level statement runs in the engine context anew, so that the x64 mode a
        // statement sets (jax.config.update) holds for the ones after it.
        for stmt in body {
          let flow = try inEngineContext { () throws(PyError) -> Flow in try exec(stmt, globals) }
          if case .normal = flow { continue }
          break
        }
        return try inEngineContext { () throws(PyError) -> Value? in
          try last.map { e throws(PyError) in try eval(e, globals) }
        }
      } catch var e {
        e.frames.append(TraceFrame(filename: filename, function: "<module>", range: e.pendingRange))
        e.pendingRange = nil
        throw e
      }
    }
  }

  /// Registers a source text for tracebacks (code compiled elsewhere, e.g. a session's function).
  func register(source: String, filename: String) { sources[filename] = source }

  /// Runs `body` with the wall-time limit, the file name and the engine context set.
  func withLimits<R>(filename: String, _ body: () throws(PyError) -> R) throws(PyError) -> R {
    let savedFile = currentFilename
    let savedDeadline = deadline
    currentFilename = filename
    if deadline == nil, let t = limits.wallTime {
      deadline = DispatchTime.now().uptimeNanoseconds + UInt64(t * 1e9)
    }
    defer {
      currentFilename = savedFile
      deadline = savedDeadline
    }
    return try inEngineContext(body)
  }

  /// Runs `body` with this interpreter's cancellation token and x64 setting in the engine's
  /// context. The x64 mode is set for this thread's work only (Config.withX64), never
  /// process-wide: interpreters with different modes (and the engine's other users) run side
  /// by side.
  func inEngineContext<R>(_ body: () throws(PyError) -> R) throws(PyError) -> R {
    try Config.withX64(x64) { () throws(PyError) -> R in
      guard let token = cancellation else { return try body() }
      return try withCancellation(token) { () throws(PyError) -> R in try body() }
    }
  }

  func syntaxError(_ e: SyntaxError, filename: String) -> PyError {
    var err = PyError(e.kind.rawValue, e.message)
    err.syntax = (filename, e)
    err.needsLocation = false
    return err
  }

  // MARK: - limits

  /// Called per statement, loop iteration and call: cancellation, then (every 256th time) the clock.
  @inline(__always) func tick() throws(PyError) {
    if let c = cancellation, c.isCancelled { throw PyError("CancelledError", "the evaluation was cancelled") }
    ticks &+= 1
    if ticks & 255 == 0, let d = deadline, DispatchTime.now().uptimeNanoseconds > d {
      throw PyError("TimeoutError", "the evaluation took longer than its limit of \(limits.wallTime ?? 0) s")
    }
  }

  // MARK: - names

  func lookup(_ name: String, _ scope: Scope) throws(PyError) -> Value {
    if let code = scope.code {
      if code.globalNames.contains(name) { return try lookupGlobal(name) }
      if let v = scope.vars[name] { return v }
      if code.locals.contains(name) {
        throw PyError(
          "UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value")
      }
    } else if let v = scope.vars[name] {
      return v
    }
    var s = scope.parent
    while let c = s {
      if let v = c.vars[name] { return v }
      s = c.parent
    }
    return try lookupGlobal(name)
  }

  func lookupGlobal(_ name: String) throws(PyError) -> Value {
    if let v = globals.vars[name] { return v }
    if let v = builtins[name] { return v }
    throw PyError.name(name)
  }

  func assign(_ name: String, _ value: Value, _ scope: Scope) {
    if let code = scope.code {
      if code.globalNames.contains(name) {
        globals.vars[name] = value
        return
      }
      if code.nonlocalNames.contains(name) {
        var s = scope.parent
        while let c = s {
          if c.vars[name] != nil {
            c.vars[name] = value
            return
          }
          s = c.parent
        }
      }
    }
    scope.vars[name] = value
  }

  func delete(_ name: String, _ scope: Scope) throws(PyError) {
    if let code = scope.code, code.globalNames.contains(name) {
      guard globals.vars.removeValue(forKey: name) != nil else { throw PyError.name(name) }
      return
    }
    guard scope.vars.removeValue(forKey: name) != nil else { throw PyError.name(name) }
  }

  // MARK: - statements

  func exec(_ body: [Stmt], _ scope: Scope) throws(PyError) -> Flow {
    for stmt in body {
      let flow = try exec(stmt, scope)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  func exec(_ stmt: Stmt, _ scope: Scope) throws(PyError) -> Flow {
    try tick()
    do {
      return try execKind(stmt, scope)
    } catch var e {
      if e.needsLocation {
        e.pendingRange = e.pendingRange ?? stmt.range
        e.needsLocation = false
      }
      throw e
    }
  }

  private func execKind(_ stmt: Stmt, _ scope: Scope) throws(PyError) -> Flow {
    switch stmt.kind {
    case .expr(let e):
      _ = try eval(e, scope)
    case .assign(let targets, let value):
      let v = try eval(value, scope)
      for t in targets { try assignTarget(t, v, scope) }
    case .augAssign(let target, let op, let value):
      try augAssign(target, op, value, scope)
    case .annAssign(let target, _, let value, _):
      if let value { try assignTarget(target, try eval(value, scope), scope) }
    case .return(let e):
      return .returned(try e.map { e throws(PyError) in try eval(e, scope) } ?? Value.none)
    case .if(let test, let body, let orelse):
      return try truthy(try eval(test, scope)) ? try exec(body, scope) : try exec(orelse, scope)
    case .while(let test, let body, let orelse):
      while try truthy(try eval(test, scope)) {
        try tick()
        switch try exec(body, scope) {
        case .normal, .continueLoop: continue
        case .breakLoop: return .normal
        case .returned(let v): return .returned(v)
        }
      }
      return try exec(orelse, scope)
    case .for(let target, let iterExpr, let body, let orelse, _):
      let iterable = try eval(iterExpr, scope)
      var broke = false
      var result: Flow = .normal
      try forEach(iterable) { (item) throws(PyError) -> Bool in
        try tick()
        try assignTarget(target, item, scope)
        switch try exec(body, scope) {
        case .normal, .continueLoop: return true
        case .breakLoop:
          broke = true
          return false
        case .returned(let v):
          result = .returned(v)
          broke = true
          return false
        }
      }
      if case .returned = result { return result }
      if !broke { return try exec(orelse, scope) }
    case .pass:
      break
    case .break:
      return .breakLoop
    case .continue:
      return .continueLoop
    case .functionDef(let def):
      let f = try makeFunction(def, scope)
      if case .object(let fn as PyFunction) = f {
        fn.code.firstLine =
          ([stmt.range.line] + def.decorators.map(\.range.line)).filter { $0 > 0 }.min() ?? stmt.range.line
      }
      var v = f
      for d in def.decorators.reversed() { v = try call(try eval(d, scope), [v]) }
      assign(def.name, v, scope)
    case .classDef(let def):
      try execClass(def, scope)
    case .import(let aliases):
      for a in aliases {
        let module = try importModule(a.name)
        if let asName = a.asName {
          assign(asName, module, scope)
        } else {
          let top = String(a.name.split(separator: ".").first ?? "")
          assign(top, try importModule(top), scope)
        }
      }
    case .importFrom(let moduleName, let names, _):
      let module = try importModule(moduleName ?? "")
      for a in names {
        if a.name == "*" {
          if case .object(let m as PyModule) = module {
            for (k, v) in m.attributes where !k.string.hasPrefix("_") { assign(k.string, v, scope) }
          }
          continue
        }
        let v: Value
        if let attr = try? getAttribute(module, a.name) {
          v = attr
        } else if let sub = try? importModule((moduleName ?? "") + "." + a.name) {
          v = sub
        } else {
          throw PyError("ImportError", "cannot import name '\(a.name)' from '\(moduleName ?? "")'")
        }
        assign(a.asName ?? a.name, v, scope)
      }
    case .global, .nonlocal:
      break
    case .delete(let targets):
      for t in targets { try deleteTarget(t, scope) }
    case .assert(let test, let msg):
      if !(try truthy(try eval(test, scope))) {
        throw PyError("AssertionError", try msg.map { m throws(PyError) in try str(try eval(m, scope)) } ?? "")
      }
    case .raise(let exc, _):
      try raise(exc, scope)
    case .try(let body, let handlers, let orelse, let finalbody, _):
      return try execTry(body, handlers, orelse, finalbody, scope)
    case .with(let items, let body, _):
      // Context managers the libraries offer are no-ops (jax.disable_jit, named_scope, …).
      for item in items {
        let v = try eval(item.contextExpr, scope)
        if let target = item.optionalVars { try assignTarget(target, v, scope) }
      }
      return try exec(body, scope)
    case .match:
      throw PyError("SyntaxError", "match statements are not supported")
    }
    return .normal
  }

  func raise(_ exc: Expr?, _ scope: Scope) throws(PyError) {
    guard let exc else {
      if let current = handling.last { throw current }
      throw PyError.runtime("No active exception to reraise")
    }
    var v = try eval(exc, scope)
    if case .object(is PyClass) = v { v = try call(v, []) }
    guard case .object(let inst as PyInstance) = v, let base = exceptionClasses["BaseException"],
      inst.cls.isSubclass(of: base)
    else { throw PyError.type("exceptions must derive from BaseException") }
    var e = PyError(inst.cls.name, exceptionMessage(inst))
    e.instanceID = remember(v)
    throw e
  }

  /// `str(exc)`: the single argument, or the tuple of arguments.
  func exceptionMessage(_ inst: PyInstance) -> String {
    guard case .tuple(let args)? = inst.attributes["args"] else { return "" }
    if args.isEmpty { return "" }
    if args.count == 1 {
      // KeyError's str is its key's repr.
      if let keyError = exceptionClasses["KeyError"], inst.cls.isSubclass(of: keyError) {
        return (try? repr(args[0])) ?? ""
      }
      return (try? str(args[0])) ?? ""
    }
    return (try? repr(.tuple(args))) ?? ""
  }

  /// Exception objects scripts raised, by the number their PyError carries.
  var raisedObjects: [Int: Value] = [:]

  /// Keeps an exception object for the PyError that carries it; returns its number.
  func remember(_ exception: Value) -> Int {
    let id = raisedObjects.count
    raisedObjects[id] = exception
    return id
  }

  /// Exceptions being handled (innermost last), for a bare `raise`.
  var handling: [PyError] = []

  private func execTry(
    _ body: [Stmt], _ handlers: [ExceptHandler], _ orelse: [Stmt], _ finalbody: [Stmt], _ scope: Scope
  ) throws(PyError) -> Flow {
    var flow: Flow = .normal
    var pending: PyError?
    do {
      flow = try exec(body, scope)
      if case .normal = flow { flow = try exec(orelse, scope) }
    } catch let error {
      if error.kind == "CancelledError" || error.kind == "TimeoutError"
        || error.kind == "RecursionError"
          && depth >= limits.recursionDepth
      {
        pending = error
      } else if let handler = try matchingHandler(error, handlers, scope) {
        let instance = exceptionInstance(error)
        if let name = handler.name { assign(name, instance, scope) }
        handling.append(error)
        defer { handling.removeLast() }
        do {
          flow = try exec(handler.body, scope)
        } catch let inner {
          pending = inner
        }
        if let name = handler.name { scope.vars.removeValue(forKey: name) }
      } else {
        pending = error
      }
    }
    if !finalbody.isEmpty {
      let f = try exec(finalbody, scope)
      if case .normal = f {} else { return f }
    }
    if let pending { throw pending }
    return flow
  }

  private func matchingHandler(_ error: PyError, _ handlers: [ExceptHandler], _ scope: Scope) throws(PyError)
    -> ExceptHandler?
  {
    let cls = exceptionClass(of: error)
    for h in handlers {
      guard let typeExpr = h.type else { return h }
      let t = try eval(typeExpr, scope)
      let candidates: [Value]
      if case .tuple(let items) = t { candidates = items } else { candidates = [t] }
      for c in candidates {
        guard case .object(let hc as PyClass) = c else {
          throw PyError.type("catching classes that do not inherit from BaseException is not allowed")
        }
        if cls.isSubclass(of: hc) { return h }
      }
    }
    return nil
  }

  func exceptionClass(of error: PyError) -> PyClass {
    if let id = error.instanceID, case .object(let inst as PyInstance)? = raisedObjects[id] { return inst.cls }
    return exceptionClasses[error.kind] ?? exceptionClasses["Exception"]!
  }

  /// The exception object of an error, made when a handler first names it.
  func exceptionInstance(_ error: PyError) -> Value {
    if let id = error.instanceID, let v = raisedObjects[id] { return v }
    let inst = PyInstance(exceptionClass(of: error))
    inst.attributes["args"] = .tuple(error.message.isEmpty ? [] : [.str(error.message)])
    return .object(inst)
  }

  // MARK: - assignment targets

  func assignTarget(_ target: Expr, _ value: Value, _ scope: Scope) throws(PyError) {
    switch target.kind {
    case .name(let n):
      assign(n, value, scope)
    case .tuple(let elts), .list(let elts):
      try unpack(elts, value, scope)
    case .attribute(let obj, let attr):
      try setAttribute(try eval(obj, scope), attr, value)
    case .subscript(let obj, let index):
      try setItem(try eval(obj, scope), try eval(index, scope), value)
    case .starred:
      throw PyError("SyntaxError", "starred assignment target must be in a list or tuple")
    default:
      throw PyError("SyntaxError", "cannot assign to expression")
    }
  }

  private func unpack(_ targets: [Expr], _ value: Value, _ scope: Scope) throws(PyError) {
    let items: [Value]
    do throws(PyError) {
      items = try materialize(value)
    } catch {
      if error.kind == "TypeError", error.message.hasSuffix("object is not iterable") {
        throw PyError.type("cannot unpack non-iterable \(value.typeName) object")
      }
      throw error
    }
    if let star = targets.firstIndex(where: { if case .starred = $0.kind { true } else { false } }) {
      let after = targets.count - star - 1
      guard items.count >= targets.count - 1 else {
        throw PyError.value("not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))")
      }
      for i in 0..<star { try assignTarget(targets[i], items[i], scope) }
      if case .starred(let inner) = targets[star].kind {
        try assignTarget(inner, .list(PyList(Array(items[star..<(items.count - after)]))), scope)
      }
      for j in 0..<after { try assignTarget(targets[star + 1 + j], items[items.count - after + j], scope) }
      return
    }
    guard items.count == targets.count else {
      if items.count > targets.count {
        throw PyError.value("too many values to unpack (expected \(targets.count))")
      }
      throw PyError.value("not enough values to unpack (expected \(targets.count), got \(items.count))")
    }
    for (t, v) in zip(targets, items) { try assignTarget(t, v, scope) }
  }

  private func augAssign(_ target: Expr, _ op: BinaryOperator, _ valueExpr: Expr, _ scope: Scope) throws(PyError) {
    switch target.kind {
    case .name(let n):
      let old = try lookup(n, scope)
      let rhs = try eval(valueExpr, scope)
      assign(n, try inPlace(op, old, rhs, target.range), scope)
    case .attribute(let objExpr, let attr):
      let obj = try eval(objExpr, scope)
      let old = try getAttribute(obj, attr)
      let rhs = try eval(valueExpr, scope)
      try setAttribute(obj, attr, try inPlace(op, old, rhs, target.range))
    case .subscript(let objExpr, let indexExpr):
      let obj = try eval(objExpr, scope)
      let index = try eval(indexExpr, scope)
      let old = try getItem(obj, index)
      let rhs = try eval(valueExpr, scope)
      try setItem(obj, index, try inPlace(op, old, rhs, target.range))
    default:
      throw PyError("SyntaxError", "'\(target.kind)' is an illegal expression for augmented assignment")
    }
  }

  /// `a op= b`: lists extend in place, everything else rebinds.
  private func inPlace(_ op: BinaryOperator, _ a: Value, _ b: Value, _ range: SourceRange) throws(PyError) -> Value {
    if op == .add, case .list(let l) = a {
      l.items.append(contentsOf: try materialize(b))
      return a
    }
    return try binary(op, a, b)
  }

  private func deleteTarget(_ target: Expr, _ scope: Scope) throws(PyError) {
    switch target.kind {
    case .name(let n): try delete(n, scope)
    case .tuple(let elts), .list(let elts): for e in elts { try deleteTarget(e, scope) }
    case .subscript(let objExpr, let indexExpr):
      try delItem(try eval(objExpr, scope), try eval(indexExpr, scope))
    case .attribute(let objExpr, let attr):
      let obj = try eval(objExpr, scope)
      guard case .object(let inst as PyInstance) = obj, inst.attributes.removeValue(forKey: attr) != nil else {
        throw PyError.attribute("'\(obj.typeName)' object has no attribute '\(attr)'")
      }
    default:
      throw PyError("SyntaxError", "cannot delete expression")
    }
  }

  // MARK: - definitions

  func makeFunction(_ def: FunctionDef, _ scope: Scope) throws(PyError) -> Value {
    let code = FunctionCode(
      name: def.name, parameters: def.args, body: .statements(def.body),
      locals: LocalNames.of(def.args, def.body), globalNames: LocalNames.declared(def.body, global: true),
      nonlocalNames: LocalNames.declared(def.body, global: false), range: def.body.first?.range ?? dummyRange,
      filename: currentFilename)
    return try makeFunction(code, def.args, scope)
  }

  func makeLambda(_ args: Arguments, _ body: Expr, _ range: SourceRange, _ scope: Scope) throws(PyError) -> Value {
    let code = FunctionCode(
      name: "<lambda>", parameters: args, body: .expression(body), locals: LocalNames.of(args, []),
      globalNames: [], nonlocalNames: [], range: range, filename: currentFilename)
    return try makeFunction(code, args, scope)
  }

  private func makeFunction(_ code: FunctionCode, _ args: Arguments, _ scope: Scope) throws(PyError) -> Value {
    var defaults: [Value] = []
    for d in args.defaults { defaults.append(try eval(d, scope)) }
    var kwDefaults: [String: Value] = [:]
    for (p, d) in zip(args.kwonlyargs, args.kwDefaults) {
      if let d { kwDefaults[p.name] = try eval(d, scope) }
    }
    // Functions see the enclosing function's scope, never a class body's.
    let closure: Scope? = scope === globals ? nil : (scope.isClassBody ? scope.parent : scope)
    return .object(
      PyFunction(
        name: code.name, code: code, defaults: defaults, kwDefaults: kwDefaults, closure: closure, globals: globals))
  }

  private func execClass(_ def: ClassDef, _ scope: Scope) throws(PyError) {
    var bases: [PyClass] = []
    var namedTupleBase = false
    for b in def.bases {
      let v = try eval(b, scope)
      switch v {
      case .object(let c as PyClass): bases.append(c)
      case .object(let o as PyOpaque) where o.kind == "NamedTupleBase": namedTupleBase = true
      default: break  // typing.Generic[...] and friends: accepted, ignored
      }
    }
    let body = Scope(parent: scope === globals ? nil : scope, code: nil)
    body.isClassBody = true
    body.vars["__qualname__"] = .str(def.name)
    _ = try exec(def.body, body)
    var attrs = body.vars
    attrs.removeValue(forKey: "__qualname__")
    let annotated: [Value] = def.body.compactMap { s in
      if case .annAssign(let t, _, _, _) = s.kind, case .name(let n) = t.kind { return .str(n) }
      return nil
    }
    if !annotated.isEmpty { attrs["__annotations_order__"] = .tuple(annotated) }
    let cls = PyClass(def.name, bases: bases, attributes: attrs)
    recordDefiningClass(cls)
    if namedTupleBase { try makeNamedTuple(cls, fieldsFrom: def.body, scope: body) }
    var v: Value = .object(cls)
    for d in def.decorators.reversed() { v = try call(try eval(d, scope), [v]) }
    assign(def.name, v, scope)
  }
}

let dummyRange = SourceRange(line: 0, column: 0, endLine: 0, endColumn: 0, start: 0, end: 0)

// MARK: - the interpreter's public face (the CLI, the session and the explorer call these)

extension Interpreter {
  /// Calls a Python callable with positional and keyword arguments.
  public func callValue(_ f: Value, _ args: [Value], _ keywords: [(String, Value)] = []) throws(PyError) -> Value {
    try inEngineContext { () throws(PyError) -> Value in try call(f, CallArgs(args, keywords)) }
  }

  /// Calls `module.name(*args, **keywords)` of a library (`callLibrary("jax", "grad", [f])`).
  public func callLibrary(
    _ module: String, _ name: String, _ args: [Value], _ keywords: [String: Value] = [:]
  ) throws(PyError) -> Value {
    let m = try importModule(module)
    let f = try getAttribute(m, name)
    return try callValue(f, args, keywords.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
  }

  /// The jaxpr of `f` at `args`, as a value whose str is its text.
  public func jaxpr(of f: Value, _ args: [Value], optimized: Bool = false) throws(PyError) -> Value {
    try inEngineContext { () throws(PyError) -> Value in try makeJaxprCall(f, args, optimized: optimized) }
  }

  /// Evaluates one expression in the global namespace.
  public func evaluate(_ expression: String, filename: String = "<string>") throws(PyError) -> Value {
    sources[filename] = expression
    let e: Expr
    do { e = try Parser.parseExpression(expression) } catch { throw syntaxError(error, filename: filename) }
    return try withLimits(filename: filename) { () throws(PyError) -> Value in
      do throws(PyError) {
        return try eval(e, globals)
      } catch var err {
        err.frames.append(TraceFrame(filename: filename, function: "<module>", range: err.pendingRange))
        err.pendingRange = nil
        throw err
      }
    }
  }

  /// Python's `str(v)` and `repr(v)`.
  public func display(_ v: Value) throws(PyError) -> String { try str(v) }
  public func representation(_ v: Value) throws(PyError) -> String { try repr(v) }

  /// Whether a value can be called.
  public func callable(_ v: Value) -> Bool { isCallable(v) }

  /// The traceback Python would print for `error`.
  public func traceback(_ error: PyError) -> String { Traceback.render(error, sources: sources) }

  /// `{"error": {"type", "message", "line", "col"}}`.
  public func errorJSON(_ error: PyError) -> String {
    var fields = "\"type\": \(jsonString(error.kind)), \"message\": \(jsonString(error.message))"
    if let p = error.position { fields += ", \"line\": \(p.line), \"col\": \(p.column)" }
    return "{\"error\": {\(fields)}}"
  }
}

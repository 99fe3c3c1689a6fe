import Fluxion
import Foundation

/// A namespace names live in: a module's globals, a function call's locals, a class body, a
/// comprehension. `parent` is the enclosing scope the compiled code looks names up in next
/// (a function's closure; nil at module level and for functions defined there).
public final class Scope {
  public var vars: [Name: Value]
  let parent: Scope?
  /// For a function call's locals: the functions (inner defs, lambdas, methods of classes
  /// defined there) made during the call that close over them. They and these locals are a
  /// cycle, which the call breaks when it returns if nothing else can reach them.
  var closures: [PyFunction]?

  init(parent: Scope?, vars: [Name: Value] = [:]) {
    self.parent = parent
    self.vars = vars
  }
}

/// The strong reference count of a Swift object (the runtime's own count; it never reads low).
@_silgen_name("swift_retainCount")
private func swiftRetainCount(_ object: UnsafeMutableRawPointer) -> Int

extension Scope {
  /// Called as a function call returns, with `held` references to this scope known to the
  /// caller: when the functions made during the call that close over these locals are reached
  /// from nowhere but the locals, and the locals from nowhere but those functions and the
  /// caller, the cycle between them is garbage, and the locals are let go. Anything else
  /// holding on (a function returned or stored, an inner call's scope that escaped) shows in
  /// the counts, and the locals stay.
  func releaseIfUnreachable(held: Int) {
    guard var made = closures, !made.isEmpty else { return }
    closures = nil
    let me = Unmanaged.passUnretained(self).toOpaque()
    guard swiftRetainCount(me) == held + made.count else { return }
    for k in made.indices {
      let id = ObjectIdentifier(made[k])
      var inLocals = 0
      for v in vars.values { if case .object(let o) = v, ObjectIdentifier(o) == id { inLocals += 1 } }
      // The list `made` holds one reference; the locals hold the rest, or someone else does.
      guard swiftRetainCount(Unmanaged.passUnretained(made[k]).toOpaque()) == 1 + inLocals else { return }
    }
    made.removeAll()
    var values = Array(vars.values)
    vars.removeAll()
    releaseNested(&values)
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
  /// Bytes of all arrays alive at once (the process's; checked after each array operation).
  public var liveArrayBytes: Int = 8 << 30
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
  public internal(set) var sources: [String: String] = [:]
  public var limits = InterpreterLimits()
  /// Polled per statement, loop iteration and call: once cancelled, the script stops with
  /// CancelledError. Engine operations see it too.
  public var cancellation: CancellationToken?
  var deadline: UInt64?
  /// The token the engine sees while a wall-time limit runs: the interpreter's own, and
  /// cancelled at the deadline too, so the engine's own loops (a lax.while_loop that never
  /// ends) stop at the limit.
  var engineToken: CancellationToken?
  var depth = 0
  var ticks = 0
  /// The first error a host callback raised while the engine ran it (`jax.debug.print`
  /// inside jit), raised when that engine call returns.
  var callbackError: PyError?
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
  /// `numpy.ndarray`, for isinstance and type.
  let npArrayClass = PyClass("ndarray", bases: [], isBuiltin: true)
  /// The functions being run and their local scopes, innermost last (for `super()`).
  var callStack: [(PyFunction, Scope)] = []
  var currentFilename = "<string>"
  /// Whether x64 mode is on (`jax.config.update("jax_enable_x64", True)` or `--x64`).
  public var x64 = false
  /// When set, PRNG keys given to consuming calls are recorded and reuses warned of.
  public var keyReuse: KeyReuseTracker?
  /// The built-in function being called and its call's span.
  var callSite: CallSite?

  public init() {
    globals = Scope(parent: nil)
    globals.vars["__name__"] = .str("__main__")
    installExceptions()
    installBuiltins()
  }

  /// Lets go of everything the scripts made. Module-level functions and classes hold the
  /// globals (their namespace), and the globals hold them; jitted functions hold this
  /// interpreter. Without a cycle collector those cycles would keep every value a script made
  /// alive after its interpreter is done with, so whoever owns an interpreter calls this when it
  /// is (a Session does when it is freed). The interpreter is not to be used afterwards.
  public func tearDown() {
    var values = Array(globals.vars.values) + Array(moduleCache.values) + auxTable
    globals.vars.removeAll()
    moduleCache.removeAll()
    auxTable.removeAll()
    nodeClasses.removeAll()
    pytreeNodes.removeAll()
    scalarCache.removeAll()
    callStack.removeAll()
    // Everything reachable is visited once, and the namespaces that make cycles (modules,
    // classes, the locals functions close over, instances) are emptied.
    var seen = Set<ObjectIdentifier>()
    var pending = values
    while let v = pending.popLast() {
      switch v {
      case .list(let l):
        guard seen.insert(ObjectIdentifier(l)).inserted else { continue }
        pending += l.items
      case .dict(let d):
        guard seen.insert(ObjectIdentifier(d)).inserted else { continue }
        pending += d.values
      case .tuple(let items): pending += items
      case .object(let o):
        guard seen.insert(ObjectIdentifier(o)).inserted else { continue }
        switch o {
        case let m as PyModule:
          pending += m.attributes.values
          m.attributes.removeAll()
        case let c as PyClass where !c.isBuiltin:
          pending += c.attributes.values
          c.attributes.removeAll()
        case let f as PyFunction:
          pending += f.defaults + f.attributes.values
          var scope = f.closure
          while let sc = scope, seen.insert(ObjectIdentifier(sc)).inserted {
            pending += sc.vars.values
            sc.vars.removeAll()
            sc.closures = nil
            scope = sc.parent
          }
        case let inst as PyInstance:
          pending += inst.attributes.values
          inst.attributes.removeAll()
        default: break
        }
      default: break
      }
    }
    releaseNested(&values)
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

  /// A source file's bytes as text: UTF-8 (a BOM is the lexer's to skip), else CPython's
  /// SyntaxError for a file that is not, at the line of the first bad byte.
  public func decodeSource(_ bytes: [UInt8], filename: String) throws(PyError) -> String {
    do throws(SyntaxError) {
      return try Lexer.decode(bytes)
    } catch {
      var e = error
      let byte = e.message.split(separator: " ").first { $0.hasPrefix("0x") }.map { String($0.dropFirst(2)) } ?? "00"
      e.message =
        "Non-UTF-8 code starting with '\\x\(byte)' in file \(filename) on line \(e.line), but no encoding declared; see https://peps.python.org/pep-0263/ for details"
      throw syntaxError(e, filename: filename)
    }
  }

  /// Runs a parsed module (parse once, run many times): it is compiled, then run.
  @discardableResult
  public func run(_ module: Module, filename: String = "<string>") throws(PyError) -> Value? {
    do throws(SyntaxError) { try Parser.checkPlacement(module.body) } catch {
      throw syntaxError(error, filename: filename)
    }
    let saved = currentFilename
    currentFilename = filename
    var body = module.body
    var last: Code?
    if case .expr(let e)? = body.last?.kind {
      last = compile(e, .module)
      body.removeLast()
    }
    let statements = body.map { compile($0, .module) }
    currentFilename = saved
    return try withLimits(filename: filename) { () throws(PyError) -> Value? in
      do throws(PyError) {
        // Each top-level statement runs in the engine context anew, so that the x64 mode a
        // statement sets (jax.config.update) holds for the ones after it.
        for stmt in statements {
          let flow = try inEngineContext { () throws(PyError) -> Flow in try stmt(globals) }
          if case .normal = flow { continue }
          break
        }
        return try inEngineContext { () throws(PyError) -> Value? in
          try last.map { e throws(PyError) in try e(globals) }
        }
      } catch var e {
        e.frames.append(TraceFrame(filename: filename, function: "<module>", range: e.pendingRange))
        e.pendingRange = nil
        throw e
      }
    }
  }

  /// Runs `body` with the wall-time limit, the file name and the engine context set.
  func withLimits<R>(filename: String, _ body: () throws(PyError) -> R) throws(PyError) -> R {
    let savedFile = currentFilename
    let savedDeadline = deadline
    let savedToken = engineToken
    currentFilename = filename
    var timer: CancellationToken?
    if deadline == nil, let t = limits.wallTime {
      deadline = DispatchTime.now().uptimeNanoseconds + UInt64(t * 1e9)
      let token = CancellationToken(parent: cancellation)
      DispatchQueue.global().asyncAfter(deadline: .now() + t) { token.cancel() }
      engineToken = token
      timer = token
    }
    defer {
      currentFilename = savedFile
      deadline = savedDeadline
      engineToken = savedToken
    }
    do {
      return try inEngineContext(body)
    } catch  where error.kind == "CancelledError" && timer?.isCancelled == true && cancellation?.isCancelled != true {
      // The engine stopped at the deadline: the limit's error, not a cancellation.
      var e = PyError("TimeoutError", "the evaluation took longer than its limit of \(limits.wallTime ?? 0) s")
      e.frames = error.frames
      e.pendingRange = error.pendingRange
      throw e
    }
  }

  /// Runs `body` with this interpreter's cancellation token and x64 setting in the engine's
  /// context. The x64 mode is set for this thread's work only (Config.withX64), never
  /// process-wide: interpreters with different modes (and the engine's other users) run side
  /// by side.
  func inEngineContext<R>(_ body: () throws(PyError) -> R) throws(PyError) -> R {
    try Config.withX64(x64) { () throws(PyError) -> R in
      guard let token = engineToken ?? cancellation else { return try body() }
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

  // MARK: - raise and except

  /// `raise exc` (`raise` alone re-raises the exception being handled).
  func raise(_ exc: Value?) throws(PyError) {
    guard var v = exc else {
      if let current = handling.last { throw current }
      throw PyError.runtime("No active exception to reraise")
    }
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

}

let dummyRange = SourceRange(line: 0, column: 0, endLine: 0, endColumn: 0, start: 0, end: 0)

// MARK: - the interpreter's public face (the CLI, the session and the explorer call these)

extension Interpreter {
  /// Calls a Python callable with positional and keyword arguments.
  public func callValue(_ f: Value, _ args: [Value], _ keywords: [(String, Value)] = []) throws(PyError) -> Value {
    try inEngineContext { () throws(PyError) -> Value in try call(f, CallArgs(args, keywords)) }
  }

  /// `module.name` of a library (`libraryValue("jax", "jvp")`), as a script that imported the
  /// module sees it.
  public func libraryValue(_ module: String, _ name: String) throws(PyError) -> Value {
    try getAttribute(try importModule(module), name)
  }

  /// Calls `module.name(*args, **keywords)` of a library (`callLibrary("jax", "grad", [f])`).
  public func callLibrary(
    _ module: String, _ name: String, _ args: [Value], _ keywords: [String: Value] = [:]
  ) throws(PyError) -> Value {
    return try callValue(
      try libraryValue(module, name), args, keywords.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
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
    let saved = currentFilename
    currentFilename = filename
    let code = compile(e, .module)
    currentFilename = saved
    return try withLimits(filename: filename) { () throws(PyError) -> Value in
      do throws(PyError) {
        return try inEngineContext { () throws(PyError) -> Value in try code(globals) }
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

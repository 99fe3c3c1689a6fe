import Fluxion

/// Compiled code: each AST node becomes a Swift closure once, when its module or function is
/// compiled, and runs many times. Names are resolved at compile time to where Python looks them
/// up (local, global, or the enclosing scopes), with their hash computed once; children are
/// captured, so running a node neither re-reads the syntax tree nor copies it.
typealias Code = (Scope) throws(PyError) -> Value
typealias Block = (Scope) throws(PyError) -> Flow

/// Compiled code kept in an array. An array holds a closure at its most general abstraction,
/// so calling one straight from an array goes through a conversion thunk (and a retain) on
/// every call; a class's stored property keeps the closure's own calling convention.
final class CodeNode {
  let run: Code
  init(_ run: @escaping Code) { self.run = run }
}

final class BlockNode {
  let run: Block
  init(_ run: @escaping Block) { self.run = run }
}

/// The scope being compiled: what kind it is and, for a function, which names it binds.
final class CompileScope: Sendable {
  enum Kind { case module, function, classBody, comprehension }
  let kind: Kind
  let locals: Set<String>
  let globalNames: Set<String>
  let nonlocalNames: Set<String>

  init(_ kind: Kind, locals: Set<String> = [], globalNames: Set<String> = [], nonlocalNames: Set<String> = []) {
    (self.kind, self.locals, self.globalNames, self.nonlocalNames) = (kind, locals, globalNames, nonlocalNames)
  }

  static let module = CompileScope(.module)
}

extension Interpreter {
  // MARK: - names

  func compileLoad(_ n: String, _ cs: CompileScope) -> Code {
    let name = Name(n)
    unowned(unsafe) let i = self
    switch cs.kind {
    case .module:
      // Module code runs in the globals.
      return { _ throws(PyError) in try i.loadGlobal(name) }
    case .function:
      if cs.globalNames.contains(n) { return { _ throws(PyError) in try i.loadGlobal(name) } }
      if cs.locals.contains(n) {
        return { s throws(PyError) in
          if let v = s.vars[name] { return v }
          throw PyError(
            "UnboundLocalError", "cannot access local variable '\(n)' where it is not associated with a value")
        }
      }
      // A free name: the enclosing functions' scopes, then the globals.
      return { s throws(PyError) in
        if let p = s.parent, let v = Self.find(name, in: p) { return v }
        return try i.loadGlobal(name)
      }
    case .classBody, .comprehension:
      return { s throws(PyError) in
        if let v = Self.find(name, in: s) { return v }
        return try i.loadGlobal(name)
      }
    }
  }

  /// `name` in `scope` or the scopes enclosing it (recursion passes each scope borrowed, so the
  /// walk retains none of them).
  static func find(_ name: Name, in scope: Scope) -> Value? {
    if let v = scope.vars[name] { return v }
    guard let p = scope.parent else { return nil }
    return find(name, in: p)
  }

  func loadGlobal(_ name: Name) throws(PyError) -> Value {
    if let v = globals.vars[name] { return v }
    if let v = builtins[name] { return v }
    throw PyError.name(name.string)
  }

  /// Stores into a name: the function's own scope, the module's for `global`, the enclosing
  /// function's for `nonlocal`.
  func compileStore(_ n: String, _ cs: CompileScope) -> (Scope, Value) -> Void {
    let name = Name(n)
    unowned(unsafe) let i = self
    if cs.kind == .function && cs.globalNames.contains(n) { return { _, v in i.globals.vars[name] = v } }
    if cs.kind == .function && cs.nonlocalNames.contains(n) {
      return { s, v in
        var scope = s.parent
        while let c = scope {
          if c.vars[name] != nil {
            c.vars[name] = v
            return
          }
          scope = c.parent
        }
        s.vars[name] = v
      }
    }
    return { s, v in s.vars[name] = v }
  }

  // MARK: - modules

  /// A module's statements (all but a last expression) and that expression, compiled.
  func compileModule(_ module: Module) -> (body: Block, last: Code?) {
    var body = module.body
    var last: Code?
    if case .expr(let e)? = body.last?.kind {
      last = compile(e, .module)
      body.removeLast()
    }
    return (compile(body, .module), last)
  }

  // MARK: - statements

  func compile(_ body: [Stmt], _ cs: CompileScope) -> Block {
    switch body.count {
    case 0: return { _ throws(PyError) in .normal }
    case 1: return compile(body[0], cs)
    default:
      let blocks = body.map { BlockNode(compile($0, cs)) }
      return { s throws(PyError) in
        for b in blocks {
          let flow = try b.run(s)
          if case .normal = flow { continue }
          return flow
        }
        return .normal
      }
    }
  }

  /// A statement: ticks once (cancellation and the clock), and an error raised inside records
  /// the statement's range if no expression did.
  func compile(_ stmt: Stmt, _ cs: CompileScope) -> Block {
    let inner = compileKind(stmt, cs)
    let range = stmt.range
    unowned(unsafe) let i = self
    return { s throws(PyError) in
      try i.tick()
      do throws(PyError) {
        return try inner(s)
      } catch var e {
        if e.needsLocation {
          e.pendingRange = e.pendingRange ?? range
          e.needsLocation = false
        }
        throw e
      }
    }
  }

  private func compileKind(_ stmt: Stmt, _ cs: CompileScope) -> Block {
    unowned(unsafe) let i = self
    switch stmt.kind {
    case .expr(let e):
      let code = compile(e, cs)
      return { s throws(PyError) in
        _ = try code(s)
        return .normal
      }
    case .assign(let targets, let value):
      let v = compile(value, cs)
      let stores = targets.map { compileTarget($0, cs) }
      if stores.count == 1 {
        let store = stores[0]
        return { s throws(PyError) in
          try store(s, try v(s))
          return .normal
        }
      }
      return { s throws(PyError) in
        let x = try v(s)
        for t in stores { try t(s, x) }
        return .normal
      }
    case .augAssign(let target, let op, let value):
      return compileAugAssign(target, op, value, cs)
    case .annAssign(let target, _, let value, _):
      guard let value else { return { _ throws(PyError) in .normal } }
      let v = compile(value, cs)
      let store = compileTarget(target, cs)
      return { s throws(PyError) in
        try store(s, try v(s))
        return .normal
      }
    case .return(let e):
      guard let e else { return { _ throws(PyError) in .returned(.none) } }
      let v = compile(e, cs)
      return { s throws(PyError) in .returned(try v(s)) }
    case .if(let test, let body, let orelse):
      let t = compile(test, cs)
      let b = compile(body, cs)
      let o = compile(orelse, cs)
      return { s throws(PyError) in try i.truthy(try t(s)) ? try b(s) : try o(s) }
    case .while(let test, let body, let orelse):
      let t = compile(test, cs)
      let b = compile(body, cs)
      let o = compile(orelse, cs)
      return { s throws(PyError) in
        while try i.truthy(try t(s)) {
          try i.tick()
          switch try b(s) {
          case .normal, .continueLoop: continue
          case .breakLoop: return .normal
          case .returned(let v): return .returned(v)
          }
        }
        return try o(s)
      }
    case .for(let target, let iterExpr, let body, let orelse, _):
      let it = compile(iterExpr, cs)
      let store = compileTarget(target, cs)
      let b = compile(body, cs)
      let o = compile(orelse, cs)
      return { s throws(PyError) in
        var broke = false
        var result: Flow = .normal
        try i.forEach(try it(s)) { (item) throws(PyError) -> Bool in
          try i.tick()
          try store(s, item)
          switch try b(s) {
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
        return broke ? .normal : try o(s)
      }
    case .pass, .global, .nonlocal:
      return { _ throws(PyError) in .normal }
    case .break:
      return { _ throws(PyError) in .breakLoop }
    case .continue:
      return { _ throws(PyError) in .continueLoop }
    case .functionDef(let def):
      let make = compileFunction(def, cs)
      let decorators = def.decorators.reversed().map { CodeNode(compile($0, cs)) }
      let store = compileStore(def.name, cs)
      // Python's co_firstlineno: the first decorator's line, or the def's.
      let firstLine = ([stmt.range.line] + def.decorators.map(\.range.line)).filter { $0 > 0 }.min() ?? stmt.range.line
      return { s throws(PyError) in
        var v = try make(s)
        if case .object(let fn as PyFunction) = v { fn.code.firstLine = firstLine }
        for d in decorators { v = try i.call(try d.run(s), [v]) }
        store(s, v)
        return .normal
      }
    case .classDef(let def):
      return compileClass(def, cs)
    case .import(let aliases):
      let steps: [(String, (Scope, Value) -> Void, Bool)] = aliases.map { a in
        let bound = a.asName ?? String(a.name.split(separator: ".").first ?? "")
        return (a.name, compileStore(bound, cs), a.asName != nil)
      }
      return { s throws(PyError) in
        for (module, store, aliased) in steps {
          let m = try i.importModule(module)
          store(s, aliased ? m : try i.importModule(String(module.split(separator: ".").first ?? "")))
        }
        return .normal
      }
    case .importFrom(let moduleName, let names, _):
      let module = moduleName ?? ""
      let steps = names.map { a in (a.name, a.name == "*" ? nil : compileStore(a.asName ?? a.name, cs)) }
      return { s throws(PyError) in
        let m = try i.importModule(module)
        for (name, store) in steps {
          guard let store else {
            if case .object(let mod as PyModule) = m {
              for (k, v) in mod.attributes where !k.string.hasPrefix("_") { s.vars[k] = v }
            }
            continue
          }
          if let attr = try? i.getAttribute(m, name) {
            store(s, attr)
          } else if let sub = try? i.importModule(module + "." + name) {
            store(s, sub)
          } else {
            throw PyError("ImportError", "cannot import name '\(name)' from '\(module)'")
          }
        }
        return .normal
      }
    case .delete(let targets):
      let deletes = targets.map { compileDelete($0, cs) }
      return { s throws(PyError) in
        for d in deletes { try d(s) }
        return .normal
      }
    case .assert(let test, let msg):
      let t = compile(test, cs)
      let m = msg.map { compile($0, cs) }
      return { s throws(PyError) in
        if !(try i.truthy(try t(s))) {
          throw PyError("AssertionError", try m.map { m throws(PyError) in try i.str(try m(s)) } ?? "")
        }
        return .normal
      }
    case .raise(let exc, _):
      let e = exc.map { compile($0, cs) }
      return { s throws(PyError) in
        try i.raise(try e.map { e throws(PyError) in try e(s) })
        return .normal
      }
    case .try(let body, let handlers, let orelse, let finalbody, _):
      return compileTry(body, handlers, orelse, finalbody, cs)
    case .with(let items, let body, _):
      // Context managers the libraries offer are no-ops (jax.disable_jit, named_scope, …).
      let managers = items.map { (compile($0.contextExpr, cs), $0.optionalVars.map { compileTarget($0, cs) }) }
      let b = compile(body, cs)
      return { s throws(PyError) in
        for (m, store) in managers {
          let v = try m(s)
          try store?(s, v)
        }
        return try b(s)
      }
    case .match:
      return { _ throws(PyError) in throw PyError("SyntaxError", "match statements are not supported") }
    }
  }

  // MARK: - assignment targets

  typealias Store = (Scope, Value) throws(PyError) -> Void

  func compileTarget(_ target: Expr, _ cs: CompileScope) -> Store {
    unowned(unsafe) let i = self
    switch target.kind {
    case .name(let n):
      let store = compileStore(n, cs)
      return { s, v throws(PyError) in store(s, v) }
    case .tuple(let elts), .list(let elts):
      return compileUnpack(elts, cs)
    case .attribute(let obj, let attr):
      let o = compile(obj, cs)
      return { s, v throws(PyError) in try i.setAttribute(try o(s), attr, v) }
    case .subscript(let obj, let index):
      let o = compile(obj, cs)
      let x = compile(index, cs)
      return { s, v throws(PyError) in try i.setItem(try o(s), try x(s), v) }
    case .starred:
      return { _, _ throws(PyError) in
        throw PyError("SyntaxError", "starred assignment target must be in a list or tuple")
      }
    default:
      return { _, _ throws(PyError) in throw PyError("SyntaxError", "cannot assign to expression") }
    }
  }

  private func compileUnpack(_ targets: [Expr], _ cs: CompileScope) -> Store {
    unowned(unsafe) let i = self
    let star = targets.firstIndex { if case .starred = $0.kind { true } else { false } }
    let stores = targets.map { t -> Store in
      if case .starred(let inner) = t.kind { return compileTarget(inner, cs) }
      return compileTarget(t, cs)
    }
    let n = targets.count
    return { s, v throws(PyError) in
      let items: [Value]
      do throws(PyError) {
        items = try i.materialize(v)
      } catch {
        if error.kind == "TypeError", error.message.hasSuffix("object is not iterable") {
          throw PyError.type("cannot unpack non-iterable \(v.typeName) object")
        }
        throw error
      }
      if let star {
        let after = n - star - 1
        guard items.count >= n - 1 else {
          throw PyError.value("not enough values to unpack (expected at least \(n - 1), got \(items.count))")
        }
        for k in 0..<star { try stores[k](s, items[k]) }
        try stores[star](s, .list(PyList(Array(items[star..<(items.count - after)]))))
        for j in 0..<after { try stores[star + 1 + j](s, items[items.count - after + j]) }
        return
      }
      guard items.count == n else {
        if items.count > n { throw PyError.value("too many values to unpack (expected \(n))") }
        throw PyError.value("not enough values to unpack (expected \(n), got \(items.count))")
      }
      for (store, x) in zip(stores, items) { try store(s, x) }
    }
  }

  private func compileAugAssign(_ target: Expr, _ op: BinaryOperator, _ value: Expr, _ cs: CompileScope) -> Block {
    unowned(unsafe) let i = self
    let rhs = compile(value, cs)
    switch target.kind {
    case .name(let n):
      let load = compileLoad(n, cs)
      let store = compileStore(n, cs)
      return { s throws(PyError) in
        let old = try load(s)
        store(s, try i.inPlace(op, old, try rhs(s)))
        return .normal
      }
    case .attribute(let objExpr, let attr):
      let o = compile(objExpr, cs)
      return { s throws(PyError) in
        let obj = try o(s)
        let old = try i.getAttribute(obj, attr)
        try i.setAttribute(obj, attr, try i.inPlace(op, old, try rhs(s)))
        return .normal
      }
    case .subscript(let objExpr, let indexExpr):
      let o = compile(objExpr, cs)
      let x = compile(indexExpr, cs)
      return { s throws(PyError) in
        let obj = try o(s)
        let index = try x(s)
        let old = try i.getItem(obj, index)
        try i.setItem(obj, index, try i.inPlace(op, old, try rhs(s)))
        return .normal
      }
    default:
      return { _ throws(PyError) in throw PyError("SyntaxError", "illegal expression for augmented assignment") }
    }
  }

  /// `a op= b`: lists extend in place, everything else rebinds.
  func inPlace(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    if op == .add, case .list(let l) = a {
      l.items.append(contentsOf: try materialize(b))
      return a
    }
    return try binary(op, a, b)
  }

  private func compileDelete(_ target: Expr, _ cs: CompileScope) -> (Scope) throws(PyError) -> Void {
    unowned(unsafe) let i = self
    switch target.kind {
    case .name(let n):
      let name = Name(n)
      let global = cs.kind == .function && cs.globalNames.contains(n)
      return { s throws(PyError) in
        let scope = global ? i.globals : s
        guard scope.vars.removeValue(forKey: name) != nil else { throw PyError.name(n) }
      }
    case .tuple(let elts), .list(let elts):
      let deletes = elts.map { compileDelete($0, cs) }
      return { s throws(PyError) in for d in deletes { try d(s) } }
    case .subscript(let objExpr, let indexExpr):
      let o = compile(objExpr, cs)
      let x = compile(indexExpr, cs)
      return { s throws(PyError) in try i.delItem(try o(s), try x(s)) }
    case .attribute(let objExpr, let attr):
      let o = compile(objExpr, cs)
      return { s throws(PyError) in
        let obj = try o(s)
        guard case .object(let inst as PyInstance) = obj, inst.attributes.removeValue(forKey: attr) != nil else {
          throw PyError.attribute("'\(obj.typeName)' object has no attribute '\(attr)'")
        }
      }
    default:
      return { _ throws(PyError) in throw PyError("SyntaxError", "cannot delete expression") }
    }
  }

  // MARK: - try

  private func compileTry(
    _ body: [Stmt], _ handlers: [ExceptHandler], _ orelse: [Stmt], _ finalbody: [Stmt], _ cs: CompileScope
  ) -> Block {
    unowned(unsafe) let i = self
    let b = compile(body, cs)
    let o = compile(orelse, cs)
    let f = finalbody.isEmpty ? nil : compile(finalbody, cs)
    let hs = handlers.map { h in
      (
        type: h.type.map { compile($0, cs) }, name: h.name, store: h.name.map { compileStore($0, cs) },
        body: compile(h.body, cs)
      )
    }
    return { s throws(PyError) in
      var flow: Flow = .normal
      var pending: PyError?
      do throws(PyError) {
        flow = try b(s)
        if case .normal = flow { flow = try o(s) }
      } catch let error {
        // Stopping (cancellation, the clock, the recursion limit) is not catchable.
        if error.kind == "CancelledError" || error.kind == "TimeoutError"
          || (error.kind == "RecursionError" && i.depth >= i.limits.recursionDepth)
        {
          pending = error
        } else {
          let cls = i.exceptionClass(of: error)
          var matched: Int?
          outer: for (k, h) in hs.enumerated() {
            guard let t = h.type else {
              matched = k
              break
            }
            let spec = try t(s)
            let candidates: [Value]
            if case .tuple(let items) = spec { candidates = items } else { candidates = [spec] }
            for c in candidates {
              guard case .object(let hc as PyClass) = c else {
                throw PyError.type("catching classes that do not inherit from BaseException is not allowed")
              }
              if cls.isSubclass(of: hc) {
                matched = k
                break outer
              }
            }
          }
          if let k = matched {
            let h = hs[k]
            h.store?(s, i.exceptionInstance(error))
            i.handling.append(error)
            do throws(PyError) {
              flow = try h.body(s)
            } catch let inner {
              pending = inner
            }
            i.handling.removeLast()
            if let n = h.name { s.vars.removeValue(forKey: n) }
          } else {
            pending = error
          }
        }
      }
      if let f {
        let after = try f(s)
        if case .normal = after {} else { return after }
      }
      if let pending { throw pending }
      return flow
    }
  }

  // MARK: - functions and classes

  /// `def`: the body compiled once, with its own scope's names; running the statement makes
  /// the function object (defaults evaluated then, once).
  func compileFunction(_ def: FunctionDef, _ cs: CompileScope) -> Code {
    let fcs = CompileScope(
      .function, locals: LocalNames.of(def.args, def.body), globalNames: LocalNames.declared(def.body, global: true),
      nonlocalNames: LocalNames.declared(def.body, global: false))
    let code = FunctionCode(
      name: def.name, parameters: def.args, body: .statements(compile(def.body, fcs)),
      range: def.body.first?.range ?? dummyRange, filename: currentFilename)
    return compileMakeFunction(code, def.args, cs)
  }

  func compileLambda(_ args: Arguments, _ body: Expr, _ range: SourceRange, _ cs: CompileScope) -> Code {
    let fcs = CompileScope(.function, locals: LocalNames.of(args, []))
    let code = FunctionCode(
      name: "<lambda>", parameters: args, body: .expression(compile(body, fcs)), range: range,
      filename: currentFilename)
    return compileMakeFunction(code, args, cs)
  }

  private func compileMakeFunction(_ code: FunctionCode, _ args: Arguments, _ cs: CompileScope) -> Code {
    unowned(unsafe) let i = self
    let defaults = args.defaults.map { CodeNode(compile($0, cs)) }
    let kwDefaults = zip(args.kwonlyargs, args.kwDefaults).compactMap { p, d in
      d.map { (p.name, CodeNode(compile($0, cs))) }
    }
    let inClass = cs.kind == .classBody
    return { s throws(PyError) in
      var ds: [Value] = []
      for d in defaults { ds.append(try d.run(s)) }
      var kws: [String: Value] = [:]
      for (n, d) in kwDefaults { kws[n] = try d.run(s) }
      // Functions see the enclosing function's scope, never a class body's.
      let closure: Scope? = s === i.globals ? nil : (inClass ? s.parent : s)
      let fn = PyFunction(
        name: code.name, code: code, defaults: ds, kwDefaults: kws, closure: closure, globals: i.globals)
      // A call's locals keep the list of functions closing over them (see Scope.closures).
      closure?.closures?.append(fn)
      return .object(fn)
    }
  }

  private func compileClass(_ def: ClassDef, _ cs: CompileScope) -> Block {
    unowned(unsafe) let i = self
    let bases = def.bases.map { CodeNode(compile($0, cs)) }
    let body = compile(def.body, CompileScope(.classBody))
    let decorators = def.decorators.reversed().map { CodeNode(compile($0, cs)) }
    let store = compileStore(def.name, cs)
    let annotated: [Value] = def.body.compactMap { s in
      if case .annAssign(let t, _, _, _) = s.kind, case .name(let n) = t.kind { return .str(n) }
      return nil
    }
    let statements = def.body
    return { s throws(PyError) in
      var classes: [PyClass] = []
      var namedTupleBase = false
      for b in bases {
        switch try b.run(s) {
        case .object(let c as PyClass): classes.append(c)
        case .object(let o as PyOpaque) where o.kind == "NamedTupleBase": namedTupleBase = true
        default: break  // typing.Generic[...] and friends: accepted, ignored
        }
      }
      let scope = Scope(parent: s === i.globals ? nil : s)
      _ = try body(scope)
      var attrs = scope.vars
      if !annotated.isEmpty { attrs["__annotations_order__"] = .tuple(annotated) }
      let cls = PyClass(def.name, bases: classes, attributes: attrs)
      i.recordDefiningClass(cls)
      if namedTupleBase { try i.makeNamedTuple(cls, fieldsFrom: statements, scope: scope) }
      var v: Value = .object(cls)
      for d in decorators { v = try i.call(try d.run(s), [v]) }
      store(s, v)
      return .normal
    }
  }
}

/// The names a function binds locally, found as CPython's compiler finds them: parameters and
/// every name assigned, imported, defined or bound by `for`, `with`, `except` in its body, not
/// looking into nested functions, classes, lambdas or comprehensions.
enum LocalNames {
  static func of(_ args: Arguments, _ body: [Stmt]) -> Set<String> {
    var names = Set<String>()
    for p in args.posonlyargs + args.args + args.kwonlyargs { names.insert(p.name) }
    if let v = args.vararg { names.insert(v.name) }
    if let k = args.kwarg { names.insert(k.name) }
    var declared = declared(body, global: true)
    declared.formUnion(self.declared(body, global: false))
    collect(body, into: &names)
    return names.subtracting(declared)
  }

  /// Names a body declares `global` (or `nonlocal`), at any depth outside nested definitions.
  static func declared(_ body: [Stmt], global: Bool) -> Set<String> {
    var out = Set<String>()
    func visit(_ stmts: [Stmt]) {
      for s in stmts {
        switch s.kind {
        case .global(let n) where global: out.formUnion(n)
        case .nonlocal(let n) where !global: out.formUnion(n)
        case .if(_, let b, let o), .while(_, let b, let o), .for(_, _, let b, let o, _):
          visit(b)
          visit(o)
        case .with(_, let b, _): visit(b)
        case .try(let b, let h, let o, let f, _):
          visit(b)
          for x in h { visit(x.body) }
          visit(o)
          visit(f)
        default: break
        }
      }
    }
    visit(body)
    return out
  }

  private static func collect(_ body: [Stmt], into names: inout Set<String>) {
    for s in body {
      switch s.kind {
      case .functionDef(let d): names.insert(d.name)
      case .classDef(let d): names.insert(d.name)
      case .assign(let targets, let value):
        for t in targets { target(t, &names) }
        walrus(value, &names)
      case .augAssign(let t, _, _), .annAssign(let t, _, _, _): target(t, &names)
      case .for(let t, _, let b, let o, _):
        target(t, &names)
        collect(b, into: &names)
        collect(o, into: &names)
      case .while(let test, let b, let o), .if(let test, let b, let o):
        walrus(test, &names)
        collect(b, into: &names)
        collect(o, into: &names)
      case .with(let items, let b, _):
        for i in items { if let v = i.optionalVars { target(v, &names) } }
        collect(b, into: &names)
      case .try(let b, let handlers, let o, let f, _):
        collect(b, into: &names)
        for h in handlers {
          if let n = h.name { names.insert(n) }
          collect(h.body, into: &names)
        }
        collect(o, into: &names)
        collect(f, into: &names)
      case .import(let aliases):
        for a in aliases { names.insert(a.asName ?? String(a.name.split(separator: ".").first ?? "")) }
      case .importFrom(_, let aliases, _):
        for a in aliases where a.name != "*" { names.insert(a.asName ?? a.name) }
      case .delete(let targets): for t in targets { target(t, &names) }
      case .expr(let e), .return(let e?): walrus(e, &names)
      default: break
      }
    }
  }

  private static func target(_ e: Expr, _ names: inout Set<String>) {
    switch e.kind {
    case .name(let n): names.insert(n)
    case .tuple(let elts), .list(let elts): for x in elts { target(x, &names) }
    case .starred(let x): target(x, &names)
    default: break
    }
  }

  /// `(x := value)` at the top of an expression statement or test binds `x` locally.
  private static func walrus(_ e: Expr, _ names: inout Set<String>) {
    if case .namedExpr(let t, let v) = e.kind {
      target(t, &names)
      walrus(v, &names)
    }
  }
}

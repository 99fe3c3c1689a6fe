import Fluxion

extension Interpreter {
  /// Compiles an expression. An error raised inside records this expression's range when no
  /// inner expression has, so the traceback's carets sit under the innermost failing part.
  func compile(_ e: Expr, _ cs: CompileScope) -> Code {
    unowned(unsafe) let i = self
    let range = e.range
    // An expression nested deeper than the stack allows (`1+1+…` a hundred thousand terms long)
    // is CPython's error for it, raised where it would run.
    if StackGuard.nearlyExhausted() {
      let failure = located(PyError("RecursionError", "maximum recursion depth exceeded during compilation"), range)
      return { _ throws(PyError) in throw failure }
    }
    switch e.kind {
    case .constant(let c):
      // A constant is made once; one that cannot be (a complex literal) fails where it runs.
      do throws(PyError) {
        let v = try constant(c)
        return { _ throws(PyError) in v }
      } catch {
        let failure = located(error, range)
        return { _ throws(PyError) in throw failure }
      }
    case .name(let n):
      let load = compileLoad(n, cs)
      return { s throws(PyError) in
        do throws(PyError) { return try load(s) } catch { throw i.located(error, range) }
      }
    default:
      let inner = compileKind(e, cs)
      return { s throws(PyError) in
        do throws(PyError) { return try inner(s) } catch { throw i.located(error, range) }
      }
    }
  }

  func located(_ error: PyError, _ range: SourceRange) -> PyError {
    guard error.needsLocation else { return error }
    var e = error
    e.pendingRange = range
    e.needsLocation = false
    return e
  }

  func constant(_ c: Constant) throws(PyError) -> Value {
    switch c {
    case .none: return .none
    case .bool(let b): return .bool(b)
    case .int(let lit):
      if let v = lit.value { return .int(v) }
      guard let big = try parseBig(lit.decimalDigits, radix: 10) else {
        throw PyError.value("invalid integer literal \(lit.decimalDigits)")
      }
      return big
    case .float(let d): return .float(d)
    case .string(let s): return .str(s)
    case .ellipsis: return .ellipsis
    case .imaginary:
      throw PyError.notImplemented("complex numbers are not supported (complex64/128 are not yet available)")
    case .bytes: throw PyError.notImplemented("bytes literals are not supported")
    }
  }

  private func compileKind(_ e: Expr, _ cs: CompileScope) -> Code {
    unowned(unsafe) let i = self
    switch e.kind {
    case .binOp(let l, let op, let r):
      let a = compile(l, cs)
      let b = compile(r, cs)
      let span = e.range.sourceSpan(in: currentFilename)
      return { s throws(PyError) in
        let x = try a(s)
        let y = try b(s)
        // While tracing, the equations this operation binds record where it is in the source.
        if x.isTracer || y.isTracer {
          return try withSourceSpan(span) { () throws(PyError) -> Value in try i.binary(op, x, y) }
        }
        return try i.binary(op, x, y)
      }
    case .unaryOp(let op, let x):
      let a = compile(x, cs)
      let span = e.range.sourceSpan(in: currentFilename)
      return { s throws(PyError) in
        let v = try a(s)
        if v.isTracer { return try withSourceSpan(span) { () throws(PyError) -> Value in try i.unary(op, v) } }
        return try i.unary(op, v)
      }
    case .boolOp(let op, let values):
      let parts = values.map { CodeNode(compile($0, cs)) }
      return { s throws(PyError) in
        var v = try parts[0].run(s)
        for next in parts.dropFirst() {
          let t = try i.truthy(v)
          if (op == .and && !t) || (op == .or && t) { return v }
          v = try next.run(s)
        }
        return v
      }
    case .compare(let first, let ops, let comparators):
      let f = compile(first, cs)
      if ops.count == 1 {
        let op = ops[0]
        let c = compile(comparators[0], cs)
        return { s throws(PyError) in
          let left = try f(s)
          return try i.compare(op, left, try c(s))
        }
      }
      let cmps = comparators.map { CodeNode(compile($0, cs)) }
      return { s throws(PyError) in
        var left = try f(s)
        var result: Value = .bool(true)
        for (k, op) in ops.enumerated() {
          let right = try cmps[k].run(s)
          result = try i.compare(op, left, right)
          if k < ops.count - 1, !(try i.truthy(result)) { return result }
          left = right
        }
        return result
      }
    case .call(let fExpr, let argExprs, let keywordExprs):
      return compileCall(fExpr, argExprs, keywordExprs, cs, range: e.range)
    case .attribute(let obj, let name):
      let o = compile(obj, cs)
      return { s throws(PyError) in try i.getAttribute(try o(s), name) }
    case .subscript(let obj, let index):
      let o = compile(obj, cs)
      let x = compile(index, cs)
      return { s throws(PyError) in
        let v = try o(s)
        return try i.getItem(v, try x(s))
      }
    case .tuple(let elts):
      let items = compileElements(elts, cs)
      return { s throws(PyError) in .tuple(try items(s)) }
    case .list(let elts):
      let items = compileElements(elts, cs)
      return { s throws(PyError) in .list(PyList(try items(s))) }
    case .set(let elts):
      let items = compileElements(elts, cs)
      return { s throws(PyError) in
        let set = PySet()
        for v in try items(s) { set.insert(try i.hashKey(v), v) }
        return .set(set)
      }
    case .dict(let keys, let values):
      let pairs = zip(keys, values).map { k, v in (k.map { compile($0, cs) }, compile(v, cs)) }
      return { s throws(PyError) in
        let d = PyDict()
        for (k, v) in pairs {
          if let k {
            let key = try k(s)
            d.set(try i.hashKey(key), key, try v(s))
          } else {
            guard case .dict(let other) = try v(s) else { throw PyError.type("'**' needs a mapping") }
            for (ok, ov) in other.pairs { d.set(try i.hashKey(ok), ok, ov) }
          }
        }
        return .dict(d)
      }
    case .ifExp(let test, let body, let orelse):
      let t = compile(test, cs)
      let b = compile(body, cs)
      let o = compile(orelse, cs)
      return { s throws(PyError) in try i.truthy(try t(s)) ? try b(s) : try o(s) }
    case .lambda(let args, let body):
      return compileLambda(args, body, e.range, cs)
    case .listComp(let elt, let gens), .generatorExp(let elt, let gens):
      // Generators are evaluated eagerly (the libraries consume them at once).
      let generator = if case .generatorExp = e.kind { true } else { false }
      let ccs = CompileScope(.comprehension)
      let run = compileClauses(gens, cs, ccs)
      let x = compile(elt, ccs)
      return { s throws(PyError) in
        var out: [Value] = []
        try run(s) { (inner) throws(PyError) in out.append(try x(inner)) }
        return generator ? .iterator("generator", out) : .list(PyList(out))
      }
    case .setComp(let elt, let gens):
      let ccs = CompileScope(.comprehension)
      let run = compileClauses(gens, cs, ccs)
      let x = compile(elt, ccs)
      return { s throws(PyError) in
        let set = PySet()
        try run(s) { (inner) throws(PyError) in
          let v = try x(inner)
          set.insert(try i.hashKey(v), v)
        }
        return .set(set)
      }
    case .dictComp(let k, let v, let gens):
      let ccs = CompileScope(.comprehension)
      let run = compileClauses(gens, cs, ccs)
      let key = compile(k, ccs)
      let value = compile(v, ccs)
      return { s throws(PyError) in
        let d = PyDict()
        try run(s) { (inner) throws(PyError) in
          let kv = try key(inner)
          d.set(try i.hashKey(kv), kv, try value(inner))
        }
        return .dict(d)
      }
    case .joinedStr(let parts):
      let pieces: [Either] = parts.map { p in
        if case .constant(.string(let lit)) = p.kind { return .literal(lit) }
        return .code(compile(p, cs))
      }
      return { s throws(PyError) in
        var out = ""
        for p in pieces {
          switch p {
          case .literal(let lit): out += lit
          case .code(let c): if case .str(let piece) = try c(s) { out += piece }
          }
        }
        return .str(out)
      }
    case .formattedValue(let valueExpr, let conversion, let specExpr):
      let v = compile(valueExpr, cs)
      let spec = specExpr.map { compile($0, cs) }
      return { s throws(PyError) in
        var x = try v(s)
        switch conversion {
        case "r", "a": x = .str(try i.repr(x))
        case "s": x = .str(try i.str(x))
        default: break
        }
        var text = ""
        if let spec, case .str(let t) = try spec(s) { text = t }
        return .str(try i.format(x, text))
      }
    case .namedExpr(let target, let value):
      let v = compile(value, cs)
      let store = compileTarget(target, cs)
      return { s throws(PyError) in
        let x = try v(s)
        try store(s, x)
        return x
      }
    case .slice(let lower, let upper, let step):
      let parts = [lower, upper, step].map { $0.map { compile($0, cs) } }
      return { s throws(PyError) in
        var v: [Value] = []
        for p in parts { v.append(try p.map { p throws(PyError) in try p(s) } ?? Value.none) }
        return .slice(PySlice(start: v[0], stop: v[1], step: v[2]))
      }
    case .starred:
      return { _ throws(PyError) in throw PyError("SyntaxError", "can't use starred expression here") }
    case .await, .yield, .yieldFrom:
      return { _ throws(PyError) in throw PyError("SyntaxError", "generators and coroutines are not supported") }
    case .name, .constant:
      return compile(e, cs)
    }
  }

  /// A piece of an f-string: literal text or a field.
  private enum Either {
    case literal(String)
    case code(Code)
  }

  /// Elements of a tuple, list or set display, `*x` spread.
  private func compileElements(_ elts: [Expr], _ cs: CompileScope) -> (Scope) throws(PyError) -> [Value] {
    unowned(unsafe) let i = self
    let parts = elts.map { x -> (CodeNode, Bool) in
      if case .starred(let inner) = x.kind { return (CodeNode(compile(inner, cs)), true) }
      return (CodeNode(compile(x, cs)), false)
    }
    return { s throws(PyError) in
      var out: [Value] = []
      out.reserveCapacity(parts.count)
      for (p, spread) in parts {
        if spread { out.append(contentsOf: try i.materialize(try p.run(s))) } else { out.append(try p.run(s)) }
      }
      return out
    }
  }

  private func compileCall(
    _ fExpr: Expr, _ argExprs: [Expr], _ keywordExprs: [KeywordArgument], _ cs: CompileScope, range: SourceRange
  ) -> Code {
    unowned(unsafe) let i = self
    let f = compile(fExpr, cs)
    let spread = argExprs.contains { if case .starred = $0.kind { true } else { false } }
    let args = compileElements(argExprs, cs)
    let plain = spread ? [] : argExprs.map { CodeNode(compile($0, cs)) }
    let keywords = keywordExprs.map { ($0.name, CodeNode(compile($0.value, cs))) }
    let span = range.sourceSpan(in: currentFilename)
    return { s throws(PyError) in
      let fn = try f(s)
      var positional: [Value]
      if spread {
        positional = try args(s)
      } else {
        positional = []
        positional.reserveCapacity(plain.count)
        for a in plain { positional.append(try a.run(s)) }
      }
      var kw: [(String, Value)] = []
      for (name, code) in keywords {
        let v = try code.run(s)
        if let name {
          kw.append((name, v))
        } else {
          guard case .dict(let d) = v else {
            throw PyError.type("argument after ** must be a mapping, not \(v.typeName)")
          }
          for (key, value) in d.pairs {
            guard case .str(let k) = key else { throw PyError.type("keywords must be strings") }
            kw.append((k, value))
          }
        }
      }
      if case .object(let builtin as PyBuiltin) = fn {
        i.callSite = CallSite(function: builtin.name, span: span)
        // A library function called on traced values: its equations record the call's span.
        if positional.contains(where: \.isTracer) {
          return try withSourceSpan(span) { () throws(PyError) -> Value in try i.call(fn, CallArgs(positional, kw)) }
        }
      }
      return try i.call(fn, CallArgs(positional, kw))
    }
  }

  /// A comprehension's `for`/`if` clauses: runs `body` once per combination, in a scope of its
  /// own (the loop variables do not leak, as in Python 3). The first iterable is evaluated in
  /// the enclosing scope, the others inside.
  private func compileClauses(
    _ gens: [Comprehension], _ cs: CompileScope, _ ccs: CompileScope
  ) -> (Scope, (Scope) throws(PyError) -> Void) throws(PyError) -> Void {
    unowned(unsafe) let i = self
    let clauses = gens.enumerated().map { k, g in
      (
        iter: compile(g.iter, k == 0 ? cs : ccs), store: compileTarget(g.target, ccs),
        ifs: g.ifs.map { compile($0, ccs) }
      )
    }
    return { s, body throws(PyError) in
      let inner = Scope(parent: s)
      func level(_ k: Int) throws(PyError) {
        if k == clauses.count {
          try body(inner)
          return
        }
        let c = clauses[k]
        try i.forEach(try c.iter(k == 0 ? s : inner)) { (item) throws(PyError) -> Bool in
          try i.tick()
          try c.store(inner, item)
          for cond in c.ifs where !(try i.truthy(try cond(inner))) { return true }
          try level(k + 1)
          return true
        }
      }
      try level(0)
    }
  }
}

import Fluxion

extension Interpreter {
  /// Evaluates an expression. An error raised inside records this expression's range when
  /// no inner expression has (so the traceback's carets sit under the innermost failing part).
  func eval(_ e: Expr, _ scope: Scope) throws(PyError) -> Value {
    switch e.kind {
    case .name(let n):
      do { return try lookup(n, scope) } catch { throw located(error, e.range) }
    case .constant(let c):
      return try constant(c)
    default:
      do {
        return try evalKind(e, scope)
      } catch {
        throw located(error, e.range)
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

  private func evalKind(_ e: Expr, _ scope: Scope) throws(PyError) -> Value {
    switch e.kind {
    case .binOp(let l, let op, let r):
      let a = try eval(l, scope)
      let b = try eval(r, scope)
      return try binary(op, a, b)
    case .unaryOp(let op, let x):
      return try unary(op, try eval(x, scope))
    case .boolOp(let op, let values):
      var v = try eval(values[0], scope)
      for next in values.dropFirst() {
        let t = try truthy(v)
        if (op == .and && !t) || (op == .or && t) { return v }
        v = try eval(next, scope)
      }
      return v
    case .compare(let first, let ops, let comparators):
      var left = try eval(first, scope)
      var result: Value = .bool(true)
      for (i, op) in ops.enumerated() {
        let right = try eval(comparators[i], scope)
        result = try compare(op, left, right)
        if i < ops.count - 1 {
          if !(try truthy(result)) { return result }
        }
        left = right
      }
      return result
    case .call(let fExpr, let argExprs, let keywordExprs):
      let f = try eval(fExpr, scope)
      var args: [Value] = []
      args.reserveCapacity(argExprs.count)
      for a in argExprs {
        if case .starred(let inner) = a.kind {
          args.append(contentsOf: try materialize(try eval(inner, scope)))
        } else {
          args.append(try eval(a, scope))
        }
      }
      var keywords: [(String, Value)] = []
      for k in keywordExprs {
        let v = try eval(k.value, scope)
        if let name = k.name {
          keywords.append((name, v))
        } else {
          guard case .dict(let d) = v else {
            throw PyError.type("argument after ** must be a mapping, not \(v.typeName)")
          }
          for (key, value) in d.pairs {
            guard case .str(let s) = key else { throw PyError.type("keywords must be strings") }
            keywords.append((s, value))
          }
        }
      }
      return try call(f, CallArgs(args, keywords))
    case .attribute(let obj, let name):
      return try getAttribute(try eval(obj, scope), name)
    case .subscript(let obj, let index):
      return try getItem(try eval(obj, scope), try eval(index, scope))
    case .tuple(let elts):
      return .tuple(try evalElements(elts, scope))
    case .list(let elts):
      return .list(PyList(try evalElements(elts, scope)))
    case .set(let elts):
      let s = PySet()
      for v in try evalElements(elts, scope) { s.insert(try hashKey(v), v) }
      return .set(s)
    case .dict(let keys, let values):
      let d = PyDict()
      for (k, v) in zip(keys, values) {
        if let k {
          let key = try eval(k, scope)
          d.set(try hashKey(key), key, try eval(v, scope))
        } else {
          guard case .dict(let other) = try eval(v, scope) else { throw PyError.type("'**' needs a mapping") }
          for (ok, ov) in other.pairs { d.set(try hashKey(ok), ok, ov) }
        }
      }
      return .dict(d)
    case .ifExp(let test, let body, let orelse):
      return try truthy(try eval(test, scope)) ? try eval(body, scope) : try eval(orelse, scope)
    case .lambda(let args, let body):
      return try makeLambda(args, body, e.range, scope)
    case .listComp(let elt, let gens):
      var out: [Value] = []
      try comprehension(gens, scope) { (s) throws(PyError) in out.append(try eval(elt, s)) }
      return .list(PyList(out))
    case .generatorExp(let elt, let gens):
      // Generators are evaluated eagerly (the libraries consume them at once).
      var out: [Value] = []
      try comprehension(gens, scope) { (s) throws(PyError) in out.append(try eval(elt, s)) }
      return .iterator("generator", out)
    case .setComp(let elt, let gens):
      let set = PySet()
      try comprehension(gens, scope) { (s) throws(PyError) in
        let v = try eval(elt, s)
        set.insert(try hashKey(v), v)
      }
      return .set(set)
    case .dictComp(let k, let v, let gens):
      let d = PyDict()
      try comprehension(gens, scope) { (s) throws(PyError) in
        let key = try eval(k, s)
        d.set(try hashKey(key), key, try eval(v, s))
      }
      return .dict(d)
    case .joinedStr(let parts):
      var s = ""
      for p in parts {
        if case .constant(.string(let lit)) = p.kind {
          s += lit
        } else {
          guard case .str(let piece) = try eval(p, scope) else { continue }
          s += piece
        }
      }
      return .str(s)
    case .formattedValue(let valueExpr, let conversion, let specExpr):
      var v = try eval(valueExpr, scope)
      switch conversion {
      case "r": v = .str(try repr(v))
      case "s": v = .str(try str(v))
      case "a": v = .str(try repr(v))
      default: break
      }
      var spec = ""
      if let specExpr, case .str(let s) = try eval(specExpr, scope) { spec = s }
      return .str(try format(v, spec))
    case .namedExpr(let target, let value):
      let v = try eval(value, scope)
      try assignTarget(target, v, scope)
      return v
    case .slice(let lower, let upper, let step):
      return .slice(
        PySlice(
          start: try lower.map { x throws(PyError) in try eval(x, scope) } ?? Value.none,
          stop: try upper.map { x throws(PyError) in try eval(x, scope) } ?? Value.none,
          step: try step.map { x throws(PyError) in try eval(x, scope) } ?? Value.none))
    case .starred:
      throw PyError("SyntaxError", "can't use starred expression here")
    case .await, .yield, .yieldFrom:
      throw PyError("SyntaxError", "generators and coroutines are not supported")
    case .name, .constant:
      return try eval(e, scope)
    }
  }

  private func evalElements(_ elts: [Expr], _ scope: Scope) throws(PyError) -> [Value] {
    var out: [Value] = []
    out.reserveCapacity(elts.count)
    for x in elts {
      if case .starred(let inner) = x.kind {
        out.append(contentsOf: try materialize(try eval(inner, scope)))
      } else {
        out.append(try eval(x, scope))
      }
    }
    return out
  }

  /// Runs `body` once per combination of a comprehension's `for`/`if` clauses, in a scope of its
  /// own (the loop variables do not leak, as in Python 3).
  private func comprehension(
    _ gens: [Comprehension], _ scope: Scope, _ body: (Scope) throws(PyError) -> Void
  ) throws(PyError) {
    let inner = Scope(parent: scope, code: nil)
    func level(_ i: Int) throws(PyError) {
      if i == gens.count {
        try body(inner)
        return
      }
      let g = gens[i]
      let iterable = try eval(g.iter, i == 0 ? scope : inner)
      try forEach(iterable) { (item) throws(PyError) -> Bool in
        try tick()
        try assignTarget(g.target, item, inner)
        for cond in g.ifs where !(try truthy(try eval(cond, inner))) { return true }
        try level(i + 1)
        return true
      }
    }
    try level(0)
  }
}

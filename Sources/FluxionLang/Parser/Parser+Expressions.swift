extension Parser {
  /// Whether the current token can begin an expression.
  var startsExpression: Bool {
    switch current.kind {
    case .name, .int, .float, .imaginary, .string, .fstring: return true
    case .keyword(.None), .keyword(.True), .keyword(.False), .keyword(.not), .keyword(.lambda), .keyword(.await),
      .keyword(.yield):
      return true
    case .op(.leftParen), .op(.leftBracket), .op(.leftBrace), .op(.minus), .op(.plus), .op(.tilde), .op(.star),
      .op(.ellipsis):
      return true
    default: return false
    }
  }

  /// `a, *b, c` — a tuple if there is a comma.
  mutating func starExpressions() throws(SyntaxError) -> Expr {
    try tuple(
      of: { (p: inout Parser) throws(SyntaxError) -> Expr in try p.starExpression() }, endsAt: { !$0.startsExpression })
  }

  /// `first, more, …` as a tuple (one element without a comma is itself), a trailing comma
  /// allowed before what `endsAt` recognises.
  mutating func tuple(
    of element: (inout Parser) throws(SyntaxError) -> Expr, endsAt: (Parser) -> Bool
  ) throws(SyntaxError) -> Expr {
    let start = current.range
    let first = try element(&self)
    guard check(.comma) else { return first }
    var elements = [first]
    while accept(.comma) {
      if endsAt(self) { break }
      elements.append(try element(&self))
    }
    return Expr(.tuple(elements), range(from: start))
  }

  /// `*x`: its operand binds as `|` does (a call argument's may be any expression).
  mutating func starred(operandIsExpression: Bool = false) throws(SyntaxError) -> Expr {
    let start = next().range
    let value = try operandIsExpression ? expression() : bitwiseOr()
    return Expr(.starred(value), range(from: start))
  }

  mutating func starExpression() throws(SyntaxError) -> Expr {
    if check(.star) { return try starred() }
    return try expression()
  }

  /// An element of a list, set, tuple or call: `*x`, `x := 1` or an expression.
  mutating func starNamedExpression() throws(SyntaxError) -> Expr {
    if check(.star) { return try starred() }
    return try namedExpression()
  }

  /// `x := v` or an expression. A stray `=` after it gets CPython's hints (`if x = 1:`),
  /// unless `inCall` (a call reports `f(a.b=1)` itself).
  mutating func namedExpression(inCall: Bool = false) throws(SyntaxError) -> Expr {
    if case .name(let name) = current.kind, peek(1).kind == .op(.walrus) {
      let target = Expr(.name(name), next().range)
      next()
      let value = try expression()
      return Expr(.namedExpr(target: target, value: value), range(from: target.range))
    }
    let expr = try expression()
    if check(.walrus) {
      throw error("cannot use assignment expressions with \(Parser.describe(expr))", at: expr.range)
    }
    if !inCall, check(.equal), peek(1).kind != .op(.equal) {
      switch expr.kind {
      case .name:
        let saved = index
        next()
        let value = try? bitwiseOr()
        index = saved
        throw error(
          "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
          at: expr.range.through(value?.range ?? current.range))
      case .attribute, .subscript, .list, .tuple, .generatorExp, .constant(.bool), .constant(.none): break
      default:
        throw error(
          "cannot assign to \(Parser.describe(expr)) here. Maybe you meant '==' instead of '='?", at: expr.range)
      }
    }
    return expr
  }

  mutating func yieldExpression() throws(SyntaxError) -> Expr {
    let start = next().range
    if accept(.from) {
      let value = try expression()
      return Expr(.yieldFrom(value), range(from: start))
    }
    if startsExpression && !check(.yield) {
      let value = try starExpressions()
      return Expr(.yield(value), range(from: start))
    }
    return Expr(.yield(nil), start)
  }

  /// `lambda`, `a if b else c`, or a disjunction.
  mutating func expression() throws(SyntaxError) -> Expr {
    if check(.lambda) { return try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.lambda() } }
    let start = current.range
    let body = try disjunction()
    guard accept(.if) else { return body }
    let test = try disjunction()
    guard accept(.else) else {
      throw error("expected 'else' after 'if' expression", at: body.range.through(test.range))
    }
    let orelse = try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.expression() }
    return Expr(.ifExp(test: test, body: body, orelse: orelse), range(from: start))
  }

  mutating func lambda() throws(SyntaxError) -> Expr {
    let start = next().range
    let args = try parameters(closing: .colon, annotations: false)
    try expect(.colon)
    let body = try expression()
    return Expr(.lambda(args, body: body), range(from: start))
  }

  mutating func disjunction() throws(SyntaxError) -> Expr {
    try boolChain(.or, .or) { (p: inout Parser) throws(SyntaxError) -> Expr in try p.conjunction() }
  }

  mutating func conjunction() throws(SyntaxError) -> Expr {
    try boolChain(.and, .and) { (p: inout Parser) throws(SyntaxError) -> Expr in try p.inversion() }
  }

  /// `a or b or c` (one `boolOp` with every operand, as Python builds it).
  mutating func boolChain(
    _ op: BoolOperator, _ keyword: Keyword, operand: (inout Parser) throws(SyntaxError) -> Expr
  ) throws(SyntaxError) -> Expr {
    let start = current.range
    let first = try operand(&self)
    guard check(keyword) else { return first }
    var values = [first]
    while accept(keyword) { values.append(try operand(&self)) }
    return Expr(.boolOp(op, values), range(from: start))
  }

  mutating func inversion() throws(SyntaxError) -> Expr {
    if check(.not) {
      let start = next().range
      let operand = try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.inversion() }
      return Expr(.unaryOp(.not, operand), range(from: start))
    }
    return try comparison()
  }

  mutating func comparisonOperator() -> CompareOperator? {
    switch current.kind {
    case .op(.equalEqual): next(); return .eq
    case .op(.notEqual): next(); return .notEq
    case .op(.less): next(); return .lt
    case .op(.lessEqual): next(); return .ltE
    case .op(.greater): next(); return .gt
    case .op(.greaterEqual): next(); return .gtE
    case .keyword(.in): next(); return .in
    case .keyword(.not) where peek(1).kind == .keyword(.in):
      next()
      next()
      return .notIn
    case .keyword(.is):
      next()
      return accept(.not) ? .isNot : .is
    default: return nil
    }
  }

  mutating func comparison() throws(SyntaxError) -> Expr {
    let start = current.range
    let first = try bitwiseOr()
    var ops: [CompareOperator] = []
    var comparators: [Expr] = []
    while let op = comparisonOperator() {
      ops.append(op)
      comparators.append(try bitwiseOr())
    }
    if ops.isEmpty { return first }
    return Expr(.compare(first, ops: ops, comparators: comparators), range(from: start))
  }

  /// Binary operators and their precedence (0: `|`, 1: `^`, 2: `&`, 3: shifts, 4: `+ -`, 5: `* @ / // %`).
  static let binaryOperators: [Operator: (op: BinaryOperator, precedence: Int)] = [
    .pipe: (.bitOr, 0), .caret: (.bitXor, 1), .ampersand: (.bitAnd, 2), .leftShift: (.lShift, 3),
    .rightShift: (.rShift, 3), .plus: (.add, 4), .minus: (.sub, 4), .star: (.mult, 5), .slash: (.div, 5),
    .doubleSlash: (.floorDiv, 5), .percent: (.mod, 5), .at: (.matMult, 5),
  ]

  /// `|` and everything that binds tighter: the operand of comparisons and of targets.
  mutating func bitwiseOr() throws(SyntaxError) -> Expr { try binary(minimumPrecedence: 0) }

  /// Left-associative binary operators by precedence climbing; the operands are factors.
  mutating func binary(minimumPrecedence: Int) throws(SyntaxError) -> Expr {
    let start = current.range
    var left = try factor()
    while case .op(let token) = current.kind, let (op, precedence) = Parser.binaryOperators[token],
      precedence >= minimumPrecedence
    {
      next()
      let right = try binary(minimumPrecedence: precedence + 1)
      left = Expr(.binOp(left, op, right), range(from: start))
    }
    return left
  }

  /// Unary `+ - ~` (binding looser than `**` on their right).
  mutating func factor() throws(SyntaxError) -> Expr {
    let op: UnaryOperator
    switch current.kind {
    case .op(.plus): op = .uAdd
    case .op(.minus): op = .uSub
    case .op(.tilde): op = .invert
    default: return try power()
    }
    let start = next().range
    let operand = try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.factor() }
    return Expr(.unaryOp(op, operand), range(from: start))
  }

  /// `a ** b`, right-associative; its right operand is a factor (`2 ** -1`).
  mutating func power() throws(SyntaxError) -> Expr {
    let start = current.range
    let base = try awaitPrimary()
    guard accept(.doubleStar) else { return base }
    let exponent = try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.factor() }
    return Expr(.binOp(base, .pow, exponent), range(from: start))
  }

  mutating func awaitPrimary() throws(SyntaxError) -> Expr {
    if check(.await) {
      let start = next().range
      let value = try primary()
      return Expr(.await(value), range(from: start))
    }
    return try primary()
  }

  /// An atom followed by attribute accesses, calls and subscripts.
  mutating func primary() throws(SyntaxError) -> Expr {
    let start = current.range
    var expr = try atom()
    while true {
      switch current.kind {
      case .op(.dot):
        next()
        let name = try expectName()
        expr = Expr(.attribute(expr, name), range(from: start))
      case .op(.leftParen):
        let open = next().range
        let (args, keywords) = try nested { (p: inout Parser) throws(SyntaxError) in try p.callArguments(open: open) }
        expr = Expr(.call(expr, args: args, keywords: keywords), range(from: start))
      case .op(.leftBracket):
        next()
        let index = try nested { (p: inout Parser) throws(SyntaxError) -> Expr in
          let index = try p.slices()
          try p.expect(.rightBracket)
          return index
        }
        expr = Expr(.subscript(expr, index), range(from: start))
      default:
        return expr
      }
    }
  }

  /// The inside of `[...]` after a primary: a slice, an expression, or a tuple of them.
  mutating func slices() throws(SyntaxError) -> Expr {
    let index = try tuple(
      of: { (p: inout Parser) throws(SyntaxError) -> Expr in try p.slice() }, endsAt: { $0.check(.rightBracket) })
    if case .starred = index.kind { return Expr(.tuple([index]), index.range) }
    return index
  }

  mutating func slice() throws(SyntaxError) -> Expr {
    let start = current.range
    var lower: Expr?
    if !check(.colon) {
      let expr = try starNamedExpression()
      guard check(.colon) else { return expr }
      lower = expr
    }
    next()  // :
    var upper: Expr?
    var step: Expr?
    if !check(.colon) && !check(.comma) && !check(.rightBracket) { upper = try expression() }
    if accept(.colon) {
      if !check(.comma) && !check(.rightBracket) { step = try expression() }
    }
    return Expr(.slice(lower: lower, upper: upper, step: step), range(from: start))
  }

  /// Call arguments after `(`, through the `)`: positional (incl. `*x`) and keyword (incl. `**x`).
  mutating func callArguments(open: SourceRange? = nil) throws(SyntaxError) -> ([Expr], [KeywordArgument]) {
    var args: [Expr] = []
    var keywords: [KeywordArgument] = []
    var sawKeyword = false
    var sawDoubleStar = false
    while !check(.rightParen) {
      let start = current.range
      if accept(.doubleStar) {
        let value = try expression()
        keywords.append(KeywordArgument(name: nil, value: value, range: range(from: start)))
        sawDoubleStar = true
      } else if check(.star) {
        let value = try starred(operandIsExpression: true)
        if sawDoubleStar {
          throw error("iterable argument unpacking follows keyword argument unpacking", at: start)
        }
        args.append(value)
      } else if case .name(let name) = current.kind, peek(1).kind == .op(.equal) {
        next()
        next()
        let value = try expression()
        keywords.append(KeywordArgument(name: name, value: value, range: range(from: start)))
        sawKeyword = true
      } else {
        var value = try namedExpression(inCall: true)
        if check(.equal) {
          throw error(
            "expression cannot contain assignment, perhaps you meant \"==\"?", at: value.range.through(current.range))
        }
        if check(.for) || check(.async) {
          let generators = try comprehensionClauses()
          let sole = args.isEmpty && keywords.isEmpty && check(.rightParen)
          if !sole {
            throw error("Generator expression must be parenthesized", at: range(from: start))
          }
          let genRange = open.map { $0.through(current.range) } ?? range(from: start)
          value = Expr(.generatorExp(value, generators), genRange)
        }
        if sawDoubleStar {
          throw error("positional argument follows keyword argument unpacking", at: current.range)
        }
        if sawKeyword { throw error("positional argument follows keyword argument", at: current.range) }
        args.append(value)
      }
      if !accept(.comma) {
        if !check(.rightParen) { try forgottenComma(after: start) }
        break
      }
    }
    try expect(.rightParen)
    return (args, keywords)
  }

  /// Inside brackets, two expressions in a row: CPython's "Perhaps you forgot a comma?".
  mutating func forgottenComma(after start: SourceRange) throws(SyntaxError) {
    guard startsExpression, !check(.star) else { throw invalidSyntax() }
    let saved = index
    if let next = try? expression() {
      index = saved
      throw error("invalid syntax. Perhaps you forgot a comma?", at: start.through(next.range))
    }
    index = saved
    throw invalidSyntax()
  }

  /// `for x in xs if c …` clauses of a comprehension.
  mutating func comprehensionClauses() throws(SyntaxError) -> [Comprehension] {
    var clauses: [Comprehension] = []
    while check(.for) || (check(.async) && peek(1).kind == .keyword(.for)) {
      let isAsync = accept(.async)
      next()  // for
      let target = try targetList()
      try validateTarget(target, context: .assign)
      try expect(.in)
      let iter = try disjunction()
      var ifs: [Expr] = []
      while accept(.if) { ifs.append(try disjunction()) }
      clauses.append(Comprehension(target: target, iter: iter, ifs: ifs, isAsync: isAsync))
    }
    return clauses
  }

  /// Targets of `for` and comprehensions: `x`, `a, b`, `(a, *b)`, `x.y`, `x[0]`.
  mutating func targetList() throws(SyntaxError) -> Expr {
    try tuple(
      of: { (p: inout Parser) throws(SyntaxError) -> Expr in try p.singleTarget() },
      endsAt: { $0.check(.in) || $0.check(.equal) || $0.check(.colon) })
  }

  mutating func singleTarget() throws(SyntaxError) -> Expr {
    if check(.star) { return try starred() }
    return try bitwiseOr()
  }

  // MARK: Parameters

  /// Parameters of a `def` (until `)`) or a `lambda` (until `:`), with CPython's checks.
  mutating func parameters(closing: Operator, annotations: Bool) throws(SyntaxError) -> Arguments {
    var args = Arguments()
    var sawSlash = false
    var sawStar = false
    var sawDefault = false
    var bareStar: SourceRange?
    while !check(closing) {
      if args.kwarg != nil {
        throw error("arguments cannot follow var-keyword argument", at: current.range)
      }
      if check(.slash) {
        let slash = next().range
        if sawSlash { throw error("/ may appear only once", at: slash) }
        if sawStar { throw error("/ must be ahead of *", at: slash) }
        if args.args.isEmpty { throw error("invalid syntax", at: slash) }
        sawSlash = true
        args.posonlyargs = args.args
        args.args = []
      } else if check(.star) {
        let star = next().range
        if sawStar { throw error("* argument may appear only once", at: star) }
        sawStar = true
        if check(.comma) || check(closing) {
          bareStar = star
        } else {
          args.vararg = try parameter(annotations: annotations, starredAnnotation: true)
          if check(.equal) { throw error("var-positional argument cannot have default value", at: current.range) }
        }
      } else if check(.doubleStar) {
        next()
        args.kwarg = try parameter(annotations: annotations)
        if check(.equal) { throw error("var-keyword argument cannot have default value", at: current.range) }
      } else {
        let param = try parameter(annotations: annotations)
        var defaultValue: Expr?
        if accept(.equal) { defaultValue = try expression() }
        if sawStar {
          args.kwonlyargs.append(param)
          args.kwDefaults.append(defaultValue)
          bareStar = nil
        } else {
          if let defaultValue {
            args.defaults.append(defaultValue)
            sawDefault = true
          } else if sawDefault {
            throw error("non-default argument follows default argument", at: param.range)
          }
          args.args.append(param)
        }
      }
      if !accept(.comma) { break }
    }
    if let bareStar, args.kwonlyargs.isEmpty {
      throw error("named arguments must follow bare *", at: bareStar)
    }
    return args
  }

  /// A parameter name and its annotation (`*args: *Ts` when `starredAnnotation`).
  mutating func parameter(annotations: Bool, starredAnnotation: Bool = false) throws(SyntaxError) -> Parameter {
    let start = current.range
    let name = try expectName()
    var annotation: Expr?
    if annotations && accept(.colon) {
      annotation = try starredAnnotation && check(.star) ? starred() : expression()
    }
    return Parameter(name: name, annotation: annotation, range: range(from: start))
  }
}

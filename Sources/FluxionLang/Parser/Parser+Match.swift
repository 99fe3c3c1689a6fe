extension Parser {
  /// A `match` statement, if the soft keyword `match` starts one here (its subject, then `:`,
  /// an indented block and `case`); nil leaves `match` to be an ordinary name.
  mutating func matchStatement() throws(SyntaxError) -> Stmt? {
    guard case .name("match") = current.kind else { return nil }
    let saved = index
    let start = next().range
    guard startsExpression, let subject = try? matchSubject(), check(.colon), peek(1).kind == .newline,
      peek(2).kind == .indent, peek(3).kind == .name("case")
    else {
      index = saved
      return nil
    }
    next()
    next()
    next()
    let cases = try nested { (p: inout Parser) throws(SyntaxError) -> [MatchCase] in
      var cases: [MatchCase] = []
      while case .name("case") = p.current.kind {
        let caseLine = p.next().range.line
        let pattern = try p.patterns()
        let guardExpr = p.accept(.if) ? try p.namedExpression() : nil
        let body = try p.block(after: "'case' statement", line: caseLine)
        cases.append(MatchCase(pattern: pattern, guardExpr: guardExpr, body: body))
      }
      guard p.current.kind == .dedent || p.current.kind == .endOfFile else { throw p.invalidSyntax() }
      p.next()
      return cases
    }
    return Stmt(.match(subject: subject, cases: cases), compoundRange(from: start))
  }

  /// `match x:` or `match a, *b:` (a tuple).
  mutating func matchSubject() throws(SyntaxError) -> Expr {
    try tuple(
      of: { (p: inout Parser) throws(SyntaxError) -> Expr in try p.starNamedExpression() }, endsAt: { $0.check(.colon) }
    )
  }

  /// A case's patterns: one pattern, or an open sequence `a, *rest`.
  mutating func patterns() throws(SyntaxError) -> Pattern {
    let start = current.range
    let first = try maybeStarPattern()
    guard check(.comma) else {
      if case .star = first.kind { throw invalidSyntax() }
      return first
    }
    var items = [first]
    while accept(.comma) {
      if check(.colon) || check(.if) { break }
      items.append(try maybeStarPattern())
    }
    return Pattern(.sequence(items), range(from: start))
  }

  mutating func maybeStarPattern() throws(SyntaxError) -> Pattern {
    guard check(.star) else { return try pattern() }
    let start = next().range
    let name = try expectName()
    return Pattern(.star(name == "_" ? nil : name), range(from: start))
  }

  /// `p as name` or an or-pattern.
  mutating func pattern() throws(SyntaxError) -> Pattern {
    let start = current.range
    let alternatives = try orPattern()
    guard accept(.as) else { return alternatives }
    let target = current.range
    let name = try expectName()
    if name == "_" { throw error("cannot use '_' as a target", at: target) }
    return Pattern(.as(alternatives, name: name), range(from: start))
  }

  mutating func orPattern() throws(SyntaxError) -> Pattern {
    let start = current.range
    let first = try closedPattern()
    guard check(.pipe) else { return first }
    var items = [first]
    while accept(.pipe) { items.append(try closedPattern()) }
    return Pattern(.or(items), range(from: start))
  }

  mutating func closedPattern() throws(SyntaxError) -> Pattern {
    try nested { (p: inout Parser) throws(SyntaxError) -> Pattern in try p.closedPatternBody() }
  }

  mutating func closedPatternBody() throws(SyntaxError) -> Pattern {
    let start = current.range
    switch current.kind {
    case .keyword(.None), .keyword(.True), .keyword(.False):
      guard case .constant(let value) = try atom().kind else { throw invalidSyntax() }
      return Pattern(.singleton(value), start)
    case .int, .float, .imaginary, .op(.minus):
      let value = try numberPattern()
      return Pattern(.value(value), value.range)
    case .string, .fstring:
      let value = try strings()
      if case .joinedStr = value.kind {
        throw error("patterns may only match literals and attribute lookups", at: value.range)
      }
      return Pattern(.value(value), value.range)
    case .name(let name):
      next()
      var expr = Expr(.name(name), start)
      var dotted = false
      while accept(.dot) {
        let attr = try expectName()
        expr = Expr(.attribute(expr, attr), range(from: start))
        dotted = true
      }
      if check(.leftParen) { return try classPattern(expr, start: start) }
      if dotted { return Pattern(.value(expr), expr.range) }
      return Pattern(.as(nil, name: name == "_" ? nil : name), start)
    case .op(.leftParen):
      next()
      if accept(.rightParen) { return Pattern(.sequence([]), range(from: start)) }
      let first = try maybeStarPattern()
      if accept(.rightParen) {
        if case .star = first.kind { return Pattern(.sequence([first]), range(from: start)) }
        return first
      }
      var items = [first]
      while accept(.comma) {
        if check(.rightParen) { break }
        items.append(try maybeStarPattern())
      }
      try expect(.rightParen)
      return Pattern(.sequence(items), range(from: start))
    case .op(.leftBracket):
      next()
      var items: [Pattern] = []
      while !check(.rightBracket) {
        items.append(try maybeStarPattern())
        if !accept(.comma) { break }
      }
      try expect(.rightBracket)
      return Pattern(.sequence(items), range(from: start))
    case .op(.leftBrace):
      return try mappingPattern()
    default:
      throw invalidSyntax()
    }
  }

  /// `-1`, `2.5`, `1 + 2j`: the numbers a pattern may hold.
  mutating func numberPattern() throws(SyntaxError) -> Expr {
    let start = current.range
    var value: Expr
    if accept(.minus) {
      let number = try numberAtom()
      value = Expr(.unaryOp(.uSub, number), range(from: start))
    } else {
      value = try numberAtom()
    }
    if check(.plus) || check(.minus) {
      let op: BinaryOperator = check(.plus) ? .add : .sub
      next()
      guard case .imaginary = current.kind else {
        throw error("imaginary number required in complex literal", at: current.range)
      }
      let imaginary = try atom()
      value = Expr(.binOp(value, op, imaginary), range(from: start))
    }
    return value
  }

  mutating func numberAtom() throws(SyntaxError) -> Expr {
    switch current.kind {
    case .int, .float, .imaginary: return try atom()
    default: throw invalidSyntax()
    }
  }

  mutating func mappingPattern() throws(SyntaxError) -> Pattern {
    let start = next().range
    var keys: [Expr] = []
    var patterns: [Pattern] = []
    var rest: String?
    while !check(.rightBrace) {
      if accept(.doubleStar) {
        rest = try expectName()
      } else {
        let key: Expr
        switch current.kind {
        case .keyword(.None), .keyword(.True), .keyword(.False), .string, .fstring: key = try atom()
        case .int, .float, .imaginary, .op(.minus): key = try numberPattern()
        case .name:
          let keyStart = current.range
          var expr = Expr(.name(try expectName()), keyStart)
          guard check(.dot) else { throw invalidSyntax() }
          while accept(.dot) { expr = Expr(.attribute(expr, try expectName()), range(from: keyStart)) }
          key = expr
        default: throw invalidSyntax()
        }
        try expect(.colon)
        keys.append(key)
        patterns.append(try pattern())
      }
      if !accept(.comma) { break }
    }
    try expect(.rightBrace)
    return Pattern(.mapping(keys: keys, patterns: patterns, rest: rest), range(from: start))
  }

  /// `Point(x, y=0)`; `cls` is the (dotted) name before the `(`.
  mutating func classPattern(_ cls: Expr, start: SourceRange) throws(SyntaxError) -> Pattern {
    next()  // (
    var patterns: [Pattern] = []
    var names: [String] = []
    var keywordPatterns: [Pattern] = []
    while !check(.rightParen) {
      if case .name(let name) = current.kind, peek(1).kind == .op(.equal) {
        next()
        next()
        names.append(name)
        keywordPatterns.append(try pattern())
      } else {
        let positional = try pattern()
        if !names.isEmpty { throw error("positional patterns follow keyword patterns", at: positional.range) }
        patterns.append(positional)
      }
      if !accept(.comma) { break }
    }
    try expect(.rightParen)
    return Pattern(
      .class(cls, patterns: patterns, keywordNames: names, keywordPatterns: keywordPatterns), range(from: start))
  }
}

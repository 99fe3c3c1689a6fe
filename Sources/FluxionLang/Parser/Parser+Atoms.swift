extension Parser {
  /// Names, literals, and parenthesized, list, dict and set displays and comprehensions.
  mutating func atom() throws(SyntaxError) -> Expr {
    let token = current
    switch token.kind {
    case .name(let name):
      next()
      return Expr(.name(name), token.range)
    case .keyword(.None):
      next()
      return Expr(.constant(.none), token.range)
    case .keyword(.True):
      next()
      return Expr(.constant(.bool(true)), token.range)
    case .keyword(.False):
      next()
      return Expr(.constant(.bool(false)), token.range)
    case .int(let literal):
      next()
      return Expr(.constant(.int(literal)), token.range)
    case .float(let value, _):
      next()
      return Expr(.constant(.float(value)), token.range)
    case .imaginary(let value, _):
      next()
      return Expr(.constant(.imaginary(value)), token.range)
    case .op(.ellipsis):
      next()
      return Expr(.constant(.ellipsis), token.range)
    case .string, .fstring:
      return try strings()
    case .op(.leftParen):
      return try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.parenthesized() }
    case .op(.leftBracket):
      return try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.listDisplay() }
    case .op(.leftBrace):
      return try nested { (p: inout Parser) throws(SyntaxError) -> Expr in try p.braceDisplay() }
    default:
      throw invalidSyntax()
    }
  }

  /// `()`, `(x)`, `(x,)`, `(a, *b)`, `(x for x in y)`, `(yield x)`, `(x := 1)`.
  mutating func parenthesized() throws(SyntaxError) -> Expr {
    let open = next().range
    if accept(.rightParen) { return Expr(.tuple([]), open.through(previous)) }
    if check(.yield) {
      let value = try yieldExpression()
      try expect(.rightParen)
      return value
    }
    let first = try starNamedExpression()
    if let generators = try comprehension(closing: .rightParen) {
      return Expr(.generatorExp(first, generators), open.through(previous))
    }
    if accept(.rightParen) {
      if case .starred = first.kind {
        throw error("cannot use starred expression here", at: first.range)
      }
      return first
    }
    let elements = try elementList(first: first, closing: .rightParen)
    return Expr(.tuple(elements), open.through(previous))
  }

  /// The `for … in … if …` clauses and closing bracket of a comprehension, if one starts here.
  mutating func comprehension(closing: Operator) throws(SyntaxError) -> [Comprehension]? {
    guard check(.for) || check(.async) else { return nil }
    let generators = try comprehensionClauses()
    try expect(closing)
    return generators
  }

  /// `[a, b]`, `[*a]`, `[x for x in y]`.
  mutating func listDisplay() throws(SyntaxError) -> Expr {
    let open = next().range
    if accept(.rightBracket) { return Expr(.list([]), open.through(previous)) }
    let first = try starNamedExpression()
    if let generators = try comprehension(closing: .rightBracket) {
      return Expr(.listComp(first, generators), open.through(previous))
    }
    let elements = try elementList(first: first, closing: .rightBracket)
    return Expr(.list(elements), open.through(previous))
  }

  /// The rest of a comma-separated display after its first element, through the closer.
  mutating func elementList(first: Expr, closing: Operator) throws(SyntaxError) -> [Expr] {
    var elements = [first]
    while !check(closing) {
      let elementStart = elements.last?.range ?? first.range
      guard accept(.comma) else {
        try forgottenComma(after: elementStart)
        break
      }
      if check(closing) { break }
      elements.append(try starNamedExpression())
    }
    try expect(closing)
    return elements
  }

  /// `{}`, `{k: v, **d}`, `{a, b}`, and dict and set comprehensions.
  mutating func braceDisplay() throws(SyntaxError) -> Expr {
    let open = next().range
    if accept(.rightBrace) { return Expr(.dict(keys: [], values: []), open.through(previous)) }
    if check(.doubleStar) {
      return try dictDisplay(open: open, firstKey: nil, firstValue: nil)
    }
    let first = try starNamedExpression()
    if accept(.colon) {
      let value = try expression()
      if let generators = try comprehension(closing: .rightBrace) {
        return Expr(.dictComp(key: first, value: value, generators), open.through(previous))
      }
      return try dictDisplay(open: open, firstKey: first, firstValue: value)
    }
    if let generators = try comprehension(closing: .rightBrace) {
      return Expr(.setComp(first, generators), open.through(previous))
    }
    let elements = try elementList(first: first, closing: .rightBrace)
    return Expr(.set(elements), open.through(previous))
  }

  mutating func dictDisplay(open: SourceRange, firstKey: Expr?, firstValue: Expr?) throws(SyntaxError) -> Expr {
    var keys: [Expr?] = []
    var values: [Expr] = []
    if let firstValue {
      keys.append(firstKey)
      values.append(firstValue)
    }
    var first = firstValue == nil
    while !check(.rightBrace) {
      if !first {
        let valueStart = values.last?.range ?? open
        guard accept(.comma) else {
          try forgottenComma(after: valueStart)
          break
        }
        if check(.rightBrace) { break }
      }
      first = false
      if accept(.doubleStar) {
        keys.append(nil)
        values.append(try bitwiseOr())
      } else {
        let key = try expression()
        guard accept(.colon) else {
          throw error("':' expected after dictionary key", at: key.range)
        }
        keys.append(key)
        values.append(try expression())
      }
    }
    try expect(.rightBrace)
    return Expr(.dict(keys: keys, values: values), open.through(previous))
  }

  // MARK: Strings

  /// Adjacent string literals, joined: a constant, or a `joinedStr` if any is an f-string.
  mutating func strings() throws(SyntaxError) -> Expr {
    let start = current.range
    var pieces: [Expr] = []
    var literal = ""
    var literalRange: SourceRange?
    var bytes: [UInt8] = []
    var sawBytes = false
    var sawText = false
    var sawFString = false
    var mixed = false
    func flush() {
      if !literal.isEmpty, let r = literalRange {
        pieces.append(Expr(.constant(.string(literal)), r))
      }
      literal = ""
      literalRange = nil
    }
    func addLiteral(_ text: String, _ r: SourceRange) {
      if text.isEmpty { return }
      literal += text
      literalRange = literalRange.map { $0.through(r) } ?? r
    }
    while true {
      let token = current
      switch token.kind {
      case .string(let s):
        switch s.value {
        case .bytes(let b):
          mixed = mixed || sawText
          sawBytes = true
          bytes += b
        case .string(let text):
          mixed = mixed || sawBytes
          sawText = true
          addLiteral(text, token.range)
        }
      case .fstring(let f):
        mixed = mixed || sawBytes
        sawText = true
        sawFString = true
        for part in f.parts {
          switch part {
          case .literal(let text, let r): addLiteral(text, r)
          case .field(let field):
            if let doc = field.selfDocumentingText { addLiteral(doc, field.range) }
            flush()
            pieces.append(try formattedValue(field))
          }
        }
      default:
        // CPython reports the mix at the token after the literals.
        if mixed { throw error("cannot mix bytes and nonbytes literals", at: current.range) }
        let whole = start.through(previous)
        if sawBytes { return Expr(.constant(.bytes(bytes)), whole) }
        if !sawFString { return Expr(.constant(.string(literal)), whole) }
        flush()
        return Expr(.joinedStr(pieces), whole)
      }
      next()
    }
  }

  mutating func formattedValue(_ field: FStringField) throws(SyntaxError) -> Expr {
    var sub = Parser(tokens: field.tokens)
    sub.inFString = true
    sub.depth = depth + 1
    // Positions stay absolute (as CPython 3.12's do; 3.11 counts them within the field).
    let value = try sub.check(.yield) ? sub.yieldExpression() : sub.starExpressions()
    if sub.current.kind != .endOfFile { try sub.forgottenComma(after: value.range) }
    var conversion = field.conversion
    if conversion == nil, field.selfDocumentingText != nil, field.formatSpec == nil { conversion = "r" }
    var spec: Expr?
    if let parts = field.formatSpec {
      var values: [Expr] = []
      for part in parts {
        switch part {
        case .literal(let text, let r): values.append(Expr(.constant(.string(text)), r))
        case .field(let inner): values.append(try formattedValue(inner))
        }
      }
      spec = Expr(.joinedStr(values), field.range)
    }
    return Expr(.formattedValue(value, conversion: conversion, formatSpec: spec), field.range)
  }
}

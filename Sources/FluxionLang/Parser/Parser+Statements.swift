extension Parser {
  mutating func parseModule() throws(SyntaxError) -> Module {
    var body: [Stmt] = []
    while current.kind != .endOfFile {
      if current.kind == .newline {
        next()
        continue
      }
      body += try statement()
    }
    return Module(body: body)
  }

  /// One compound statement, or a line of `;`-separated simple statements.
  mutating func statement() throws(SyntaxError) -> [Stmt] {
    switch current.kind {
    case .indent: throw invalidSyntax()
    case .op(.at): return [try decorated()]
    case .keyword(.def): return [try functionDef(decorators: [], start: current.range, isAsync: false)]
    case .keyword(.class): return [try classDef(decorators: [], start: current.range)]
    case .keyword(.if): return [try ifStatement()]
    case .keyword(.while): return [try whileStatement()]
    case .keyword(.for): return [try forStatement(start: current.range, isAsync: false)]
    case .keyword(.try): return [try tryStatement()]
    case .keyword(.with): return [try withStatement(start: current.range, isAsync: false)]
    case .keyword(.async):
      let start = next().range
      switch current.kind {
      case .keyword(.def): return [try functionDef(decorators: [], start: start, isAsync: true)]
      case .keyword(.for): return [try forStatement(start: start, isAsync: true)]
      case .keyword(.with): return [try withStatement(start: start, isAsync: true)]
      default: throw invalidSyntax()
      }
    default:
      if let match = try matchStatement() { return [match] }
      return try simpleStatements()
    }
  }

  mutating func simpleStatements() throws(SyntaxError) -> [Stmt] {
    var result: [Stmt] = []
    while true {
      result.append(try simpleStatement())
      if accept(.semicolon) {
        if current.kind == .newline { break }
        continue
      }
      break
    }
    guard current.kind == .newline else { throw invalidSyntax() }
    next()
    return result
  }

  /// The `:` and body of a compound statement: an indented block or simple statements on the
  /// same line. `what` names the statement for CPython's "expected an indented block" message.
  mutating func block(after what: String, line: Int) throws(SyntaxError) -> [Stmt] {
    try expect(.colon)
    guard current.kind == .newline else { return try simpleStatements() }
    next()
    guard current.kind == .indent else {
      throw error(
        "expected an indented block after \(what) on line \(line)", at: current.range, .indentationError)
    }
    next()
    return try nested { (p: inout Parser) throws(SyntaxError) -> [Stmt] in
      var body: [Stmt] = []
      while p.current.kind != .dedent && p.current.kind != .endOfFile {
        body += try p.statement()
      }
      p.next()
      return body
    }
  }

  /// A compound statement's range: from its first token to the last token of its body (a
  /// trailing `;` included, as CPython counts it), not the layout tokens after it.
  func compoundRange(from start: SourceRange) -> SourceRange {
    var i = index - 1
    while i > 0, tokens[i].kind == .newline || tokens[i].kind == .indent || tokens[i].kind == .dedent { i -= 1 }
    return start.through(tokens[max(i, 0)].range)
  }

  // MARK: Compound statements

  mutating func decorated() throws(SyntaxError) -> Stmt {
    var decorators: [Expr] = []
    while accept(.at) {
      decorators.append(try namedExpression())
      guard current.kind == .newline else { throw invalidSyntax() }
      next()
    }
    let start = current.range
    switch current.kind {
    case .keyword(.def): return try functionDef(decorators: decorators, start: start, isAsync: false)
    case .keyword(.class): return try classDef(decorators: decorators, start: start)
    case .keyword(.async):
      next()
      guard check(.def) else { throw invalidSyntax() }
      return try functionDef(decorators: decorators, start: start, isAsync: true)
    default: throw invalidSyntax()
    }
  }

  mutating func functionDef(decorators: [Expr], start: SourceRange, isAsync: Bool) throws(SyntaxError) -> Stmt {
    next()  // def
    let name = try expectName()
    try expect(.leftParen)
    let args = try parameters(closing: .rightParen, annotations: true)
    try expect(.rightParen)
    var returns: Expr?
    if accept(.arrow) { returns = try expression() }
    let body = try block(after: "function definition", line: start.line)
    let def = FunctionDef(
      name: name, args: args, body: body, decorators: decorators, returns: returns, isAsync: isAsync)
    return Stmt(.functionDef(def), compoundRange(from: start))
  }

  mutating func classDef(decorators: [Expr], start: SourceRange) throws(SyntaxError) -> Stmt {
    next()  // class
    let name = try expectName()
    var bases: [Expr] = []
    var keywords: [KeywordArgument] = []
    if accept(.leftParen) {
      (bases, keywords) = try callArguments()
    }
    let body = try block(after: "class definition", line: start.line)
    let def = ClassDef(name: name, bases: bases, keywords: keywords, body: body, decorators: decorators)
    return Stmt(.classDef(def), compoundRange(from: start))
  }

  mutating func ifStatement() throws(SyntaxError) -> Stmt {
    let opener = check(.elif) ? "elif" : "if"
    let start = next().range
    let test = try namedExpression()
    let body = try block(after: "'\(opener)' statement", line: start.line)
    var orelse: [Stmt] = []
    if check(.elif) {
      orelse = [try ifStatement()]
    } else if check(.else) {
      let elseLine = next().range.line
      orelse = try block(after: "'else' statement", line: elseLine)
    }
    return Stmt(
      .if(test: test, body: body, orelse: orelse), compoundRange(from: start))
  }

  mutating func whileStatement() throws(SyntaxError) -> Stmt {
    let start = next().range
    let test = try namedExpression()
    let body = try block(after: "'while' statement", line: start.line)
    let orelse = try elseBlock()
    return Stmt(
      .while(test: test, body: body, orelse: orelse), compoundRange(from: start))
  }

  mutating func elseBlock() throws(SyntaxError) -> [Stmt] {
    guard check(.else) else { return [] }
    let line = next().range.line
    return try block(after: "'else' statement", line: line)
  }

  mutating func forStatement(start: SourceRange, isAsync: Bool) throws(SyntaxError) -> Stmt {
    let forLine = next().range.line
    let target = try targetList()
    try validateTarget(target, context: .assign)
    try expect(.in)
    let iter = try starExpressions()
    let body = try block(after: "'for' statement", line: forLine)
    let orelse = try elseBlock()
    return Stmt(
      .for(target: target, iter: iter, body: body, orelse: orelse, isAsync: isAsync),
      compoundRange(from: start))
  }

  mutating func tryStatement() throws(SyntaxError) -> Stmt {
    let start = next().range
    let body = try block(after: "'try' statement", line: start.line)
    var handlers: [ExceptHandler] = []
    var isStar: Bool?
    while check(.except) {
      let exceptRange = next().range
      let star = accept(.star)
      if let isStar, isStar != star {
        throw error("cannot have both 'except' and 'except*' on the same 'try'", at: exceptRange.through(previous))
      }
      isStar = star
      if star && check(.colon) { throw error("expected one or more exception types", at: current.range) }
      var type: Expr?
      var name: String?
      if !check(.colon) {
        type = try expression()
        if let first = type, check(.comma) {
          while accept(.comma) { _ = try? expression() }
          throw error("multiple exception types must be parenthesized", at: first.range.through(previous))
        }
        if accept(.as) { name = try expectName() }
      }
      let handlerBody = try block(after: star ? "'except*' statement" : "'except' statement", line: exceptRange.line)
      handlers.append(
        ExceptHandler(
          type: type, name: name, body: handlerBody, range: compoundRange(from: exceptRange)))
    }
    var orelse: [Stmt] = []
    if !handlers.isEmpty { orelse = try elseBlock() }
    var finalbody: [Stmt] = []
    if check(.finally) {
      let line = next().range.line
      finalbody = try block(after: "'finally' statement", line: line)
    }
    if handlers.isEmpty && finalbody.isEmpty {
      var i = index - 1
      while i > 0, tokens[i].kind == .dedent { i -= 1 }
      throw error("expected 'except' or 'finally' block", at: tokens[max(i, 0)].range)
    }
    return Stmt(
      .try(body: body, handlers: handlers, orelse: orelse, finalbody: finalbody, isStar: isStar ?? false),
      compoundRange(from: start))
  }

  mutating func withStatement(start: SourceRange, isAsync: Bool) throws(SyntaxError) -> Stmt {
    let withLine = next().range.line
    var items: [WithItem] = []
    // `with (a as b, c):` — parenthesized items, else an expression that starts with `(`.
    if check(.leftParen) {
      let saved = index
      let savedDepth = depth
      do {
        next()
        var parenthesized: [WithItem] = []
        repeat {
          if check(.rightParen) { break }
          parenthesized.append(try withItem())
        } while accept(.comma)
        try expect(.rightParen)
        guard check(.colon) else { throw invalidSyntax() }
        items = parenthesized
      } catch {
        index = saved
        depth = savedDepth
      }
    }
    if items.isEmpty {
      repeat { items.append(try withItem()) } while accept(.comma)
    }
    let body = try block(after: "'with' statement", line: withLine)
    return Stmt(.with(items: items, body: body, isAsync: isAsync), compoundRange(from: start))
  }

  mutating func withItem() throws(SyntaxError) -> WithItem {
    let context = try expression()
    var vars: Expr?
    if accept(.as) {
      let target = try singleTarget()
      try validateTarget(target, context: .assign)
      vars = target
    }
    return WithItem(contextExpr: context, optionalVars: vars)
  }

  // MARK: Simple statements

  mutating func simpleStatement() throws(SyntaxError) -> Stmt {
    let start = current.range
    switch current.kind {
    case .keyword(.pass):
      next()
      return Stmt(.pass, start)
    case .keyword(.break):
      next()
      return Stmt(.break, start)
    case .keyword(.continue):
      next()
      return Stmt(.continue, start)
    case .keyword(.return):
      next()
      let value = startsExpression ? try starExpressions() : nil
      return Stmt(.return(value), range(from: start))
    case .keyword(.raise):
      next()
      var exc: Expr?
      var cause: Expr?
      if startsExpression {
        exc = try expression()
        if accept(.from) { cause = try expression() }
      }
      return Stmt(.raise(exc: exc, cause: cause), range(from: start))
    case .keyword(.global), .keyword(.nonlocal):
      let isGlobal = next().kind == .keyword(.global)
      var names = [try expectName()]
      while accept(.comma) { names.append(try expectName()) }
      return Stmt(isGlobal ? .global(names) : .nonlocal(names), range(from: start))
    case .keyword(.del):
      next()
      var targets: [Expr] = []
      repeat {
        if !startsExpression { break }
        let target = try singleTarget()
        try validateTarget(target, context: .delete)
        targets.append(target)
      } while accept(.comma)
      if targets.isEmpty { throw invalidSyntax() }
      return Stmt(.delete(targets), range(from: start))
    case .keyword(.assert):
      next()
      let test = try expression()
      let msg = accept(.comma) ? try expression() : nil
      return Stmt(.assert(test: test, msg: msg), range(from: start))
    case .keyword(.import):
      next()
      var names: [Alias] = []
      repeat { names.append(try dottedAlias()) } while accept(.comma)
      return Stmt(.import(names), range(from: start))
    case .keyword(.from):
      return try importFrom()
    default:
      return try expressionStatement()
    }
  }

  mutating func dottedName() throws(SyntaxError) -> String {
    var name = try expectName()
    while accept(.dot) { name += "." + (try expectName()) }
    return name
  }

  mutating func dottedAlias() throws(SyntaxError) -> Alias {
    let start = current.range
    let name = try dottedName()
    let asName = accept(.as) ? try expectName() : nil
    return Alias(name: name, asName: asName, range: range(from: start))
  }

  mutating func importFrom() throws(SyntaxError) -> Stmt {
    let start = next().range
    var level = 0
    while true {
      if accept(.dot) {
        level += 1
      } else if accept(.ellipsis) {
        level += 3
      } else {
        break
      }
    }
    var module: String?
    if !check(.import) { module = try dottedName() }
    try expect(.import)
    var names: [Alias] = []
    if check(.star) {
      names.append(Alias(name: "*", asName: nil, range: next().range))
    } else {
      let parenthesized = accept(.leftParen)
      repeat {
        if parenthesized && check(.rightParen) { break }
        if !parenthesized && !names.isEmpty && current.kind == .newline {
          throw error("trailing comma not allowed without surrounding parentheses", at: current.range)
        }
        let aliasStart = current.range
        let name = try expectName()
        let asName = accept(.as) ? try expectName() : nil
        names.append(Alias(name: name, asName: asName, range: range(from: aliasStart)))
      } while accept(.comma)
      if parenthesized { try expect(.rightParen) }
      if names.isEmpty { throw invalidSyntax() }
    }
    return Stmt(.importFrom(module: module, names: names, level: level), range(from: start))
  }

  static let augmentedOperators: [Operator: BinaryOperator] = [
    .plusEqual: .add, .minusEqual: .sub, .starEqual: .mult, .atEqual: .matMult, .slashEqual: .div,
    .percentEqual: .mod, .doubleStarEqual: .pow, .leftShiftEqual: .lShift, .rightShiftEqual: .rShift,
    .pipeEqual: .bitOr, .caretEqual: .bitXor, .ampersandEqual: .bitAnd, .doubleSlashEqual: .floorDiv,
  ]

  mutating func expressionStatement() throws(SyntaxError) -> Stmt {
    let start = current.range
    let startIndex = index
    let first = try check(.yield) ? yieldExpression() : starExpressions()
    if check(.equal) {
      var exprs = [first]
      while accept(.equal) {
        exprs.append(try check(.yield) ? yieldExpression() : starExpressions())
      }
      let value = exprs.removeLast()
      for (i, target) in exprs.enumerated() {
        let suggestEquality = i == 0 && exprs.count == 1
        try validateTarget(target, context: suggestEquality ? .assignSuggestingEquality : .assign)
      }
      return Stmt(.assign(targets: exprs, value: value), range(from: start))
    }
    if case .op(let op) = current.kind, let binary = Parser.augmentedOperators[op] {
      try validateTarget(first, context: .augmented)
      next()
      let value = try check(.yield) ? yieldExpression() : starExpressions()
      return Stmt(.augAssign(target: first, op: binary, value: value), range(from: start))
    }
    if check(.colon) {
      switch first.kind {
      case .name, .attribute, .subscript: break
      case .tuple: throw error("only single target (not tuple) can be annotated", at: first.range)
      case .list: throw error("only single target (not list) can be annotated", at: first.range)
      default: throw error("illegal target for annotation", at: first.range)
      }
      next()
      let annotation = try expression()
      var value: Expr?
      if accept(.equal) { value = try check(.yield) ? yieldExpression() : starExpressions() }
      var simple = false
      if case .name = first.kind, tokens[startIndex].kind != .op(.leftParen) { simple = true }
      return Stmt(.annAssign(target: first, annotation: annotation, value: value, simple: simple), range(from: start))
    }
    if case .name(let name) = first.kind, name == "print" || name == "exec", startsExpression {
      let saved = index
      let argument = try? starExpressions()
      index = saved
      throw error(
        "Missing parentheses in call to '\(name)'. Did you mean \(name)(...)?",
        at: first.range.through(argument?.range ?? current.range))
    }
    return Stmt(.expr(first), range(from: start))
  }
}

extension Parser {
  /// CPython's compile-time checks of where `return`, `break` and `continue` may stand (its
  /// compiler's, not its parser's: `ast.parse` accepts them): a module whose statements
  /// misplace one is a SyntaxError at that statement.
  public static func checkPlacement(_ body: [Stmt], inFunction: Bool = false, inLoop: Bool = false) throws(SyntaxError)
  {
    for stmt in body {
      switch stmt.kind {
      case .return where !inFunction:
        throw SyntaxError(.syntaxError, "'return' outside function", at: stmt.range)
      case .break where !inLoop:
        throw SyntaxError(.syntaxError, "'break' outside loop", at: stmt.range)
      case .continue where !inLoop:
        throw SyntaxError(.syntaxError, "'continue' not properly in loop", at: stmt.range)
      case .functionDef(let f):
        try checkPlacement(f.body, inFunction: true)
      case .classDef(let c):
        try checkPlacement(c.body)
      case .for(_, _, let loopBody, let orelse, _), .while(_, let loopBody, let orelse):
        try checkPlacement(loopBody, inFunction: inFunction, inLoop: true)
        try checkPlacement(orelse, inFunction: inFunction, inLoop: inLoop)
      case .if(_, let a, let b):
        try checkPlacement(a, inFunction: inFunction, inLoop: inLoop)
        try checkPlacement(b, inFunction: inFunction, inLoop: inLoop)
      case .with(_, let a, _):
        try checkPlacement(a, inFunction: inFunction, inLoop: inLoop)
      case .try(let a, let handlers, let orelse, let finalbody, _):
        for part in [a, orelse, finalbody] + handlers.map(\.body) {
          try checkPlacement(part, inFunction: inFunction, inLoop: inLoop)
        }
      case .match(_, let cases):
        for c in cases { try checkPlacement(c.body, inFunction: inFunction, inLoop: inLoop) }
      default:
        break
      }
    }
  }
}

/// A hand-written recursive-descent parser for Python's grammar (3.11), producing the AST of
/// `AST/`. Errors carry CPython's messages and positions where practical.
///
/// ```swift
/// let module = try Parser.parse("def f(x):\n    return x ** 2\n")
/// let expr = try Parser.parseExpression("lambda x: x ** 3")
/// ```
public struct Parser {
  /// Expressions and blocks nested deeper than this are refused (never a stack overflow).
  public static let maximumDepth = 200

  var tokens: [Token]
  var index = 0
  var depth = 0
  /// Inside an f-string field (errors are prefixed `f-string: `).
  var inFString = false
  /// The tokenizer's error after the last token, raised when the parser gets there.
  var pendingError: SyntaxError?

  init(tokens: [Token], pendingError: SyntaxError? = nil) {
    self.tokens = tokens
    self.pendingError = pendingError
    if let pendingError {
      let at = SourceRange(
        line: pendingError.line, column: pendingError.column, endLine: pendingError.line,
        endColumn: pendingError.column, start: tokens.last?.range.end ?? 0, end: tokens.last?.range.end ?? 0)
      self.tokens.append(Token(.endOfFile, at))
    } else if tokens.last?.kind != .endOfFile {
      let end = tokens.last?.range ?? SourceRange(line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0)
      self.tokens.append(
        Token(
          .endOfFile,
          SourceRange(
            line: end.endLine, column: end.endColumn, endLine: end.endLine, endColumn: end.endColumn,
            start: end.end, end: end.end)))
    }
  }

  /// Parses a whole script.
  public static func parse(_ source: String) throws(SyntaxError) -> Module {
    let (tokens, lexerError) = Lexer.tokenizeUntilError(source)
    var parser = Parser(tokens: tokens, pendingError: lexerError)
    return try parser.reportingLexerErrors { (p: inout Parser) throws(SyntaxError) in try p.parseModule() }
  }

  /// Runs `body`; a tokenizer error wins over a parser error at or after its position.
  mutating func reportingLexerErrors<T>(_ body: (inout Parser) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
    let result: T
    do {
      result = try body(&self)
    } catch {
      if let pendingError, index >= tokens.count - 1 { throw pendingError }
      throw error
    }
    if let pendingError { throw pendingError }
    return result
  }

  /// Parses a script given as bytes (UTF-8; other bytes give Python's decoding error).
  public static func parse(bytes: [UInt8]) throws(SyntaxError) -> Module {
    try parse(Lexer.decode(bytes))
  }

  /// Parses one expression (a tuple if it has top-level commas), as `eval` does.
  public static func parseExpression(_ source: String) throws(SyntaxError) -> Expr {
    let (tokens, lexerError) = Lexer.tokenizeUntilError(source)
    var parser = Parser(tokens: tokens, pendingError: lexerError)
    return try parser.reportingLexerErrors { (p: inout Parser) throws(SyntaxError) -> Expr in
      while p.current.kind == .newline || p.current.kind == .indent { p.next() }
      let expr = try p.starExpressions()
      while p.current.kind == .newline || p.current.kind == .dedent { p.next() }
      guard p.current.kind == .endOfFile else { throw p.invalidSyntax() }
      return expr
    }
  }

  // MARK: Tokens

  var current: Token { tokens[min(index, tokens.count - 1)] }

  func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

  /// The range of the token consumed last.
  var previous: SourceRange { tokens[max(0, min(index - 1, tokens.count - 1))].range }

  @discardableResult
  mutating func next() -> Token {
    let token = current
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  func check(_ op: Operator) -> Bool { current.kind == .op(op) }
  func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

  mutating func accept(_ op: Operator) -> Bool {
    if check(op) {
      next()
      return true
    }
    return false
  }

  mutating func accept(_ keyword: Keyword) -> Bool {
    if check(keyword) {
      next()
      return true
    }
    return false
  }

  mutating func expect(_ op: Operator) throws(SyntaxError) {
    guard accept(op) else {
      if op == .colon { throw error("expected ':'", at: current.range) }
      throw invalidSyntax()
    }
  }

  mutating func expect(_ keyword: Keyword) throws(SyntaxError) {
    guard accept(keyword) else { throw invalidSyntax() }
  }

  mutating func expectName() throws(SyntaxError) -> String {
    guard case .name(let name) = current.kind else { throw invalidSyntax() }
    next()
    return name
  }

  func error(_ message: String, at range: SourceRange, _ kind: SyntaxError.Kind = .syntaxError) -> SyntaxError {
    let text = inFString && !message.hasPrefix("f-string") ? "f-string: " + message : message
    return SyntaxError(kind, text, at: range)
  }

  func invalidSyntax() -> SyntaxError {
    if current.kind == .indent {
      let r = current.range
      return SyntaxError(.indentationError, "unexpected indent", line: r.endLine, column: max(1, r.endColumn - 1))
    }
    return error("invalid syntax", at: current.range)
  }

  mutating func nested<T>(_ body: (inout Parser) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
    depth += 1
    defer { depth -= 1 }
    // The depth limit, or this thread's stack running out first (a small thread's, or frames
    // grown by a sanitizer).
    if depth > Parser.maximumDepth || StackGuard.nearlyExhausted() {
      throw SyntaxError(.recursionError, "maximum recursion depth exceeded during compilation", at: current.range)
    }
    return try body(&self)
  }

  func range(from start: SourceRange) -> SourceRange { start.through(previous) }
}

import Foundation

/// Python's tokenizer: source text to tokens, with INDENT/DEDENT from a stack of indentation
/// widths, implicit line joining inside brackets, `\` continuation, every literal form and
/// f-strings with their fields tokenized. CRLF and CR line ends and a UTF-8 BOM are accepted.
///
/// ```swift
/// let tokens = try Lexer.tokenize("x = f(1)\n")
/// ```
/// Errors are `SyntaxError`s with CPython 3.11's messages and positions.
public struct Lexer {
  /// Brackets deeper than this are refused, as CPython's tokenizer does.
  public static let maximumNesting = 200
  /// Indentation deeper than this is refused, as CPython's tokenizer does.
  public static let maximumIndentation = 100

  let text: [Unicode.Scalar]
  var pos = 0
  var line = 1
  var lineStart = 0
  var tokens: [Token] = []
  var indents: [Int] = [0]
  var altIndents: [Int] = [0]
  var brackets: [(scalar: Unicode.Scalar, line: Int, column: Int)] = []
  var atLineStart = true

  init(_ text: [Unicode.Scalar]) {
    self.text = text
    tokens.reserveCapacity(text.count / 4 + 8)
  }

  /// The tokens of `source`, ending with `newline` (if there was any token), the closing
  /// `dedent`s and `endOfFile`.
  public static func tokenize(_ source: String) throws(SyntaxError) -> [Token] {
    var lexer = Lexer(Array(source.unicodeScalars))
    try lexer.run()
    return lexer.tokens
  }

  /// The tokens before the first error, and that error: the parser reports a syntax error it
  /// meets earlier in the text first, as CPython's parser (which pulls tokens lazily) does.
  public static func tokenizeUntilError(_ source: String) -> (tokens: [Token], error: SyntaxError?) {
    var lexer = Lexer(Array(source.unicodeScalars))
    do {
      try lexer.run()
      return (lexer.tokens, nil)
    } catch {
      return (lexer.tokens, error)
    }
  }

  /// The tokens of UTF-8 bytes; bytes that are not UTF-8 give Python's decoding SyntaxError.
  public static func tokenize(bytes: [UInt8]) throws(SyntaxError) -> [Token] {
    try tokenize(decode(bytes))
  }

  /// `bytes` as UTF-8 text, or Python's error for the first byte that is not.
  public static func decode(_ bytes: [UInt8]) throws(SyntaxError) -> String {
    if let valid = String(validating: bytes, as: UTF8.self) { return valid }
    // Find the first bad byte, and say what CPython's codec says of it.
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    var consumed = 0
    var line = 1
    var column = 1
    while case .scalarValue(let s) = decoder.decode(&iterator) {
      consumed += UTF8.width(s)
      if s == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    let byte = consumed < bytes.count ? bytes[consumed] : 0
    let isLead = byte >= 0xC2 && byte <= 0xF4
    let needed = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1
    let rest = consumed < bytes.count ? bytes[(consumed + 1)...] : []
    let truncated = rest.count < needed && rest.allSatisfy { $0 & 0xC0 == 0x80 }
    let reason = !isLead ? "invalid start byte" : truncated ? "unexpected end of data" : "invalid continuation byte"
    let hex = String(byte, radix: 16)
    throw SyntaxError(
      .syntaxError,
      "(unicode error) 'utf-8' codec can't decode byte 0x\(hex.count < 2 ? "0" + hex : hex) in position 0: \(reason)",
      line: line, column: column)
  }

  // MARK: Scanning helpers

  /// The source text from `start` to `end` (scalar offsets).
  func string(_ start: Int, _ end: Int) -> String { Lexer.string(text[start..<end]) }

  /// A String of scalars, without the generic path's cost for ASCII (most identifiers).
  static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    if scalars.allSatisfy({ $0.value < 0x80 }) {
      return String(unsafeUninitializedCapacity: scalars.count) { buffer in
        for (i, s) in zip(buffer.indices, scalars) { buffer[i] = UInt8(truncatingIfNeeded: s.value) }
        return scalars.count
      }
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  var n: Int { text.count }

  func peek(_ offset: Int = 0) -> Unicode.Scalar? {
    let i = pos + offset
    return i >= 0 && i < text.count ? text[i] : nil
  }

  var column: Int { pos - lineStart + 1 }

  /// The width of the line end at `i` (2 for CRLF), or 0.
  func newlineWidth(at i: Int) -> Int {
    guard i < text.count else { return 0 }
    if text[i] == "\n" { return 1 }
    if text[i] == "\r" { return i + 1 < text.count && text[i + 1] == "\n" ? 2 : 1 }
    return 0
  }

  mutating func consumeNewline() {
    pos += newlineWidth(at: pos)
    line += 1
    lineStart = pos
  }

  /// Advances one scalar (a line end as one), keeping line and column current.
  mutating func advance() {
    if newlineWidth(at: pos) > 0 { consumeNewline() } else { pos += 1 }
  }

  struct Mark {
    var pos: Int
    var line: Int
    var column: Int
  }

  var mark: Mark { Mark(pos: pos, line: line, column: column) }

  func range(from m: Mark) -> SourceRange {
    SourceRange(line: m.line, column: m.column, endLine: line, endColumn: column, start: m.pos, end: pos)
  }

  func error(_ message: String, _ kind: SyntaxError.Kind = .syntaxError, line: Int? = nil, column: Int? = nil)
    -> SyntaxError
  {
    SyntaxError(kind, message, line: line ?? self.line, column: column ?? self.column)
  }

  mutating func emit(_ kind: TokenKind, from m: Mark) {
    tokens.append(Token(kind, range(from: m)))
  }

  // MARK: Layout

  mutating func run() throws(SyntaxError) {
    if let null = text.firstIndex(of: "\0") {
      let line = text[..<null].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
      throw SyntaxError(.syntaxError, "source code string cannot contain null bytes", line: line, column: 1)
    }
    if peek() == "\u{FEFF}" {
      pos = 1
      lineStart = 1
    }
    while true {
      if atLineStart {
        atLineStart = false
        if try !indentation() { break }
      }
      skipSpaces()
      guard let c = peek() else { break }
      if c == "#" {
        skipComment()
        continue
      }
      if newlineWidth(at: pos) > 0 {
        if brackets.isEmpty {
          let width = newlineWidth(at: pos)
          tokens.append(
            Token(
              .newline,
              SourceRange(
                line: line, column: column, endLine: line, endColumn: column + 1, start: pos, end: pos + width)))
          atLineStart = true
        }
        consumeNewline()
        continue
      }
      if c == "\\" {
        try continuation()
        continue
      }
      let token = try scanToken(inFString: nil)
      tokens.append(token)
    }
    if let open = brackets.last {
      throw SyntaxError(.syntaxError, "'\(open.scalar)' was never closed", line: open.line, column: open.column)
    }
    let end = SourceRange(line: line, column: column, endLine: line, endColumn: column, start: pos, end: pos)
    if let last = tokens.last?.kind, last != .newline, last != .dedent, last != .indent {
      tokens.append(Token(.newline, end))
    }
    for _ in indents.dropFirst() { tokens.append(Token(.dedent, end)) }
    tokens.append(Token(.endOfFile, end))
  }

  mutating func skipSpaces() {
    while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" { pos += 1 }
  }

  mutating func skipComment() {
    while pos < n, newlineWidth(at: pos) == 0 { pos += 1 }
  }

  mutating func continuation() throws(SyntaxError) {
    let backslashColumn = column
    pos += 1
    if pos >= n {
      throw error("unexpected EOF while parsing", column: backslashColumn + 1)
    }
    guard newlineWidth(at: pos) > 0 else {
      throw error("unexpected character after line continuation character", column: backslashColumn + 1)
    }
    consumeNewline()
  }

  /// Measures a logical line's indentation and emits INDENT/DEDENT; skips blank and comment
  /// lines. Returns false at the end of the input.
  mutating func indentation() throws(SyntaxError) -> Bool {
    while true {
      var col = 0
      var alt = 0
      let lineBegin = pos
      while let c = peek() {
        if c == " " {
          col += 1
          alt += 1
        } else if c == "\t" {
          col = (col / 8 + 1) * 8
          alt += 1
        } else if c == "\u{0C}" {
          col = 0
          alt = 0
        } else {
          break
        }
        pos += 1
      }
      guard let c = peek() else { return false }
      if c == "#" {
        skipComment()
        if pos >= n { return false }
        consumeNewline()
        continue
      }
      if newlineWidth(at: pos) > 0 {
        consumeNewline()
        continue
      }
      if !brackets.isEmpty { return true }
      let m = Mark(pos: lineBegin, line: line, column: 1)
      if col == indents[indents.count - 1] {
        if alt != altIndents[altIndents.count - 1] { throw tabError() }
      } else if col > indents[indents.count - 1] {
        if alt <= altIndents[altIndents.count - 1] { throw tabError() }
        if indents.count > Lexer.maximumIndentation {
          throw error("too many levels of indentation", .indentationError, column: column)
        }
        indents.append(col)
        altIndents.append(alt)
        emit(.indent, from: m)
      } else {
        while indents.count > 1, col < indents[indents.count - 1] {
          indents.removeLast()
          altIndents.removeLast()
          tokens.append(
            Token(
              .dedent, SourceRange(line: line, column: column, endLine: line, endColumn: column, start: pos, end: pos)))
        }
        if col != indents[indents.count - 1] {
          // CPython reports it past the end of the line.
          var end = pos
          while end < n, newlineWidth(at: end) == 0 { end += 1 }
          throw error(
            "unindent does not match any outer indentation level", .indentationError, column: end - lineStart + 1)
        }
        if alt != altIndents[altIndents.count - 1] { throw tabError() }
      }
      return true
    }
  }

  func tabError() -> SyntaxError {
    error("inconsistent use of tabs and spaces in indentation", .tabError, column: 1)
  }

  // MARK: Tokens

  /// Scans one token at `pos` (not whitespace, a comment or a line end).
  mutating func scanToken(inFString quote: Unicode.Scalar?) throws(SyntaxError) -> Token {
    let m = mark
    guard let c = peek() else { throw error("unexpected EOF while parsing") }
    if isIdentifierStart(c) {
      // A string prefix?
      var end = pos
      while end < n, end - pos < 3, isPrefixLetter(text[end]) { end += 1 }
      if end < n, text[end] == "\"" || text[end] == "'", end > pos {
        let prefix = string(pos, end)
        if Lexer.isStringPrefix(prefix) {
          pos = end
          return try scanString(prefix: prefix, from: m)
        }
      }
      while let d = peek(), isIdentifierContinue(d) { pos += 1 }
      var word = string(m.pos, pos)
      // Python compares identifiers in NFKC form (`ｗｉｄｔｈ` is `width`).
      if word.unicodeScalars.contains(where: { $0.value >= 0x80 }) {
        word = word.precomposedStringWithCompatibilityMapping
      }
      if pos - m.pos >= 2, pos - m.pos <= 8, let keyword = Keyword.byName[word] {
        return Token(.keyword(keyword), range(from: m))
      }
      return Token(.name(word), range(from: m))
    }
    if c.isASCIIDigit || (c == "." && (peek(1)?.isASCIIDigit ?? false)) {
      return try scanNumber(from: m)
    }
    if c == "\"" || c == "'" {
      return try scanString(prefix: "", from: m)
    }
    if let op = scanOperator() {
      pos += op.rawValue.utf8.count
      switch op {
      case .leftParen, .leftBracket, .leftBrace:
        if brackets.count >= Lexer.maximumNesting { throw error("too many nested parentheses", column: m.column) }
        brackets.append((c, m.line, m.column))
      case .rightParen, .rightBracket, .rightBrace:
        guard let open = brackets.popLast() else {
          if quote != nil { throw error("f-string: unmatched '\(c)'", column: m.column) }
          throw error("unmatched '\(c)'", column: m.column)
        }
        let expected: Unicode.Scalar = open.scalar == "(" ? ")" : open.scalar == "[" ? "]" : "}"
        if c != expected {
          let suffix = open.line != m.line ? " on line \(open.line)" : ""
          throw error(
            "closing parenthesis '\(c)' does not match opening parenthesis '\(open.scalar)'\(suffix)",
            column: m.column)
        }
      default: break
      }
      return Token(.op(op), range(from: m))
    }
    if c.value < 0x80 {
      if c.value < 0x20 || c.value == 0x7F {
        throw error("invalid non-printable character U+\(hex4(c.value))", column: m.column)
      }
      // `$`, `?`, `` ` ``, a lone `!`: CPython's parser reports them as invalid syntax.
      throw SyntaxError(.syntaxError, "invalid syntax", line: m.line, column: m.column)
    }
    if !isPrintable(c) {
      throw error("invalid non-printable character U+\(hex4(c.value))", column: m.column)
    }
    throw error("invalid character '\(c)' (U+\(hex4(c.value)))", column: m.column)
  }

  /// The longest operator at `pos`.
  func scanOperator() -> Operator? {
    guard let c = peek(), c.value < 0x80, let single = Lexer.singleCharacterOperators[Int(c.value)] else {
      // `!` and `->` begin no one-character operator.
      if peek() == "!", peek(1) == "=" { return .notEqual }
      return nil
    }
    let c1 = peek(1)
    let c2 = peek(2)
    switch (c, c1, c2) {
    case ("*", "*", "="): return .doubleStarEqual
    case ("/", "/", "="): return .doubleSlashEqual
    case (">", ">", "="): return .rightShiftEqual
    case ("<", "<", "="): return .leftShiftEqual
    case (".", ".", "."): return .ellipsis
    default: break
    }
    switch (c, c1) {
    case ("*", "*"): return .doubleStar
    case ("/", "/"): return .doubleSlash
    case ("<", "<"): return .leftShift
    case (">", ">"): return .rightShift
    case ("<", "="): return .lessEqual
    case (">", "="): return .greaterEqual
    case ("=", "="): return .equalEqual
    case ("-", ">"): return .arrow
    case (":", "="): return .walrus
    case ("+", "="): return .plusEqual
    case ("-", "="): return .minusEqual
    case ("*", "="): return .starEqual
    case ("/", "="): return .slashEqual
    case ("%", "="): return .percentEqual
    case ("&", "="): return .ampersandEqual
    case ("|", "="): return .pipeEqual
    case ("^", "="): return .caretEqual
    case ("@", "="): return .atEqual
    default: return single
    }
  }

  /// The one-character operators by ASCII code.
  static let singleCharacterOperators: [Operator?] = (0..<128).map { code in
    Operator.byText[String(UnicodeScalar(UInt8(code)))]
  }

  // MARK: Identifiers

  func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
    if c.value < 0x80 { return c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    return c.properties.isXIDStart
  }

  func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
    if c.value < 0x80 {
      return c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
    }
    return c.properties.isXIDContinue
  }

  func isPrefixLetter(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "r", "R", "b", "B", "u", "U", "f", "F": true
    default: false
    }
  }

  static func isStringPrefix(_ prefix: String) -> Bool {
    switch prefix.lowercased() as String {
    case "r", "u", "b", "f", "br", "rb", "fr", "rf": true
    default: false
    }
  }

  func isPrintable(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
      .spaceSeparator:
      false
    default: true
    }
  }

  func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return s.count < 4 ? String(repeating: "0", count: 4 - s.count) + s : s
  }
}

extension Unicode.Scalar {
  var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}

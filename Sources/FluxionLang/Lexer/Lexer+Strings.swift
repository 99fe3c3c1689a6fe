extension Lexer {
  /// A string, bytes or f-string literal; `pos` is at its opening quote.
  mutating func scanString(prefix: String, from m: Mark) throws(SyntaxError) -> Token {
    let letters = prefix.unicodeScalars.map { $0.properties.lowercaseMapping }
    let isRaw = letters.contains("r")
    let isBytes = letters.contains("b")
    guard let quote = peek() else { throw error("unexpected EOF while parsing") }
    let triple = peek(1) == quote && peek(2) == quote
    pos += triple ? 3 : 1
    if letters.contains("f") {
      let parts: [FStringPart]
      do {
        parts = try fstringParts(quote: quote, triple: triple, raw: isRaw, start: m, nesting: 0, inSpec: false)
      } catch {
        throw fstringErrorAtEnd(
          error, from: m, quote: quote, triple: triple,
          bodyStart: m.pos + prefix.unicodeScalars.count + (triple ? 3 : 1))
      }
      return Token(.fstring(FStringLiteral(parts: parts, prefix: prefix)), range(from: m))
    }
    var scalars: [Unicode.Scalar] = []
    var bytes: [UInt8] = []
    let bodyStart = pos
    while true {
      guard let c = peek() else { throw unterminated(triple: triple, from: m) }
      if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
        pos += triple ? 3 : 1
        break
      }
      if newlineWidth(at: pos) > 0 {
        if !triple { throw unterminated(triple: false, from: m) }
        advance()
        if isBytes { bytes.append(10) } else { scalars.append("\n") }
        continue
      }
      if c == "\\" {
        if isRaw {
          pos += 1
          if isBytes { bytes.append(0x5C) } else { scalars.append(c) }
          if let next = peek(), next == quote || next == "\\" || newlineWidth(at: pos) > 0 {
            if newlineWidth(at: pos) > 0 {
              if !triple && pos + newlineWidth(at: pos) >= n { throw unterminated(triple: false, from: m) }
              advance()
              if isBytes { bytes.append(10) } else { scalars.append("\n") }
            } else {
              pos += 1
              if isBytes { bytes.append(UInt8(next.value)) } else { scalars.append(next) }
            }
          }
          continue
        }
        let escapeStart = pos - bodyStart
        if let decoded = try escape(isBytes: isBytes, bodyOffset: escapeStart, literalStart: m) {
          if isBytes {
            bytes.append(UInt8(truncatingIfNeeded: decoded))
          } else {
            scalars.append(Unicode.Scalar(decoded) ?? "\u{FFFD}")
          }
        }
        continue
      }
      if isBytes {
        if c.value >= 0x80 {
          // CPython underlines the whole literal.
          var end = pos
          while end < n, text[end] != quote, newlineWidth(at: end) == 0 { end += 1 }
          throw SyntaxError(
            .syntaxError, "bytes can only contain ASCII literal characters", line: m.line, column: m.column,
            endColumn: min(end, n - 1) - (m.pos - m.column + 1) + 2)
        }
        bytes.append(UInt8(c.value))
      } else {
        scalars.append(c)
      }
      pos += 1
    }
    let value: StringLiteral.Value = isBytes ? .bytes(bytes) : .string(Lexer.string(scalars[...]))
    return Token(.string(StringLiteral(value: value, prefix: prefix)), range(from: m))
  }

  /// CPython 3.11 reports an error inside an f-string just past the literal's closing quote.
  func fstringErrorAtEnd(_ error: SyntaxError, from m: Mark, quote: Unicode.Scalar, triple: Bool, bodyStart: Int)
    -> SyntaxError
  {
    guard error.message.hasPrefix("f-string") else { return error }
    var line = m.line
    var lineBegin = m.pos - (m.column - 1)
    var probe = bodyStart
    while probe < n {
      let c = text[probe]
      if c == "\\" {
        probe += 2
        continue
      }
      if newlineWidth(at: probe) > 0 {
        if !triple { return error }
        probe += newlineWidth(at: probe)
        line += 1
        lineBegin = probe
        continue
      }
      if c == quote && (!triple || (probe + 2 < n && text[probe + 1] == quote && text[probe + 2] == quote)) {
        let column = probe + (triple ? 3 : 1) - lineBegin + 1
        return SyntaxError(error.kind, error.message, line: line, column: column, endLine: line, endColumn: column)
      }
      probe += 1
    }
    return error
  }

  func unterminated(triple: Bool, from m: Mark) -> SyntaxError {
    // CPython counts the line of the last character read, not a line the final newline opens.
    let detected = pos > 0 && pos == n && newlineWidth(at: pos - 1) > 0 ? line - 1 : line
    let kind = triple ? "unterminated triple-quoted string literal" : "unterminated string literal"
    return SyntaxError(
      .syntaxError, "\(kind) (detected at line \(detected))", line: m.line, column: m.column,
      endColumn: m.column)
  }

  /// Decodes the escape at `pos` (a backslash); nil for a line continuation.
  mutating func escape(isBytes: Bool, bodyOffset: Int, literalStart m: Mark) throws(SyntaxError) -> UInt32? {
    pos += 1
    guard let c = peek() else { return 0x5C }
    if newlineWidth(at: pos) > 0 {
      advance()
      return nil
    }
    func fail(_ what: String, length: Int) -> SyntaxError {
      if isBytes {
        return SyntaxError(
          .syntaxError, "(value error) invalid \\x escape at position \(bodyOffset)", line: line, column: column)
      }
      return SyntaxError(
        .syntaxError,
        "(unicode error) 'unicodeescape' codec can't decode bytes in position \(bodyOffset)-\(bodyOffset + length): \(what)",
        line: line, column: column)
    }
    pos += 1
    switch c {
    case "\\": return 0x5C
    case "'": return 0x27
    case "\"": return 0x22
    case "a": return 0x07
    case "b": return 0x08
    case "f": return 0x0C
    case "n": return 0x0A
    case "r": return 0x0D
    case "t": return 0x09
    case "v": return 0x0B
    case "0"..."7":
      var value = c.value - 0x30
      var count = 1
      while count < 3, let d = peek(), d >= "0" && d <= "7" {
        value = value * 8 + d.value - 0x30
        pos += 1
        count += 1
      }
      return value
    case "x", "u", "U":
      if isBytes && c != "x" {
        // Bytes keep `\u` as written.
        pos -= 1
        return 0x5C
      }
      let width = c == "x" ? 2 : c == "u" ? 4 : 8
      var value: UInt32 = 0
      for k in 0..<width {
        guard let d = peek(), d.isASCIIHexDigit, let v = UInt32(String(d), radix: 16) else {
          let name =
            c == "x" ? "truncated \\xXX escape" : c == "u" ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape"
          skipToStringEnd()
          let error = fail(name, length: k + 1)
          throw error
        }
        value = value * 16 + v
        pos += 1
      }
      if value > 0x10FFFF {
        skipToStringEnd()
        let error = fail("illegal Unicode character", length: width + 1)
        throw error
      }
      return value
    case "N" where !isBytes:
      guard peek() == "{" else {
        skipToStringEnd()
        let error = fail("malformed \\N character escape", length: 1)
        throw error
      }
      pos += 1
      var name = ""
      while let d = peek(), d != "}", newlineWidth(at: pos) == 0, d != "\"", d != "'" {
        name.unicodeScalars.append(d)
        pos += 1
      }
      guard peek() == "}", let scalar = Lexer.scalar(named: name) else {
        let message = peek() == "}" ? "unknown Unicode character name" : "malformed \\N character escape"
        skipToStringEnd()
        throw fail(message, length: name.count + 3)
      }
      pos += 1
      return scalar.value
    default:
      // An unknown escape keeps its backslash (CPython warns).
      pos -= 1
      return 0x5C
    }
  }

  /// After a bad escape CPython reports the position just past the literal.
  mutating func skipToStringEnd() {
    while let c = peek(), c != "\"", c != "'", newlineWidth(at: pos) == 0 { pos += 1 }
    if peek() != nil, newlineWidth(at: pos) == 0 { pos += 1 }
  }

  /// Control characters have no names, only aliases (NameAliases.txt); the usual ones.
  static let controlAliases: [String: Unicode.Scalar] = [
    "NULL": "\u{0}", "NUL": "\u{0}", "BELL": "\u{7}", "ALERT": "\u{7}", "BEL": "\u{7}", "BACKSPACE": "\u{8}",
    "BS": "\u{8}", "CHARACTER TABULATION": "\t", "HORIZONTAL TABULATION": "\t", "TAB": "\t", "HT": "\t",
    "LINE FEED": "\n", "NEW LINE": "\n", "END OF LINE": "\n", "LF": "\n", "NL": "\n", "EOL": "\n",
    "LINE TABULATION": "\u{B}", "VERTICAL TABULATION": "\u{B}", "VT": "\u{B}", "FORM FEED": "\u{C}", "FF": "\u{C}",
    "CARRIAGE RETURN": "\r", "CR": "\r", "ESCAPE": "\u{1B}", "ESC": "\u{1B}", "DELETE": "\u{7F}", "DEL": "\u{7F}",
    "BYTE ORDER MARK": "\u{FEFF}", "BOM": "\u{FEFF}", "NBSP": "\u{A0}", "ZWSP": "\u{200B}",
  ]

  /// The scalar with this Unicode name (`BULLET`, `greek small letter alpha`), for `\N{...}`.
  /// Ideographs are named by code point and looked up directly; other names by a scan that
  /// skips the ideograph, syllable and private-use blocks.
  static func scalar(named name: String) -> Unicode.Scalar? {
    let wanted = name.uppercased()
    if let control = controlAliases[wanted] { return control }
    for prefix in ["CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-"] where wanted.hasPrefix(prefix) {
      guard let v = UInt32(wanted.dropFirst(prefix.count), radix: 16), let s = Unicode.Scalar(v),
        s.properties.name == wanted
      else { return nil }
      return s
    }
    let ranges: [ClosedRange<UInt32>] =
      wanted.hasPrefix("HANGUL SYLLABLE ")
      ? [0xAC00...0xD7A3]
      : [0x20...0x33FF, 0x4DC0...0x4DFF, 0xA000...0xABFF, 0xD7B0...0xD7FF, 0xFB00...0x1FFFF, 0xE0000...0xE01EF]
    for r in ranges {
      for v in r {
        guard let s = Unicode.Scalar(v) else { continue }
        if s.properties.name == wanted || s.properties.nameAlias == wanted { return s }
      }
    }
    return nil
  }

  // MARK: f-strings

  /// The literal text and fields of an f-string (or of a format spec, `inSpec`), up to and
  /// including its closing quote (for a spec: up to its closing `}`, not consumed).
  mutating func fstringParts(
    quote: Unicode.Scalar, triple: Bool, raw: Bool, start m: Mark, nesting: Int, inSpec: Bool
  ) throws(SyntaxError) -> [FStringPart] {
    var parts: [FStringPart] = []
    var literal: [Unicode.Scalar] = []
    var literalStart = mark
    func flush(_ lexer: Lexer) {
      if !literal.isEmpty {
        parts.append(.literal(Lexer.string(literal[...]), lexer.range(from: literalStart)))
        literal = []
      }
    }
    while true {
      guard let c = peek() else { throw unterminated(triple: triple, from: m) }
      if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
        if inSpec { throw error("f-string: expecting '}'", column: column) }
        flush(self)
        pos += triple ? 3 : 1
        return parts
      }
      if newlineWidth(at: pos) > 0 {
        if !triple { throw unterminated(triple: false, from: m) }
        advance()
        literal.append("\n")
        continue
      }
      if c == "\\" && !raw {
        if let decoded = try escape(isBytes: false, bodyOffset: 0, literalStart: m) {
          literal.append(Unicode.Scalar(decoded) ?? "\u{FFFD}")
        }
        continue
      }
      if c == "\\" && raw {
        literal.append(c)
        pos += 1
        if let next = peek(), next == quote || next == "\\" {
          literal.append(next)
          pos += 1
        }
        continue
      }
      if c == "{" {
        if !inSpec && peek(1) == "{" {
          literal.append("{")
          pos += 2
          continue
        }
        flush(self)
        parts.append(.field(try fstringField(quote: quote, triple: triple, raw: raw, start: m, nesting: nesting)))
        literalStart = mark
        continue
      }
      if c == "}" {
        if inSpec {
          flush(self)
          return parts
        }
        if peek(1) == "}" {
          literal.append("}")
          pos += 2
          continue
        }
        throw error("f-string: single '}' is not allowed", column: column + 2)
      }
      literal.append(c)
      pos += 1
    }
  }

  /// A replacement field; `pos` is at its `{`.
  mutating func fstringField(
    quote: Unicode.Scalar, triple: Bool, raw: Bool, start m: Mark, nesting: Int
  ) throws(SyntaxError) -> FStringField {
    if nesting >= 2 { throw error("f-string: expressions nested too deeply", column: column) }
    let open = mark
    pos += 1
    let base = brackets.count
    var fieldTokens: [Token] = []
    let expressionStart = mark
    var expressionEnd = mark
    var selfDocumenting: String?
    var conversion: Character?
    var spec: [FStringPart]?
    func unexpectedEnd(_ lexer: Lexer) -> SyntaxError {
      lexer.error("f-string: expecting '}'", column: lexer.column + 1)
    }
    while true {
      while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" || (triple && newlineWidth(at: pos) > 0) {
        advance()
      }
      guard let c = peek() else { throw unexpectedEnd(self) }
      if newlineWidth(at: pos) > 0 { throw unterminated(triple: false, from: m) }
      if c == quote && brackets.count == base && (!triple || (peek(1) == quote && peek(2) == quote)) {
        // Python 3.12 lets a field hold a string in the f-string's own quotes
        // (`f"{", ".join(xs)}"`), where 3.11 ends the literal: try 3.12's reading, and if it
        // fails report 3.11's error.
        let failure = unexpectedEnd(self)
        let saved = (pos, line, lineStart)
        if let token = try? scanToken(inFString: quote) {
          fieldTokens.append(token)
          expressionEnd = mark
          continue
        }
        (pos, line, lineStart) = saved
        throw failure
      }
      if c == "\\" { throw error("f-string expression part cannot include a backslash", column: column) }
      if c == "#" { throw error("f-string expression part cannot include '#'", column: column) }
      if brackets.count == base {
        if c == "}" || c == ":" || (c == "!" && peek(1) != "=") { break }
        if c == "=" && peek(1) != "=" {
          pos += 1
          while let w = peek(), w == " " || w == "\t" { pos += 1 }
          selfDocumenting = string(expressionStart.pos, pos)
          guard let next = peek(), next == "}" || next == "!" || next == ":" else { throw unexpectedEnd(self) }
          break
        }
        if c == ")" || c == "]" { throw error("f-string: unmatched '\(c)'", column: column) }
      }
      fieldTokens.append(try scanToken(inFString: quote))
      expressionEnd = mark
    }
    if fieldTokens.isEmpty { throw error("f-string: empty expression not allowed", column: column + 1) }
    if peek() == "!" {
      pos += 1
      guard let k = peek(), k == "s" || k == "r" || k == "a" else {
        throw error("f-string: invalid conversion character: expected 's', 'r', or 'a'", column: column + 2)
      }
      conversion = Character(k)
      pos += 1
    }
    if peek() == ":" {
      pos += 1
      spec = try fstringParts(quote: quote, triple: triple, raw: raw, start: m, nesting: nesting + 1, inSpec: true)
    }
    guard peek() == "}" else { throw unexpectedEnd(self) }
    pos += 1
    let exprRange = SourceRange(
      line: expressionStart.line, column: expressionStart.column, endLine: expressionEnd.line,
      endColumn: expressionEnd.column, start: expressionStart.pos, end: expressionEnd.pos)
    return FStringField(
      tokens: fieldTokens, conversion: conversion, formatSpec: spec, selfDocumentingText: selfDocumenting,
      range: range(from: open), expressionRange: exprRange)
  }
}

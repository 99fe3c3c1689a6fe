extension Lexer {
  /// An int, float or imaginary literal, with CPython's errors for malformed ones.
  mutating func scanNumber(from m: Mark) throws(SyntaxError) -> Token {
    if peek() == "0", let p = peek(1), "xXoObB".unicodeScalars.contains(p) {
      let radix: Int
      let name: String
      switch p {
      case "x", "X": (radix, name) = (16, "hexadecimal")
      case "o", "O": (radix, name) = (8, "octal")
      default: (radix, name) = (2, "binary")
      }
      pos += 2
      var digits: [Unicode.Scalar] = []
      while true {
        if peek() == "_" {
          pos += 1
          guard let d = peek(), isDigit(d, radix: radix) else {
            throw error("invalid \(name) literal", column: column - 1)
          }
        }
        guard let d = peek(), isDigit(d, radix: radix) else { break }
        digits.append(d)
        pos += 1
      }
      if let d = peek(), d.isASCIIDigit, radix < 10 {
        throw error("invalid digit '\(d)' in \(name) literal", column: column)
      }
      if digits.isEmpty { throw error("invalid \(name) literal", column: column - 1) }
      try verifyEnd(name: name)
      return Token(.int(IntLiteral(digits: Lexer.string(digits[...]), radix: radix)), range(from: m))
    }
    var text: [Unicode.Scalar] = []
    var isFloat = false
    if peek() != "." { try decimalDigits(into: &text) }
    let integerPart = Lexer.string(text[...])
    if peek() == "." {
      isFloat = true
      pos += 1
      text.append(".")
      if let d = peek(), d.isASCIIDigit { try decimalDigits(into: &text) }
    }
    if let e = peek(), e == "e" || e == "E" {
      let sign = peek(1)
      var offset = 1
      if sign == "+" || sign == "-" { offset = 2 }
      if let d = peek(offset), d.isASCIIDigit {
        isFloat = true
        text.append("e")
        if offset == 2, let sign { text.append(sign) }
        pos += offset
        try decimalDigits(into: &text)
      } else if offset == 2 {
        throw error("invalid decimal literal", column: column + 1)
      } else if !startsKeyword(at: pos) {
        throw error("invalid decimal literal", column: column - 1)
      }
    }
    let literal = Lexer.string(text[...])
    // Swift's Double(_:) wants digits on both sides of the point.
    var normalized = literal.hasPrefix(".") ? "0" : ""
    var previous: Character = " "
    for ch in literal {
      if previous == ".", ch == "e" || ch == "E" { normalized.append("0") }
      normalized.append(ch)
      previous = ch
    }
    if normalized.hasSuffix(".") { normalized += "0" }
    if let j = peek(), j == "j" || j == "J" {
      pos += 1
      try verifyEnd(name: "imaginary")
      return Token(.imaginary(Double(normalized) ?? .infinity, text: literal), range(from: m))
    }
    try verifyEnd(name: "decimal")
    if isFloat {
      return Token(.float(Double(normalized) ?? .infinity, text: literal), range(from: m))
    }
    if integerPart.count > 1, integerPart.hasPrefix("0"), integerPart.contains(where: { $0 != "0" }) {
      throw SyntaxError(
        .syntaxError,
        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
        line: m.line, column: m.column, endColumn: m.column + 1)
    }
    return Token(.int(IntLiteral(digits: integerPart, radix: 10)), range(from: m))
  }

  func isDigit(_ c: Unicode.Scalar, radix: Int) -> Bool {
    switch radix {
    case 2: c == "0" || c == "1"
    case 8: c >= "0" && c <= "7"
    case 16: c.isASCIIHexDigit
    default: c.isASCIIDigit
    }
  }

  /// Digits with single underscores between them.
  mutating func decimalDigits(into text: inout [Unicode.Scalar]) throws(SyntaxError) {
    while true {
      guard let d = peek(), d.isASCIIDigit else { return }
      text.append(d)
      pos += 1
      if peek() == "_" {
        pos += 1
        guard let next = peek(), next.isASCIIDigit else { throw error("invalid decimal literal", column: column - 1) }
      }
    }
  }

  /// A number must not run into an identifier (`1abc`), except a keyword CPython allows
  /// there (`1if x else y`).
  func verifyEnd(name: String) throws(SyntaxError) {
    guard let c = peek(), isIdentifierContinue(c) || c.value >= 0x80 && isIdentifierStart(c) else { return }
    if startsKeyword(at: pos) { return }
    throw error("invalid \(name) literal", column: column - 1)
  }

  func startsKeyword(at i: Int) -> Bool {
    for keyword in ["and", "else", "for", "if", "in", "is", "not", "or"] {
      let k = Array(keyword.unicodeScalars)
      if i + k.count <= text.count, Array(text[i..<(i + k.count)]) == k { return true }
    }
    return false
  }
}

extension Unicode.Scalar {
  var isASCIIHexDigit: Bool { isASCIIDigit || (self >= "a" && self <= "f") || (self >= "A" && self <= "F") }
}

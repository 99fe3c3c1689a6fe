/// One token of Python source, with where it sits.
public typealias Token = Located<TokenKind>

/// Python's token kinds. Layout tokens (`newline`, `indent`, `dedent`) follow Python's
/// tokenizer; adjacent string literals stay separate tokens (the parser joins them).
public enum TokenKind: Hashable, Sendable {
  case name(String)
  case keyword(Keyword)
  case int(IntLiteral)
  /// A float literal: its value and its text (underscores removed).
  case float(Double, text: String)
  /// An imaginary literal (`2j`): its imaginary part.
  case imaginary(Double, text: String)
  case string(StringLiteral)
  case fstring(FStringLiteral)
  case op(Operator)
  case newline
  case indent
  case dedent
  case endOfFile
}

/// Python's keywords (not the soft keywords `match`, `case`, `_`, `type`).
public enum Keyword: String, Hashable, Sendable, CaseIterable {
  case False, None, True
  case and, `as`, assert, async, await, `break`, `class`, `continue`, def, del, elif, `else`
  case except, finally, `for`, from, global, `if`, `import`, `in`, `is`, lambda, nonlocal
  case not, or, pass, raise, `return`, `try`, `while`, with, yield

  static let byName: [String: Keyword] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// Python's operators and delimiters.
public enum Operator: String, Hashable, Sendable, CaseIterable {
  case plus = "+", minus = "-", star = "*", doubleStar = "**", slash = "/", doubleSlash = "//"
  case percent = "%", at = "@", leftShift = "<<", rightShift = ">>", ampersand = "&", pipe = "|"
  case caret = "^", tilde = "~", walrus = ":=", less = "<", greater = ">", lessEqual = "<="
  case greaterEqual = ">=", equalEqual = "==", notEqual = "!="
  case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
  case leftBrace = "{", rightBrace = "}", comma = ",", colon = ":", dot = ".", semicolon = ";"
  case equal = "=", arrow = "->", ellipsis = "..."
  case plusEqual = "+=", minusEqual = "-=", starEqual = "*=", slashEqual = "/=", doubleSlashEqual = "//="
  case percentEqual = "%=", atEqual = "@=", ampersandEqual = "&=", pipeEqual = "|=", caretEqual = "^="
  case rightShiftEqual = ">>=", leftShiftEqual = "<<=", doubleStarEqual = "**="

  static let byText: [String: Operator] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// An integer literal as written: its digits in its radix (underscores and prefix removed),
/// so an interpreter can build an arbitrary-precision int. `value` is set when it fits in `Int`.
public struct IntLiteral: Hashable, Sendable {
  public var digits: String
  public var radix: Int
  public var value: Int?

  public init(digits: String, radix: Int) {
    self.digits = digits
    self.radix = radix
    self.value = Int(digits, radix: radix)
  }

  /// The value in decimal digits, however large.
  public var decimalDigits: String {
    if let value { return String(value) }
    // Little-endian limbs of base 10^9.
    var limbs: [UInt64] = [0]
    for c in digits.unicodeScalars {
      guard let d = UInt64(String(c), radix: radix) else { continue }
      var carry = d
      for i in limbs.indices {
        let v = limbs[i] * UInt64(radix) + carry
        limbs[i] = v % 1_000_000_000
        carry = v / 1_000_000_000
      }
      while carry > 0 {
        limbs.append(carry % 1_000_000_000)
        carry /= 1_000_000_000
      }
    }
    var out = String(limbs.last ?? 0)
    for limb in limbs.dropLast().reversed() {
      let s = String(limb)
      out += String(repeating: "0", count: 9 - s.count) + s
    }
    return out
  }
}

/// A string or bytes literal, escapes decoded.
public struct StringLiteral: Hashable, Sendable {
  public enum Value: Hashable, Sendable {
    case string(String)
    case bytes([UInt8])
  }
  public var value: Value
  /// The prefix as written (`rb`, `U`, `""` …).
  public var prefix: String

  public init(value: Value, prefix: String) {
    self.value = value
    self.prefix = prefix
  }
}

/// An f-string literal: literal text and replacement fields, in order.
public struct FStringLiteral: Hashable, Sendable {
  public var parts: [FStringPart]
  public var prefix: String

  public init(parts: [FStringPart], prefix: String) {
    self.parts = parts
    self.prefix = prefix
  }
}

public enum FStringPart: Hashable, Sendable {
  case literal(String, SourceRange)
  case field(FStringField)
}

/// `{expr!r:spec}` in an f-string: the expression's tokens (without an end-of-file token),
/// its conversion (`s`, `r`, `a`), its format spec (itself literal text and fields), and for
/// the self-documenting form `{x = }` the text before the value (`"x = "`).
public struct FStringField: Hashable, Sendable {
  public var tokens: [Token]
  public var conversion: Character?
  public var formatSpec: [FStringPart]?
  public var selfDocumentingText: String?
  /// From the `{` to the `}`.
  public var range: SourceRange
  /// The expression's own range.
  public var expressionRange: SourceRange

  public init(
    tokens: [Token], conversion: Character?, formatSpec: [FStringPart]?, selfDocumentingText: String?,
    range: SourceRange, expressionRange: SourceRange
  ) {
    self.tokens = tokens
    self.conversion = conversion
    self.formatSpec = formatSpec
    self.selfDocumentingText = selfDocumentingText
    self.range = range
    self.expressionRange = expressionRange
  }
}

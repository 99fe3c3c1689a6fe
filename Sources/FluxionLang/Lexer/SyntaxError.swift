/// A source text Python would refuse to compile, with CPython 3.11's kind, message and position.
///
/// `line` and `column` are 1-based (CPython's `lineno` and `offset`); `endLine`/`endColumn`
/// bound the caret run. `rendered(source:filename:)` prints it as Python's traceback does.
public struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable {
    case syntaxError = "SyntaxError"
    case indentationError = "IndentationError"
    case tabError = "TabError"
    case recursionError = "RecursionError"
  }

  public var kind: Kind
  public var message: String
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int

  public init(
    _ kind: Kind = .syntaxError, _ message: String, line: Int, column: Int, endLine: Int? = nil,
    endColumn: Int? = nil
  ) {
    self.kind = kind
    self.message = message
    self.line = line
    self.column = column
    self.endLine = endLine ?? line
    self.endColumn = endColumn ?? (column + 1)
  }

  public init(_ kind: Kind = .syntaxError, _ message: String, at range: SourceRange) {
    self.init(
      kind, message, line: range.line, column: range.column, endLine: range.endLine,
      endColumn: range.endColumn)
  }

  /// `SyntaxError: invalid syntax (line 3, column 7)`.
  public var description: String { "\(kind.rawValue): \(message) (line \(line), column \(column))" }

  /// The error as Python prints it: the file and line, the source line, carets, the message.
  ///
  /// ```
  ///   File "<string>", line 1
  ///     x = (1, 2
  ///         ^
  /// SyntaxError: '(' was never closed
  /// ```
  public func rendered(source: String, filename: String = "<string>") -> String {
    // CPython's traceback._format_syntax_error, step by step.
    var out = "  File \"\(filename)\", line \(line)\n"
    let lines = Self.lines(of: source)
    if line >= 1, line <= lines.count {
      let text = Array(lines[line - 1])
      let spaces = text.prefix(while: { $0 == " " || $0 == "\u{0C}" }).count
      let stripped = text[spaces...]
      out += "    " + String(String.UnicodeScalarView(stripped)) + "\n"
      var end = endColumn == 0 ? column : endColumn
      if end == column || end == -1 { end = column + 1 }
      let start = column - 1 - spaces
      let stop = end - 1 - spaces
      if start >= 0 {
        // Tabs and other whitespace before the caret are kept, for alignment.
        let lead = stripped.prefix(start).map { $0.properties.isWhitespace ? String($0) : " " }.joined()
        out += "    " + lead + String(repeating: "^", count: max(0, stop - start)) + "\n"
      }
    }
    out += "\(kind.rawValue): \(message)"
    return out
  }

  static func lines(of source: String) -> [String.UnicodeScalarView.SubSequence] {
    var scalars = Substring(source).unicodeScalars
    if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
    var result: [String.UnicodeScalarView.SubSequence] = []
    var start = scalars.startIndex
    var i = start
    while i < scalars.endIndex {
      let c = scalars[i]
      if c == "\n" || c == "\r" {
        result.append(scalars[start..<i])
        var next = scalars.index(after: i)
        if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
        start = next
        i = next
      } else {
        i = scalars.index(after: i)
      }
    }
    result.append(scalars[start..<scalars.endIndex])
    return result
  }
}

/// A token or syntax node (`Token`, `Expr`, `Stmt`): what it is and where it sits.
public struct Located<Kind: Hashable & Sendable>: Hashable, Sendable {
  public var kind: Kind
  public var range: SourceRange

  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// Where a token or syntax node sits in the source: `line` and `column` are 1-based (columns
/// count Unicode scalars, as Python's carets do), the end is exclusive. `start` and `end` are
/// offsets in Unicode scalars from the beginning of the source (a UTF-8 BOM counts as one).
///
/// `SourceRange.sourceSpan` converts it to the engine's `SourceSpan` for jaxpr equations.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int
  public var start: Int
  public var end: Int

  public init(line: Int, column: Int, endLine: Int, endColumn: Int, start: Int, end: Int) {
    self.line = line
    self.column = column
    self.endLine = endLine
    self.endColumn = endColumn
    self.start = start
    self.end = end
  }

  /// The range from the start of `self` to the end of `other`.
  public func through(_ other: SourceRange) -> SourceRange {
    SourceRange(
      line: line, column: column, endLine: other.endLine, endColumn: other.endColumn, start: start,
      end: other.end)
  }

  /// `3:5-3:12`.
  public var description: String { "\(line):\(column)-\(endLine):\(endColumn)" }
}

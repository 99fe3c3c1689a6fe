import Fluxion

extension SourceRange {
  /// The engine's form of this range, written into jaxpr equations.
  public var sourceSpan: SourceSpan {
    SourceSpan(line: line, column: column, endLine: endLine, endColumn: endColumn)
  }

  /// The same, naming the source it is in.
  public func sourceSpan(in file: String) -> SourceSpan {
    SourceSpan(line: line, column: column, endLine: endLine, endColumn: endColumn, file: file)
  }
}

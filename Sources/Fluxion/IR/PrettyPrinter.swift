/// A document for the pretty printer JAX prints jaxprs with: text, breaks that print as their
/// text or as a newline, groups that print flat when they fit on the line, and indentation.
///
/// The layout rule is JAX's: a group prints flat exactly when its flat width fits in what is
/// left of the line (the text after the group does not count); otherwise its own breaks become
/// newlines at the current indentation, and the groups inside it decide for themselves.
indirect enum Doc: Sendable {
  case text(String)
  case concat([Doc])
  /// Prints as `text` in a flat group, or as a newline and the indentation.
  case brk(String)
  case group(Doc)
  case nest(Int, Doc)

  static let empty = Doc.concat([])
  static let breakSpace = Doc.brk(" ")

  static func + (a: Doc, b: Doc) -> Doc { .concat([a, b]) }

  /// `docs` with `separator` between them.
  static func join(_ separator: Doc, _ docs: [Doc]) -> Doc {
    var parts: [Doc] = []
    for (i, d) in docs.enumerated() {
      if i > 0 { parts.append(separator) }
      parts.append(d)
    }
    return parts.count == 1 ? parts[0] : .concat(parts)
  }

  func format(width: Int = 80) -> String {
    var out = ""
    var column = 0
    var agenda: [(indent: Int, flat: Bool, doc: Doc)] = [(0, false, self)]
    while let (indent, flat, doc) = agenda.popLast() {
      switch doc {
      case .text(let s):
        out += s
        column += s.count
      case .concat(let parts):
        for p in parts.reversed() { agenda.append((indent, flat, p)) }
      case .brk(let s):
        if flat {
          out += s
          column += s.count
        } else {
          out += "\n" + String(repeating: " ", count: indent)
          column = indent
        }
      case .nest(let n, let d):
        agenda.append((indent + n, flat, d))
      case .group(let d):
        agenda.append((indent, flat || column + d.flatWidth(limit: width - column + 1) <= width, d))
      }
    }
    return out
  }

  /// The width of the document printed flat, or more than `limit` when it is wider.
  func flatWidth(limit: Int) -> Int {
    var total = 0
    var agenda: [Doc] = [self]
    while let d = agenda.popLast(), total <= limit {
      switch d {
      case .text(let s), .brk(let s): total += s.count
      case .concat(let parts): agenda.append(contentsOf: parts.reversed())
      case .group(let inner), .nest(_, let inner): agenda.append(inner)
      }
    }
    return total
  }
}

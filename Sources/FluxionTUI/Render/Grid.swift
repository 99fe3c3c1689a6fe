/// A colour of the explorer's palette. Backends map it to what the terminal has (and to
/// nothing at all under NO_COLOR or on a monochrome terminal).
public enum Color: UInt8, Sendable, CaseIterable {
  case `default`, black, red, green, yellow, blue, magenta, cyan, white, gray
}

/// How a cell is drawn: colours and attributes.
public struct Style: Hashable, Sendable {
  public var foreground: Color
  public var background: Color
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  public init(
    _ foreground: Color = .default, background: Color = .default, bold: Bool = false, dim: Bool = false,
    reverse: Bool = false, underline: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  public static let plain = Style()
}

/// One terminal cell: a character and its style. A wide character (two columns) sits in its
/// first cell; the second holds `Cell.continuation`.
public struct Cell: Hashable, Sendable {
  public var character: Character
  public var style: Style

  public init(_ character: Character = " ", _ style: Style = .plain) {
    self.character = character
    self.style = style
  }

  /// The right half of a wide character.
  public static let continuation = Cell("\u{0}")
  public static let blank = Cell()
}

/// A rectangle of cells: what a view draws and a backend shows. Writes outside it are clipped.
public struct Grid: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  public subscript(x: Int, y: Int) -> Cell {
    get { contains(x, y) ? cells[y * width + x] : .blank }
    set { if contains(x, y) { cells[y * width + x] = newValue } }
  }

  public func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

  /// Writes `text` from column `x` of row `y`, at most `limit` columns (to the grid's edge by
  /// default); returns the column after the last one written.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
    let end = min(width, limit.map { x + max(0, $0) } ?? width)
    var col = x
    for ch in text {
      if ch == "\n" { break }
      let w = Self.columns(ch)
      if w == 0 { continue }
      if col + w > end { break }
      if col >= 0 {
        self[col, y] = Cell(ch, style)
        if w == 2 { self[col + 1, y] = Cell(Cell.continuation.character, style) }
      }
      col += w
    }
    return col
  }

  /// Fills a rectangle with one cell.
  public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with cell: Cell = .blank) {
    let (rows, cols) = clip(x: x, y: y, width: w, height: h)
    for row in rows {
      for col in cols { cells[row * width + col] = cell }
    }
  }

  /// The rows and columns of a rectangle that lie on the grid (empty ranges when none do).
  private func clip(x: Int, y: Int, width w: Int, height h: Int) -> (Range<Int>, Range<Int>) {
    let r0 = max(0, y), r1 = max(r0, min(height, y + max(0, h)))
    let c0 = max(0, x), c1 = max(c0, min(width, x + max(0, w)))
    return (r0..<r1, c0..<c1)
  }

  /// Sets the style of a rectangle, keeping its characters.
  public mutating func restyle(x: Int, y: Int, width w: Int, height h: Int, _ change: (inout Style) -> Void) {
    let (rows, cols) = clip(x: x, y: y, width: w, height: h)
    for row in rows {
      for col in cols { change(&cells[row * width + col].style) }
    }
  }

  /// Copies `other` with its top-left corner at (x, y), clipped.
  public mutating func paste(_ other: Grid, x: Int, y: Int) {
    for row in 0..<other.height {
      for col in 0..<other.width { self[x + col, y + row] = other.cells[row * other.width + col] }
    }
  }

  /// The rows as text (trailing spaces kept: every line is `width` columns).
  public var lines: [String] {
    (0..<height).map { row in
      var s = ""
      for col in 0..<width {
        let c = cells[row * width + col]
        if c.character != Cell.continuation.character { s.append(c.character) }
      }
      return s
    }
  }

  /// The rows as text without trailing spaces, joined by newlines.
  public var text: String {
    lines.map { line in
      var l = Substring(line)
      while l.last == " " { l = l.dropLast() }
      return String(l)
    }.joined(separator: "\n")
  }

  /// Terminal columns of a character: 0 for controls and combining marks, 2 for East Asian
  /// wide and most emoji, else 1.
  public static func columns(_ ch: Character) -> Int {
    guard let s = ch.unicodeScalars.first else { return 0 }
    let v = s.value
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    // Latin (below the combining marks), box drawing, blocks, shapes and braille: one column,
    // without a look-up of the general category (the plot and the frames are made of these).
    if v < 0x300 || (0x2500...0x28FF).contains(v) { return 1 }
    if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark { return 0 }
    if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
      || (0x20000...0x3FFFD).contains(v)
    {
      return 2
    }
    return 1
  }

  /// Terminal columns of a string.
  public static func columns(_ s: String) -> Int { s.reduce(0) { $0 + columns($1) } }
}

import Fluxion
import FluxionLang
import Foundation

/// A rectangle of the screen.
public struct Rect: Equatable, Sendable {
  public var x, y, width, height: Int
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }
}

/// Where the panes go for a terminal size.
public enum Layout {
  public static let minimumWidth = 40
  public static let minimumHeight = 12

  /// Whether every pane fits side by side (else one pane at a time under the function entry).
  public static func isFull(width: Int, height: Int) -> Bool { width >= 80 && height >= 24 }

  static func resultsWidth(_ width: Int) -> Int { max(30, width / 3) }

  /// The plot pane's width for a terminal width (its columns, borders included).
  public static func plotWidth(totalWidth: Int) -> Int {
    totalWidth >= 80 ? totalWidth - resultsWidth(totalWidth) : max(1, totalWidth)
  }
}

/// Box characters, or ASCII ones.
struct Boxes {
  let h, v, tl, tr, bl, br: Character
  static let unicode = Boxes(h: "─", v: "│", tl: "┌", tr: "┐", bl: "└", br: "┘")
  static let ascii = Boxes(h: "-", v: "|", tl: "+", tr: "+", bl: "+", br: "+")
}

extension Explorer {
  /// The whole screen for a state.
  public static func view(_ s: State) -> Grid {
    var g = Grid(width: s.width, height: s.height)
    guard s.width >= Layout.minimumWidth, s.height >= Layout.minimumHeight else {
      // The note, wrapped to whatever width there is.
      var lines: [String] = []
      for word in "terminal too small (\(Layout.minimumWidth)×\(Layout.minimumHeight) needed)".split(separator: " ") {
        if let last = lines.last, Grid.columns(last) + 1 + word.count <= s.width {
          lines[lines.count - 1] += " " + word
        } else {
          lines.append(String(word))
        }
      }
      for (k, line) in lines.enumerated() {
        g.put(line, x: max(0, (s.width - Grid.columns(line)) / 2), y: max(0, s.height / 2 - lines.count / 2) + k)
      }
      return s.ascii ? asciiOnly(g) : g
    }
    let boxes = s.ascii ? Boxes.ascii : Boxes.unicode
    let functionBox = Rect(x: 0, y: 0, width: s.width, height: 4)
    drawFunction(&g, functionBox, s, boxes)
    let body = Rect(x: 0, y: 4, width: s.width, height: s.height - 5)
    if Layout.isFull(width: s.width, height: s.height) {
      let bottom: Pane? = s.showWorkspace ? .workspace : s.showJaxpr ? .jaxpr : .jacobian
      let topHeight = max(10, body.height * 3 / 5)
      let rw = Layout.resultsWidth(s.width)
      drawPane(.plot, &g, Rect(x: 0, y: body.y, width: s.width - rw, height: topHeight), s, boxes)
      drawPane(.results, &g, Rect(x: s.width - rw, y: body.y, width: rw, height: topHeight), s, boxes)
      if let bottom {
        let r = Rect(x: 0, y: body.y + topHeight, width: s.width, height: body.height - topHeight)
        if bottom == .workspace && s.showJaxpr {
          drawPane(.workspace, &g, Rect(x: r.x, y: r.y, width: r.width / 2, height: r.height), s, boxes)
          drawPane(.jaxpr, &g, Rect(x: r.width / 2, y: r.y, width: r.width - r.width / 2, height: r.height), s, boxes)
        } else {
          drawPane(bottom, &g, r, s, boxes)
        }
      }
    } else {
      // One pane at a time: the focused one (the plot while the function is edited).
      let shown: Pane = s.focus == .function ? .plot : s.focus
      drawPane(shown, &g, body, s, boxes)
    }
    drawStatus(&g, Rect(x: 0, y: s.height - 1, width: s.width, height: 1), s)
    switch s.overlay {
    case .help?: drawHelp(&g, s, boxes)
    case .examples?: drawExamples(&g, s, boxes)
    case nil: break
    }
    if let p = s.prompt {
      // The export prompt, over the status bar.
      let y = s.height - 1
      g.fill(x: 0, y: y, width: s.width, height: 1)
      let label = "Export to (.svg/.txt plot, .csv Jacobian; Enter writes, Esc cancels): "
      let end = g.put(label, x: 1, y: y, style: Style(s.color ? .yellow : .default, bold: true))
      drawEditor(&g, p, x: end - 1, y: y, width: s.width - end + 1, focused: true, s, syntax: false)
    }
    return s.ascii ? asciiOnly(g) : g
  }

  /// ASCII mode: every character above U+007F replaced by an ASCII stand-in.
  static func asciiOnly(_ grid: Grid) -> Grid {
    var g = grid
    for y in 0..<g.height {
      for x in 0..<g.width {
        let c = g[x, y]
        guard let scalar = c.character.unicodeScalars.first,
          scalar.value >= 0x80 || c.character.unicodeScalars.count > 1
        else { continue }
        if c.character == Cell.continuation.character { continue }
        g[x, y] = Cell(asciiStandIn[c.character] ?? asciiDigit(scalar) ?? "?", c.style)
      }
    }
    return g
  }

  static let asciiStandIn: [Character: Character] = [
    "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "━": "-", "┅": ".", "×": "x", "·": ".",
    "…": ".", "✓": "+", "ᵢ": "i", "ⱼ": "j", "∂": "d", "↑": "^", "↓": "v", "←": "<", "→": ">", "—": "-",
    "▀": "^", "▄": "_", "█": "#",
  ]

  static func asciiDigit(_ s: Unicode.Scalar) -> Character? {
    (0x2080...0x2089).contains(s.value) ? Character(Unicode.Scalar(s.value - 0x2080 + 0x30)!) : nil
  }

  static func drawPane(_ p: Pane, _ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    switch p {
    case .function: drawFunction(&g, r, s, b)
    case .plot: PlotPane.draw(&g, r, s, b)
    case .results: drawResults(&g, r, s, b)
    case .jacobian: drawJacobian(&g, r, s, b)
    case .jaxpr: drawJaxpr(&g, r, s, b)
    case .workspace: drawWorkspace(&g, r, s, b)
    }
  }

  /// A border with a title; the focused pane's is highlighted. Returns the inner rectangle.
  @discardableResult
  static func box(_ g: inout Grid, _ r: Rect, title: String, focused: Bool, _ b: Boxes, _ s: State) -> Rect {
    guard r.width >= 2, r.height >= 2 else { return Rect(x: r.x, y: r.y, width: 0, height: 0) }
    let style = focused ? Style(s.color ? .cyan : .default, bold: true) : Style(s.color ? .gray : .default)
    let right = r.x + r.width - 1, bottom = r.y + r.height - 1
    for x in r.x...right {
      g[x, r.y] = Cell(b.h, style)
      g[x, bottom] = Cell(b.h, style)
    }
    for y in r.y...bottom {
      g[r.x, y] = Cell(b.v, style)
      g[right, y] = Cell(b.v, style)
    }
    g[r.x, r.y] = Cell(b.tl, style)
    g[right, r.y] = Cell(b.tr, style)
    g[r.x, bottom] = Cell(b.bl, style)
    g[right, bottom] = Cell(b.br, style)
    g.put(
      " \(title) ", x: r.x + 1, y: r.y, style: Style(focused && s.color ? .cyan : .default, bold: true),
      limit: r.width - 2)
    return Rect(x: r.x + 1, y: r.y + 1, width: r.width - 2, height: r.height - 2)
  }

  // MARK: - function entry

  static func drawFunction(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    var title = "f"
    if s.stale && s.error != nil { title += "  (results below are stale)" }
    let inner = box(&g, r, title: title, focused: s.focus == .function, b, s)
    drawEditor(
      &g, s.function, x: inner.x, y: inner.y, width: inner.width, focused: s.focus == .function, s, syntax: true)
    // The source of the equation stepped to, or of the one a NaN came from, underlined.
    if let sp = underlinedSpan(s), sp.file == "<function>", sp.line == 1, !s.stale {
      let first = max(0, s.function.cursor - (inner.width - 2) + 1)
      let end = sp.endLine == 1 ? sp.endColumn : s.function.text.count + 1
      let from = inner.x + 1 + max(0, sp.column - 1 - first)
      g.restyle(x: from, y: inner.y, width: max(0, end - 1 - first - max(0, sp.column - 1 - first)), height: 1) {
        $0.underline = true
        if s.color { $0.foreground = .red }
      }
    }
    // Errors of x, v, u and argnums show in the results pane, beside their fields.
    if let e = s.error, PointField(rawValue: e.source.rawValue) == nil {
      let red = Style(s.color ? .red : .default, bold: true)
      if e.source == .function, let c = e.column, (e.line ?? 1) == 1 {
        let caret =
          String(repeating: " ", count: min(c, max(0, inner.width - 1))) + "^"
          + String(repeating: "~", count: max(0, min(e.length, 40) - 1))
        let end = g.put(caret, x: inner.x + 1, y: inner.y + 1, style: red, limit: inner.width - 1)
        g.put(" " + e.summary, x: end, y: inner.y + 1, style: red, limit: inner.x + inner.width - end)
      } else {
        let place = e.source == .function ? "" : "(\(e.source.rawValue)\(e.line.map { " line \($0)" } ?? "")) "
        g.put(place + e.summary, x: inner.x + 1, y: inner.y + 1, style: red, limit: inner.width - 1)
      }
    }
  }

  /// The span the function's text underlines: the side-by-side view's selected equation while
  /// the jaxpr pane has the focus there, else the equation a NaN came from.
  static func underlinedSpan(_ s: State) -> SourceSpan? {
    if let e = s.evaluation, s.focus == .jaxpr, s.jaxprView == e.jaxprs.count, let programs = e.explained,
      programs.indices.contains(s.explainProgram)
    {
      let lines = programs[s.explainProgram].listing.equations
      return lines.indices.contains(s.explainRow) ? lines[s.explainRow].span : nil
    }
    return s.evaluation?.nonFinite?.span
  }

  /// A line editor's text (scrolled so the cursor shows), with the cursor cell reversed.
  static func drawEditor(
    _ g: inout Grid, _ e: LineEditor, x: Int, y: Int, width: Int, focused: Bool, _ s: State, syntax: Bool
  ) {
    guard width > 2 else { return }
    let room = width - 2
    let first = max(0, e.cursor - room + 1)
    let styles = syntax && s.color ? Syntax.styles(e.text) : Array(repeating: Style.plain, count: e.text.count)
    var col = x + 1
    var i = first
    while i < e.text.count, col < x + 1 + room {
      let ch = e.text[i]
      var st = styles[i]
      if focused && i == e.cursor { st.reverse = true }
      g[col, y] = Cell(Grid.columns(ch) == 1 ? ch : "?", st)
      col += 1
      i += 1
    }
    if focused && e.cursor >= e.text.count && col < x + width {
      g[col, y] = Cell(" ", Style(reverse: true))
    }
  }

  // MARK: - results

  static func drawResults(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    var title = "At x = \(s.fields[.x]?.string ?? "")"
    if s.stale { title += "  stale" }
    let inner = box(&g, r, title: title, focused: s.focus == .results, b, s)
    guard inner.height > 0 else { return }
    let dim = Style(s.stale ? .gray : .default, dim: s.stale)
    var y = inner.y
    if let e = s.evaluation {
      let labelWidth = 10
      let valueWidth = max(1, inner.width - labelWidth - 2)
      for row in e.results where y < inner.y + inner.height - 4 {
        g.put(row.label, x: inner.x + 1, y: y, style: Style(s.color ? .yellow : .default), limit: labelWidth)
        let room = valueWidth - (row.type.isEmpty ? 0 : row.type.count + 1)
        if Grid.columns(row.value) <= room {
          g.put(row.value, x: inner.x + 1 + labelWidth, y: y, style: dim, limit: room)
          if !row.type.isEmpty {
            g.put(row.type, x: inner.x + inner.width - 1 - row.type.count, y: y, style: Style(.gray, dim: true))
          }
          y += 1
          continue
        }
        // A long value: its type on the label's line, the value wrapped under it (three lines at most).
        g.put(row.type, x: inner.x + 1 + labelWidth, y: y, style: Style(.gray, dim: true), limit: valueWidth)
        y += 1
        let lines = wrap(row.value, width: inner.width - 4)
        for (k, line) in lines.prefix(3).enumerated() where y < inner.y + inner.height - 4 {
          let shown = k == 2 && lines.count > 3 ? String(line.prefix(inner.width - 5)) + "…" : line
          g.put(shown, x: inner.x + 3, y: y, style: dim, limit: inner.width - 4)
          y += 1
        }
      }
      if case .other(let what) = e.kind, y < inner.y + inner.height - 4 {
        g.put(what, x: inner.x + 1, y: y, style: Style(.gray), limit: inner.width - 2)
        y += 1
      }
      // Where a NaN or an inf came from (F4 shows the program with the equation marked), and
      // the workspace's warnings.
      let notes =
        (e.nonFinite.map { [($0.line, Color.red)] } ?? []) + e.warnings.map { ("⚠ " + $0, Color.yellow) }
      for (text, colour) in notes {
        for line in wrap(text, width: inner.width - 2).prefix(4) where y < inner.y + inner.height - 4 {
          g.put(
            line, x: inner.x + 1, y: y, style: Style(s.color ? colour : .default, bold: true), limit: inner.width - 2)
          y += 1
        }
      }
    } else if s.error == nil {
      g.put("evaluating…", x: inner.x + 1, y: y, style: Style(.gray), limit: inner.width - 2)
    }
    // The point and the directions, editable; an error in one of them on the line above.
    let fy = inner.y + inner.height - PointField.allCases.count
    if let e = s.error, PointField(rawValue: e.source.rawValue) != nil, fy - 1 > inner.y {
      g.put("\(e.source.rawValue): " + e.summary, x: inner.x + 1, y: fy - 1, style: Style(.red), limit: inner.width - 2)
    }
    for (k, field) in PointField.allCases.enumerated() where fy + k > inner.y {
      let focused = s.focus == .results && s.field == field
      let label = "\(field.rawValue) ="
      g.put(label, x: inner.x + 1, y: fy + k, style: Style(focused && s.color ? .cyan : .default, bold: focused))
      let editor = s.fields[field] ?? LineEditor()
      if editor.string.isEmpty && !focused {
        let hint =
          switch field {
          case .x: "1.0  (a tuple is several arguments)"
          case .v, .u: "ones (default)"
          case .argnums: "0  (for several arguments)"
          }
        g.put(
          hint, x: inner.x + label.count + 2, y: fy + k, style: Style(.gray, dim: true),
          limit: inner.width - label.count - 3)
      }
      drawEditor(
        &g, editor, x: inner.x + label.count + 1, y: fy + k, width: inner.width - label.count - 1, focused: focused, s,
        syntax: true)

    }
  }

  /// Lines of at most `width` columns, broken after a space where there is one.
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let piece = line.isEmpty ? String(word) : line + " " + word
      if piece.count <= width {
        line = piece
        continue
      }
      if !line.isEmpty { lines.append(line) }
      var w = Substring(word)
      while w.count > width {
        lines.append(String(w.prefix(width)))
        w = w.dropFirst(width)
      }
      line = String(w)
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  // MARK: - Jacobian

  static func drawJacobian(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    let j = s.jacobian
    var title = "Jacobian"
    if j.rows > 0 { title += " \(j.rows)×\(j.columns)  \(j.mode.rawValue)" }
    if j.rows > 0 && !j.done { title += "  \(j.lines)/\(j.mode == .rows ? j.rows : j.columns)" }
    if let c = j.check { title += "  \(c)" }
    if let gc = j.gradient { title += "  " + gradientVerdict(gc) }
    if j.showCheck { title += "  [relative error]" }
    if j.showStructure { title += "  [structure]" }
    if s.stale { title += "  stale" }
    let inner = box(&g, r, title: title, focused: s.focus == .jacobian, b, s)
    guard inner.height > 1, inner.width > 10 else { return }
    if let m = j.message {
      g.put(m, x: inner.x + 1, y: inner.y, style: Style(.gray), limit: inner.width - 2)
      return
    }
    guard j.rows > 0, j.columns > 0 else {
      g.put(s.error == nil ? "assembling…" : "", x: inner.x + 1, y: inner.y, style: Style(.gray))
      return
    }
    if j.showStructure {
      drawStructure(&g, inner, j, s)
      return
    }
    let cellWidth = 10, labelWidth = 8
    let visibleColumns = max(1, (inner.width - labelWidth - 1) / cellWidth)
    // Headings, the cursor's line and, with the check shown, its summary.
    let visibleRows = max(1, inner.height - (j.showCheck ? 3 : 2))
    let top = max(0, min(j.cursorRow - visibleRows + 1, j.rows - visibleRows)).clamped(to: 0...j.cursorRow)
    let left = max(0, j.cursorColumn - visibleColumns + 1)
    var biggest = 0.0
    for v in j.values where v.isFinite { biggest = max(biggest, abs(v)) }
    // Column headings.
    for c in 0..<min(visibleColumns, j.columns - left) {
      let head = "x\(left + c)"
      g.put(head, x: inner.x + labelWidth + c * cellWidth + cellWidth - head.count, y: inner.y, style: Style(.gray))
    }
    for k in 0..<min(visibleRows, j.rows - top) {
      let i = top + k
      let y = inner.y + 1 + k
      g.put("row \(i)", x: inner.x + 1, y: y, style: Style(.gray), limit: labelWidth - 1)
      for c in 0..<min(visibleColumns, j.columns - left) {
        let col = left + c
        let at = i * j.columns + col
        let done = j.isComputed(i, col)
        var text = done && at < j.values.count ? Format.short(j.values[at]) : "·"
        var st = Style.plain
        if j.showCheck {
          if let gc = j.gradient, gc.rows == j.rows, gc.columns == j.columns {
            let e = gc[i, col]
            text = e.kink ? "kink" : e.relativeError == 0 ? "0" : String(format: "%.0e", e.relativeError)
            if s.color {
              st.foreground =
                e.kink ? .magenta : !e.passed ? .red : e.relativeError > gc.tolerance / 100 ? .yellow : .green
              st.bold = !e.passed
            }
          } else {
            text = "·"
          }
        } else if done, at < j.values.count, s.color {
          let v = j.values[at]
          st.foreground = v > 0 ? .red : v < 0 ? .blue : .gray
          let size = biggest > 0 ? abs(v) / biggest : 0
          st.bold = size > 0.5
          st.dim = size < 0.1
        }
        if s.focus == .jacobian && i == j.cursorRow && col == j.cursorColumn { st.reverse = true }
        let cell = String(text.prefix(cellWidth - 1))
        g.put(cell, x: inner.x + labelWidth + c * cellWidth + cellWidth - cell.count, y: y, style: st)
      }
    }
    // The cell under the cursor, named.
    if j.cursorRow < j.rows, j.cursorColumn < j.columns {
      let at = j.cursorRow * j.columns + j.cursorColumn
      let done = j.isComputed(j.cursorRow, j.cursorColumn)
      let value = done && at < j.values.count ? Format.short(j.values[at]) : "…"
      var name =
        s.ascii
        ? "df[\(j.cursorRow)]/dx[\(j.cursorColumn)] = \(value)"
        : "∂f\(subscriptDigits(j.cursorRow))/∂x\(subscriptDigits(j.cursorColumn)) = \(value)"
      if let gc = j.gradient, gc.rows == j.rows, gc.columns == j.columns {
        let e = gc[j.cursorRow, j.cursorColumn]
        name += "   finite differences \(Format.short(e.fd))  relative error \(String(format: "%.1e", e.relativeError))"
        if e.kink { name += "  (straddles a kink)" }
        if j.showCheck, inner.height > 3 {
          g.put(
            gc.summary, x: inner.x + 1, y: inner.y + inner.height - 2,
            style: Style(s.color ? (gc.passed ? .green : .red) : .default), limit: inner.width - 2)
        }
      }
      g.put(
        name, x: inner.x + 1, y: inner.y + inner.height - 1, style: Style(s.color ? .yellow : .default),
        limit: inner.width - 2)
    }
  }

  /// The Jacobian's structure: singular values, rank and condition number, the Hessian's
  /// eigenvalues and verdict for a scalar f, and the sparsity pattern (a cell an entry, or a
  /// block of entries when the matrix is larger than the room: █ where the largest |Jᵢⱼ| in it
  /// is above 1e-6 of the largest of all, · elsewhere).
  static func drawStructure(_ g: inout Grid, _ r: Rect, _ j: JacobianState, _ s: State) {
    guard let st = j.structure else {
      g.put(j.done ? "structure: not available" : "computing…", x: r.x + 1, y: r.y, style: Style(.gray))
      return
    }
    var y = r.y
    var lines = [st.summary]
    if let values = st.hessianEigenvalues, let verdict = st.hessianVerdict {
      let shown = values.prefix(6).map { Format.short($0) }.joined(separator: ", ") + (values.count > 6 ? ", …" : "")
      lines.append("Hessian eigenvalues \(shown): \(verdict)")
    }
    for text in lines {
      for line in wrap(text, width: r.width - 2).prefix(2) where y < r.y + r.height {
        g.put(line, x: r.x + 1, y: y, style: Style(s.color ? .yellow : .default), limit: r.width - 2)
        y += 1
      }
    }
    let top = y + 1
    let height = r.y + r.height - top
    let width = r.width - 2
    guard height > 0, width > 0 else { return }
    let biggest = j.values.filter(\.isFinite).map(Swift.abs).max() ?? 0
    let blockRows = (j.rows + height - 1) / height
    let blockColumns = (j.columns + width - 1) / width
    let (rows, columns) = ((j.rows + blockRows - 1) / blockRows, (j.columns + blockColumns - 1) / blockColumns)
    let label =
      blockRows == 1 && blockColumns == 1
      ? "sparsity: one cell an entry" : "sparsity: one cell \(blockRows)×\(blockColumns) entries"
    g.put(label, x: r.x + 1, y: top - 1, style: Style(.gray), limit: width)
    for br in 0..<min(rows, height) {
      for bc in 0..<min(columns, width) {
        var most = 0.0
        for i in (br * blockRows)..<min(j.rows, (br + 1) * blockRows) {
          for k in (bc * blockColumns)..<min(j.columns, (bc + 1) * blockColumns) {
            let v = j.values[i * j.columns + k]
            most = max(most, v.isFinite ? abs(v) : .infinity)
          }
        }
        let on = most > 1e-6 * biggest
        g.put(
          on ? (s.ascii ? "#" : "█") : "·", x: r.x + 1 + bc, y: top + br,
          style: Style(on && s.color ? .cyan : .gray))
      }
    }
  }

  /// The gradient check's verdict in a few characters, for the Jacobian's title.
  static func gradientVerdict(_ gc: GradientCheck) -> String {
    switch gc.verdict {
    case .agree: "FD ✓"
    case .kink(let i, let k): "FD: kink at (\(i), \(k))"
    case .differ(let i, let k): "FD ✗ at (\(i), \(k))"
    }
  }

  static func subscriptDigits(_ n: Int) -> String {
    let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    return String(String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } })
  }

  // MARK: - jaxpr

  static func drawJaxpr(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    let names = s.evaluation?.jaxprViewTitles ?? []
    let view = min(s.jaxprView, max(0, names.count - 1))
    let title =
      "Jaxpr: " + names.enumerated().map { $0.offset == view ? "[\($0.element)]" : $0.element }.joined(separator: " ")
    let inner = box(&g, r, title: title + (s.stale ? "  stale" : ""), focused: s.focus == .jaxpr, b, s)
    guard let e = s.evaluation, names.indices.contains(view) else { return }
    guard e.hasJaxprView(view) else {
      g.put("tracing…", x: inner.x + 1, y: inner.y, style: Style(.gray), limit: inner.width - 1)
      return
    }
    if view == e.jaxprs.count, let programs = e.explained {
      drawExplained(&g, inner, programs, s)
      return
    }
    let lines = (e.jaxprs[view] ?? "").split(separator: "\n", omittingEmptySubsequences: false)
    // The equation a NaN came from, marked.
    let note = s.evaluation?.nonFinite
    let marked = note?.view == view ? note?.binder.map { $0 + " = " } : nil
    for (k, line) in lines.dropFirst(s.jaxprTop).prefix(inner.height).enumerated() {
      let isOrigin = marked.map { line.contains($0) } ?? false
      let style = isOrigin ? Style(s.color ? .red : .default, bold: true, reverse: true) : Style.plain
      g.put(String(line), x: inner.x + 1, y: inner.y + k, style: style, limit: inner.width - 1)
    }
  }

  /// The derivative explained: f, its linearized and its transposed program side by side, one
  /// line an equation (with its value at the point when `=` is on); the selected equation of
  /// the program stepped through is reversed, and spelled out on the last line.
  static func drawExplained(_ g: inout Grid, _ r: Rect, _ programs: [ExplainedProgram], _ s: State) {
    guard r.height > 3, r.width > 12, !programs.isEmpty else { return }
    let columns = programs.count
    let width = r.width / columns
    let selectedProgram = min(s.explainProgram, columns - 1)
    let rows = r.height - 3
    let top = max(0, s.explainRow - rows + 1)
    for (k, p) in programs.enumerated() {
      let x = r.x + k * width
      let focused = k == selectedProgram
      g.put(
        p.title, x: x + 1, y: r.y, style: Style(s.color && focused ? .cyan : .default, bold: true), limit: width - 2)
      g.put(p.listing.header, x: x + 1, y: r.y + 1, style: Style(.gray), limit: width - 2)
      for (row, line) in p.listing.equations.enumerated().dropFirst(top).prefix(rows - 1) {
        var text = "  " + line.text
        if s.explainValues, !line.values.isEmpty { text += "  ⇒ " + line.values.joined(separator: ", ") }
        let selected = focused && row == s.explainRow && s.focus == .jaxpr
        g.put(text, x: x + 1, y: r.y + 2 + row - top, style: Style(reverse: selected), limit: width - 2)
      }
      let end = r.y + 2 + min(rows - 1, p.listing.equations.count - top)
      if end < r.y + r.height - 1 {
        g.put(p.listing.footer, x: x + 1, y: end, style: Style(.gray), limit: width - 2)
      }
    }
    // The selected equation in full: its text, its value and where the user's code bound it.
    let p = programs[selectedProgram].listing
    guard p.equations.indices.contains(s.explainRow) else { return }
    let line = p.equations[s.explainRow]
    var full = "\(programs[selectedProgram].title): \(line.text)"
    if !line.values.isEmpty { full += "  ⇒ " + line.values.joined(separator: ", ") }
    if let sp = line.span { full += "   (line \(sp.line), columns \(sp.column)–\(sp.endColumn - 1))" }
    g.put(full, x: r.x + 1, y: r.y + r.height - 1, style: Style(s.color ? .yellow : .default), limit: r.width - 2)
  }

  // MARK: - workspace

  static func drawWorkspace(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    let inner = box(
      &g, r, title: "Workspace (setup code; the function may use its names)", focused: s.focus == .workspace, b, s)
    guard inner.height > 0 else { return }
    let outputLines = s.output.split(separator: "\n").suffix(max(0, inner.height / 3))
    let editorHeight = inner.height - outputLines.count - (outputLines.isEmpty ? 0 : 1)
    let ws = s.workspace
    let first = max(0, min(ws.row - editorHeight + 1, ws.lines.count - editorHeight))
    for k in 0..<min(editorHeight, ws.lines.count - first) {
      let row = first + k
      let number = String(row + 1)
      g.put(number, x: inner.x + 4 - number.count, y: inner.y + k, style: Style(.gray, dim: true))
      let errorHere = s.error.map { $0.source == .workspace && $0.line == row + 1 } ?? false
      drawEditor(
        &g, ws.lines[row], x: inner.x + 4, y: inner.y + k, width: inner.width - 4,
        focused: s.focus == .workspace && row == ws.row, s, syntax: true)
      if errorHere {
        g.restyle(x: inner.x, y: inner.y + k, width: 4, height: 1) { $0.foreground = .red }
      }
    }
    if !outputLines.isEmpty {
      let y0 = inner.y + editorHeight
      g.put("output", x: inner.x + 1, y: y0, style: Style(.gray, dim: true))
      for (k, line) in outputLines.enumerated() {
        g.put(String(line), x: inner.x + 1, y: y0 + 1 + k, style: Style(.green), limit: inner.width - 2)
      }
    }
  }

  // MARK: - status bar and overlays

  /// Key hints on the left, as many as fit beside the right side: status, evaluation, x64
  /// (which wins the room; at least the eval time's 24 columns are kept for it).
  static func drawStatus(_ g: inout Grid, _ r: Rect, _ s: State) {
    var right: String
    if let since = s.evaluatingSince {
      let t = max(0, s.now.timeIntervalSince(since))
      right = t < 0.2 ? "" : String(format: "evaluating… %.1f s  Esc stops", t)
    } else if let e = s.evaluation {
      right = String(format: "eval %.1f ms", e.milliseconds)
    } else {
      right = ""
    }
    if let st = s.status { right = st + (right.isEmpty ? "" : "  " + right) }
    if s.x64 { right = "x64  " + right }
    let rightWidth = min(r.width - 2, Grid.columns(right))
    var x = r.x + 1
    for hint in KeyTable.hints {
      guard x + hint.key.count + hint.does.count + 3 < r.width - max(24, rightWidth + 2) else { break }
      x = g.put(hint.key, x: x, y: r.y, style: Style(reverse: true))
      x = g.put(" \(hint.does)  ", x: x, y: r.y)
    }
    g.put(right, x: max(x, r.width - rightWidth - 1), y: r.y, style: Style(s.color ? .yellow : .default))
  }

  static func drawHelp(_ g: inout Grid, _ s: State, _ b: Boxes) {
    let w = min(s.width - 2, 116)
    let inner0 = w - 2
    let keyColumn = min(30, inner0 / 3), doesColumn = 11 + keyColumn + 2
    // One line a key row, or more where its text needs them (the keys and what they do wrap).
    var lines: [(context: String?, keys: String, does: String)] = []
    var last: KeyContext?
    for row in KeyTable.bindings {
      let keys = wrap(row.keyText, width: keyColumn - 1)
      let does = wrap(row.does, width: max(1, inner0 - doesColumn - 1))
      for k in 0..<max(keys.count, does.count) {
        let context = k == 0 && row.context != last ? row.context.rawValue : nil
        lines.append((context, k < keys.count ? keys[k] : "", k < does.count ? does[k] : ""))
      }
      last = row.context
    }
    let h = min(s.height - 2, lines.count + 2)
    let r = Rect(x: (s.width - w) / 2, y: (s.height - h) / 2, width: w, height: h)
    g.fill(x: r.x, y: r.y, width: r.width, height: r.height)
    let fits = lines.count <= h - 2
    let inner = box(&g, r, title: fits ? "Keys (Esc closes)" : "Keys (↑/↓ scroll, Esc closes)", focused: true, b, s)
    let top = fits ? 0 : max(0, min(s.helpTop, lines.count - inner.height))
    for (k, line) in lines.enumerated().dropFirst(top).prefix(inner.height) {
      let y = inner.y + k - top
      if let c = line.context {
        g.put(c, x: inner.x + 1, y: y, style: Style(s.color ? .yellow : .default, bold: true))
      }
      g.put(line.keys, x: inner.x + 12, y: y, style: Style(bold: true), limit: keyColumn)
      g.put(line.does, x: inner.x + doesColumn, y: y, limit: inner.width - doesColumn)
    }
  }

  static func drawExamples(_ g: inout Grid, _ s: State, _ b: Boxes) {
    let items = Examples.all
    let w = min(s.width - 2, 90), h = min(s.height - 2, max(items.count, 1) + 2)
    let r = Rect(x: (s.width - w) / 2, y: (s.height - h) / 2, width: w, height: h)
    g.fill(x: r.x, y: r.y, width: r.width, height: r.height)
    let inner = box(&g, r, title: "Examples (Enter opens, Esc closes)", focused: true, b, s)
    if items.isEmpty {
      g.put("no examples found next to the binary", x: inner.x + 1, y: inner.y, style: Style(.gray))
    }
    let first = max(0, s.menuIndex - inner.height + 1)
    for (k, e) in items.enumerated().dropFirst(first).prefix(inner.height) {
      let y = inner.y + k - first
      let chosen = k == s.menuIndex
      g.put(
        "\(k + 1). \(e.title)", x: inner.x + 1, y: y, style: Style(reverse: chosen), limit: inner.width - 2)
    }
  }
}

extension Comparable {
  func clamped(to r: ClosedRange<Self>) -> Self { min(max(self, r.lowerBound), r.upperBound) }
}

/// Python syntax colours for the line editors.
enum Syntax {
  static let keywords: Set<String> = [
    "lambda", "def", "return", "if", "else", "elif", "for", "in", "while", "and", "or", "not", "import", "from",
    "as", "class", "True", "False", "None", "is", "with", "pass", "yield", "raise", "try", "except",
  ]

  static func styles(_ text: [Character]) -> [Style] {
    var out = Array(repeating: Style.plain, count: text.count)
    var i = 0
    while i < text.count {
      let c = text[i]
      if c == "#" {
        for k in i..<text.count { out[k] = Style(.gray, dim: true) }
        break
      }
      if c == "\"" || c == "'" {
        var k = i + 1
        while k < text.count && text[k] != c { k += 1 }
        for m in i..<min(text.count, k + 1) { out[m] = Style(.green) }
        i = k + 1
        continue
      }
      if c.isNumber || (c == "." && i + 1 < text.count && text[i + 1].isNumber) {
        var k = i
        while k < text.count && (text[k].isNumber || text[k] == "." || text[k] == "e" || text[k] == "_") { k += 1 }
        for m in i..<k { out[m] = Style(.magenta) }
        i = k
        continue
      }
      if c.isLetter || c == "_" {
        var k = i
        while k < text.count && (text[k].isLetter || text[k].isNumber || text[k] == "_") { k += 1 }
        let word = String(text[i..<k])
        if keywords.contains(word) {
          for m in i..<k { out[m] = Style(.blue, bold: true) }
        } else if k < text.count && text[k] == "(" {
          for m in i..<k { out[m] = Style(.cyan) }
        }
        i = k
        continue
      }
      i += 1
    }
    return out
  }
}

/// A one-line text field with readline's keys, history and undo. Positions count characters.
public struct LineEditor: Equatable, Sendable {
  public private(set) var text: [Character]
  public private(set) var cursor: Int
  public var history: [String] = []
  private var historyIndex: Int? = nil
  private var draft: [Character] = []
  private var undoStack: [[Character]] = []
  private var killed: [Character] = []

  public init(_ text: String = "") {
    self.text = Array(text)
    cursor = self.text.count
  }

  public var string: String { String(text) }

  /// Replaces the text (loading an example, a session), cursor at the end.
  public mutating func set(_ s: String) {
    save()
    text = Array(s)
    cursor = text.count
    historyIndex = nil
  }

  /// Records the current text in the history (when it is new and not empty).
  public mutating func commitToHistory() {
    let s = string
    guard !s.isEmpty, history.last != s else { return }
    history.append(s)
    if history.count > 500 { history.removeFirst(history.count - 500) }
    historyIndex = nil
  }

  /// Applies an editing key; returns whether the key was an editing key (the text or the
  /// cursor may have changed).
  public mutating func handle(_ key: Key, multiLineHistory: Bool = true) -> Bool {
    switch key {
    case .char(let c):
      save()
      text.insert(c, at: cursor)
      cursor += 1
    case .paste(let s):
      save()
      let clean = s.filter { $0 != "\n" && $0 != "\r" && $0 != "\t" }
      text.insert(contentsOf: clean, at: cursor)
      cursor += clean.count
    case .left, .ctrl("b"): cursor = max(0, cursor - 1)
    case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
    case .home, .ctrl("a"): cursor = 0
    case .end, .ctrl("e"): cursor = text.count
    case .backspace, .ctrl("h"):
      guard cursor > 0 else { return true }
      save()
      text.remove(at: cursor - 1)
      cursor -= 1
    case .delete, .ctrl("d"):
      guard cursor < text.count else { return true }
      save()
      text.remove(at: cursor)
    case .ctrl("k"):
      save()
      killed = Array(text[cursor...])
      text.removeSubrange(cursor...)
    case .ctrl("u"):
      save()
      killed = Array(text[..<cursor])
      text.removeSubrange(..<cursor)
      cursor = 0
    case .ctrl("w"):
      save()
      let start = wordStart(before: cursor)
      killed = Array(text[start..<cursor])
      text.removeSubrange(start..<cursor)
      cursor = start
    case .ctrl("y"):
      save()
      text.insert(contentsOf: killed, at: cursor)
      cursor += killed.count
    case .alt("b"): cursor = wordStart(before: cursor)
    case .alt("f"): cursor = wordEnd(after: cursor)
    case .ctrl("_"):
      guard let last = undoStack.popLast() else { return true }
      text = last
      cursor = min(cursor, text.count)
    case .up:
      guard !history.isEmpty else { return true }
      let i: Int
      if let h = historyIndex {
        i = max(0, h - 1)
      } else {
        draft = text
        i = history.count - 1
      }
      historyIndex = i
      text = Array(history[i])
      cursor = text.count
    case .down:
      guard let h = historyIndex else { return true }
      if h + 1 < history.count {
        historyIndex = h + 1
        text = Array(history[h + 1])
      } else {
        historyIndex = nil
        text = draft
      }
      cursor = text.count
    default:
      return false
    }
    return true
  }

  private mutating func save() {
    if undoStack.last != text { undoStack.append(text) }
    if undoStack.count > 200 { undoStack.removeFirst() }
  }

  private func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

  private func wordStart(before i: Int) -> Int {
    var j = i
    while j > 0 && !isWord(text[j - 1]) { j -= 1 }
    while j > 0 && isWord(text[j - 1]) { j -= 1 }
    return j
  }

  private func wordEnd(after i: Int) -> Int {
    var j = i
    while j < text.count && !isWord(text[j]) { j += 1 }
    while j < text.count && isWord(text[j]) { j += 1 }
    return j
  }

  public static func == (a: LineEditor, b: LineEditor) -> Bool { a.text == b.text && a.cursor == b.cursor }
}

/// A multi-line text area (the workspace): lines, a cursor, the line editor's keys on the
/// current line, Enter to split, ↑/↓ between lines.
public struct TextArea: Equatable, Sendable {
  public private(set) var lines: [LineEditor]
  public private(set) var row: Int

  public init(_ text: String = "") {
    lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { LineEditor(String($0)) }
    if lines.isEmpty { lines = [LineEditor()] }
    row = lines.count - 1
  }

  public var string: String { lines.map(\.string).joined(separator: "\n") }

  public mutating func set(_ s: String) { self = TextArea(s) }

  public mutating func handle(_ key: Key) -> Bool {
    switch key {
    case .enter:
      let line = lines[row]
      let head = String(line.text[..<line.cursor]), tail = String(line.text[line.cursor...])
      // Python blocks: a new line keeps the indentation, and one more after a colon.
      let indent = String(head.prefix { $0 == " " }) + (head.hasSuffix(":") ? "    " : "")
      lines[row] = LineEditor(head)
      var next = LineEditor(indent + tail)
      for _ in 0..<tail.count { _ = next.handle(.left) }
      lines.insert(next, at: row + 1)
      row += 1
    case .up:
      guard row > 0 else { return true }
      move(to: row - 1)
    case .down:
      guard row + 1 < lines.count else { return true }
      move(to: row + 1)
    case .backspace where lines[row].cursor == 0 && row > 0:
      let tail = lines[row].string
      lines.remove(at: row)
      row -= 1
      var joined = LineEditor(lines[row].string + tail)
      for _ in 0..<tail.count { _ = joined.handle(.left) }
      lines[row] = joined
    case .delete where lines[row].cursor == lines[row].text.count && row + 1 < lines.count:
      let next = lines.remove(at: row + 1).string
      var joined = LineEditor(lines[row].string + next)
      for _ in 0..<next.count { _ = joined.handle(.left) }
      lines[row] = joined
    case .paste(let s):
      for ch in s {
        if ch == "\n" {
          _ = handle(.enter)
        } else if ch != "\r" {
          _ = lines[row].handle(.char(ch))
        }
      }
    case .pageUp: move(to: max(0, row - 10))
    case .pageDown: move(to: min(lines.count - 1, row + 10))
    default:
      return lines[row].handle(key)
    }
    return true
  }

  private mutating func move(to r: Int) {
    let column = lines[row].cursor
    row = r
    var line = lines[r]
    _ = line.handle(.end)
    for _ in 0..<max(0, line.text.count - column) { _ = line.handle(.left) }
    lines[r] = line
  }
}

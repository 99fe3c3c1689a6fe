/// A key as the explorer sees it, decoded by the terminal backend.
public enum Key: Hashable, Sendable {
  /// A printable character.
  case char(Character)
  /// Ctrl with a letter (lowercase) or `_`.
  case ctrl(Character)
  /// Alt (Meta) with a character.
  case alt(Character)
  case enter, tab, backTab, backspace, delete, escape
  case up, down, left, right, home, end, pageUp, pageDown
  case shiftUp, shiftDown, shiftLeft, shiftRight
  case function(Int)
  /// A bracketed paste, whole.
  case paste(String)
  case wheelUp, wheelDown

  /// How the help overlay and the status bar name the key.
  public var label: String {
    switch self {
    case .char(let c): c == " " ? "Space" : String(c)
    case .ctrl(let c): "Ctrl-\(String(c).uppercased())"
    case .alt(let c): "Alt-\(String(c).uppercased())"
    case .enter: "Enter"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .backspace: "Backspace"
    case .delete: "Delete"
    case .escape: "Esc"
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .home: "Home"
    case .end: "End"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .shiftUp: "Shift-↑"
    case .shiftDown: "Shift-↓"
    case .shiftLeft: "Shift-←"
    case .shiftRight: "Shift-→"
    case .function(let n): "F\(n)"
    case .paste: "paste"
    case .wheelUp: "wheel up"
    case .wheelDown: "wheel down"
    }
  }
}

/// Where a key binding applies.
public enum KeyContext: String, Sendable, CaseIterable {
  case anywhere, textField = "text field", plot, jacobian = "Jacobian", jaxpr, menu
}

/// What a bound key does.
public enum Action: Hashable, Sendable {
  case nextPane, previousPane, help, examples, workspace, jaxpr
  case escape, interrupt, quit, save, load, export, toggleX64, suspend
  case edit  // a text field's own editing keys (LineEditor)
  case plotCursorLeft, plotCursorRight, zoomIn, zoomOut, panLeft, panRight, panUp, panDown
  case toggleAutoscale, toggleTangent, toggleTaylor, resetRange
  case cellUp, cellDown, cellLeft, cellRight, scrollUp, scrollDown, jacobianMode, gradientCheckView, structureView
  case jaxprNextView, jaxprPreviousView, explainNext, explainPrevious, explainProgram, explainValues
  case menuUp, menuDown, menuChoose
}

/// One row of the key table: the keys, where they apply, what they do.
public struct KeyBinding: Sendable {
  public let context: KeyContext
  public let keys: [Key]
  /// The keys as the help overlay shows them, when not just their labels.
  public let spelled: String?
  public let does: String
  /// One action for every key, or one a key (in the order of `keys`).
  public let actions: [Action]

  init(_ context: KeyContext, _ keys: [Key], _ spelled: String? = nil, _ does: String, _ actions: Action...) {
    self.context = context
    self.keys = keys
    self.spelled = spelled
    self.does = does
    self.actions = actions
  }

  /// What `key` does here, if it is one of this row's keys.
  public func action(for key: Key) -> Action? {
    guard let i = keys.firstIndex(of: key) else { return nil }
    return actions.count == keys.count ? actions[i] : actions.first
  }

  public var keyText: String { spelled ?? keys.map(\.label).joined(separator: " / ") }
}

/// The key table (TUI.md "Focus and keys"): the key handling, the help overlay and the status
/// bar all read it.
public enum KeyTable {
  public static let bindings: [KeyBinding] = [
    KeyBinding(.anywhere, [.tab, .backTab], "Tab / Shift-Tab", "next / previous pane", .nextPane, .previousPane),
    KeyBinding(.anywhere, [.function(1)], "F1 (or ? outside text fields)", "help: every key", .help),
    KeyBinding(.anywhere, [.function(2)], nil, "examples menu", .examples),
    KeyBinding(.anywhere, [.function(3)], nil, "workspace (setup code)", .workspace),
    KeyBinding(.anywhere, [.function(4)], nil, "jaxpr pane (f, grad f, optimised)", .jaxpr),
    KeyBinding(
      .anywhere, [.escape], nil, "close an overlay, leave a field, cancel an evaluation", .escape),
    KeyBinding(.anywhere, [.ctrl("c")], nil, "cancel a running evaluation; when nothing runs, quit", .interrupt),
    KeyBinding(.anywhere, [.ctrl("q"), .function(10)], "Ctrl-Q / F10 (q outside text)", "quit", .quit),
    KeyBinding(.anywhere, [.ctrl("s")], nil, "save the session", .save),
    KeyBinding(.anywhere, [.ctrl("o")], nil, "load the saved session", .load),
    KeyBinding(.anywhere, [.ctrl("e")], nil, "export: plot as SVG and text, Jacobian as CSV", .export),
    KeyBinding(.anywhere, [.ctrl("x")], nil, "toggle x64 (64-bit floats), re-evaluating", .toggleX64),
    KeyBinding(.anywhere, [.ctrl("z")], nil, "suspend to the shell (fg returns)", .suspend),
    KeyBinding(.textField, [], "←/→ Home/End Ctrl-A/E Alt-B/F", "move in the line, as readline", .edit),
    KeyBinding(.textField, [], "Backspace Delete Ctrl-K/U/W/Y", "delete; kill to end / start / word; yank", .edit),
    KeyBinding(.textField, [], "↑/↓", "history (f), lines (workspace), fields (x, v, u)", .edit),
    KeyBinding(.textField, [], "Ctrl-_", "undo", .edit),
    KeyBinding(
      .plot, [.left, .right], "← / →", "move the cursor (the results follow it)", .plotCursorLeft, .plotCursorRight),
    KeyBinding(.plot, [.char("+"), .char("="), .wheelUp], "+ / wheel up", "zoom in around the cursor", .zoomIn),
    KeyBinding(.plot, [.char("-"), .wheelDown], "- / wheel down", "zoom out", .zoomOut),
    KeyBinding(
      .plot, [.shiftLeft, .char("h"), .shiftRight, .char("l")], "Shift-← → / h l", "pan left / right", .panLeft,
      .panLeft, .panRight, .panRight),
    KeyBinding(
      .plot, [.shiftUp, .char("k"), .shiftDown, .char("j")], "Shift-↑ ↓ / k j", "pan up / down", .panUp, .panUp,
      .panDown, .panDown),
    KeyBinding(.plot, [.char("a")], nil, "autoscale on / off", .toggleAutoscale),
    KeyBinding(.plot, [.char("t")], nil, "tangent line on / off", .toggleTangent),
    KeyBinding(.plot, [.char("T")], nil, "Taylor polynomials of order 1 and 2 at the cursor", .toggleTaylor),
    KeyBinding(.plot, [.char("0")], nil, "reset the range", .resetRange),
    KeyBinding(
      .jacobian, [.up, .down, .left, .right], "arrows", "move the cell cursor (it names ∂fᵢ/∂xⱼ)", .cellUp, .cellDown,
      .cellLeft, .cellRight),
    KeyBinding(.jacobian, [.pageUp, .pageDown], "PgUp / PgDn", "scroll", .scrollUp, .scrollDown),
    KeyBinding(.jacobian, [.char("m")], nil, "rows via vjp(eᵢ) ↔ columns via jvp(eⱼ)", .jacobianMode),
    KeyBinding(
      .jacobian, [.char("c"), .char("s")], "c / s", "gradient check ↔ values; structure (σ, rank, Hessian, sparsity)",
      .gradientCheckView, .structureView),
    KeyBinding(
      .jaxpr, [.char("v"), .right, .char("V"), .left], "v / →, V / ←",
      "next, previous view: f, grad f, optimised, f · jvp · vjp side by side", .jaxprNextView, .jaxprNextView,
      .jaxprPreviousView, .jaxprPreviousView),
    KeyBinding(
      .jaxpr, [.char("n"), .char("p"), .char("w")], "n / p / w",
      "side by side: next / previous equation, next program (f → jvp → vjp)", .explainNext, .explainPrevious,
      .explainProgram),
    KeyBinding(.jaxpr, [.char("=")], nil, "side by side: values at the point on / off", .explainValues),
    KeyBinding(
      .jaxpr, [.up, .down, .pageUp, .pageDown], "↑ / ↓  PgUp / PgDn", "scroll the program", .cellUp, .cellDown,
      .scrollUp, .scrollDown),
    KeyBinding(.menu, [.up, .down], "↑ / ↓", "previous / next item", .menuUp, .menuDown),
    KeyBinding(.menu, [.enter], nil, "open the item", .menuChoose),
  ]

  /// The action of `key` in `context` (or anywhere), if the table binds it. In a text field
  /// printable keys are text; outside one, `?` and `q` also open help and quit.
  public static func action(for key: Key, in context: KeyContext, inTextField: Bool) -> Action? {
    if !inTextField {
      if key == .char("?") { return .help }
      if key == .char("q") && context != .menu { return .quit }
    }
    if key == .backTab { return .previousPane }
    for b in bindings where b.context == context { if let a = b.action(for: key) { return a } }
    for b in bindings where b.context == .anywhere { if let a = b.action(for: key) { return a } }
    return nil
  }

  /// The status bar's hints.
  public static let hints: [(key: String, does: String)] = [
    ("F1", "help"), ("Tab", "pane"), ("F2", "examples"), ("F3", "workspace"), ("F4", "jaxpr"),
    ("Ctrl-S", "save"), ("Ctrl-Q", "quit"),
  ]
}

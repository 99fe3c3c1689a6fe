import Foundation

/// The explorer's logic: `update(state, message) -> (state, commands)`, pure; commands run
/// engine work and come back as messages.
public enum Explorer {
  /// Samples of the plot for a terminal `width` columns wide (two braille dots a column over
  /// the plot's share of the width).
  public static func samples(forWidth width: Int) -> Int {
    max(16, min(1024, 2 * Layout.plotWidth(totalWidth: width)))
  }

  public static func update(_ state: State, _ message: Message) -> (State, [Command]) {
    var s = state
    var commands: [Command] = []
    switch message {
    case .resize(let w, let h):
      let resample = samples(forWidth: w) != samples(forWidth: s.width)
      s.width = w
      s.height = h
      if resample { commands.append(reevaluate(&s)) }
    case .tick(let date):
      s.now = date
    case .evaluated(let e):
      guard e.generation == s.generation else { break }
      // A NaN's origin that is new, or its program seen for the first time (the pane has just
      // opened): the jaxpr pane shows that program, at the marked equation.
      if let note = e.nonFinite, let view = note.view,
        note != s.evaluation?.nonFinite || s.evaluation?.hasJaxprView(view) != true,
        let binder = note.binder, e.jaxprs.indices.contains(view), let text = e.jaxprs[view]
      {
        s.jaxprView = view
        let line = text.split(separator: "\n").firstIndex { $0.contains(binder + " = ") } ?? 0
        s.jaxprTop = max(0, line - 2)
      }
      s.evaluation = e
      s.evaluatedGeneration = e.generation
      if s.jacobian.generation == e.generation && s.jacobian.done { s.finishedGeneration = e.generation }
      s.stale = false
      s.error = nil
      s.output = e.output
      s.evaluatingSince = nil
      if s.jaxprView >= e.jaxprViewCount { s.jaxprView = 0 }
      // The view shown was not traced (the views changed with the text): trace it.
      if s.showJaxpr && !e.hasJaxprView(s.jaxprView) { commands.append(reevaluateKeepingStatus(&s)) }
    case .failed(let g, let error, let output):
      guard g == s.generation else { break }
      s.error = error
      s.stale = s.evaluation != nil
      s.output = output
      s.evaluatingSince = nil
      s.jacobian.done = true
      s.evaluatedGeneration = g
      s.finishedGeneration = g
    case .jacobianStarted(let g, let rows, let columns, let mode):
      guard g == s.generation else { break }
      var j = JacobianState()
      j.generation = g
      j.rows = rows
      j.columns = columns
      j.mode = mode
      j.values = Array(repeating: .nan, count: rows * columns)
      j.cursorRow = min(s.jacobian.cursorRow, max(0, rows - 1))
      j.cursorColumn = min(s.jacobian.cursorColumn, max(0, columns - 1))
      // The views chosen stay chosen for the next matrix.
      j.showCheck = s.jacobian.showCheck
      j.showStructure = s.jacobian.showStructure
      s.jacobian = j
    case .jacobianLine(let g, let index, let values):
      guard g == s.generation, g == s.jacobian.generation else { break }
      let j = s.jacobian
      for (k, v) in values.enumerated() {
        let at = j.mode == .rows ? index * j.columns + k : k * j.columns + index
        if at < s.jacobian.values.count { s.jacobian.values[at] = v }
      }
      s.jacobian.lines = max(s.jacobian.lines, index + 1)
    case .jacobianFinished(let g, let check, let gradient, let structure):
      guard g == s.generation, g == s.jacobian.generation else { break }
      s.jacobian.done = true
      s.jacobian.check = check
      s.jacobian.gradient = gradient
      s.jacobian.structure = structure
      if s.evaluatedGeneration == g { s.finishedGeneration = g }
    case .jacobianUnavailable(let g, let reason):
      guard g == s.generation else { break }
      var j = JacobianState()
      j.generation = g
      j.mode = s.jacobian.mode
      j.showCheck = s.jacobian.showCheck
      j.showStructure = s.jacobian.showStructure
      j.message = reason
      j.done = true
      s.jacobian = j
      if s.evaluatedGeneration == g { s.finishedGeneration = g }
    case .key(let key):
      commands += handle(key, &s)
    }
    return (s, commands)
  }

  /// A new generation of the inputs: the old results stay, marked stale, until it arrives.
  static func reevaluate(_ s: inout State) -> Command {
    s.generation += 1
    s.stale = s.evaluation != nil
    s.evaluatingSince = s.now
    s.status = nil
    return .evaluate(s.request(samples: samples(forWidth: s.width)))
  }

  /// The same, keeping the status line's message (a view traced on demand is no new input).
  static func reevaluateKeepingStatus(_ s: inout State) -> Command {
    let status = s.status
    let c = reevaluate(&s)
    s.status = status
    return c
  }

  /// Keys a text field leaves to the table (the rest are editing keys or text).
  static let globalKeys: Set<Key> = [
    .tab, .backTab, .escape, .function(1), .function(2), .function(3), .function(4), .function(10), .ctrl("c"),
    .ctrl("q"), .ctrl("s"), .ctrl("o"), .ctrl("x"), .ctrl("z"),
  ]

  static func context(of s: State) -> KeyContext {
    if s.overlay == .examples { return .menu }
    switch s.focus {
    case .function, .results, .workspace: return .textField
    case .plot: return .plot
    case .jacobian: return .jacobian
    case .jaxpr: return .jaxpr
    }
  }

  static func handle(_ key: Key, _ s: inout State) -> [Command] {
    if s.overlay == .help {
      if key == .down || key == .pageDown {
        s.helpTop = min(s.helpTop + (key == .down ? 1 : 10), 2 * KeyTable.bindings.count)
      }
      if key == .up || key == .pageUp { s.helpTop = max(0, s.helpTop - (key == .up ? 1 : 10)) }
      if key == .escape || key == .function(1) || key == .char("?") || key == .char("q") || key == .enter {
        s.overlay = nil
      }
      return key == .ctrl("q") || key == .function(10) ? quit(&s) : []
    }
    if var p = s.prompt {
      switch key {
      case .escape, .ctrl("c"):
        s.prompt = nil
      case .enter:
        s.prompt = nil
        let name = p.string.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? [] : [.export(name)]
      default:
        _ = p.handle(key)
        s.prompt = p
      }
      return []
    }
    let ctx = context(of: s)
    if ctx == .textField && !globalKeys.contains(key) {
      return edit(key, &s)
    }
    guard let action = KeyTable.action(for: key, in: ctx, inTextField: ctx == .textField) else { return [] }
    return perform(action, &s)
  }

  static func quit(_ s: inout State) -> [Command] {
    s.quitting = true
    return [.quit]
  }

  static func edit(_ key: Key, _ s: inout State) -> [Command] {
    switch s.focus {
    case .function:
      if key == .enter {
        s.function.commitToHistory()
        return []
      }
      if case .paste(let text) = key, text.contains("\n") {
        // A multi-line paste is setup code: it goes to the workspace.
        _ = s.workspace.handle(.paste(text))
        s.showWorkspace = true
        return [reevaluate(&s)]
      }
      let before = s.function.string
      guard s.function.handle(key) else { return [] }
      return s.function.string == before ? [] : [reevaluate(&s)]
    case .results:
      switch key {
      case .up, .backTab:
        s.field = PointField.allCases[max(0, PointField.allCases.firstIndex(of: s.field)! - 1)]
        return []
      case .down, .enter:
        let i = PointField.allCases.firstIndex(of: s.field)!
        s.field = PointField.allCases[min(PointField.allCases.count - 1, i + 1)]
        return []
      default:
        var editor = s.fields[s.field] ?? LineEditor()
        let before = editor.string
        guard editor.handle(key) else { return [] }
        s.fields[s.field] = editor
        return editor.string == before ? [] : [reevaluate(&s)]
      }
    case .workspace:
      let before = s.workspace.string
      guard s.workspace.handle(key) else { return [] }
      return s.workspace.string == before ? [] : [reevaluate(&s)]
    default:
      return []
    }
  }

  static func perform(_ action: Action, _ s: inout State) -> [Command] {
    // The arrows and pages scroll the jaxpr pane's program.
    if s.focus == .jaxpr, let step = [Action.cellUp: -1, .cellDown: 1, .scrollUp: -10, .scrollDown: 10][action] {
      let text = s.evaluation.flatMap { $0.jaxprs.indices.contains(s.jaxprView) ? $0.jaxprs[s.jaxprView] : nil } ?? nil
      let lines = text?.split(separator: "\n").count ?? 0
      s.jaxprTop = max(0, min(s.jaxprTop + step, lines - 1))
      return []
    }
    switch action {
    case .nextPane, .previousPane:
      let panes = s.panes
      let i = panes.firstIndex(of: s.focus) ?? 0
      let step = action == .nextPane ? 1 : panes.count - 1
      s.focus = panes[(i + step) % panes.count]
    case .help:
      s.overlay = .help
      s.helpTop = 0
    case .examples:
      s.overlay = s.overlay == .examples ? nil : .examples
    case .workspace:
      s.showWorkspace.toggle()
      s.focus = s.showWorkspace ? .workspace : .function
    case .jaxpr:
      s.showJaxpr.toggle()
      s.focus = s.showJaxpr ? .jaxpr : .function
      // Evaluations made while the pane was hidden have no jaxprs.
      if s.showJaxpr { return [reevaluateKeepingStatus(&s)] }
    case .escape:
      if s.overlay != nil {
        s.overlay = nil
      } else if s.evaluatingSince != nil {
        s.evaluatingSince = nil
        s.status = "cancelled"
        return [.cancelEvaluation]
      } else if s.focus == .function || s.focus == .results || s.focus == .workspace {
        s.focus = .plot
      }
    case .interrupt:
      if s.evaluatingSince != nil {
        s.evaluatingSince = nil
        s.status = "cancelled"
        return [.cancelEvaluation]
      }
      return quit(&s)
    case .quit:
      return quit(&s)
    case .save: return [.save]
    case .load: return [.load]
    case .export:
      s.prompt = LineEditor(s.jacobian.rows > 1 && s.focus == .jacobian ? "jacobian.csv" : "fluxion-plot.svg")
    case .suspend: return [.suspend]
    case .toggleX64:
      s.x64.toggle()
      s.status = s.x64 ? "x64 on: 64-bit floats" : "x64 off: 32-bit floats"
      let status = s.status
      let c = reevaluate(&s)
      s.status = status
      return [c]
    case .edit:
      break
    case .plotCursorLeft, .plotCursorRight:
      return moveCursor(action == .plotCursorRight ? 1 : -1, &s)
    case .zoomIn, .zoomOut:
      let factor = action == .zoomIn ? 0.5 : 2.0
      let center = min(max(s.evaluation?.pointX ?? mid(s.range), s.range.lowerBound), s.range.upperBound)
      let lo = center - (center - s.range.lowerBound) * factor
      let hi = center + (s.range.upperBound - center) * factor
      guard hi - lo > 1e-9, hi - lo < 1e12 else { return [] }
      s.range = lo...hi
      return [reevaluate(&s)]
    case .panLeft, .panRight:
      let d = (s.range.upperBound - s.range.lowerBound) * (action == .panRight ? 0.2 : -0.2)
      s.range = (s.range.lowerBound + d)...(s.range.upperBound + d)
      return [reevaluate(&s)]
    case .panUp, .panDown:
      guard let y = s.yRange ?? currentYRange(s) else { return [] }
      let d = (y.upperBound - y.lowerBound) * (action == .panUp ? 0.2 : -0.2)
      s.autoscale = false
      s.yRange = (y.lowerBound + d)...(y.upperBound + d)
    case .toggleAutoscale:
      s.autoscale.toggle()
      s.yRange = s.autoscale ? nil : currentYRange(s)
      s.status = s.autoscale ? "autoscale on" : "autoscale off"
    case .toggleTangent:
      s.tangent.toggle()
    case .toggleTaylor:
      s.taylor.toggle()
      s.status = s.taylor ? "Taylor polynomials of order 1 and 2 at the cursor" : "Taylor view off"
      if s.taylor && s.evaluation?.curvature == nil { return [reevaluate(&s)] }
    case .resetRange:
      s.range = s.initialRange
      s.yRange = nil
      s.autoscale = true
      return [reevaluate(&s)]
    case .cellUp: s.jacobian.cursorRow = max(0, s.jacobian.cursorRow - 1)
    case .cellDown: s.jacobian.cursorRow = min(max(0, s.jacobian.rows - 1), s.jacobian.cursorRow + 1)
    case .cellLeft: s.jacobian.cursorColumn = max(0, s.jacobian.cursorColumn - 1)
    case .cellRight: s.jacobian.cursorColumn = min(max(0, s.jacobian.columns - 1), s.jacobian.cursorColumn + 1)
    case .scrollUp: s.jacobian.cursorRow = max(0, s.jacobian.cursorRow - 10)
    case .scrollDown: s.jacobian.cursorRow = min(max(0, s.jacobian.rows - 1), s.jacobian.cursorRow + 10)
    case .jacobianMode:
      s.jacobian.mode = s.jacobian.mode == .rows ? .columns : .rows
      return [reevaluate(&s)]
    case .gradientCheckView:
      s.jacobian.showCheck.toggle()
      s.jacobian.showStructure = false
    case .structureView:
      s.jacobian.showStructure.toggle()
      s.jacobian.showCheck = false
      if s.jacobian.showStructure && s.jacobian.structure == nil { return [reevaluate(&s)] }
    case .explainNext, .explainPrevious:
      let count =
        s.evaluation?.explained.map { p in
          p.indices.contains(s.explainProgram) ? p[s.explainProgram].listing.equations.count : 0
        } ?? 0
      s.explainRow = max(0, min(count - 1, s.explainRow + (action == .explainNext ? 1 : -1)))
    case .explainProgram:
      s.explainProgram = (s.explainProgram + 1) % 3
      s.explainRow = 0
    case .explainValues:
      s.explainValues.toggle()
    case .jaxprNextView, .jaxprPreviousView:
      let count = max(1, s.evaluation?.jaxprViewCount ?? 1)
      s.jaxprView = (s.jaxprView + (action == .jaxprNextView ? 1 : count - 1)) % count
      s.jaxprTop = 0
      // Only the view shown is traced: another is traced when it is chosen.
      if let e = s.evaluation, !e.hasJaxprView(s.jaxprView) { return [reevaluateKeepingStatus(&s)] }
    case .menuUp:
      s.menuIndex = max(0, s.menuIndex - 1)
    case .menuDown:
      s.menuIndex = min(Examples.all.count - 1, s.menuIndex + 1)
    case .menuChoose:
      guard Examples.all.indices.contains(s.menuIndex) else { return [] }
      s.overlay = nil
      load(Examples.all[s.menuIndex], into: &s)
      return [reevaluate(&s)]
    }
    return []
  }

  /// Loads an example (or a script file's header): function, workspace, point, range.
  public static func load(_ e: Example, into s: inout State) {
    s.function.set(e.function)
    s.workspace.set(e.workspace)
    s.fields[.x]?.set(e.x)
    s.fields[.v]?.set(e.v ?? "")
    s.fields[.u]?.set(e.u ?? "")
    s.range = e.range
    s.initialRange = e.range
    s.yRange = nil
    s.autoscale = true
    s.evaluation = nil
    s.error = nil
    s.jacobian = JacobianState()
    s.focus = .function
    s.status = e.title
  }

  static func mid(_ r: ClosedRange<Double>) -> Double { (r.lowerBound + r.upperBound) / 2 }

  /// The y range the plot shows now (autoscaled from the curves, or fixed).
  static func currentYRange(_ s: State) -> ClosedRange<Double>? {
    if let y = s.yRange { return y }
    return PlotPane.autoscaledRange(s)
  }

  /// Moves the point's x by one plot column (for a scalar x; else along the slice by 1/20 of
  /// the range, changing nothing but the status).
  static func moveCursor(_ direction: Int, _ s: inout State) -> [Command] {
    let columns = Double(max(8, Layout.plotWidth(totalWidth: s.width) - 8))
    let step = (s.range.upperBound - s.range.lowerBound) / columns
    guard let x = s.evaluation?.pointX ?? Double(s.fields[.x]?.string.trimmingCharacters(in: .whitespaces) ?? "")
    else {
      s.status = "the cursor follows x when x is a number"
      return []
    }
    let snapped = ((x + Double(direction) * step) / step).rounded() * step
    var nx = min(max(snapped, s.range.lowerBound), s.range.upperBound)
    if abs(nx) < step * 1e-6 { nx = 0 }
    s.fields[.x]?.set(Format.field(nx))
    return [reevaluate(&s)]
  }
}

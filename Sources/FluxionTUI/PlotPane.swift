/// The plot pane: the curves of the last evaluation, drawn by the plot module.
enum PlotPane {
  static func title(_ s: State) -> String {
    let r = s.range
    return "Plot on [\(Format.short(r.lowerBound)), \(Format.short(r.upperBound))]"
  }

  static func draw(_ g: inout Grid, _ r: Rect, _ s: State, _ b: Boxes) {
    let inner = Explorer.box(&g, r, title: title(s), focused: s.focus == .plot, b, s)
    guard inner.height > 0, let e = s.evaluation else { return }
    g.put("\(e.series.count) curves", x: inner.x + 1, y: inner.y, limit: inner.width - 2)
  }

  /// The y range autoscale gives the curves now.
  static func autoscaledRange(_ s: State) -> ClosedRange<Double>? {
    nil
  }
}

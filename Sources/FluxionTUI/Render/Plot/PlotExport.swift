import Foundation

/// A plot as plain text lines (the command line's output and the explorer's text export).
public enum PlotText {
  /// `height` lines of at most `width` columns: a title line (when `title` is given and there
  /// are two lines or more), then the plot; trailing spaces trimmed.
  public static func lines(_ canvas: PlotCanvas, width: Int, height: Int, title: String? = nil) -> [String] {
    let w = Swift.max(1, width)
    let h = Swift.max(1, height)
    var grid = Grid(width: w, height: h)
    var top = 0
    if let title, h >= 2 {
      grid.put(title, x: 0, y: 0)
      top = 1
    }
    canvas.draw(into: &grid, x: 0, y: top, width: w, height: h - top)
    return grid.text.components(separatedBy: "\n")
  }

  /// The lines joined, with a final newline.
  public static func render(_ canvas: PlotCanvas, width: Int, height: Int, title: String? = nil) -> String {
    lines(canvas, width: width, height: height, title: title).joined(separator: "\n") + "\n"
  }
}

/// A plot as a standalone SVG document: one polyline per unbroken piece of each curve (broken
/// where the terminal plot breaks them), axes, ticks with labels, a legend.
public enum PlotSVG {
  public static func document(_ canvas: PlotCanvas, width: Int = 720, height: Int = 440, title: String? = nil)
    -> String
  {
    let w = Double(Swift.max(120, Swift.min(20_000, width)))
    let h = Double(Swift.max(80, Swift.min(20_000, height)))
    let xr = canvas.x.widened
    let yr = canvas.yInterval
    let left = 64.0
    let right = 16.0
    let top = 32.0
    let bottom = 36.0
    let pw = w - left - right
    let ph = h - top - bottom
    func px(_ x: Double) -> Double { left + xr.fraction(x) * pw }
    func py(_ y: Double) -> Double { top + (yr.hi - y) / yr.width * ph }
    var out = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(n(w))" height="\(n(h))" viewBox="0 0 \(n(w)) \(n(h))" \
      font-family="monospace" font-size="11">

      """
    out += "<rect x=\"0\" y=\"0\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"white\"/>\n"
    out += "<defs><clipPath id=\"plot-area\"><rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(pw))\" "
    out += "height=\"\(n(ph))\"/></clipPath></defs>\n"
    // Legend / title.
    var legendX = left
    if let title {
      out += "<text x=\"\(n(left))\" y=\"18\" fill=\"black\">\(escape(title))</text>\n"
      legendX = left + Double(title.count) * 7 + 16
    }
    for (k, s) in canvas.series.enumerated() {
      let dash = k % 2 == 1 ? " stroke-dasharray=\"4 3\"" : ""
      out += "<line x1=\"\(n(legendX))\" y1=\"14\" x2=\"\(n(legendX + 18))\" y2=\"14\" stroke=\"\(hex(s.color, k))\" "
      out += "stroke-width=\"2\"\(dash)/>\n"
      out += "<text x=\"\(n(legendX + 22))\" y=\"18\" fill=\"black\">\(escape(s.label))</text>\n"
      legendX += 30 + Double(s.label.count) * 7
    }
    // Axes, ticks and labels.
    let xStep = PlotTicks.step(xr.lo, xr.hi, target: Swift.max(1, Int(pw / 80))) ?? xr.width
    let xTicks = PlotTicks.ticks(xr.lo, xr.hi, step: xStep)
    let yStep = PlotTicks.step(yr.lo, yr.hi, target: Swift.max(1, Int(ph / 50))) ?? yr.width
    let yTicks = PlotTicks.ticks(yr.lo, yr.hi, step: yStep)
    out += "<g stroke=\"#888\" stroke-width=\"1\" fill=\"none\">\n"
    out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(pw))\" height=\"\(n(ph))\"/>\n"
    for v in xTicks {
      out += "<line x1=\"\(n(px(v)))\" y1=\"\(n(top + ph))\" x2=\"\(n(px(v)))\" y2=\"\(n(top + ph + 5))\"/>\n"
    }
    for v in yTicks {
      out += "<line x1=\"\(n(left - 5))\" y1=\"\(n(py(v)))\" x2=\"\(n(left))\" y2=\"\(n(py(v)))\"/>\n"
    }
    if yr.lo < 0 && yr.hi > 0 {
      out += "<line x1=\"\(n(left))\" y1=\"\(n(py(0)))\" x2=\"\(n(left + pw))\" y2=\"\(n(py(0)))\" "
      out += "stroke-dasharray=\"2 3\"/>\n"
    }
    if xr.lo < 0 && xr.hi > 0 {
      out += "<line x1=\"\(n(px(0)))\" y1=\"\(n(top))\" x2=\"\(n(px(0)))\" y2=\"\(n(top + ph))\" "
      out += "stroke-dasharray=\"2 3\"/>\n"
    }
    out += "</g>\n<g fill=\"black\">\n"
    for (v, label) in zip(xTicks, PlotTicks.labels(xTicks, step: xStep)) {
      out += "<text x=\"\(n(px(v)))\" y=\"\(n(top + ph + 18))\" text-anchor=\"middle\">\(escape(label))</text>\n"
    }
    for (v, label) in zip(yTicks, PlotTicks.labels(yTicks, step: yStep)) {
      out += "<text x=\"\(n(left - 8))\" y=\"\(n(py(v) + 4))\" text-anchor=\"end\">\(escape(label))</text>\n"
    }
    out += "</g>\n"
    // Curves: each run clipped to a box a little larger than the plot, then one polyline per
    // piece that stays inside it.
    let box = (xmin: left - 2, xmax: left + pw + 2, ymin: top - 2, ymax: top + ph + 2)
    out += "<g clip-path=\"url(#plot-area)\" fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\">\n"
    if let t = canvas.tangent, t.x.isFinite, t.y.isFinite, t.slope.isFinite {
      let y0 = t.y + t.slope * (xr.lo - t.x)
      let y1 = t.y + t.slope * (xr.hi - t.x)
      if let (a, b, c, d) = PlotCurve.clip(
        px(xr.lo), py(y0), px(xr.hi), py(y1), xmin: box.xmin, xmax: box.xmax, ymin: box.ymin, ymax: box.ymax)
      {
        out += "<line x1=\"\(n(a))\" y1=\"\(n(b))\" x2=\"\(n(c))\" y2=\"\(n(d))\" stroke=\"#999\" "
        out += "stroke-dasharray=\"5 3\"/>\n"
      }
    }
    for (k, s) in canvas.series.enumerated() {
      let ys = Array(s.ys.prefix(s.count))
      let dash = k % 2 == 1 ? " stroke-dasharray=\"4 3\"" : ""
      let open = "<polyline stroke=\"\(hex(s.color, k))\"\(dash) points=\""
      for run in PlotCurve.runs(ys, visible: yr) {
        var piece: [(Double, Double)] = []
        func flush() {
          if piece.count >= 2 {
            out += open + piece.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
          }
          piece = []
        }
        if run.count == 1 {
          let (a, b) = (px(s.xs[run.lowerBound]), py(ys[run.lowerBound]))
          if a >= box.xmin && a <= box.xmax && b >= box.ymin && b <= box.ymax {
            out += "<circle cx=\"\(n(a))\" cy=\"\(n(b))\" r=\"1.5\" fill=\"\(hex(s.color, k))\" stroke=\"none\"/>\n"
          }
          continue
        }
        for i in (run.lowerBound + 1)..<run.upperBound {
          guard
            let (a, b, c, d) = PlotCurve.clip(
              px(s.xs[i - 1]), py(ys[i - 1]), px(s.xs[i]), py(ys[i]), xmin: box.xmin, xmax: box.xmax,
              ymin: box.ymin, ymax: box.ymax)
          else {
            flush()
            continue
          }
          if let last = piece.last, Swift.abs(last.0 - a) < 1e-9, Swift.abs(last.1 - b) < 1e-9 {
            piece.append((c, d))
          } else {
            flush()
            piece = [(a, b), (c, d)]
          }
        }
        flush()
      }
    }
    out += "</g>\n"
    if let c = canvas.cursor, c.isFinite, c >= xr.lo, c <= xr.hi {
      out += "<line x1=\"\(n(px(c)))\" y1=\"\(n(top))\" x2=\"\(n(px(c)))\" y2=\"\(n(top + ph))\" stroke=\"#666\"/>\n"
    }
    out += "</svg>\n"
    return out
  }

  /// A coordinate with two decimals at most.
  static func n(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded() && Swift.abs(r) < 1e15 { return String(Int(r)) }
    return PlotTicks.clean(String(format: "%.2f", r))
  }

  /// Text escaped for XML character data and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if ch.value < 0x20 && ch != "\t" && ch != "\n" { continue }
        out.unicodeScalars.append(ch)
      }
    }
    return out
  }

  /// SVG colours of the palette (the default colour takes the series' place in the palette).
  static func hex(_ c: Color, _ index: Int) -> String {
    switch c {
    case .default: return ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"][index % 6]
    case .black: return "#000000"
    case .red: return "#d62728"
    case .green: return "#2ca02c"
    case .yellow: return "#e6a000"
    case .blue: return "#1f4fd6"
    case .magenta: return "#b0309f"
    case .cyan: return "#1f8fb4"
    case .white: return "#bbbbbb"
    case .gray: return "#888888"
    }
  }
}

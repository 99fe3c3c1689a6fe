import FluxionExamples
import Foundation

/// An example the explorer can load: a workspace script whose header names the function, the
/// point and the plot range.
///
/// ```python
/// # Fluxion example: the seed's cube
/// # fn: lambda x: x**3
/// # x: 1.0
/// # range: -2 2
/// import jax.numpy as jnp
/// ```
public struct Example: Equatable, Sendable {
  public var title: String
  public var function: String
  public var x: String
  public var v: String?
  public var u: String?
  public var range: ClosedRange<Double>
  /// The whole script (its header lines are comments).
  public var workspace: String

  /// Reads a script's header; nil when it names no function (`# fn:`).
  public init?(script: String, name: String = "script") {
    var title = name, function: String?, x = "1.0", v: String?, u: String?
    var range: ClosedRange<Double> = -2...2
    for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
      guard line.hasPrefix("#") else { break }
      let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
      guard let colon = body.firstIndex(of: ":") else { continue }
      let key = body[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      switch key {
      case "fluxion example": title = value
      case "fn": function = value
      case "x": x = value
      case "v": v = value
      case "u": u = value
      case "range":
        let parts = value.split(separator: " ").compactMap { Double($0) }
        if parts.count == 2, parts[0] < parts[1], parts.allSatisfy(\.isFinite) { range = parts[0]...parts[1] }
      default: break
      }
    }
    guard let function else { return nil }
    self.title = title
    self.function = function
    self.x = x
    self.v = v
    self.u = u
    self.range = range
    workspace = script
  }
}

public enum Examples {
  /// The built-in examples (Resources/examples), the seed's cube first.
  public static let all: [Example] = ExampleFiles.all().compactMap { Example(script: $0.text, name: $0.name) }

  /// What the explorer shows at start: the first example, or the cube itself when the
  /// examples cannot be found.
  public static var first: Example {
    all.first
      ?? Example(
        script:
          "# Fluxion example: the seed's cube\n# fn: lambda x: x**3\n# x: 1.0\n# range: -2 2\nimport jax.numpy as jnp\n"
      )!
  }
}

/// Number formats of the panes.
public enum Format {
  /// Four significant digits, no `-0` (results, the Jacobian): whole numbers as integers, the
  /// rest as the plot's labels are.
  public static func short(_ d: Double) -> String {
    if d.isFinite, d == d.rounded(), abs(d) < 1e6 { return d == 0 ? "0" : String(Int(d)) }
    return PlotNumber.format(d)
  }

  /// A value for a text field (the cursor's x): six significant digits.
  public static func field(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e6 { return String(format: "%.1f", d) }
    return String(format: "%.6g", d)
  }
}

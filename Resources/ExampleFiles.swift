import Foundation

/// Where the explorer's built-in examples (Resources/examples/*.py) are: copied next to the
/// built binary by SwiftPM, or found in the source tree.
public enum ExampleFiles {
  /// The folder of example scripts, if it can be found (never traps: a binary moved away from
  /// its resources has no examples, and says so).
  public static var folder: URL? {
    let fm = FileManager.default
    var candidates: [URL] = []
    let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for dir in [exe, Bundle.main.bundleURL, Bundle.main.resourceURL].compactMap({ $0 }) {
      candidates.append(dir.appendingPathComponent("Fluxion_FluxionExamples.resources/examples"))
      candidates.append(dir.appendingPathComponent("Fluxion_FluxionExamples.bundle/examples"))
    }
    candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("examples"))
    return candidates.first { fm.fileExists(atPath: $0.path) }
  }

  /// The example scripts, by file name, in name order.
  public static func all() -> [(name: String, text: String)] {
    guard let folder,
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return names.filter { $0.hasSuffix(".py") }.sorted().compactMap { name in
      guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return nil }
      return (name, text)
    }
  }
}

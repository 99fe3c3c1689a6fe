import Foundation

/// A saved explorer session (TUI.md "Session files"): JSON with a `version`, written atomically
/// (temporary file, fsync, rename); a malformed or newer file is refused and left as it is.
public struct SessionFile: Codable, Equatable, Sendable {
  public static let currentVersion = 1

  public var version: Int
  public var workspace: String
  public var function: String
  public var x: String
  public var v: String
  public var u: String
  public var argnums: String?
  public var range: [Double]
  public var yRange: [Double]?
  public var autoscale: Bool
  public var tangent: Bool
  public var x64: Bool
  public var jacobianMode: String
  public var history: [String]

  public init(_ s: State) {
    version = Self.currentVersion
    workspace = s.workspace.string
    function = s.function.string
    x = s.fields[.x]?.string ?? ""
    v = s.fields[.v]?.string ?? ""
    u = s.fields[.u]?.string ?? ""
    argnums = s.fields[.argnums]?.string ?? ""
    range = [s.range.lowerBound, s.range.upperBound]
    yRange = s.yRange.map { [$0.lowerBound, $0.upperBound] }
    autoscale = s.autoscale
    tangent = s.tangent
    x64 = s.x64
    jacobianMode = s.jacobian.mode == .rows ? "rows" : "columns"
    history = s.function.history
  }

  /// Puts the session into a state (the panes' own state, size and options stay).
  public func apply(to s: inout State) {
    s.function.set(function)
    s.function.history = history
    s.workspace.set(workspace)
    s.fields[.x]?.set(x)
    s.fields[.v]?.set(v)
    s.fields[.u]?.set(u)
    s.fields[.argnums]?.set(argnums ?? "")
    s.range = range[0]...range[1]
    s.initialRange = s.range
    s.yRange = yRange.map { $0[0]...$0[1] }
    s.autoscale = autoscale
    s.tangent = tangent
    s.x64 = x64
    s.jacobian = JacobianState()
    s.jacobian.mode = jacobianMode == "columns" ? .columns : .rows
    s.evaluation = nil
    s.error = nil
  }

  /// Where sessions are kept: `$XDG_DATA_HOME/fluxion/session.json`, by default under
  /// `~/.local/share`.
  public static var defaultPath: String {
    let env = ProcessInfo.processInfo.environment
    let base =
      env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/share")
    return base + "/fluxion/session.json"
  }

  /// Reads a session; nil when there is no file; an error (with the reason) when it is
  /// malformed or from a newer Fluxion.
  public static func read(_ path: String) throws(SessionFileError) -> SessionFile? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SessionFileError("\(path): cannot be read")
    }
    return try parse(data, path: path)
  }

  /// A session file's contents, checked as `read` checks them (`path` names it in errors).
  public static func parse(_ data: Data, path: String) throws(SessionFileError) -> SessionFile {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw SessionFileError("\(path): not a JSON object; left as it is")
    }
    guard let version = object["version"] as? Int else {
      throw SessionFileError("\(path): no version field; left as it is")
    }
    guard version <= currentVersion else {
      throw SessionFileError(
        "\(path): version \(version) is newer than this Fluxion reads (\(currentVersion)); left as it is")
    }
    do {
      let file = try JSONDecoder().decode(SessionFile.self, from: data)
      guard file.range.count == 2, file.range[0] < file.range[1], file.range.allSatisfy(\.isFinite),
        file.yRange.map({ $0.count == 2 && $0[0] < $0[1] && $0.allSatisfy(\.isFinite) }) ?? true
      else { throw SessionFileError("\(path): a range is not two increasing finite numbers; left as it is") }
      return file
    } catch let e as SessionFileError {
      throw e
    } catch {
      throw SessionFileError("\(path): malformed (\(Self.describe(error))); left as it is")
    }
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): "no \(key.stringValue) field"
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
      "\(c.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
    default: "unreadable"
    }
  }

  /// Writes the session atomically: a temporary file beside it, fsync, then rename.
  public func write(_ path: String) throws(SessionFileError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    guard let data = try? encoder.encode(self) else { throw SessionFileError("the session cannot be encoded") }
    try Self.writeAtomically(data, to: path)
  }

  /// Writes `data` to `path` through a temporary file, fsync and rename, so a reader sees the
  /// old file or the new one, never part of one.
  public static func writeAtomically(_ data: Data, to path: String) throws(SessionFileError) {
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty {
      do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
        throw SessionFileError("\(dir): cannot be created")
      }
    }
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw SessionFileError("\(path): cannot be written (\(String(cString: strerror(errno))))") }
    let ok = data.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)  // invariant: count > 0 here
        if n <= 0 { return false }
        offset += n
      }
      return fsync(fd) == 0
    }
    close(fd)
    guard ok, rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw SessionFileError("\(path): cannot be written (\(reason))")
    }
    removeStaleTemporaries(of: path)
  }

  /// Removes temporary files a save killed midway left beside `path` (their process is gone).
  static func removeStaleTemporaries(of path: String) {
    let url = URL(fileURLWithPath: path)
    let prefix = url.lastPathComponent + ".tmp-"
    let dir = url.deletingLastPathComponent().path
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(prefix) {
      guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + name) }
    }
  }
}

public struct SessionFileError: Error, Equatable, CustomStringConvertible {
  public let description: String
  init(_ d: String) { description = d }
}

/// Exports (Ctrl-E): the plot as SVG or text, the Jacobian as CSV, by the name's extension.
public enum Export {
  /// The file's contents for `path`, or why there is nothing to write.
  public static func contents(for path: String, _ s: State) -> Result<Data, SessionFileError> {
    let ext = (path as NSString).pathExtension.lowercased()
    switch ext {
    case "csv":
      let j = s.jacobian
      guard j.rows > 0, j.columns > 0, j.done else { return .failure(SessionFileError("no Jacobian to export yet")) }
      var text = "row," + (0..<j.columns).map { "x\($0)" }.joined(separator: ",") + "\n"
      for i in 0..<j.rows {
        let row = (0..<j.columns).map { k -> String in
          let v = j.values[i * j.columns + k]
          return v.isNaN ? "nan" : v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)"
        }
        text += "\(i)," + row.joined(separator: ",") + "\n"
      }
      return .success(Data(text.utf8))
    case "svg", "txt", "text":
      guard var canvas = PlotPane.canvas(s) else { return .failure(SessionFileError("no plot to export yet")) }
      let title = "\(s.function.string) — \(PlotPane.title(s, canvas))"
      if ext == "svg" { return .success(Data(PlotSVG.document(canvas, title: title).utf8)) }
      canvas.marks = s.ascii ? .ascii : .braille
      return .success(Data((PlotText.render(canvas, width: 100, height: 30, title: title) + "\n").utf8))
    default:
      return .failure(SessionFileError("\(path): use .svg or .txt for the plot, .csv for the Jacobian"))
    }
  }
}

import Fluxion

/// A Python exception on its way up the interpreter's stack: its class name and message (what
/// Python's last traceback line shows), the exception object a script raised or caught, and
/// the frames it has left so far, innermost first.
///
/// Its fields sit behind one reference, so the error is a word wide: every compiled node
/// `throws(PyError)`, and a wide error would be copied through each of them on every call.
public struct PyError: Error {
  private struct Fields: Sendable {
    var kind: String
    var message: String
    var instanceID: Int?
    var frames: [TraceFrame] = []
    var pendingRange: SourceRange?
    var needsLocation = true
    var syntax: (filename: String, error: SyntaxError)?
    var engineError: FluxionError?
  }

  /// Immutable: a change makes a new box (errors change only while they unwind).
  private final class Storage: Sendable {
    let fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private var storage: Storage

  private mutating func change(_ body: (inout Fields) -> Void) {
    var f = storage.fields
    body(&f)
    storage = Storage(f)
  }

  /// The exception class's name: `TypeError`, `TracerBoolConversionError`, a script's own.
  public var kind: String {
    get { storage.fields.kind }
    set { change { $0.kind = newValue } }
  }
  public var message: String {
    get { storage.fields.message }
    set { change { $0.message = newValue } }
  }
  /// The exception object a script raised, by its number in the interpreter's table of
  /// raised objects (errors are Sendable values; the objects stay with their interpreter).
  public var instanceID: Int? {
    get { storage.fields.instanceID }
    set { change { $0.instanceID = newValue } }
  }
  /// Frames left so far, innermost first.
  public var frames: [TraceFrame] {
    get { storage.fields.frames }
    set { change { $0.frames = newValue } }
  }
  /// Where the error happened in the innermost frame not yet recorded (nil: not yet known).
  var pendingRange: SourceRange? {
    get { storage.fields.pendingRange }
    set { change { $0.pendingRange = newValue } }
  }
  /// Whether the innermost expression still has to record its range.
  var needsLocation: Bool {
    get { storage.fields.needsLocation }
    set { change { $0.needsLocation = newValue } }
  }
  /// For a SyntaxError (or IndentationError, TabError): the parser's error and its file.
  public var syntax: (filename: String, error: SyntaxError)? {
    get { storage.fields.syntax }
    set { change { $0.syntax = newValue } }
  }
  /// The engine error behind it, if any.
  public var engineError: FluxionError? {
    get { storage.fields.engineError }
    set { change { $0.engineError = newValue } }
  }

  public init(_ kind: String, _ message: String) {
    storage = Storage(Fields(kind: kind, message: message))
  }

  public init(_ e: FluxionError) {
    storage = Storage(Fields(kind: e.kind.rawValue, message: e.message, engineError: e))
  }

  static func type(_ m: String) -> PyError { PyError("TypeError", m) }
  static func value(_ m: String) -> PyError { PyError("ValueError", m) }
  static func name(_ n: String) -> PyError { PyError("NameError", "name '\(n)' is not defined") }
  static func attribute(_ m: String) -> PyError { PyError("AttributeError", m) }
  static func index(_ m: String) -> PyError { PyError("IndexError", m) }
  static func key(_ m: String) -> PyError { PyError("KeyError", m) }
  static func zeroDivision(_ m: String) -> PyError { PyError("ZeroDivisionError", m) }
  static func notImplemented(_ m: String) -> PyError { PyError("NotImplementedError", m) }
  static func overflow(_ m: String) -> PyError { PyError("OverflowError", m) }
  static func runtime(_ m: String) -> PyError { PyError("RuntimeError", m) }

  /// The last line of a traceback: `TypeError: message` (just the kind when there is none).
  public var summary: String { message.isEmpty ? kind : "\(kind): \(message)" }

  /// The first known source position, innermost: the line and 1-based column.
  public var position: (line: Int, column: Int)? {
    if let s = syntax { return (s.error.line, s.error.column) }
    if let r = frames.first?.range ?? pendingRange { return (r.line, r.column) }
    return nil
  }
}

/// One line of a traceback: the file, the function and the span that was running.
public struct TraceFrame: Sendable {
  public var filename: String
  public var function: String
  public var range: SourceRange?
}

/// Python's exception hierarchy, by name: each built-in exception class and its base.
let builtinExceptionBases: [(String, String?)] = [
  ("BaseException", nil),
  ("Exception", "BaseException"),
  ("KeyboardInterrupt", "BaseException"),
  ("SystemExit", "BaseException"),
  ("ArithmeticError", "Exception"),
  ("ZeroDivisionError", "ArithmeticError"),
  ("OverflowError", "ArithmeticError"),
  ("FloatingPointError", "ArithmeticError"),
  ("LookupError", "Exception"),
  ("IndexError", "LookupError"),
  ("KeyError", "LookupError"),
  ("ValueError", "Exception"),
  ("TypeError", "Exception"),
  ("NameError", "Exception"),
  ("UnboundLocalError", "NameError"),
  ("AttributeError", "Exception"),
  ("RuntimeError", "Exception"),
  ("RecursionError", "RuntimeError"),
  ("NotImplementedError", "RuntimeError"),
  ("AssertionError", "Exception"),
  ("StopIteration", "Exception"),
  ("ImportError", "Exception"),
  ("ModuleNotFoundError", "ImportError"),
  ("MemoryError", "Exception"),
  ("TimeoutError", "Exception"),
  ("SyntaxError", "Exception"),
  ("IndentationError", "SyntaxError"),
  ("TabError", "IndentationError"),
  // JAX's errors (jax.errors), with the bases JAX gives them.
  ("JAXTypeError", "TypeError"),
  ("ConcretizationTypeError", "TypeError"),
  ("TracerBoolConversionError", "ConcretizationTypeError"),
  ("TracerIntegerConversionError", "TypeError"),
  ("TracerArrayConversionError", "TypeError"),
  ("UnexpectedTracerError", "Exception"),
  ("XlaRuntimeError", "RuntimeError"),
  ("CancelledError", "BaseException"),
]

/// Python 3.11's traceback text for an error, with the source of each frame.
public enum Traceback {
  /// `Traceback (most recent call last):` and each frame, then `Kind: message`.
  public static func render(_ error: PyError, sources: [String: String]) -> String {
    if let (file, s) = error.syntax { return s.rendered(source: sources[file] ?? "", filename: file) }
    var out = ""
    if !error.frames.isEmpty { out += "Traceback (most recent call last):\n" }
    // As Python, a frame repeated more than three times in a row is counted, not printed.
    var previous: (String, Int, String)?
    var repeats = 0
    func flushRepeats() {
      if repeats > 3 {
        let n = repeats - 3
        out += "  [Previous line repeated \(n) more time\(n == 1 ? "" : "s")]\n"
      }
    }
    for frame in error.frames.reversed() {
      let line = frame.range?.line ?? 0
      let key = (frame.filename, line, frame.function)
      if let p = previous, p == key {
        repeats += 1
        if repeats > 3 { continue }
      } else {
        flushRepeats()
        previous = key
        repeats = 1
      }
      out += "  File \"\(frame.filename)\", line \(line), in \(frame.function)\n"
      guard let range = frame.range, let source = sources[frame.filename] else { continue }
      let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
      guard range.line >= 1, range.line <= lines.count else { continue }
      let text = String(lines[range.line - 1]).replacingOccurrences(of: "\r", with: "")
      let scalars = Array(text.unicodeScalars)
      let indent = scalars.prefix { $0 == " " || $0 == "\t" }.count
      let stripped = String(String.UnicodeScalarView(scalars[indent...]))
      out += "    \(stripped)\n"
      // Carets under the span, unless it covers the whole line (Python 3.11 omits them then).
      let start = range.column - 1
      let end = range.endLine == range.line ? range.endColumn - 1 : scalars.count
      let trimmedEnd = scalars.count - (scalars.reversed().prefix { $0 == " " }.count)
      if start <= indent && end >= trimmedEnd { continue }
      guard start >= indent, end > start else { continue }
      out += "    " + String(repeating: " ", count: start - indent) + String(repeating: "^", count: end - start) + "\n"
    }
    flushRepeats()
    out += error.summary
    return out
  }
}

extension Interpreter {
  /// Python's KeyError for `key`: its str is the key's repr, its args the key itself.
  func keyError(_ key: Value) -> PyError {
    var e = PyError("KeyError", (try? repr(key)) ?? "")
    if let cls = exceptionClasses["KeyError"] {
      let inst = PyInstance(cls)
      inst.attributes["args"] = .tuple([key])
      e.instanceID = remember(.object(inst))
    }
    return e
  }
}

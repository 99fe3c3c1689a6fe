import ArgumentParser
import Fluxion
import FluxionLang
import Foundation

/// Runs what a subcommand asks through one interpreter: the setup script, then the work, and
/// prints the result (or the traceback) as LANGUAGE.md's command line does.
struct Runner {
  let options: CommonOptions
  let interp = Interpreter()

  init(_ options: CommonOptions) {
    self.options = options
    interp.x64 = options.x64
  }

  /// Runs a script: its prints to stdout; with --json, then its last value (or error) as JSON.
  /// A script file's bytes: decoded (a file that is not UTF-8 is Python's SyntaxError), then run.
  func script(bytes: [UInt8], filename: String) throws {
    let source: String
    do { source = try interp.decodeSource(bytes, filename: filename) } catch { try fail(error) }
    try script(source, filename: filename)
  }

  func script(_ source: String, filename: String) throws {
    try runSetup()
    // A PRNG key given to two consuming calls is warned of on stderr (JAX is silent).
    let tracker = KeyReuseTracker()
    interp.keyReuse = tracker
    defer {
      for w in tracker.warnings {
        let place = w.secondSpan.map { "\($0.file ?? filename):\($0.line):\($0.column): " } ?? ""
        FileHandle.standardError.write(Data("\(place)warning: \(w)\n".utf8))
      }
    }
    do {
      let value = try interp.run(source, filename: filename)
      if options.json { print(try interp.json(value ?? .none)) }
    } catch {
      try fail(error)
    }
  }

  /// EXPR or an option's VALUE evaluated: one that does not parse or fails to evaluate is a
  /// usage error (one line, exit status 2), as any other bad option value is.
  static func optionValue(_ name: String, _ text: String, _ evaluate: () throws(PyError) -> Value) throws -> Value {
    do throws(PyError) { return try evaluate() } catch {
      let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
      throw ValidationError(
        "\(name) '\(shown)' \(error.kind == "SyntaxError" ? "does not parse" : "fails"): \(error.summary)")
    }
  }

  /// Evaluates EXPR and VALUE in the setup's namespace and prints what `body` computes.
  func withFunction(
    _ expr: String, at value: String, csv: Bool = false, jaxpr: Bool = false,
    _ body: (Interpreter, Value, [Value]) throws(PyError) -> Value
  ) throws {
    try runSetup()
    let f: Value
    let point: Value
    f = try Self.optionValue("EXPR", expr) { () throws(PyError) in try interp.evaluate(expr, filename: "<expr>") }
    point = try Self.optionValue("--at", value) { () throws(PyError) in try interp.evaluate(value, filename: "<value>")
    }
    guard interp.callable(f) else {
      throw ValidationError("EXPR '\(expr)' is not callable (it is a \(f.typeName))")
    }
    // A tuple is several arguments; a list of numbers is an array (`--at '[1., 2.]'`).
    var args: [Value]
    if case .tuple(let items) = point { args = items } else { args = [point] }
    for (k, a) in args.enumerated() {
      if case .list = a, let t = try? interp.callLibrary("jax.numpy", "asarray", [a]) { args[k] = t }
    }
    do {
      let result = try body(interp, f, args)
      if options.json {
        if jaxpr {
          print("{\"jaxpr\": \(jsonString(try interp.display(result)))}")
        } else {
          print(try interp.json(result))
        }
      } else if csv {
        print(try CSV.write(interp, result), terminator: "")
      } else {
        print(try interp.display(result))
      }
    } catch {
      try fail(error)
    }
  }

  private func runSetup() throws {
    guard let setup = options.setup else { return }
    guard let data = FileManager.default.contents(atPath: setup) else {
      throw ValidationError("can't open setup file '\(setup)': No such file or directory")
    }
    do {
      try interp.run(try interp.decodeSource([UInt8](data), filename: setup), filename: setup)
    } catch {
      try fail(error)
    }
  }

  /// Reports a script error: JSON on stdout with --json, else the traceback on stderr; exit 1.
  private func fail(_ error: PyError) throws -> Never {
    if options.json {
      print(interp.errorJSON(error))
    } else {
      FileHandle.standardError.write(Data((interp.traceback(error) + "\n").utf8))
    }
    throw ScriptFailure()
  }
}

/// `--csv`: rows of numbers; a header line names the input indices.
enum CSV {
  static func write(_ interp: Interpreter, _ v: Value) throws(PyError) -> String {
    guard case .array(let t) = v else {
      // A pytree of Jacobian blocks: each leaf flattened, one row per output element.
      let leaves = try interp.callLibrary("jax.tree_util", "tree_leaves", [v])
      guard case .list(let l) = leaves else { return "" }
      var out = ""
      for case .array(let t) in l.items { out += try rows(t) }
      return out
    }
    return try rows(t)
  }

  private static func rows(_ t: Tensor) throws(PyError) -> String {
    let values: [Double]
    do { values = try t.doubles } catch { throw PyError(error) }
    let cols = t.rank >= 2 ? t.shape.dropFirst().reduce(1, *) : (t.rank == 1 ? t.shape[0] : 1)
    let rowCount = t.rank >= 2 ? t.shape[0] : 1
    var out = (0..<cols).map { "d\($0)" }.joined(separator: ",") + "\n"
    for r in 0..<rowCount {
      out += (0..<cols).map { c in number(values[r * cols + c]) }.joined(separator: ",") + "\n"
    }
    return out
  }

  static func number(_ d: Double) -> String {
    if d == d.rounded() && Swift.abs(d) < 1e15 { return String(format: "%.1f", d) }
    return "\(Float(d))"
  }
}

import Fluxion
import FluxionLang
import Foundation
import Synchronization
import Testing

/// The JAX-generated differential cases in Fixtures/cases: NAME.py with NAME.expected.json (the
/// last expression's value, or the error JAX raised) and NAME.expected.out (what it printed),
/// made by ../shared/oracle/make_expected.py under JAX 0.10.2. Each case runs in a fresh
/// interpreter (x64 when the name contains "x64", as compare.py runs it) and is compared as
/// compare.py compares `fluxion run --json`: the value, the printed text byte for byte, and for
/// an expected error its type and exact message.
enum OracleCases {
  static let directory: URL? = Bundle.module.url(forResource: "cases", withExtension: nil, subdirectory: "Fixtures")

  /// Every case that has its expectation beside it, sorted.
  static let names: [String] = {
    guard let dir = directory,
      let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
    else { return [] }
    let set = Set(files)
    return files.filter { $0.hasSuffix(".py") }.map { String($0.dropLast(3)) }
      .filter { set.contains($0 + ".expected.json") && set.contains($0 + ".expected.out") }.sorted()
  }()

  /// Cases whose printed text differs from JAX's only in the last digit of floats that the
  /// engine rounds differently from XLA:CPU. Their values still pass (within compare.py's
  /// tolerance); only the text comparison is a known issue, and it fails once the bits agree.
  static let knownTextIssues: [String: String] = [
    // float64 exp is SLEEF's in the engine: e is 2.718281828459045, XLA's gives ...0455.
    "x64_precision": "float64 exp's last digit differs from XLA's",
    "x64_grad_training": "float64 exp's last digit differs from XLA's",
    // float32 erfc is not XLA's (XLA-NUMERICS.md: gelu with approximate=False, 48% identical).
    "nn_gradients_at_kinks": "gelu(approximate=False)'s erfc differs from XLA's in the last digit",
    // Sums of several terms added in another order than XLA's (within the ulp bound each op
    // keeps): the last printed digit of a loss differs.
    "hvp_forward_over_reverse": "a vdot's last digit (summation order)",
    "linear_regression_training": "a mean's last digit (summation order)",
    "rnn_scan": "a mean's last digit (summation order)",
    "lax_windows_and_maps": "a mean's last digit (summation order)",
    // JAX's det of a 3×3 matrix is its cofactor formula; the engine's is sign·exp(logabsdet).
    "vmap_linalg_batches": "det of 3×3 matrices: another formula than JAX's (last digit)",
  ]

  /// Cases whose text depends on the machine's LAPACK kernels, JAX's as much as the engine's:
  /// their fixtures were made on an Intel AVX-512 machine, where the engine under OpenBLAS's
  /// SkylakeX kernel prints JAX's text; on an AMD EPYC (2026-12-02) JAX 0.10.2 itself printed
  /// what the engine prints there under the Haswell kernel the tests run with. Listed as
  /// intermittent: each matches on one kind of machine and not the other.
  static let machineDependentText: [String: String] = [
    "grad_det_adjugate": "LU-based det and inv: the last digits follow the LAPACK kernel",
    "grad_qr_complete": "Householder QR: the last digits follow the LAPACK kernel",
    "linalg_random_matrix_tour": "QR, LU and eigh: the last digits follow the LAPACK kernel",
    // Its text matches; one float of its value is a small dot's last bit, which follows the
    // BLAS kernel (SkylakeX's gives JAX's, Haswell's on an AMD EPYC does not).
    "train_mlp_sgd": "a small dot's last bit follows the BLAS kernel",
  ]

  static func read(_ name: String, _ ext: String) throws -> String {
    let url = try #require(directory?.appendingPathComponent(name + ext))
    return try String(contentsOf: url, encoding: .utf8)
  }
}

/// What one case produced: the printed text and the JSON of its value or error.
struct CaseOutcome {
  var printed = ""
  var json = ""
  var errorMessage: String?
}

/// Runs a case on a thread of its own with the stack the CLI gives the interpreter (512 MiB):
/// Swift Testing's pool threads have small stacks, a debug build's interpreter uses tens of
/// KiB per Python call, and a script may recurse to Python's limit of 1000 frames.
func runOracleCase(_ name: String, source: String) -> CaseOutcome {
  final class Box: Sendable { let outcome = Mutex(CaseOutcome()) }
  let box = Box()
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    let result = runOracleCaseHere(name, source: source)
    box.outcome.withLock { $0 = result }
    done.signal()
  }
  thread.stackSize = 1 << 29
  thread.start()
  done.wait()
  return box.outcome.withLock { $0 }
}

func runOracleCaseHere(_ name: String, source: String) -> CaseOutcome {
  let interp = Interpreter()
  interp.limits.wallTime = 60
  let x64 = name.contains("x64")
  // The interpreter sets x64 for its own work only, so cases can run in parallel.
  interp.x64 = x64
  var outcome = CaseOutcome()
  interp.write = { outcome.printed += $0 }
  do throws(PyError) {
    let value = try interp.run(source, filename: name + ".py")
    outcome.json = try interp.json(value ?? .none)
  } catch {
    outcome.json = interp.errorJSON(error)
    outcome.errorMessage = error.message
  }
  return outcome
}

/// An interpreter's x64 mode, from `--x64` or `jax.config.update`, is its own: it never
/// becomes the process's mode, which other interpreters and the engine's users share.
struct InterpreterX64IsolationTests {
  @Test func configUpdateDoesNotLeak() throws {
    let before = Config.x64
    let a = Interpreter()
    let v = try a.run(
      "import jax\nimport jax.numpy as jnp\njax.config.update('jax_enable_x64', True)\njnp.ones(1).dtype.name")
    #expect(try a.display(try #require(v)) == "float64")
    #expect(Config.x64 == before)
    let b = Interpreter()
    let w = try b.run("import jax.numpy as jnp\njnp.ones(1).dtype.name")
    #expect(try b.display(try #require(w)) == "float32")
  }
}

@Suite struct OracleCaseTests {
  @Test func thereAreCases() {
    #expect(OracleCases.names.count >= 60)
  }

  @Test(arguments: OracleCases.names)
  func oracleCase(_ name: String) throws {
    let source = try OracleCases.read(name, ".py")
    let expectedJSON = try OracleCases.read(name, ".expected.json")
    let expectedText = try OracleCases.read(name, ".expected.out")
    let expected = try #require(try? JSONValue.parse(expectedJSON), "\(name): expected JSON does not parse")
    let outcome = runOracleCase(name, source: source)
    guard let got = try? JSONValue.parse(outcome.json) else {
      Issue.record("\(name): value: not JSON: \(outcome.json.prefix(120))")
      return
    }
    if let reason = OracleCompare.result(expected, got) {
      Issue.record("\(name): value: \(reason)")
    }
    if let expectedError = expected.errorObject {
      let message: String? = got.errorObject.flatMap { if case .string(let m)? = $0["message"] { m } else { nil } }
      let want: String = if case .string(let m)? = expectedError["message"] { m } else { "" }
      if message != want {
        Issue.record(
          "\(name): message: expected \(want.debugDescription), got \(message?.debugDescription ?? "no error")")
      }
    }
    let textReason = OracleCompare.text(expectedText, outcome.printed)
    if let cause = OracleCases.knownTextIssues[name] {
      withKnownIssue("\(name): \(cause)") {
        if let textReason { Issue.record("\(name): text: \(textReason)") }
      }
    } else if let cause = OracleCases.machineDependentText[name] {
      withKnownIssue("\(name): \(cause)", isIntermittent: true) {
        if let textReason { Issue.record("\(name): text: \(textReason)") }
      }
    } else if let textReason {
      Issue.record("\(name): text: \(textReason)")
    }
  }
}

/// The share of float32 elements bit-identical to JAX's, over every float32 array of every
/// case's value (the issue's target is 99%), printed with its denominator.
@Suite struct BitIdentityShareTests {
  /// (identical, total) over the float32 arrays that `expected` and `got` both hold at the same
  /// place with the same shape.
  static func tally(_ expected: JSONValue, _ got: JSONValue) -> (Int, Int) {
    switch (expected, got) {
    case (.object(let e), .object(let g)):
      if expected.isArray, got.isArray {
        guard e["dtype"] == .string("float32"), g["dtype"] == .string("float32"), e["shape"] == g["shape"] else {
          return (0, 0)
        }
        let a = flat(e["data"] ?? .null)
        let b = flat(g["data"] ?? .null)
        guard a.count == b.count else { return (0, a.count) }
        let same = zip(a, b).filter { x, y in
          let (fx, fy) = (Float(x), Float(y))
          return fx.bitPattern == fy.bitPattern || (fx.isNaN && fy.isNaN)
        }.count
        return (same, a.count)
      }
      var t = (0, 0)
      for (k, v) in e { if let w = g[k] { t = add(t, tally(v, w)) } }
      return t
    case (.array(let e), .array(let g)) where e.count == g.count:
      return zip(e, g).reduce((0, 0)) { add($0, tally($1.0, $1.1)) }
    default:
      return (0, 0)
    }
  }

  static func add(_ a: (Int, Int), _ b: (Int, Int)) -> (Int, Int) { (a.0 + b.0, a.1 + b.1) }

  static func flat(_ v: JSONValue) -> [Double] {
    switch v {
    case .array(let items): items.flatMap(flat)
    case .float(let d): [d]
    case .int(let i): [Double(i)]
    default: []
    }
  }

  @Test func float32ResultsAreJAXsBits() throws {
    var total = (0, 0)
    var worst: [(String, Int, Int)] = []
    // Cases whose bits follow the machine's BLAS and LAPACK kernels (JAX's own do too) are
    // left out of the share, and named.
    for name in OracleCases.names where OracleCases.machineDependentText[name] == nil {
      let expected = try JSONValue.parse(try OracleCases.read(name, ".expected.json"))
      guard let got = try? JSONValue.parse(runOracleCase(name, source: try OracleCases.read(name, ".py")).json) else {
        continue
      }
      let t = Self.tally(expected, got)
      total = Self.add(total, t)
      if t.0 < t.1 { worst.append((name, t.1 - t.0, t.1)) }
    }
    let share = total.1 == 0 ? 1 : Double(total.0) / Double(total.1)
    print(
      "float32 elements bit-identical to JAX's: \(total.0) of \(total.1) (\(String(format: "%.2f", share * 100))%) "
        + "over \(OracleCases.names.count - OracleCases.machineDependentText.count) cases (without "
        + OracleCases.machineDependentText.keys.sorted().joined(separator: ", ") + "); differing: "
        + (worst.isEmpty
          ? "none" : worst.sorted { $0.1 > $1.1 }.map { "\($0.0) \($0.1)/\($0.2)" }.joined(separator: ", ")))
    #expect(total.1 > 0)
    // The issue's target (929 of 935 when this was written: rnn_scan's and linear_regression_training's sums).
    #expect(share >= BitIdentityShareTests.floor, "\(share)")
  }

  static let floor = 0.99
}

// MARK: - JSON as compare.py reads it

/// A JSON value that keeps Python's kinds apart: ints (no decimal point or exponent), floats
/// (incl. the bare NaN / Infinity / -Infinity tokens Python's json module writes) and bools.
/// (Foundation's JSONSerialization rejects those tokens and folds the kinds into NSNumber.)
indirect enum JSONValue: Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  struct ParseError: Error { let offset: Int }

  static func parse(_ text: String) throws -> JSONValue {
    var p = JSONParser(Array(text.utf8))
    let v = try p.value()
    p.skipSpace()
    guard p.i == p.bytes.count else { throw ParseError(offset: p.i) }
    return v
  }

  var isArray: Bool {
    if case .object(let o) = self { return Set(o.keys) == ["dtype", "shape", "data"] }
    return false
  }

  /// The `{"type", "message", ...}` of an `{"error": {...}}` object.
  var errorObject: [String: JSONValue]? {
    if case .object(let o) = self, o.count == 1, case .object(let e)? = o["error"], e["type"] != nil { return e }
    return nil
  }

  var short: String {
    let s = description
    return s.count <= 80 ? s : String(s.prefix(77)) + "..."
  }
}

extension JSONValue: CustomStringConvertible {
  var description: String {
    switch self {
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .int(let i): String(i)
    case .float(let d): d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : String(d)
    case .string(let s): s.debugDescription
    case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
    case .object(let o):
      "{" + o.keys.sorted().map { "\($0.debugDescription): \(o[$0]!.description)" }.joined(separator: ", ") + "}"
    }
  }
}

struct JSONParser {
  let bytes: [UInt8]
  var i = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
  }

  mutating func literal(_ word: String) -> Bool {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { return false }
    i += w.count
    return true
  }

  mutating func value() throws -> JSONValue {
    skipSpace()
    guard i < bytes.count else { throw JSONValue.ParseError(offset: i) }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var out: [String: JSONValue] = [:]
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(out)
      }
      while true {
        skipSpace()
        guard case .string(let key) = try value() else { throw JSONValue.ParseError(offset: i) }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw JSONValue.ParseError(offset: i) }
        i += 1
        out[key] = try value()
        skipSpace()
        guard i < bytes.count else { throw JSONValue.ParseError(offset: i) }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
        } else if bytes[i] == UInt8(ascii: "}") {
          i += 1
          return .object(out)
        } else {
          throw JSONValue.ParseError(offset: i)
        }
      }
    case UInt8(ascii: "["):
      i += 1
      var out: [JSONValue] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(out)
      }
      while true {
        out.append(try value())
        skipSpace()
        guard i < bytes.count else { throw JSONValue.ParseError(offset: i) }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
        } else if bytes[i] == UInt8(ascii: "]") {
          i += 1
          return .array(out)
        } else {
          throw JSONValue.ParseError(offset: i)
        }
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    default:
      if literal("null") { return .null }
      if literal("true") { return .bool(true) }
      if literal("false") { return .bool(false) }
      if literal("NaN") { return .float(.nan) }
      if literal("Infinity") { return .float(.infinity) }
      if literal("-Infinity") { return .float(-.infinity) }
      return try number()
    }
  }

  mutating func number() throws -> JSONValue {
    let start = i
    var isFloat = false
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
        isFloat = true
      } else if !(c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || (c >= 0x30 && c <= 0x39)) {
        break
      }
      i += 1
    }
    let text = String(decoding: bytes[start..<i], as: UTF8.self)
    if !isFloat, let n = Int(text) { return .int(n) }
    // An integer past Int64 stays a number (compared as a float would be).
    guard let d = Double(text) else { throw JSONValue.ParseError(offset: start) }
    return isFloat ? .float(d) : .int(d < 0 ? Int.min : Int.max)
  }

  mutating func string() throws -> String {
    i += 1
    var scalars: [UInt32] = []
    while i < bytes.count {
      let c = bytes[i]
      i += 1
      if c == UInt8(ascii: "\"") {
        var out = ""
        var k = 0
        while k < scalars.count {
          let u = scalars[k]
          if u >= 0xD800, u < 0xDC00, k + 1 < scalars.count, scalars[k + 1] >= 0xDC00, scalars[k + 1] < 0xE000 {
            let combined = 0x10000 + ((u - 0xD800) << 10) + (scalars[k + 1] - 0xDC00)
            out.unicodeScalars.append(Unicode.Scalar(combined) ?? "?")
            k += 2
            continue
          }
          out.unicodeScalars.append(Unicode.Scalar(u) ?? "?")
          k += 1
        }
        return out
      }
      if c == UInt8(ascii: "\\") {
        guard i < bytes.count else { break }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "u"):
          guard i + 4 <= bytes.count, let u = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
          else { throw JSONValue.ParseError(offset: i) }
          i += 4
          scalars.append(u)
        default: scalars.append(UInt32(e))
        }
        continue
      }
      // Raw UTF-8: decode the sequence starting here.
      var seq = [c]
      while i < bytes.count, bytes[i] & 0xC0 == 0x80, c >= 0xC0 {
        seq.append(bytes[i])
        i += 1
      }
      for u in String(decoding: seq, as: UTF8.self).unicodeScalars { scalars.append(u.value) }
    }
    throw JSONValue.ParseError(offset: i)
  }
}

// MARK: - compare.py's rules

enum OracleCompare {
  static let tol32 = (rtol: 1e-4, atol: 1e-5)
  static let tol64 = (rtol: 1e-9, atol: 1e-12)

  static func close(_ e: Double, _ g: Double, _ tol: (rtol: Double, atol: Double)) -> Bool {
    if e.isNaN { return g.isNaN }
    if e.isInfinite || g.isInfinite || g.isNaN { return e == g }
    return abs(g - e) <= tol.atol + tol.rtol * abs(e)
  }

  /// compare.py's compare_result: expected errors need an error of the same type.
  static func result(_ exp: JSONValue, _ got: JSONValue) -> String? {
    if let e = exp.errorObject {
      let type = e["type"]?.description ?? "?"
      guard let g = got.errorObject else { return "expected error \(type), got a value: \(got.short)" }
      return g["type"] == e["type"] ? nil : "expected error \(type), got error \(g["type"]?.description ?? "?")"
    }
    if let g = got.errorObject {
      let m: String =
        if case .string(let s)? = g["message"] { String(s.split(separator: "\n").first ?? "") } else { "" }
      return "raised \(g["type"]?.description ?? "?"): \(m.prefix(160))"
    }
    return values(exp, got, "value")
  }

  static func values(_ exp: JSONValue, _ got: JSONValue, _ path: String) -> String? {
    let mismatch = "\(path): expected \(exp.short), got \(got.short)"
    switch exp {
    case .object(let eo) where exp.isArray:
      guard case .object(let go) = got, got.isArray else { return mismatch }
      return arrays(eo, go, path)
    case .bool, .null, .string:
      return exp == got ? nil : mismatch
    case .int(let e):
      if case .int(let g) = got, g == e { return nil }
      return mismatch
    case .float(let e):
      if case .float(let g) = got, close(e, g, tol32) { return nil }
      return mismatch
    case .array(let ea):
      guard case .array(let ga) = got else { return mismatch }
      guard ea.count == ga.count else { return "\(path): expected a list of \(ea.count), got a list of \(ga.count)" }
      for (k, (e, g)) in zip(ea, ga).enumerated() {
        if let r = values(e, g, "\(path)[\(k)]") { return r }
      }
      return nil
    case .object(let eo):
      guard case .object(let go) = got, !got.isArray, got.errorObject == nil else { return mismatch }
      guard Set(eo.keys) == Set(go.keys) else {
        return "\(path): keys: expected \(eo.keys.sorted()), got \(go.keys.sorted())"
      }
      if eo.keys.sorted() == ["repr"], case .string(let er)? = eo["repr"], case .string(let gr)? = go["repr"] {
        return withoutAddresses(er) == withoutAddresses(gr)
          ? nil : "\(path).repr: expected \(er.debugDescription), got \(gr.debugDescription)"
      }
      for k in eo.keys.sorted() {
        if let e = eo[k], let g = go[k], let r = values(e, g, "\(path)[\(k.debugDescription)]") { return r }
      }
      return nil
    }
  }

  /// ` at 0x...` addresses in reprs are not compared.
  static func withoutAddresses(_ s: String) -> String {
    s.replacingOccurrences(of: #" at 0x[0-9a-fA-F]+"#, with: " at 0x", options: .regularExpression)
  }

  static func arrays(_ e: [String: JSONValue], _ g: [String: JSONValue], _ path: String) -> String? {
    guard case .string(let dtype)? = e["dtype"] else { return "\(path): malformed expected array" }
    if e["dtype"] != g["dtype"] { return "\(path): dtype: expected \(dtype), got \(g["dtype"]?.short ?? "?")" }
    if e["shape"] != g["shape"] {
      return "\(path): shape: expected \(e["shape"]?.short ?? "?"), got \(g["shape"]?.short ?? "?")"
    }
    let tol: (rtol: Double, atol: Double)? =
      dtype == "float64" ? tol64 : (dtype.hasPrefix("float") || dtype.hasPrefix("bfloat")) ? tol32 : nil
    var differ = 0
    var first: String?
    func walk(_ ev: JSONValue, _ gv: JSONValue, _ idx: [Int]) -> String? {
      if case .array(let ea) = ev {
        guard case .array(let ga) = gv, ga.count == ea.count else {
          return "data\(idx): expected \(ev.short), got \(gv.short)"
        }
        for (k, (x, y)) in zip(ea, ga).enumerated() {
          if let r = walk(x, y, idx + [k]) { return r }
        }
        return nil
      }
      var ok: Bool
      if let tol {
        switch (ev, gv) {
        case (.int(let x), .int(let y)): ok = close(Double(x), Double(y), tol)
        case (.int(let x), .float(let y)): ok = close(Double(x), y, tol)
        case (.float(let x), .int(let y)): ok = close(x, Double(y), tol)
        case (.float(let x), .float(let y)): ok = close(x, y, tol)
        default: ok = ev == gv
        }
      } else {
        ok = ev == gv
      }
      if !ok {
        differ += 1
        if first == nil { first = "at \(idx): expected \(ev.short), got \(gv.short)" }
      }
      return nil
    }
    if let structural = walk(e["data"] ?? .null, g["data"] ?? .null, []) { return "\(path)(\(dtype)).\(structural)" }
    if let first { return "\(path)(\(dtype)) \(first) (\(differ) elements differ)" }
    return nil
  }

  /// nil if the texts are equal, else the first differing line.
  static func text(_ exp: String, _ got: String) -> String? {
    if exp == got { return nil }
    let el = exp.split(separator: "\n", omittingEmptySubsequences: false)
    let gl = got.split(separator: "\n", omittingEmptySubsequences: false)
    for k in 0..<max(el.count, gl.count) {
      let e = k < el.count ? String(el[k]) : nil
      let g = k < gl.count ? String(gl[k]) : nil
      if e != g {
        guard let e else { return "line \(k + 1): unexpected extra output \(g!.debugDescription)" }
        guard let g else { return "line \(k + 1): missing output, expected \(e.debugDescription)" }
        return "line \(k + 1): expected \(e.debugDescription), got \(g.debugDescription)"
      }
    }
    return "differs"
  }
}

/// The comparison itself: it must tell apart what compare.py tells apart.
struct OracleCompareTests {
  func check(_ exp: String, _ got: String) throws -> String? {
    OracleCompare.result(try JSONValue.parse(exp), try JSONValue.parse(got))
  }

  @Test func pythonKindsAreDistinct() throws {
    #expect(try check("1", "1.0") != nil)
    #expect(try check("1.0", "1") != nil)
    #expect(try check("true", "1") != nil)
    #expect(try check("1.5", "1.50001") == nil)
    #expect(try check("NaN", "NaN") == nil)
    #expect(try check("Infinity", "-Infinity") != nil)
  }

  @Test func arraysByDtypeShapeAndTolerance() throws {
    let a = #"{"dtype": "float32", "shape": [2], "data": [1.0, 2.0]}"#
    #expect(try check(a, #"{"dtype": "float32", "shape": [2], "data": [1.00001, 2.0]}"#) == nil)
    #expect(try check(a, #"{"dtype": "float32", "shape": [2], "data": [1.001, 2.0]}"#) != nil)
    #expect(try check(a, #"{"dtype": "float64", "shape": [2], "data": [1.0, 2.0]}"#) != nil)
    #expect(try check(a, #"{"dtype": "float32", "shape": [1, 2], "data": [[1.0, 2.0]]}"#) != nil)
    let d = #"{"dtype": "float64", "shape": [], "data": 1.0}"#
    #expect(try check(d, #"{"dtype": "float64", "shape": [], "data": 1.000001}"#) != nil)
    let i = #"{"dtype": "int32", "shape": [1], "data": [3]}"#
    #expect(try check(i, #"{"dtype": "int32", "shape": [1], "data": [4]}"#) != nil)
  }

  @Test func errorsReprsAndStructures() throws {
    #expect(
      try check(
        #"{"error": {"type": "TypeError", "message": "a"}}"#, #"{"error": {"type": "TypeError", "message": "b"}}"#)
        == nil)
    #expect(
      try check(
        #"{"error": {"type": "TypeError", "message": "a"}}"#, #"{"error": {"type": "ValueError", "message": "a"}}"#)
        != nil)
    #expect(try check(#"{"error": {"type": "TypeError", "message": "a"}}"#, "3") != nil)
    #expect(try check(#"{"repr": "<function f at 0x7f00>"}"#, #"{"repr": "<function f at 0xabc>"}"#) == nil)
    #expect(try check(#"{"repr": "<function f at 0x7f00>"}"#, #"{"repr": "<function g at 0xabc>"}"#) != nil)
    #expect(try check(#"{"a": [1, 2]}"#, #"{"a": [1, 2], "b": null}"#) != nil)
    #expect(try check("[1, [2]]", "[1, [2, 3]]") != nil)
    #expect(OracleCompare.text("a\nb\n", "a\nb\n") == nil)
    #expect(OracleCompare.text("a\nb\n", "a\nc\n") != nil)
  }
}

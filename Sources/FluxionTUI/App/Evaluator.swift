import Fluxion
import Foundation

/// Runs evaluations off the input thread, on two threads of their own, each with its own
/// language session: one computes f, the results, the plot and the jaxprs; the other, at the
/// same time, the Jacobian with its checks and structure (on two cores the slower of the two
/// is the wait, not their sum). A newer request cancels the running one (its token) and
/// replaces any waiting one; answers come back as messages through `post`, tagged with their
/// generation.
public final class Evaluator: Sendable {
  private let lanes = [Lane(), Lane()]

  /// Starts the evaluator's threads; `post` is called on them.
  public init(post: @escaping @Sendable (Message) -> Void) {
    for (k, lane) in lanes.enumerated() {
      let thread = Thread {
        var work = Work(post: post)
        while let (request, token) = lane.take() {
          if k == 0 {
            work.run(request, token: token, jacobian: false)
          } else {
            work.runJacobian(request, token: token)
          }
        }
      }
      thread.stackSize = 1 << 29  // the language's recursion limit needs a deep stack
      thread.name = k == 0 ? "fluxion-evaluator" : "fluxion-jacobian"
      thread.start()
    }
  }

  /// Asks for `request`, cancelling whatever runs now.
  public func submit(_ request: EvalRequest) { for lane in lanes { lane.submit(request) } }

  /// Cancels the running evaluation (Esc, Ctrl-C) and drops a waiting one.
  public func cancel() { for lane in lanes { lane.cancel() } }

  /// Stops the threads after their current evaluation.
  public func stop() { for lane in lanes { lane.stop() } }
}

/// One thread's queue: the request waiting (only the newest is kept) and the token of the
/// running one.
///
/// Sendable without checking: `next`, `token` and `stopped` are touched only under `condition`.
private final class Lane: @unchecked Sendable {
  private let condition = NSCondition()
  private var next: EvalRequest?
  private var token: CancellationToken?
  private var stopped = false

  func submit(_ request: EvalRequest) {
    condition.lock()
    next = request
    token?.cancel()
    condition.signal()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    next = nil
    token?.cancel()
    condition.unlock()
  }

  func stop() {
    condition.lock()
    stopped = true
    next = nil
    token?.cancel()
    condition.signal()
    condition.unlock()
  }

  /// The next request and its token, waiting for one; nil once stopped.
  func take() -> (EvalRequest, CancellationToken)? {
    condition.lock()
    defer { condition.unlock() }
    while next == nil && !stopped { condition.wait() }
    guard !stopped, let request = next else { return nil }
    next = nil
    let t = CancellationToken()
    token = t
    return (request, t)
  }
}

/// One evaluation's steps, with the session they run in (owned by the evaluator's thread).
struct Work {
  let post: @Sendable (Message) -> Void
  private var session: Session
  private var x64 = false
  private var helpers: [String: Value] = [:]
  /// The last Jacobian computed to its end, with the inputs it depends on: a new plot range
  /// (zoom, pan) evaluates again but shows the same matrix and check.
  private var lastJacobian: JacobianResult?
  /// The jaxpr pane's views traced for the last inputs they depend on (a new range, or a view
  /// shown again, traces nothing).
  private var lastJaxprs: JaxprViews?

  struct JaxprInputs: Equatable {
    var workspace: String
    var function: String
    var x: String
    var v: String
    var u: String
    var argnums: String
    var x64: Bool
  }

  struct JaxprViews {
    var inputs: JaxprInputs
    var texts: [String: String] = [:]
    var explained: [ExplainedProgram]?
  }

  /// A Jacobian computed to its end, and what was computed from it.
  struct JacobianResult {
    var inputs: JacobianInputs
    var rows: Int
    var columns: Int
    var lines: [[Double]]
    var check: String?
    var gradient: GradientCheck?
    var structure: JacobianStructure?
  }

  struct JacobianInputs: Equatable {
    var workspace: String
    var function: String
    var x: String
    var mode: JacobianMode
    var x64: Bool
    var structure: Bool
  }

  init(post: @escaping @Sendable (Message) -> Void) {
    self.post = post
    session = Work.newSession(x64: false)
  }

  static let prelude = """
    import jax
    import jax.numpy as jnp
    import math
    from jax import random, lax, grad, jit, vmap, jvp, vjp, jacrev, jacfwd, hessian
    """

  static func newSession(x64: Bool) -> Session {
    // No wall-time limit: a slow function shows "evaluating…" until Esc cancels it.
    let s = Session()
    s.interpreter.x64 = x64
    _ = try? s.interpreter.run(prelude, filename: "<prelude>")
    return s
  }

  /// A helper lambda of the explorer's own, compiled once per session.
  private mutating func helper(_ text: String) throws(PyError) -> Value {
    if let v = helpers[text] { return v }
    let v = try session.evaluate(text, filename: "<explorer>")
    helpers[text] = v
    return v
  }

  /// A direction typed in a field, or ones shaped like `like` (any pytree) when it is empty.
  private mutating func vector(_ text: String, orOnesLike like: Value, filename: String) throws(PyError) -> Value {
    guard text.trimmingCharacters(in: .whitespaces).isEmpty else {
      return try session.evaluate(text, filename: filename)
    }
    return try session.interpreter.callValue(try helper("lambda x: jax.tree_util.tree_map(jnp.ones_like, x)"), [like])
  }

  /// A new session when x64 changes (every cached value belongs to the old one).
  private mutating func begin(_ r: EvalRequest, token: CancellationToken) {
    if r.x64 != x64 {
      x64 = r.x64
      session = Work.newSession(x64: x64)
      helpers = [:]
      lastJacobian = nil
      lastJaxprs = nil
    }
    session.cancellation = token
  }

  /// The point typed in x (1.0 when empty), and the arguments it stands for: a tuple is several
  /// arguments, as `f(*x)` (the command line's rule).
  private func point(_ r: EvalRequest) throws(PyError) -> (x: Value, args: [Value]) {
    let x = try session.evaluate(r.x.trimmingCharacters(in: .whitespaces).isEmpty ? "1.0" : r.x, filename: "<x>")
    if case .tuple(let items) = x, items.count > 1 { return (x, items) }
    return (x, [x])
  }

  /// The Jacobian lane's part of an evaluation: f at the point again in this session, then the
  /// Jacobian. A failure before the Jacobian posts nothing: the other lane reports it.
  mutating func runJacobian(_ r: EvalRequest, token: CancellationToken) {
    begin(r, token: token)
    // What f prints here is the other lane's to show: dropped, so it does not pile up.
    defer { _ = session.takeOutput() }
    guard session.evaluateWorkspace(r.workspace) == nil, let f = try? session.compile(r.function),
      let (x, args) = try? point(r), let y = try? f.call(args), !token.isCancelled
    else { return }
    jacobianPhase(r, f, x: x, y: y, args: args, gradient: nil, token: token)
  }

  /// An evaluation: f, its results, the plot and the jaxprs, then (unless another lane computes
  /// it) the Jacobian.
  mutating func run(_ r: EvalRequest, token: CancellationToken, jacobian: Bool = true) {
    begin(r, token: token)
    let started = DispatchTime.now()
    let g = r.generation
    func fail(_ source: Source, _ e: PyError) {
      post(.failed(generation: g, Work.info(e, source: source, text: r.function), output: session.takeOutput()))
    }
    var steps: [(step: String, milliseconds: Double)] = []
    var mark = started
    func step(_ name: String) {
      let t = DispatchTime.now()
      steps.append((name, Double(t.uptimeNanoseconds - mark.uptimeNanoseconds) / 1e6))
      mark = t
    }
    if let e = session.evaluateWorkspace(r.workspace) { return fail(.workspace, e) }
    step("workspace")
    let f: SessionFunction
    let x: Value
    let y: Value
    do throws(PyError) { f = try session.compile(r.function) } catch { return fail(.function, error) }
    step("compile")
    let args: [Value]
    do throws(PyError) { (x, args) = try point(r) } catch { return fail(.x, error) }
    let argnums = Work.argnums(r.argnums, count: args.count)
    do throws(PyError) { y = try f.call(args) } catch { return fail(.function, error) }
    step("f")

    var e = Evaluation(generation: g, kind: args.count > 1 ? .other("\(args.count) arguments") : Work.kind(of: x, y))
    let xs = x.shape ?? (x.doubles?.count == 1 ? [] : nil)
    e.pointX = xs == [] ? x.doubles?.first : nil
    e.results.append(("f(x)", display(y), typeText(y)))
    switch e.kind {
    case .scalarToVector, .vectorToVector: e.componentsAtPoint = y.doubles.map { Array($0.prefix(6)) }
    default: break
    }
    let scalarOut = y.shape == [] || y.isPythonNumber
    // The results, for the search of where a NaN came from.
    var derived: [(SessionFunction.DerivedProgram, Value)] = [(.function, y)]
    // grad, for a scalar output.
    var gradient: Value?
    if scalarOut {
      do throws(PyError) {
        let gr = try f.grad(argnums: argnums, at: args)
        gradient = gr
        derived.append((.gradient(argnums: argnums), gr))
        let label = args.count > 1 ? "grad \(argnums.map(String.init).joined(separator: ","))" : "grad"
        e.results.append((label, display(gr), typeText(gr)))
        if e.pointX != nil, let d = gr.doubles?.first {
          e.slope = d
          e.valueAtPoint = y.doubles?.first
        }
      } catch { e.results.append(("grad", error.summary, "")) }
      step("grad")
    }
    // jvp along v (ones by default), vjp of u.
    var direction: Value?
    var jvpTangents: [Value]?
    var cotangent: Value?
    do throws(PyError) {
      let v = try vector(r.v, orOnesLike: x, filename: "<v>")
      direction = v
      var tangents = [v]
      if args.count > 1, case .tuple(let parts) = v, parts.count == args.count { tangents = parts }
      let t = try f.jvp(at: args, tangents: tangents).tangent
      derived.append((.jvp(tangents: tangents), t))
      jvpTangents = tangents
      e.results.append(("jvp  v=\(short(r.v, default: "1"))", display(t), typeText(t)))
      if case .vectorToScalar = e.kind, let d = t.doubles?.first {
        // The plot's slice t ↦ f(x + t·v) at t = 0: its value and slope.
        e.slope = d
        e.valueAtPoint = y.doubles?.first
      }
    } catch { e.results.append(("jvp", error.summary, "")) }
    step("jvp")
    do throws(PyError) {
      let u = try vector(r.u, orOnesLike: y, filename: "<u>")
      // The pullback of 1 from a 0-d array output of one argument is its gradient (the same
      // computation, so the same bits): taken from grad rather than computed again.
      let c: Value
      if let gradient, r.u.trimmingCharacters(in: .whitespaces).isEmpty, y.shape == [], !y.isPythonNumber,
        args.count == 1, argnums == [0]
      {
        c = .tuple([gradient])
      } else {
        c = try f.vjp(at: args, cotangent: u).cotangents
      }
      derived.append((.vjp(cotangent: u), c))
      cotangent = u
      e.results.append(("vjp  u=\(short(r.u, default: "1"))", display(c), typeText(c)))
    } catch { e.results.append(("vjp", error.summary, "")) }
    step("vjp")
    // f'' at the cursor for the Taylor view: of f, or of the slice along v.
    if r.taylor, e.slope != nil {
      let along: Value? = if case .vectorToScalar = e.kind { direction } else { nil }
      e.curvature = (try? f.secondDerivative(at: x, along: along))?.doubles?.first
      step("taylor")
    }
    let origin = nonFinite(f, args: args, derived)
    e.nonFinite = origin?.note
    step("nan origin")
    if token.isCancelled { return }
    e.series = plotSeries(f, x: x, v: direction, kind: e.kind, range: r.range, samples: r.samples)
    step("plot")
    if token.isCancelled { return }
    // The jaxpr pane's views are named always; the one it shows is traced only while it is
    // open (F4 and a change of view evaluate again), and the program a NaN came from.
    e.jaxprTitles = scalarOut ? ["f", "grad f", "optimised"] : ["f", "optimised"]
    e.jaxprs = Array(repeating: nil, count: e.jaxprTitles.count)
    e.hasExplained = jvpTangents != nil && cotangent != nil
    var marked: String?
    if let (note, program) = origin, note.binder != nil {
      if let shown = e.jaxprTitles.firstIndex(of: note.program) {
        e.nonFinite?.view = shown
        marked = note.program
      } else {
        e.nonFinite?.view = e.jaxprs.count
        e.jaxprTitles.append(note.program)
        e.jaxprs.append(r.jaxprs ? program.description : nil)
      }
    }
    if r.jaxprs {
      let inputs = JaxprInputs(
        workspace: r.workspace, function: r.function, x: r.x, v: r.v, u: r.u, argnums: r.argnums, x64: r.x64)
      var views = lastJaxprs.flatMap { $0.inputs == inputs ? $0 : nil } ?? JaxprViews(inputs: inputs)
      for title in Set([r.jaxprView] + (marked.map { [$0] } ?? [])) {
        if title == Evaluation.explainedTitle {
          guard e.hasExplained, let t = jvpTangents, let u = cotangent else { continue }
          if views.explained == nil { views.explained = programs(f, args: args, tangents: t, cotangent: u) }
          e.explained = views.explained
        } else if let i = e.jaxprTitles.firstIndex(of: title), e.jaxprs[i] == nil {
          if views.texts[title] == nil { views.texts[title] = jaxprText(f, title, args: args) }
          e.jaxprs[i] = views.texts[title]
        }
      }
      lastJaxprs = views
    }
    step("jaxprs")
    e.steps = steps
    e.output = session.takeOutput()
    e.warnings = session.keyReuseWarnings.map(\.description)
    e.milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
    if token.isCancelled { return }
    post(.evaluated(e))
    guard jacobian else { return }
    // A 0-d output's one row is its gradient.
    let row = y.shape == [] && !y.isPythonNumber && argnums == [0] ? gradient : nil
    jacobianPhase(r, f, x: x, y: y, args: args, gradient: row, token: token)
  }

  /// The Jacobian of f at x (computed again only when what it depends on changed), posted line
  /// by line, with the rev/fwd check, the gradient check and the structure.
  private mutating func jacobianPhase(
    _ r: EvalRequest, _ f: SessionFunction, x: Value, y: Value, args: [Value], gradient: Value?,
    token: CancellationToken
  ) {
    let g = r.generation
    if args.count > 1 {
      post(
        .jacobianUnavailable(
          generation: g, reason: "Jacobian: for a function of one array (x is \(args.count) arguments)"))
      return
    }
    let inputs = JacobianInputs(
      workspace: r.workspace, function: r.function, x: r.x, mode: r.jacobianMode, x64: r.x64, structure: r.structure)
    if let j = lastJacobian, j.inputs == inputs {
      post(.jacobianStarted(generation: g, rows: j.rows, columns: j.columns, mode: r.jacobianMode))
      for (i, line) in j.lines.enumerated() { post(.jacobianLine(generation: g, index: i, values: line)) }
      post(.jacobianFinished(generation: g, check: j.check, gradient: j.gradient, structure: j.structure))
      return
    }
    lastJacobian = nil
    jacobian(f, x: x, y: y, mode: r.jacobianMode, generation: g, token: token, inputs: inputs, gradient: gradient)
  }

  /// The text of the jaxpr pane's view `title` (f, grad f or optimised), or why there is none.
  private func jaxprText(_ f: SessionFunction, _ title: String, args: [Value]) -> String {
    do throws(PyError) {
      switch title {
      case "grad f": return try f.gradJaxpr(at: args)
      case "optimised": return try f.jaxpr(at: args, optimized: true)
      default: return try f.jaxpr(at: args)
      }
    } catch { return error.summary }
  }

  /// The derivative explained, or the one reason it failed as its only line.
  private func programs(_ f: SessionFunction, args: [Value], tangents: [Value], cotangent: Value)
    -> [ExplainedProgram]
  {
    do throws(PyError) {
      return try f.explained(at: args, tangents: tangents, cotangent: cotangent).map {
        ExplainedProgram(title: $0.title, listing: $0.listing)
      }
    } catch {
      return [ExplainedProgram(title: Evaluation.explainedTitle, listing: JaxprListing(header: error.summary))]
    }
  }

  /// Where the first non-finite result (of f, grad f, jvp f, vjp f, in that order) came from:
  /// the first equation of its program that made a NaN or an infinity from finite inputs.
  private func nonFinite(
    _ f: SessionFunction, args: [Value], _ derived: [(SessionFunction.DerivedProgram, Value)]
  ) -> (note: NonFiniteNote, program: ClosedJaxpr)? {
    guard let (which, program, origin) = try? f.firstNonFinite(among: derived, at: args) else { return nil }
    guard let origin else {
      return (NonFiniteNote(program: which.title, summary: "from a non-finite input"), program)
    }
    let note = NonFiniteNote(
      program: which.title, binder: origin.binder, summary: origin.summary, span: origin.equation.span)
    return (note, program)
  }

  /// The curves of the plot pane: f and f' for R→R; the slice t ↦ f(x + t·v) and its jvp
  /// for other array inputs; each component (up to six) for vector outputs.
  private func plotSeries(
    _ f: SessionFunction, x: Value, v: Value?, kind: FunctionKind, range: ClosedRange<Double>, samples: Int
  ) -> [Series] {
    // A vector output plots its components only: no derivative to sample.
    let slice: PlotSlice?
    let derivative: Bool
    switch kind {
    case .scalarToScalar: (slice, derivative) = (nil, true)
    case .scalarToVector: (slice, derivative) = (nil, false)
    case .vectorToScalar, .vectorToVector:
      guard let v else { return [] }
      slice = PlotSlice(at: x, along: v)
      if case .vectorToScalar = kind { derivative = true } else { derivative = false }
    case .other: return []
    }
    let series = try? PlotSampler.series(
      f, from: range.lowerBound, to: range.upperBound, count: samples, slice: slice, derivative: derivative)
    return series ?? []
  }

  private mutating func jacobian(
    _ f: SessionFunction, x: Value, y: Value, mode: JacobianMode, generation g: Int, token: CancellationToken,
    inputs: JacobianInputs, gradient: Value?
  ) {
    guard let xd = x.doubles, let yd = y.doubles, (x.shape?.count ?? 0) <= 1, (y.shape?.count ?? 0) <= 1 else {
      post(.jacobianUnavailable(generation: g, reason: "Jacobian: for a function of one array to one array"))
      return
    }
    let (m, n) = (yd.count, xd.count)
    guard m * n <= 250_000 else {
      post(.jacobianUnavailable(generation: g, reason: "Jacobian \(m)×\(n): too large to show"))
      return
    }
    post(.jacobianStarted(generation: g, rows: m, columns: n, mode: mode))
    var matrix: [Double] = []
    var lines: [[Double]] = []
    do throws(PyError) {
      if mode == .rows, m == 1, let values = gradient?.doubles, values.count == n {
        matrix = values
        lines = [values]
        post(.jacobianLine(generation: g, index: 0, values: values))
      } else if mode == .rows {
        _ = try f.jacobianRows(at: x) { i, row in
          let values = row.doubles ?? []
          matrix += values
          lines.append(values)
          post(.jacobianLine(generation: g, index: i, values: values))
        }
      } else {
        _ = try f.jacobianColumns(at: x) { j, column in
          let values = column.doubles ?? []
          lines.append(values)
          post(.jacobianLine(generation: g, index: j, values: values))
        }
        let columns = lines
        matrix = (0..<m).flatMap { i in columns.map { i < $0.count ? $0[i] : .nan } }
      }
    } catch {
      if token.isCancelled { return }
      post(.jacobianUnavailable(generation: g, reason: "Jacobian: \(error.summary)"))
      return
    }
    if token.isCancelled { return }
    let check = check(f, x: x, matrix: matrix, m: m, n: n, mode: mode)
    if token.isCancelled { return }
    // Every entry against central differences in float64 (one vmap of 4n + 1 points).
    let gradient = try? f.gradientCheck(at: x, jacobian: matrix, float64: y.dtypeName == "float64")
    if token.isCancelled { return }
    // Singular values, rank and condition; the Hessian of a scalar f (only when shown).
    let structure =
      inputs.structure
      ? try? f.structure(at: x, jacobian: matrix, rows: m, columns: n, float32: y.dtypeName != "float64") : nil
    if token.isCancelled { return }
    lastJacobian = JacobianResult(
      inputs: inputs, rows: m, columns: n, lines: lines, check: check, gradient: gradient, structure: structure)
    post(.jacobianFinished(generation: g, check: check, gradient: gradient, structure: structure))
  }

  /// Compares the Jacobian with the other mode's (jacfwd against rows, jacrev against
  /// columns): "rev = fwd", or where they differ (a wrong custom rule shows here).
  private mutating func check(_ f: SessionFunction, x: Value, matrix: [Double], m: Int, n: Int, mode: JacobianMode)
    -> String?
  {
    guard m * n <= 65_536 else { return nil }
    let other = mode == .rows ? "jacfwd" : "jacrev"
    do throws(PyError) {
      let jf = try session.interpreter.callLibrary("jax", other, [f.value])
      guard let d = try session.interpreter.callValue(jf, [x]).doubles, d.count == matrix.count else { return nil }
      for k in 0..<d.count {
        let (a, b) = (matrix[k], d[k])
        if a == b || (a.isNaN && b.isNaN) { continue }
        if abs(a - b) <= 1e-5 + 1e-4 * max(abs(a), abs(b)) { continue }
        return "rev and fwd differ at (\(k / n), \(k % n))"
      }
      return "rev = fwd ✓"
    } catch {
      return nil
    }
  }

  func display(_ v: Value) -> String {
    switch v {
    case .tuple(let items):
      return "(" + items.map(display).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .list(let l):
      return "[" + l.items.map(display).joined(separator: ", ") + "]"
    default: break
    }
    if let d = v.doubles, let shape = v.shape ?? (v.isPythonNumber ? [] : nil) {
      if shape.isEmpty, let x = d.first { return Format.short(x) }
      let shown = d.prefix(8).map(Format.short).joined(separator: ", ")
      return "[" + shown + (d.count > 8 ? ", …" : "") + "]"
    }
    return ((try? session.interpreter.display(v)) ?? "?").replacingOccurrences(of: "\n", with: " ")
  }

  func typeText(_ v: Value) -> String {
    if case .tuple(let items) = v {
      return "(" + items.map(typeText).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    }
    if let shape = v.shape, let dt = v.dtypeName {
      let short = dt.replacingOccurrences(of: "float", with: "f").replacingOccurrences(of: "int", with: "i")
      return "\(short)[\(shape.map(String.init).joined(separator: ","))]"
    }
    return v.typeName
  }

  func short(_ text: String, default d: String) -> String {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.isEmpty { return d }
    return t.count > 12 ? String(t.prefix(11)) + "…" : t
  }

  /// The argnums field: integers separated by commas or spaces, within the arguments (0 by
  /// default and for anything else).
  static func argnums(_ text: String, count: Int) -> [Int] {
    let nums = text.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }
      .filter { $0 >= -count && $0 < count }
    return nums.isEmpty ? [0] : nums
  }

  static func kind(of x: Value, _ y: Value) -> FunctionKind {
    let xs = x.shape ?? (x.isPythonNumber ? [] : nil)
    let ys = y.shape ?? (y.isPythonNumber ? [] : nil)
    switch (xs, ys) {
    case ([], []): return .scalarToScalar
    case ([], let s?) where s.count == 1: return .scalarToVector(m: s[0])
    case (let s?, []) where s.count == 1: return .vectorToScalar(n: s[0])
    case (let a?, let b?) where a.count == 1 && b.count == 1: return .vectorToVector(n: a[0], m: b[0])
    default: return .other("\(x.typeName) → \(y.typeName)")
    }
  }

  /// Where an error points, for the caret: the function line's span, a syntax error's column,
  /// or the workspace line.
  static func info(_ e: PyError, source: Source, text: String) -> ErrorInfo {
    var info = ErrorInfo(source: source, summary: e.summary)
    if let s = e.syntax {
      info.line = s.error.line
      info.column = max(0, s.error.column - 1)
      if s.filename == "<workspace>" { info.source = .workspace }
      return info
    }
    let file: String =
      switch source {
      case .function: "<function>"
      case .workspace: "<workspace>"
      case .x: "<x>"
      case .v: "<v>"
      case .u: "<u>"
      case .argnums: "<argnums>"
      }
    if let frame = e.frames.first(where: { $0.filename == file && $0.range != nil }), let r = frame.range {
      info.line = r.line
      info.column = max(0, r.column - 1)
      info.length = r.endLine == r.line ? max(1, r.endColumn - r.column) : 1
    } else if source == .function, let ws = e.frames.first(where: { $0.filename == "<workspace>" && $0.range != nil }),
      let r = ws.range
    {
      info.summary += "  (workspace line \(r.line))"
    }
    return info
  }
}

extension Value {
  var isPythonNumber: Bool {
    switch self {
    case .int, .float, .bool: true
    default: false
    }
  }
}

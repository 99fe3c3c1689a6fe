import Fluxion

/// What the explorer calls on every keystroke: a workspace evaluated into one namespace (run
/// again only when its text changes), function texts compiled once into callables, and the
/// transformations applied to them from Swift. `print()` output is captured, results are
/// values, errors are values with source spans, and every evaluation polls a cancellation token.
///
/// ```swift
/// let session = Session()
/// session.evaluateWorkspace("import jax.numpy as jnp")
/// let f = try session.compile("lambda x: jnp.sin(x) * x**3")
/// let y = try f(.float(1.5))                     // Array(3.3658…, dtype=float32, weak_type=True)
/// let g = try f.grad(at: [.float(1.5)])
/// ```
///
/// A session belongs to one thread at a time; only its `cancellation` token is shared.
public final class Session {
  public let interpreter: Interpreter
  /// Text `print()` wrote since the last `takeOutput()`.
  public private(set) var output = ""
  /// The PRNG keys the workspace's last run gave to two consuming calls.
  public private(set) var keyReuseWarnings: [KeyReuseWarning] = []
  private var workspaceText: String?
  private var workspaceError: PyError?
  private var compiled: [String: Value] = [:]

  /// Whether the interpreter is this session's own (torn down with it).
  private let ownsInterpreter: Bool

  public init(limits: InterpreterLimits = InterpreterLimits()) {
    interpreter = Interpreter()
    ownsInterpreter = true
    interpreter.limits = limits
    interpreter.write = { [unowned self] s in self.output += s }
  }

  /// A session over an interpreter of one's own (the command line's); its output goes where
  /// the interpreter writes it.
  public init(interpreter: Interpreter) {
    self.interpreter = interpreter
    ownsInterpreter = false
  }

  deinit {
    compiled.removeAll()
    if ownsInterpreter { interpreter.tearDown() }
  }

  /// A callable value of this session's interpreter, as a function the transformations apply to.
  public func function(_ value: Value, text: String) -> SessionFunction {
    SessionFunction(session: self, value: value, text: text)
  }

  /// The token that stops the current evaluation (statement, loop iteration, call and engine
  /// operation boundaries check it). Replace it for each new evaluation.
  public var cancellation: CancellationToken? {
    get { interpreter.cancellation }
    set { interpreter.cancellation = newValue }
  }

  /// Returns and clears the captured output.
  public func takeOutput() -> String {
    defer { output = "" }
    return output
  }

  /// Runs the workspace (setup lines) into the session's namespace, unless it is the text run
  /// last time; the error of that run, if any, is returned either way. Functions compiled
  /// against an older workspace are dropped.
  @discardableResult
  public func evaluateWorkspace(_ text: String, filename: String = "<workspace>") -> PyError? {
    if text == workspaceText && workspaceError?.kind != "CancelledError" { return workspaceError }
    workspaceText = text
    compiled = [:]
    let tracker = KeyReuseTracker()
    interpreter.keyReuse = tracker
    defer {
      interpreter.keyReuse = nil
      keyReuseWarnings = tracker.warnings
    }
    do {
      try interpreter.run(text, filename: filename)
      workspaceError = nil
    } catch {
      workspaceError = error
    }
    return workspaceError
  }

  /// The callable a function text evaluates to (`lambda x: …`, or a name the workspace
  /// defined), made once per text.
  public func compile(_ text: String, filename: String = "<function>") throws(PyError) -> SessionFunction {
    if let v = compiled[text] { return SessionFunction(session: self, value: v, text: text) }
    let v = try interpreter.evaluate(text, filename: filename)
    guard interpreter.callable(v) else {
      var e = PyError("TypeError", "'\(v.typeName)' object is not callable")
      e.frames = [TraceFrame(filename: filename, function: "<module>", range: nil)]
      throw e
    }
    compiled[text] = v
    return SessionFunction(session: self, value: v, text: text)
  }

  /// Evaluates an expression in the workspace's namespace (a point, `[1., 2.]`, `(W, b)`).
  public func evaluate(_ expression: String, filename: String = "<value>") throws(PyError) -> Value {
    try interpreter.evaluate(expression, filename: filename)
  }

  /// The traceback text of an error from this session.
  public func traceback(_ error: PyError) -> String { interpreter.traceback(error) }
}

/// A compiled function of a session, with the transformations the explorer shows.
public struct SessionFunction {
  public let session: Session
  public let value: Value
  public let text: String

  var interp: Interpreter { session.interpreter }

  /// `f(*args)`.
  public func callAsFunction(_ args: Value...) throws(PyError) -> Value { try call(args) }

  public func call(_ args: [Value]) throws(PyError) -> Value { try interp.callValue(value, args) }

  /// `jax.grad(f, argnums)(*args)`: one gradient, or a tuple when `argnums` has several.
  public func grad(argnums: [Int] = [0], at args: [Value]) throws(PyError) -> Value {
    try interp.callValue(try transform("grad", argnums: argnums), args)
  }

  /// `jax.value_and_grad(f, argnums)(*args)`.
  public func valueAndGrad(argnums: [Int] = [0], at args: [Value]) throws(PyError) -> (value: Value, gradient: Value) {
    let r = try interp.callValue(try transform("value_and_grad", argnums: argnums), args)
    guard case .tuple(let pair) = r, pair.count == 2 else { throw PyError("TypeError", "value_and_grad gave no pair") }
    return (pair[0], pair[1])
  }

  /// `jax.jvp(f, args, tangents)`: the output and the tangent of the output.
  public func jvp(at args: [Value], tangents: [Value]) throws(PyError) -> (output: Value, tangent: Value) {
    let r = try interp.callLibrary("jax", "jvp", [value, .tuple(args), .tuple(tangents)])
    guard case .tuple(let pair) = r, pair.count == 2 else { throw PyError("TypeError", "jvp gave no pair") }
    return (pair[0], pair[1])
  }

  /// `jax.vjp(f, *args)` pulled back along `cotangent`: the output and one cotangent per argument.
  public func vjp(at args: [Value], cotangent: Value) throws(PyError) -> (output: Value, cotangents: Value) {
    let r = try interp.callLibrary("jax", "vjp", [value] + args)
    guard case .tuple(let pair) = r, pair.count == 2 else { throw PyError("TypeError", "vjp gave no pair") }
    return (pair[0], try interp.callValue(pair[1], [cotangent]))
  }

  /// The Jacobian of a function of one array to one array, row by row: one pullback per output
  /// element, `onRow(i, row)` called as each row is finished (the explorer draws it then).
  /// Returns the full Jacobian, of shape `output.shape + input.shape`.
  public func jacobianRows(at x: Value, onRow: (Int, Value) -> Void = { _, _ in }) throws(PyError) -> Value {
    let r = try interp.callLibrary("jax", "vjp", [value, x])
    guard case .tuple(let pair) = r, pair.count == 2, case .array(let y) = pair[0] else {
      throw PyError("TypeError", "jacobianRows needs a function returning one array")
    }
    let pullback = pair[1]
    let m = y.count
    let basis = eye(m, dtype: y.dtype)
    var rows: [Tensor] = []
    rows.reserveCapacity(m)
    for i in 0..<m {
      if let c = interp.cancellation, c.isCancelled {
        throw PyError("CancelledError", "the evaluation was cancelled")
      }
      let ct = reshape(basis[i], y.shape)
      let g = try interp.callValue(pullback, [.array(ct)])
      guard case .tuple(let parts) = g, case .array(let row)? = parts.first else {
        throw PyError("TypeError", "jacobianRows needs a function of one array")
      }
      if let e = row.error { throw PyError(e) }
      rows.append(row)
      onRow(i, .array(row))
    }
    let input = rows.first?.shape ?? []
    let stacked = rows.isEmpty ? zeros(y.shape + input) : reshape(stack(rows), y.shape + input)
    if let e = stacked.error { throw PyError(e) }
    return .array(stacked)
  }

  /// The Jacobian column by column: one jvp along each basis vector eⱼ of the input,
  /// `onColumn(j, column)` called as each column is finished. Returns the columns (each of the
  /// output's shape), in input order.
  public func jacobianColumns(at x: Value, onColumn: (Int, Value) -> Void = { _, _ in }) throws(PyError) -> [Value] {
    if case .float = x {
      // A Python float: one column, along 1.0.
      let column = try jvp(at: [x], tangents: [.float(1)]).tangent
      onColumn(0, column)
      return [column]
    }
    guard case .array(let input) = x else {
      throw PyError("TypeError", "jacobianColumns needs a function of one array")
    }
    let n = input.count
    let basis = eye(n, dtype: input.dtype)
    var columns: [Value] = []
    columns.reserveCapacity(n)
    for j in 0..<n {
      if let c = interp.cancellation, c.isCancelled {
        throw PyError("CancelledError", "the evaluation was cancelled")
      }
      let column = try jvp(at: [x], tangents: [.array(reshape(basis[j], input.shape))]).tangent
      columns.append(column)
      onColumn(j, column)
    }
    return columns
  }

  /// The traced program of f at `args`, as the engine holds it: each equation carries the span
  /// of the source that bound it (`equation.span`), for the explorer to underline.
  public func program(at args: [Value], optimized: Bool = false) throws(PyError) -> ClosedJaxpr {
    guard case .object(let o as PyOpaque) = try interp.jaxpr(of: value, args, optimized: optimized),
      let jaxpr = o.payload as? ClosedJaxpr
    else { throw PyError("TypeError", "make_jaxpr gave no program") }
    return jaxpr
  }

  /// The jaxpr of f at `args` (`optimized`: after jit's passes).
  public func jaxpr(at args: [Value], optimized: Bool = false) throws(PyError) -> String {
    try interp.display(try interp.jaxpr(of: value, args, optimized: optimized))
  }

  /// The jaxpr of `grad(f)` at `args`.
  public func gradJaxpr(at args: [Value], optimized: Bool = false) throws(PyError) -> String {
    try interp.display(try interp.jaxpr(of: try transform("grad", argnums: [0]), args, optimized: optimized))
  }

  /// The second derivative at `x`: `grad(grad(f))(x)`, or along `v`, d²/dt² f(x + t·v) at 0 (a
  /// jvp of a jvp).
  public func secondDerivative(at x: Value, along v: Value? = nil) throws(PyError) -> Value {
    guard let v else {
      let g = try interp.callLibrary("jax", "grad", [value])
      return try interp.callValue(try interp.callLibrary("jax", "grad", [g]), [x])
    }
    let make = try interp.evaluate(
      "lambda f, jvp, x, v: jvp(lambda t: jvp(f, (x + t * v,), (v,))[1], (0.0,), (1.0,))[1]",
      filename: "<second derivative>")
    return try interp.callValue(make, [value, try interp.libraryValue("jax", "jvp"), x, v])
  }

  /// A program derived from f, for `nonFiniteOrigin`.
  public enum DerivedProgram {
    case function
    case gradient(argnums: [Int])
    case jvp(tangents: [Value])
    case vjp(cotangent: Value)

    /// How the explorer names it: `f`, `grad f`, `jvp f`, `vjp f`.
    public var title: String {
      switch self {
      case .function: "f"
      case .gradient: "grad f"
      case .jvp: "jvp f"
      case .vjp: "vjp f"
      }
    }
  }

  /// The traced program of f, of its gradient, or of its jvp or vjp at `args` (pulled back
  /// along the cotangent), and the first of its equations that made a NaN or an infinity from
  /// finite operands there, with the source span of the user code that bound it.
  public func nonFiniteOrigin(_ which: DerivedProgram, at args: [Value]) throws(PyError) -> (
    program: ClosedJaxpr, origin: NonFiniteOrigin?
  ) {
    let fn: Value
    switch which {
    case .function: fn = value
    case .gradient(let argnums): fn = try transform("grad", argnums: argnums)
    case .jvp(let tangents):
      let make = try interp.evaluate("lambda f, jvp, t: (lambda *a: jvp(f, a, t)[1])", filename: "<jvp program>")
      fn = try interp.callValue(make, [value, try interp.libraryValue("jax", "jvp"), .tuple(tangents)])
    case .vjp(let cotangent):
      let make = try interp.evaluate("lambda f, vjp, u: (lambda *a: vjp(f, *a)[1](u))", filename: "<vjp program>")
      fn = try interp.callValue(make, [value, try interp.libraryValue("jax", "vjp"), cotangent])
    }
    let program = try closedJaxpr(fn, args)
    guard let inputs = try programInputs(args, program) else { return (program, nil) }
    let origin = try interp.inEngineContext { () throws(PyError) -> NonFiniteOrigin? in program.firstNonFinite(inputs) }
    return (program, origin)
  }

  /// The first of `results` (f's, grad's, jvp's, vjp's, each with its program) that holds a NaN
  /// or an infinity, its program, and where in it the first one came from (nil origin: from a
  /// non-finite input). nil when every result is finite.
  public func firstNonFinite(among results: [(DerivedProgram, Value)], at args: [Value]) throws(PyError) -> (
    which: DerivedProgram, program: ClosedJaxpr, origin: NonFiniteOrigin?
  )? {
    guard let (which, _) = results.first(where: { $0.1.hasNonFinite }) else { return nil }
    let (program, origin) = try nonFiniteOrigin(which, at: args)
    return (which, program, origin)
  }

  /// The derivative explained: f, its linearized program (the linear map t ↦ f'(x)·t of
  /// `jax.linearize`) and its transposed program (u ↦ uᵀ·f'(x), the pullback of `jax.vjp`),
  /// each after jit's optimisation, listed with the values they compute at the point (for
  /// tangents and cotangent `tangents` and `cotangent`).
  public func explained(at args: [Value], tangents: [Value], cotangent: Value) throws(PyError) -> [(
    title: String, listing: JaxprListing
  )] {
    func pair(_ v: Value) throws(PyError) -> Value {
      guard case .tuple(let p) = v, p.count == 2 else { throw PyError("TypeError", "expected a pair") }
      return p[1]
    }
    let linear = try pair(try interp.callLibrary("jax", "linearize", [value] + args))
    let pullback = try pair(try interp.callLibrary("jax", "vjp", [value] + args))
    var out: [(title: String, listing: JaxprListing)] = []
    for (title, fn, inputs) in [
      ("f", value, args), ("linearized (jvp)", linear, tangents), ("transposed (vjp)", pullback, [cotangent]),
    ] {
      let program = try closedJaxpr(fn, inputs, optimized: true)
      let values = try programInputs(inputs, program)
      let listing = try interp.inEngineContext { () throws(PyError) -> JaxprListing in
        program.listing(values: values)
      }
      out.append((title, listing))
    }
    return out
  }

  private func closedJaxpr(_ fn: Value, _ args: [Value], optimized: Bool = false) throws(PyError) -> ClosedJaxpr {
    guard case .object(let o as PyOpaque) = try interp.jaxpr(of: fn, args, optimized: optimized),
      let program = o.payload as? ClosedJaxpr
    else { throw PyError("TypeError", "make_jaxpr gave no program") }
    return program
  }

  /// A program's inputs for `args`: their leaves, as arrays of its input types (nil when a leaf
  /// is not numbers or the counts differ).
  private func programInputs(_ args: [Value], _ program: ClosedJaxpr) throws(PyError) -> [Tensor]? {
    guard case .list(let leaves) = try interp.callLibrary("jax.tree_util", "tree_leaves", [.tuple(args)]) else {
      return nil
    }
    var inputs: [Tensor] = []
    for (leaf, aval) in zip(leaves.items, program.inAvals) {
      if case .array(let t) = leaf {
        inputs.append(t)
      } else if let d = leaf.doubles {
        inputs.append(Tensor(shape: aval.shape, scalars: d.map { .float($0) }, dtype: aval.dtype))
      } else {
        return nil
      }
    }
    return inputs.count == program.inAvals.count ? inputs : nil
  }

  private func transform(_ name: String, argnums: [Int]) throws(PyError) -> Value {
    let nums: Value = argnums.count == 1 ? .int(argnums[0]) : .tuple(argnums.map { .int($0) })
    return try interp.callLibrary("jax", name, [value], ["argnums": nums])
  }
}

extension Value {
  /// The shape of an array value (nil for other values).
  public var shape: [Int]? {
    switch self {
    case .array(let t): t.shape
    case .key(let k): k.shape
    case .object(let a as NPArray): a.tensor.shape
    default: nil
    }
  }

  /// The dtype name of an array value: `float32`, `key<fry>` (nil for other values).
  public var dtypeName: String? {
    switch self {
    case .array(let t): t.dtype.description
    case .key: "key<fry>"
    case .object(let a as NPArray): a.tensor.dtype.description
    default: nil
    }
  }

  /// Whether a result (an array, a number, or a tuple, list or dict of them) holds a NaN or an
  /// infinity.
  public var hasNonFinite: Bool {
    switch self {
    case .tuple(let items): items.contains { $0.hasNonFinite }
    case .list(let l): l.items.contains { $0.hasNonFinite }
    case .dict(let d): d.values.contains { $0.hasNonFinite }
    default: doubles?.contains { !$0.isFinite } ?? false
    }
  }

  /// The elements of an array or Python number, as Doubles, row-major (nil otherwise or on error).
  public var doubles: [Double]? {
    switch self {
    case .array(let t): try? t.doubles
    case .object(let a as NPArray): try? a.tensor.doubles
    case .float(let d): [d]
    case .int(let i): [Double(i)]
    case .bool(let b): [b ? 1 : 0]
    default: nil
    }
  }
}

extension PyError {
  /// Where the error happened in the innermost frame with a position (the span to underline).
  public var span: SourceRange? {
    frames.first(where: { $0.range != nil })?.range ?? pendingRange
  }
}

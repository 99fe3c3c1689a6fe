import FluxionBackend

/// The first equation of a program that made a NaN or an infinity out of finite inputs: where a
/// non-finite value came from (JAX's `jax_debug_nans` only raises; this names the operation).
public struct NonFiniteOrigin: Sendable {
  /// The equation, with the source span of the user code that bound it.
  public let equation: Equation
  /// Its first result as the program's text names it (`e:f32[]`): the line to mark.
  public let binder: String
  /// Its operands' values and its results.
  public let inputs: [Tensor]
  public let outputs: [Tensor]
  /// The jit bodies it is inside, outermost first (their equations' binders).
  public let within: [String]

  /// `log gave -inf from 0.0`, with the operands' values (a few elements of each).
  public var summary: String {
    let values = inputs.map { Self.describe($0) }.joined(separator: ", ")
    let made = outputs.map { Self.firstNonFinite($0) }.compactMap { $0 }.first ?? "a non-finite value"
    return "\(equation.primitive.name) gave \(made) from \(values)"
  }

  static func describe(_ t: Tensor) -> String {
    guard let d = try? t.doubles else { return "\(t.aval)" }
    func number(_ x: Double) -> String {
      if x.isNaN { return "nan" }
      if x.isInfinite { return x > 0 ? "inf" : "-inf" }
      if x == x.rounded(), Swift.abs(x) < 1e15 { return "\(Int(x))." }
      return "\(Float(x))"
    }
    if t.rank == 0 { return number(d.first ?? .nan) }
    let shown = d.prefix(4).map(number).joined(separator: ", ")
    return "\(t.aval) [\(shown)\(d.count > 4 ? ", …" : "")]"
  }

  static func firstNonFinite(_ t: Tensor) -> String? {
    guard t.dtype.isFloatingPoint, let d = try? t.doubles, let x = d.first(where: { !$0.isFinite }) else { return nil }
    return x.isNaN ? "nan" : x > 0 ? "inf" : "-inf"
  }
}

/// A program's equations, one a line, for the explorer's side-by-side view.
public struct JaxprListing: Sendable, Equatable {
  public struct Line: Sendable, Equatable {
    /// `d:f32[] = mul b 2.25:f32[]`.
    public var text: String
    /// The user code that bound it.
    public var span: SourceSpan?
    /// Its results at the point (empty when not asked for).
    public var values: [String]
  }
  /// `{ lambda ; a:f32[]. let` and `  in (f,) }`.
  public var header: String
  public var footer: String
  public var equations: [Line]

  public init(header: String, footer: String = "", equations: [Line] = []) {
    self.header = header
    self.footer = footer
    self.equations = equations
  }
}

extension ClosedJaxpr {
  /// Runs the program on `args` equation by equation (eagerly, outside any trace) and returns
  /// the first equation whose float results hold a NaN or an infinity while its float operands
  /// are all finite; inside a jit body, the equation there. nil when every value is finite, or
  /// when a non-finite value only ever comes from a non-finite input.
  public func firstNonFinite(_ args: [Tensor]) -> NonFiniteOrigin? {
    let (_, names) = JaxprPrinter.textAndNames(jaxpr)
    return Self.search(jaxpr, consts: consts, args, names: names, within: [])
  }

  private static func search(
    _ j: Jaxpr, consts: [Tensor], _ args: [Tensor], names: [Var: String], within: [String]
  ) -> NonFiniteOrigin? {
    var found: NonFiniteOrigin?
    walk(j, consts: consts, args) { eqn, inputs, outputs in
      guard outputs.contains(where: { !allFinite($0) }), inputs.allSatisfy(allFinite) else { return true }
      let binder = eqn.outputs.first.map { "\(names[$0] ?? "?"):\($0.aval)" } ?? eqn.primitive.name
      if let body = eqn.primitive.aliasedBody {
        found = search(body.jaxpr, consts: body.consts, inputs, names: names, within: within + [binder])
      }
      if found == nil {
        found = NonFiniteOrigin(equation: eqn, binder: binder, inputs: inputs, outputs: outputs, within: within)
      }
      return false
    }
    return found
  }

  /// Runs a program's equations one by one, eagerly, handing each its operands and results;
  /// stops when `visit` returns false.
  static func walk(
    _ j: Jaxpr, consts: [Tensor], _ args: [Tensor], _ visit: (Equation, [Tensor], [Tensor]) -> Bool
  ) {
    var env: [Var: Tensor] = [:]
    for (v, c) in zip(j.constVars, consts) { env[v] = c }
    for (v, a) in zip(j.inVars, args) { env[v] = a }
    func read(_ a: Atom) -> Tensor {
      switch a {
      case .variable(let v): env[v] ?? Tensor(failed: .valueError("jaxpr variable read before it was written"))
      case .literal(let t): t
      }
    }
    for eqn in j.equations {
      let inputs = eqn.inputs.map(read)
      let outputs = withSourceSpan(eqn.span) { bind(eqn.primitive, inputs) }
      for (v, o) in zip(eqn.outputs, outputs) { env[v] = o }
      if !visit(eqn, inputs, outputs) { return }
    }
  }

  /// The program as the explorer lists it: one line an equation (named as in its text), each
  /// with its source span and, given the inputs, the values it computes there.
  public func listing(values args: [Tensor]? = nil) -> JaxprListing {
    let (whole, lines) = JaxprPrinter.textAndEquationLines(jaxpr)
    var values: [[Tensor]] = []
    if let args {
      Self.walk(jaxpr, consts: consts, args) { _, _, outputs in
        values.append(outputs)
        return true
      }
    }
    let text = whole.split(separator: "\n", omittingEmptySubsequences: false)
    return JaxprListing(
      header: text.first.map(String.init) ?? "", footer: text.last.map(String.init) ?? "",
      equations: zip(lines, equations).enumerated().map { k, pair in
        JaxprListing.Line(
          text: pair.0, span: pair.1.span,
          values: k < values.count ? values[k].map(NonFiniteOrigin.describe) : [])
      })
  }

  /// Whether every element of a float array is finite (other dtypes always are).
  static func allFinite(_ t: Tensor) -> Bool {
    guard t.dtype.isFloatingPoint else { return true }
    guard let d = try? t.doubles else { return true }
    return d.allSatisfy(\.isFinite)
  }
}

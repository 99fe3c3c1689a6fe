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
      guard outputs.contains(where: { !allFinite($0) }), inputs.allSatisfy(allFinite) else { continue }
      let binder = eqn.outputs.first.map { "\(names[$0] ?? "?"):\($0.aval)" } ?? eqn.primitive.name
      if let body = eqn.primitive.aliasedBody,
        let inner = search(body.jaxpr, consts: body.consts, inputs, names: names, within: within + [binder])
      {
        return inner
      }
      return NonFiniteOrigin(equation: eqn, binder: binder, inputs: inputs, outputs: outputs, within: within)
    }
    return nil
  }

  /// Whether every element of a float array is finite (other dtypes always are).
  static func allFinite(_ t: Tensor) -> Bool {
    guard t.dtype.isFloatingPoint else { return true }
    guard let d = try? t.doubles else { return true }
    return d.allSatisfy(\.isFinite)
  }
}

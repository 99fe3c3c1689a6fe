import FluxionBackend

/// What a recording trace is tracing for (jit of a named function, make_jaxpr): named in the
/// errors of converting its tracers to Swift values.
struct TracingContext: Sendable {
  let functionName: String
  /// The name of each input, as the messages call it (`args[0]`, `x['w']`).
  let argNames: [String]
}

/// The conversions of a tensor to a Swift value, as the Python ones they stand for.
enum TracerConversion {
  /// `bool(x)`: `truthValue()`, `Bool(tensor:)`.
  case bool
  /// `int(x)`: `Int(tensor:)`.
  case int
  /// `float(x)`: `Double(tensor:)`, `Float(tensor:)`.
  case float
  /// `x.item()`: `item()`.
  case item
  /// `x.tolist()`: `doubles`, `floats`.
  case tolist
  /// Reading the data (`value()`).
  case value
}

extension Tensor {
  /// The data for `conversion`, or JAX's error for converting a tracer that has none.
  ///
  /// As in JAX, a tracer of forward or reverse differentiation of concrete values converts
  /// with `bool`, `int`, `item` and `value` (its primal is known), but `float` and `tolist`
  /// fail on every tracer (they would silently drop the derivative); vmap's and jit's tracers
  /// never convert.
  func concreteValue(for conversion: TracerConversion) throws(FluxionError) -> DenseArray {
    switch resolved {
    case .array(let a, _): return a
    case .failed(let e): throw e
    case .tracer(let t):
      if conversion != .float && conversion != .tolist, let a = t.concreteValue { return a }
      if conversion == .bool, let j = t as? JVPTracer { return try j.primal.concreteValue(for: .bool) }
      throw conversionError(conversion, t)
    }
  }

  /// JAX's error for converting the tracer `t` (this tensor) as `conversion` asks.
  private func conversionError(_ conversion: TracerConversion, _ t: Tracer) -> FluxionError {
    let origin = tracerOrigin(t)
    let shape = t.aval.longDescription
    let context: String
    switch conversion {
    case .bool: return FluxionError(.tracerBoolConversion(t.aval, origin: origin))
    case .int, .float:
      let f = conversion == .int ? "int" : "float"
      context =
        "The problem arose with the `\(f)` function. If trying to convert the data type of a value, try using `x.astype(\(f))` or `jnp.array(x, \(f))` instead."
    case .item: context = "This occurred in the item() method of jax.Array"
    case .tolist: context = "The tolist() method was called on traced array with shape \(shape)." + origin
    case .value: context = ""
    }
    return FluxionError(.concretization(t.aval, context: context, origin: origin))
  }
}

/// Where a tracer came from, as JAX's errors say it: for a tracer of a program traced for jit
/// (or make_jaxpr), the function and the arguments the value depends on, or the operations
/// that made it when it depends on none. Empty for other tracers (JAX names a vmap tracer's
/// object id and source line, which a Swift program does not have).
func tracerOrigin(_ t: Tracer) -> String {
  guard let j = t as? JaxprTracer, let trace = j.trace as? JaxprTrace, let info = trace.debugInfo else { return "" }
  let (inputs, equations) = trace.provenance(j.variable)
  let head = "\nThe error occurred while tracing the function \(info.functionName) for jit. "
  if !inputs.isEmpty {
    let names = inputs.map { $0 < info.argNames.count ? info.argNames[$0] : "args[\($0)]" }
    let list: String =
      switch names.count {
      case 1: names[0]
      case 2: "\(names[0]) and \(names[1])"
      default: names.dropLast().joined(separator: ", ") + ", and " + names.last!
      }
    let what = names.count == 1 ? "value of the argument" : "values of the arguments"
    return head + "This concrete value was not available in Python because it depends on the \(what) \(list)."
  }
  var text = head + "This value became a tracer due to JAX operations on these lines:"
  for e in equations {
    text += "\n\n  operation " + operationText(e)
    if let span = e.span { text += "\n    from line \(span.line):\(span.column)" }
  }
  return text
}

/// One equation as JAX's error messages print it, its variables named afresh: `a:f32[] = mul b 2.0:f32[]`.
private func operationText(_ e: Equation) -> String {
  var names: [Var: String] = [:]
  func name(_ v: Var) -> String {
    if let n = names[v] { return n }
    let n = JaxprPrinter.name(names.count)
    names[v] = n
    return n
  }
  let lhs = e.outputs.map { "\(name($0)):\($0.aval)" }.joined(separator: " ")
  let params = e.primitive.params.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
  let args = e.inputs.map { a -> String in
    switch a {
    case .variable(let v): name(v)
    case .literal(let t): JaxprPrinter.literal(t)
    }
  }
  let rhs =
    e.primitive.name + (params.isEmpty ? "" : "[\(params)]") + (args.isEmpty ? "" : " " + args.joined(separator: " "))
  return lhs.isEmpty ? rhs : "\(lhs) = \(rhs)"
}

// MARK: - Swift values from tensors (Python's bool, int and float)
//
// Labelled (`Double(tensor: x)`), so that `Double(1 << 53)` and other literals keep meaning the
// standard library's conversions (a literal can also be a Tensor).

extension Bool {
  /// Python's `bool(x)` of a one-element tensor; under jit or vmap JAX's TracerBoolConversionError.
  public init(tensor x: Tensor) throws(FluxionError) { self = try x.truthValue() }
}

extension Int {
  /// Python's `int(x)` of a one-element tensor (floats truncate toward zero); of a traced value
  /// without a concrete one, JAX's ConcretizationTypeError.
  public init(tensor x: Tensor) throws(FluxionError) { self = try pythonInt(x.scalarItem(for: .int)) }
}

extension Double {
  /// Python's `float(x)` of a one-element tensor; of any traced value (even under grad, where
  /// it would drop the derivative) JAX's ConcretizationTypeError.
  public init(tensor x: Tensor) throws(FluxionError) { self = try x.scalarItem(for: .float).asDouble }
}

extension Float {
  /// `Float(Double(tensor: x))`: Python's `float(x)`, rounded to Float.
  public init(tensor x: Tensor) throws(FluxionError) { self = Float(try Double(tensor: x)) }
}

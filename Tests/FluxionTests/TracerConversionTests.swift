import Testing

@_spi(FluxionLang) @testable import Fluxion

/// Converting traced values to Swift values: JAX 0.10.2's TracerBoolConversionError and
/// ConcretizationTypeError, with their messages, under jit, make_jaxpr, vmap and grad.
struct TracerConversionTests {
  static let boolURL = "\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerBoolConversionError"
  static let concreteURL = "\n\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.ConcretizationTypeError"
  static let abstract = "Abstract tracer value encountered where concrete value is expected: traced array with shape "
  static func problem(_ f: String) -> String {
    "The problem arose with the `\(f)` function. If trying to convert the data type of a value, try using `x.astype(\(f))` or `jnp.array(x, \(f))` instead."
  }
  static func origin(_ name: String, _ args: String) -> String {
    "\nThe error occurred while tracing the function \(name) for jit. This concrete value was not available in Python because it depends on the \(args)."
  }

  /// What `convert` throws inside `transform` of a function of `args`.
  static func thrown(
    _ args: [Tensor], in transform: (@escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor],
    _ convert: @escaping ([Tensor]) throws(FluxionError) -> Void
  ) -> FluxionError? {
    nonisolated(unsafe) var caught: FluxionError?
    let f = transform { xs in
      do throws(FluxionError) { try convert(xs) } catch { caught = error }
      return [xs[0] * 1.0]
    }
    _ = f(args)
    return caught
  }

  static let x = Tensor(2.0, dtype: .float32)
  static func jitNamed(_ f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] { jit(name: "f", f) }

  @Test func underJitEveryConversionIsJAXsError() throws {
    let one = Self.origin("f", "value of the argument args[0]")
    let bool = Self.thrown([Self.x], in: Self.jitNamed) { xs throws(FluxionError) in _ = try Bool(tensor: xs[0] .> 0) }
    #expect(bool?.kind == .tracerBoolConversionError)
    #expect(bool?.message == "Attempted boolean conversion of traced array with shape bool[]." + one + Self.boolURL)
    let int = Self.thrown([Self.x], in: Self.jitNamed) { xs throws(FluxionError) in _ = try Int(tensor: xs[0]) }
    #expect(int?.kind == .concretizationTypeError)
    #expect(int?.message == Self.abstract + "float32[]\n" + Self.problem("int") + one + Self.concreteURL)
    let float = Self.thrown([Self.x], in: Self.jitNamed) { xs throws(FluxionError) in _ = try Double(tensor: xs[0]) }
    #expect(float?.message == Self.abstract + "float32[]\n" + Self.problem("float") + one + Self.concreteURL)
    let item = Self.thrown([Self.x], in: Self.jitNamed) { xs throws(FluxionError) in _ = try xs[0].item() }
    #expect(
      item?.message == Self.abstract + "float32[]\nThis occurred in the item() method of jax.Array" + one
        + Self.concreteURL)
    // tolist: JAX names the origin twice.
    let list = Self.thrown([Self.x], in: Self.jitNamed) { xs throws(FluxionError) in _ = try xs[0].doubles }
    #expect(
      list?.message
        == Self.abstract + "float32[]\nThe tolist() method was called on traced array with shape float32[]." + one + one
        + Self.concreteURL)
  }

  @Test func theMessageNamesTheArgumentsTheValueDependsOn() throws {
    let three = [Self.x, Self.x, Self.x]
    let second = Self.thrown(three, in: Self.jitNamed) { xs throws(FluxionError) in _ = try Bool(tensor: xs[1]) }
    #expect(second?.message.contains(Self.origin("f", "value of the argument args[1]")) == true)
    let two = Self.thrown(three, in: Self.jitNamed) { xs throws(FluxionError) in _ = try Bool(tensor: xs[0] + xs[2]) }
    #expect(two?.message.contains(Self.origin("f", "values of the arguments args[0] and args[2]")) == true)
    let all = Self.thrown(three, in: Self.jitNamed) { xs throws(FluxionError) in
      _ = try Bool(tensor: xs[0] + xs[1] + xs[2])
    }
    #expect(all?.message.contains(Self.origin("f", "values of the arguments args[0], args[1], and args[2]")) == true)
    // A pytree argument's leaves are named by their key paths.
    nonisolated(unsafe) var tree: FluxionError?
    let g = jit(name: "g") { (p: [String: Tensor]) -> Tensor in
      do throws(FluxionError) { _ = try Bool(tensor: p["w"]!) } catch { tree = error }
      return p["b"]!
    }
    _ = g(["w": Self.x, "b": Self.x])
    #expect(tree?.message.contains(Self.origin("g", "value of the argument x['w']")) == true)
  }

  @Test func aValueMadeWithoutTheArgumentsNamesItsOperations() throws {
    let e = Self.thrown([Self.x], in: Self.jitNamed) { _ throws(FluxionError) in
      _ = try Bool(tensor: sin(Tensor(1.0, dtype: .float32)) * 2.0)
    }
    #expect(
      e?.message
        == "Attempted boolean conversion of traced array with shape float32[].\nThe error occurred while tracing the function f for jit. This value became a tracer due to JAX operations on these lines:\n\n  operation a:f32[] = sin 1.0:f32[]\n\n  operation a:f32[] = mul b 2.0:f32[]"
        + Self.boolURL)
  }

  @Test func makeJaxprTracesForJit() throws {
    let e = Self.thrown([Self.x], in: { f in { xs in (try? makeJaxpr(f, xs).get()).map { _ in [] } ?? [] } }) {
      xs throws(FluxionError) in _ = try Bool(tensor: xs[0] .> 0)
    }
    #expect(e?.message.contains(Self.origin("<lambda>", "value of the argument args[0]")) == true)
  }

  /// As JAX: under grad, bool, int and item read the primal; float and tolist never convert a
  /// tracer (they would drop the derivative).
  @Test func underGradOnlyFloatAndTolistFail() throws {
    let grads = { (f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] in
      { xs in grad { (ys: [Tensor]) in f(ys)[0] }(xs) }
    }
    #expect(Self.thrown([Self.x], in: grads) { xs throws(FluxionError) in _ = try Bool(tensor: xs[0] .> 0) } == nil)
    #expect(Self.thrown([Self.x], in: grads) { xs throws(FluxionError) in _ = try Int(tensor: xs[0]) } == nil)
    #expect(Self.thrown([Self.x], in: grads) { xs throws(FluxionError) in _ = try xs[0].item() } == nil)
    #expect(Self.thrown([Self.x], in: grads) { xs throws(FluxionError) in _ = try xs[0].value() } == nil)
    let float = Self.thrown([Self.x], in: grads) { xs throws(FluxionError) in _ = try Double(tensor: xs[0]) }
    #expect(float?.message == Self.abstract + "float32[]\n" + Self.problem("float") + Self.concreteURL)
    let list = Self.thrown([Self.x], in: grads) { xs throws(FluxionError) in _ = try xs[0].doubles }
    #expect(
      list?.message
        == Self.abstract + "float32[]\nThe tolist() method was called on traced array with shape float32[]."
        + Self.concreteURL)
    // Values read under grad are the primal's.
    nonisolated(unsafe) var read: (Bool, Int, Double)?
    _ = grad { (y: Tensor) -> Tensor in
      read = try? (Bool(tensor: y .> 1), Int(tensor: y * 1.5), y.item())
      return y * y
    }(Self.x)
    #expect(read?.0 == true && read?.1 == 3 && read?.2 == 2)
  }

  @Test func underVmapNothingConverts() throws {
    let v = Tensor([1.0, 2.0])
    let batched = { (f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] in
      { xs in vmapFlat(f, xs, inAxes: [0], outAxes: { _ in 0 }) }
    }
    let bool = Self.thrown([v], in: batched) { xs throws(FluxionError) in _ = try Bool(tensor: xs[0] .> 0) }
    #expect(bool?.message == "Attempted boolean conversion of traced array with shape bool[]." + Self.boolURL)
    let int = Self.thrown([v], in: batched) { xs throws(FluxionError) in _ = try Int(tensor: xs[0]) }
    #expect(int?.message == Self.abstract + "float32[]\n" + Self.problem("int") + Self.concreteURL)
  }

  /// A transformation inside jit: the jit tracer's origin shows where JAX shows it.
  @Test func compositionsNameTheJitWhereJAXDoes() throws {
    let one = Self.origin("f", "value of the argument args[0]")
    let jitOfGrad = { (f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] in
      jit(name: "f") { xs in grad { (ys: [Tensor]) in f(ys)[0] }(xs) }
    }
    let bool = Self.thrown([Self.x], in: jitOfGrad) { xs throws(FluxionError) in _ = try Bool(tensor: xs[0] .> 0) }
    #expect(bool?.message == "Attempted boolean conversion of traced array with shape bool[]." + one + Self.boolURL)
    let int = Self.thrown([Self.x], in: jitOfGrad) { xs throws(FluxionError) in _ = try Int(tensor: xs[0]) }
    #expect(int?.message == Self.abstract + "float32[]\n" + Self.problem("int") + Self.concreteURL)
    let gradOfJit = { (f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] in
      { xs in grad { (ys: [Tensor]) in jit(name: "f", f)(ys)[0] }(xs) }
    }
    let inner = Self.thrown([Self.x], in: gradOfJit) { xs throws(FluxionError) in _ = try Bool(tensor: xs[0] .> 0) }
    #expect(inner?.message == "Attempted boolean conversion of traced array with shape bool[]." + one + Self.boolURL)
  }

  @Test func concreteValuesConvertAsPythonDoes() throws {
    #expect(try Bool(tensor: Tensor(true)))
    #expect(try Int(tensor: Tensor(-2.7)) == -2)
    #expect(try Double(tensor: Tensor([1.5])) == 1.5)
    #expect(try Float(tensor: Tensor(0.1)) == Float(0.1))
    #expect(throws: FluxionError(.valueError, "can only convert an array of size 1 to a Python scalar")) {
      try Double(tensor: Tensor([1.0, 2.0]))
    }
    // Literals still mean the standard library's conversions.
    #expect(Double(1 << 3) == 8)
  }
}

/// Every case of Fixtures/tracer_conversions.json (Tests/fixtures/make_tracer_conversion_fixtures.py):
/// a conversion of one of three arguments, of several, or of a value made from none, under jit,
/// make_jaxpr, grad (of the first argument), vmap and their compositions, against JAX 0.10.2.
struct TracerConversionFixtureTests {
  nonisolated(unsafe) static let cases = (try? loadFixture("tracer_conversions"))?["cases"] as? [[String: Any]] ?? []

  static func convert(_ kind: String, _ v: Tensor) throws(FluxionError) -> Double {
    switch kind {
    case "bool": return try Bool(tensor: v .> 0) ? 1 : 0
    case "int": return Double(try Int(tensor: v))
    case "float": return try Double(tensor: v)
    case "item": return try v.item()
    default: return try v.doubles[0]
    }
  }

  static func operand(_ kind: String, _ a: [Tensor]) -> Tensor {
    switch kind {
    case "arg1": a[1]
    case "arg0+arg2": a[0] + a[2]
    case "all": a[0] + a[1] + a[2]
    default: sin(Tensor(1.0, dtype: .float32)) * 2.0
    }
  }

  @Test func everyCaseMatchesJAX() throws {
    #expect(Self.cases.count == 120)
    var failures: [String] = []
    for c in Self.cases {
      let name = c["name"] as? String ?? "?"
      let (transform, conversion, operandKind) = (
        c["transform"] as? String ?? "", c["conversion"] as? String ?? "", c["operand"] as? String ?? ""
      )
      let out = c["out"] as? [String: Any] ?? [:]
      let error = out["error"] as? [String: String]
      // The function JAX names; make_jaxpr's is a lambda here.
      var expected = error?["message"]
      let jitName =
        expected.flatMap { m in
          m.range(of: "the function ").map { r in String(m[r.upperBound...].prefix { $0 != " " }) }
        } ?? "f"
      if transform == "make_jaxpr" {
        expected = expected?.replacingOccurrences(of: "function \(jitName) for jit", with: "function <lambda> for jit")
      }
      nonisolated(unsafe) var result: Result<Double, FluxionError>?
      let f = { (a: [Tensor]) -> [Tensor] in
        result = Result { () throws(FluxionError) in try Self.convert(conversion, Self.operand(operandKind, a)) }
        return [a[0] * 1.0, a[1]]
      }
      let grad0 = { (g: @escaping ([Tensor]) -> [Tensor]) in grad(argnums: [0]) { (a: [Tensor]) in g(a)[0] } }
      let args = [Tensor(2.0, dtype: .float32), Tensor(3.0, dtype: .float32), Tensor(-1.0, dtype: .float32)]
      switch transform {
      case "jit": _ = jit(name: jitName, f)(args)
      case "make_jaxpr": _ = makeJaxpr(f, args)
      case "grad": _ = grad0(f)(args)
      case "vmap": _ = vmapFlat(f, args.map { stack([$0, $0]) }, inAxes: [0, 0, 0], outAxes: { _ in 0 })
      case "jit_of_grad": _ = jit(name: jitName, grad0(f))(args)
      case "grad_of_jit": _ = grad0(jit(name: jitName, f))(args)
      default: failures.append("\(name): unknown transform")
      }
      switch (result, error) {
      case (.success(let v)?, nil):
        // (sin's float32 result may differ from XLA's in the last place.)
        if let want = out["ok"] as? Double, Swift.abs(v - want) > 1e-6 * Swift.abs(want) {
          failures.append("\(name): read \(v), JAX \(want)")
        }
      case (.failure(let e)?, let err?):
        if e.kind.rawValue != err["type"] { failures.append("\(name): \(e.kind.rawValue), JAX \(err["type"] ?? "")") }
        if e.message != expected { failures.append("\(name):\n\(e.message)\nJAX:\n\(expected ?? "")") }
      case (let r, let err):
        failures.append("\(name): \(String(describing: r)), JAX \(err.map { "\($0)" } ?? "ok")")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ:\n\(failures.prefix(8).joined(separator: "\n\n"))")
  }
}

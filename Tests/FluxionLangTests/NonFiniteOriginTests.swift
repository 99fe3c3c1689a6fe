import Fluxion
import FluxionLang
import Testing

/// Where a NaN or an infinity came from: the first equation of f's program, or of its
/// gradient's, that made one from finite inputs, with the user code that bound it.
struct NonFiniteOriginTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var function: String
    var at: Double
    var program: Program
    /// The primitive that made it, what it made, and the source it came from.
    var primitive: String
    var made: String
    var source: String
    var testDescription: String { "\(function) at \(at)" }
    enum Program: Sendable { case function, gradient }
  }

  static let cases: [Case] = [
    // In f.
    Case(
      function: "lambda x: jnp.log(x) * 2", at: 0, program: .function, primitive: "log", made: "-inf",
      source: "jnp.log(x)"),
    Case(
      function: "lambda x: x / jnp.abs(x) + 1", at: 0, program: .function, primitive: "div", made: "nan",
      source: "x / jnp.abs(x)"),
    Case(
      function: "lambda x: jnp.sqrt(x) + x", at: -1, program: .function, primitive: "sqrt", made: "nan",
      source: "jnp.sqrt(x)"),
    // inf − inf: its infinities came from the overflow, which is named.
    Case(
      function: "lambda x: jnp.exp(x) - jnp.exp(x)", at: 100, program: .function, primitive: "exp", made: "inf",
      source: "jnp.exp(x)"),
    Case(
      function: "lambda x: jnp.exp(x) * 0.5", at: 100, program: .function, primitive: "exp", made: "inf",
      source: "jnp.exp(x)"),
    // In f' while f is finite: the classic where/sqrt, and values jnp.where selects away.
    Case(
      function: "lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.)", at: 0, program: .gradient, primitive: "div", made: "inf",
      source: "jnp.sqrt(x)"),
    Case(
      function: "lambda x: jnp.where(x > 0, jnp.log(x), 0.)", at: 0, program: .gradient, primitive: "log", made: "-inf",
      source: "jnp.log(x)"),
    Case(
      function: "lambda x: jnp.where(x != 0, jnp.sin(x) / x, 1.)", at: 0, program: .gradient, primitive: "div",
      made: "nan", source: "jnp.sin(x) / x"),
    Case(
      function: "lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.)", at: -1, program: .gradient, primitive: "sqrt",
      made: "nan", source: "jnp.sqrt(x)"),
    Case(
      function: "lambda x: jnp.where(x < 50, jnp.exp(x), 0.)", at: 100, program: .gradient, primitive: "exp",
      made: "inf", source: "jnp.exp(x)"),
    Case(
      function: "lambda x: jnp.where(x < 50, jnp.exp(x) - jnp.exp(x), 0.)", at: 100, program: .gradient,
      primitive: "exp", made: "inf", source: "jnp.exp(x)"),
  ]

  @Test(arguments: cases) func theFirstEquationThatMadeItIsNamed(_ c: Case) throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax\nimport jax.numpy as jnp") == nil)
    let f = try s.compile(c.function)
    let args: [Value] = [.float(c.at)]
    // The result the explorer sees is non-finite.
    let result = c.program == .function ? try f.call(args) : try f.grad(at: args)
    #expect(result.doubles?.contains { !$0.isFinite } == true)
    if c.program == .gradient { #expect(try f.call(args).doubles?.allSatisfy(\.isFinite) == true) }
    let which: SessionFunction.DerivedProgram = c.program == .function ? .function : .gradient(argnums: [0])
    let (program, found) = try f.nonFiniteOrigin(which, at: args)
    let origin = try #require(found)
    #expect(origin.equation.primitive.name == c.primitive)
    #expect(origin.summary.hasPrefix("\(c.primitive) gave \(c.made) from "), "\(origin.summary)")
    #expect(origin.inputs.allSatisfy { ((try? $0.doubles) ?? []).allSatisfy(\.isFinite) })
    // The line the explorer marks is in the program's text.
    #expect(program.description.contains(origin.binder + " = " + c.primitive))
    // The span is the user's code in the function's text.
    let span = try #require(origin.equation.span)
    #expect(span.file == "<function>")
    #expect(span.line == 1)
    let text = Array(c.function)
    let start = span.column - 1
    let end = span.endLine == 1 ? span.endColumn - 1 : text.count
    #expect(String(text[start..<min(end, text.count)]) == c.source)
  }

  @Test func theSafeRewriteHasNoNaN() throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax\nimport jax.numpy as jnp") == nil)
    let f = try s.compile("lambda x: jnp.where(x > 0, jnp.sqrt(jnp.where(x > 0, x, 1.)), 0.)")
    #expect(try f.grad(at: [.float(0)]).doubles == [0])
    #expect(try f.nonFiniteOrigin(.gradient(argnums: [0]), at: [.float(0)]).origin == nil)
  }

  @Test func aNaNFromTheInputHasNoOrigin() throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax.numpy as jnp") == nil)
    let f = try s.compile("lambda x: x * 2")
    #expect(try f.nonFiniteOrigin(.function, at: [try s.evaluate("jnp.array([1., jnp.nan])")]).origin == nil)
  }

  @Test func insideJitTheBodysEquationIsNamed() throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax\nimport jax.numpy as jnp\ng = jax.jit(lambda y: jnp.log(y) + 1)") == nil)
    let f = try s.compile("lambda x: g(x * 2)")
    let origin = try #require(try f.nonFiniteOrigin(.function, at: [.float(0)]).origin)
    #expect(origin.equation.primitive.name == "log")
    #expect(origin.within.count == 1)
    #expect(origin.equation.span?.file == "<workspace>")
  }

  @Test func inTheJvpAndVjpPrograms() throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax\nimport jax.numpy as jnp") == nil)
    let f = try s.compile("lambda x: jnp.sqrt(x) * 3")
    let v: [Value] = [.float(1)]
    let jvp = try #require(try f.nonFiniteOrigin(.jvp(tangents: v), at: [.float(0)]).origin)
    #expect(jvp.equation.primitive.name == "div")
    let vjp = try #require(try f.nonFiniteOrigin(.vjp(cotangent: .float(1)), at: [.float(0)]).origin)
    #expect(vjp.equation.primitive.name == "div")
  }
}

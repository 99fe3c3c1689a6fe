import Fluxion
import FluxionLang
import Foundation
import Testing

/// The gradient check: autodiff against central differences in float64, entry by entry.
struct GradientCheckTests {
  static let prelude = "import jax\nimport jax.numpy as jnp\n"

  func check(_ function: String, at point: String, workspace: String = "", x64: Bool = false) throws -> GradientCheck {
    let s = Session()
    s.interpreter.x64 = x64
    #expect(s.evaluateWorkspace(Self.prelude + workspace) == nil)
    let f = try s.compile(function)
    let x = try s.evaluate(point)
    let j = try f.jacobianRows(at: x)
    return try f.gradientCheck(at: x, jacobian: try #require(j.doubles), float64: j.dtypeName == "float64")
  }

  static let customRule = """
    @jax.custom_jvp
    def f(x):
        return jnp.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return jnp.sin(x), SCALE * jnp.cos(x) * t
    """

  @Test func aRightDerivativeAgreesAndTheEstimatesAreAccurate() throws {
    let c = try check("lambda x: jnp.sin(x) * x", at: "jnp.array([1., 2.])")
    #expect(c.verdict == .agree)
    #expect(c.passed)
    #expect(c.rows == 2 && c.columns == 2)
    // d/dx sin(x)·x = cos(x)·x + sin(x): the float64 estimate to 1e-9 of the exact value.
    for (k, x) in [1.0, 2.0].enumerated() {
      #expect(Swift.abs(c[k, k].fd - (cos(x) * x + sin(x))) < 1e-9)
      // The float32 derivative is within float32's round-off of it.
      #expect(c[k, k].relativeError < 1e-6)
    }
    #expect(c[0, 1].fd == 0 && c[0, 1].relativeError == 0)
    #expect(c.summary.hasPrefix("finite differences agree ✓ (worst relative error"))
  }

  @Test func aWrongCustomRuleFailsAtItsWorstEntryAndTheRightOnePasses() throws {
    let wrong = try check(
      "f", at: "jnp.array([1., 2., 0.5])", workspace: Self.customRule.replacingOccurrences(of: "SCALE", with: "2.0"))
    #expect(!wrong.passed)
    guard case .differ(let i, let j) = wrong.verdict else {
      Issue.record("verdict \(wrong.verdict)")
      return
    }
    #expect(i == j)
    let e = wrong[i, j]
    #expect(Swift.abs(e.ad - 2 * e.fd) < 1e-5)
    #expect(Swift.abs(e.relativeError - 0.5) < 1e-6)
    #expect(!e.passed && !e.kink)
    #expect(wrong.summary.hasPrefix("gradient check fails at (\(i), \(j)): autodiff "))
    #expect(wrong.table.contains("FAIL"))
    let right = try check(
      "f", at: "jnp.array([1., 2., 0.5])", workspace: Self.customRule.replacingOccurrences(of: "SCALE", with: "1.0"))
    #expect(right.verdict == .agree)
  }

  @Test func atAKinkTheDifferencesStraddleItAndTheGradientIsNotCalledWrong() throws {
    // JAX's relu has gradient 0 at 0; the central difference there is ½.
    let relu = try check("lambda x: jax.nn.relu(x) * 2", at: "jnp.array([0., 1.5, -1.])")
    #expect(relu.verdict == .kink(row: 0, column: 0))
    #expect(relu.passed)
    #expect(relu[0, 0].kink && relu[0, 0].ad == 0 && Swift.abs(relu[0, 0].fd - 1) < 1e-9)
    #expect(!relu[1, 1].kink && relu[1, 1].relativeError < 1e-9)
    #expect(relu.summary == "finite differences straddle a kink at (0, 0); the other entries agree")
    // abs at 0: JAX's derivative is 1, the central difference 0.
    let abs = try check("lambda x: jnp.abs(x).sum()", at: "jnp.array([0., -2.])")
    #expect(abs.verdict == .kink(row: 0, column: 0))
    // A wrong derivative away from the kink still fails.
    let wrongAway = try check(
      "lambda x: jax.nn.relu(x) + f(x)", at: "jnp.array([0., 1.])",
      workspace: Self.customRule.replacingOccurrences(of: "SCALE", with: "3.0"))
    #expect(!wrongAway.passed)
  }

  @Test func pythonControlFlowIsCheckedPointByPoint() throws {
    let c = try check(
      "g", at: "1.5",
      workspace: """
        def g(x):
            if x > 0:
                return x ** 3
            return -x
        """)
    #expect(c.verdict == .agree)
    #expect(Swift.abs(c[0, 0].fd - 3 * 1.5 * 1.5) < 1e-8)
  }

  @Test func aFunctionThatComputesInFloat32GetsFloat32Steps() throws {
    // Under x64 the function casts to float32: float64 steps would drown in its round-off.
    let c = try check(
      "lambda x: jnp.exp(x.astype(jnp.float32))", at: "jnp.array([1., 2.])", x64: true)
    #expect(c.verdict == .agree)
    #expect(c.tolerance == 1e-3)
    #expect(c[0, 0].relativeError < 1e-4)
  }

  @Test func theWorkspacesDrawsStayTheSame() throws {
    // W is a float32 draw; the check runs f in x64 with the point upcast, not the workspace
    // again, so the same W is used (a float64 draw would be other numbers).
    let c = try check(
      "lambda x: jnp.tanh(W @ x)", at: "jnp.array([0.5, -1., 2.])",
      workspace: "W = jax.random.normal(jax.random.PRNGKey(0), (2, 3))")
    #expect(c.verdict == .agree)
    #expect(c.rows == 2 && c.columns == 3)
    #expect(c.entries.allSatisfy { $0.relativeError < 1e-5 })
  }

  @Test func aJacobianOfTheWrongSizeIsAnError() throws {
    let s = Session()
    #expect(s.evaluateWorkspace(Self.prelude) == nil)
    let f = try s.compile("lambda x: x * 2")
    #expect(throws: PyError.self) {
      try f.gradientCheck(at: try s.evaluate("jnp.ones(3)"), jacobian: [1, 2])
    }
    #expect(throws: PyError.self) { try f.gradientCheck(at: .str("no"), jacobian: [1]) }
  }
}

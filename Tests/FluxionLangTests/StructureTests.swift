import FluxionLang
import Foundation
import Testing

/// The structure view's numbers against NumPy's LAPACK-backed results (Fixtures/structure.json,
/// made by Tests/fixtures/make_structure_fixtures.py), and its verdicts on known functions.
struct StructureTests {
  struct Fixture: Decodable {
    struct Jacobian: Decodable {
      var name: String
      var matrix: [Double]
      var rows: Int
      var columns: Int
      var singular_values: [Double]
      var rank: Int
      var condition: Double
    }
    struct Hessian: Decodable {
      var name: String
      var hessian: [Double]
      var eigenvalues: [Double]
    }
    var jacobians: [Jacobian]
    var hessians: [Hessian]
  }

  static func fixture() throws -> Fixture {
    let url = try #require(Bundle.module.url(forResource: "structure", withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  @Test func singularValuesRankAndConditionAsNumPy() throws {
    for j in try Self.fixture().jacobians {
      let s = JacobianStructure.of(j.matrix, rows: j.rows, columns: j.columns, float32: true)
      let largest = j.singular_values[0]
      #expect(s.singularValues.count == j.singular_values.count, "\(j.name)")
      for (a, b) in zip(s.singularValues, j.singular_values) {
        #expect(Swift.abs(a - b) <= 1e-13 * largest, "\(j.name): \(a) against \(b)")
      }
      #expect(s.rank == j.rank, "\(j.name)")
      // Full rank: the condition number to 1e-12; rank-deficient: σmin is round-off, so only huge.
      if j.rank == min(j.rows, j.columns) {
        #expect(Swift.abs(s.condition - j.condition) <= 1e-12 * j.condition, "\(j.name)")
      } else {
        #expect(s.condition > 1e12, "\(j.name)")
      }
    }
  }

  @Test func hessianEigenvaluesAsNumPy() throws {
    for h in try Self.fixture().hessians {
      let s = JacobianStructure.of([0, 0], rows: 1, columns: 2, float32: false, hessian: h.hessian)
      let values = try #require(s.hessianEigenvalues)
      for (a, b) in zip(values, h.eigenvalues) {
        #expect(Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(b)), "\(h.name): \(a) against \(b)")
      }
    }
  }

  func verdict(_ function: String, at point: String) throws -> String? {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax\nimport jax.numpy as jnp") == nil)
    let f = try s.compile(function)
    let x = try s.evaluate(point)
    let j = try #require(try f.jacobianRows(at: x).doubles)
    return try f.structure(at: x, jacobian: j, rows: 1, columns: j.count).hessianVerdict
  }

  @Test func verdictsInPlainWords() throws {
    let rosenbrock = "lambda x: (1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2"
    #expect(
      try verdict(rosenbrock, at: "jnp.array([1., 1.])") == "minimum: the gradient is zero and H is positive definite")
    #expect(
      try verdict(rosenbrock, at: "jnp.array([0., 0.])")
        == "not a critical point (|grad| = 2); convex here (H is positive definite)")
    #expect(
      try verdict("lambda x: x[0]**2 - x[1]**2", at: "jnp.zeros(2)")
        == "saddle point: the gradient is zero and H has eigenvalues of both signs")
    #expect(
      try verdict("lambda x: -jnp.sum(x**2)", at: "jnp.zeros(3)")
        == "maximum: the gradient is zero and H is negative definite")
    #expect(
      try verdict("lambda x: x[0]**4 + x[1]**2", at: "jnp.zeros(2)")
        == "degenerate critical point: the gradient is zero and flat along 1 direction (H is singular)")
  }

  @Test func aJacobianOfAVectorFunctionHasNoHessian() throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax.numpy as jnp") == nil)
    let f = try s.compile("lambda x: jnp.stack([x[0] + x[1], 2 * (x[0] + x[1])])")
    let x = try s.evaluate("jnp.array([1., 2.])")
    let j = try #require(try f.jacobianRows(at: x).doubles)
    let st = try f.structure(at: x, jacobian: j, rows: 2, columns: 2)
    #expect(st.hessianEigenvalues == nil)
    #expect(st.rank == 1)
    #expect(st.summary.hasPrefix("singular values 3.162, "))
    #expect(st.summary.hasSuffix("· rank 1 of 2 · condition ∞") || st.condition > 1e6)
  }
}

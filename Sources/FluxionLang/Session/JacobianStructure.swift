import Fluxion
import Foundation

/// What a Jacobian's numbers say about it: its singular values, rank and condition number, and
/// for a scalar function of several variables the Hessian's eigenvalues with a verdict in plain
/// words. The decompositions are LAPACK's (through `Linalg`), in float64.
///
/// ```swift
/// let f = try session.compile("lambda x: (1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2")
/// let x = try session.evaluate("jnp.array([1., 1.])")
/// let s = try f.structure(at: x, jacobian: try f.jacobianRows(at: x).doubles!, rows: 1, columns: 2)
/// s.hessianVerdict  // "minimum: the gradient is zero and H is positive definite"
/// ```
public struct JacobianStructure: Sendable, Equatable {
  /// Descending.
  public var singularValues: [Double]
  /// The number of singular values above `rankTolerance` (NumPy's matrix_rank rule: σmax ·
  /// max(m, n) · the Jacobian's machine epsilon).
  public var rank: Int
  public var rankTolerance: Double
  /// σmax / σmin (infinite when σmin is 0).
  public var condition: Double
  /// The Hessian's eigenvalues, ascending, for a scalar function of several variables.
  public var hessianEigenvalues: [Double]?
  /// `minimum`, `maximum`, `saddle point`, a flat direction, or the curvature where the
  /// gradient is not zero.
  public var hessianVerdict: String?

  public var rows: Int
  public var columns: Int

  /// One line: `singular values 3.2, 1.1 · rank 2 of 2 · condition 2.9`.
  public var summary: String {
    let shown = singularValues.prefix(6).map { Self.number($0) }.joined(separator: ", ")
    let more = singularValues.count > 6 ? ", …" : ""
    return "singular values \(shown)\(more) · rank \(rank) of \(Swift.min(rows, columns)) · condition "
      + (condition.isFinite ? Self.number(condition) : "∞")
  }

  /// Four significant digits (`nan`, `inf` for those).
  public static func number(_ d: Double) -> String {
    guard d.isFinite else { return d.isNaN ? "nan" : (d > 0 ? "inf" : "-inf") }
    if d == 0 { return "0" }
    return String(format: "%.4g", d)
  }

  /// The structure of a row-major `rows × columns` Jacobian; `float32` when its entries are
  /// float32 (their epsilon sets the rank tolerance). With `hessian` (row-major n × n) and the
  /// gradient (the Jacobian of a scalar function), the Hessian's eigenvalues and verdict.
  public static func of(
    _ matrix: [Double], rows m: Int, columns n: Int, float32: Bool, hessian: [Double]? = nil
  ) -> JacobianStructure {
    let eps = float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
    let s =
      Config.withX64(true) { () -> [Double]? in
        let a = reshape(Tensor(matrix, dtype: .float64), [m, n])
        return try? Linalg.singularValues(a).doubles
      } ?? []
    let largest = s.first ?? 0
    let tolerance = largest * Double(Swift.max(m, n)) * eps
    let rank = s.filter { $0 > tolerance }.count
    let smallest = s.last ?? 0
    var structure = JacobianStructure(
      singularValues: s, rank: rank, rankTolerance: tolerance,
      condition: smallest > 0 ? largest / smallest : .infinity, rows: m, columns: n)
    if let h = hessian, m == 1, h.count == n * n {
      let values =
        Config.withX64(true) { () -> [Double]? in
          try? Linalg.eigh(reshape(Tensor(h, dtype: .float64), [n, n])).eigenvalues.doubles
        } ?? []
      structure.hessianEigenvalues = values
      structure.hessianVerdict = verdict(eigenvalues: values, gradient: matrix, eps: eps)
    }
    return structure
  }

  /// The verdict in plain words. An eigenvalue within round-off of zero (|λ| ≤ max|λ| · n ·
  /// ε · 10) is a flat direction; the gradient counts as zero when its norm is at most √ε on
  /// the Hessian's scale (at least 1).
  static func verdict(eigenvalues l: [Double], gradient g: [Double], eps: Double) -> String {
    guard !l.isEmpty, l.allSatisfy(\.isFinite) else { return "the Hessian is not finite here" }
    let scale = l.map(Swift.abs).max() ?? 0
    let tol = Swift.max(scale * Double(l.count) * eps * 10, 1e-300)
    let positive = l.filter { $0 > tol }.count
    let negative = l.filter { $0 < -tol }.count
    let flat = l.count - positive - negative
    let gradientNorm = (g.map { $0 * $0 }.reduce(0, +)).squareRoot()
    let critical = gradientNorm <= eps.squareRoot() * Swift.max(1, scale)
    let shape: String
    if flat > 0 && positive + negative == 0 {
      shape = "flat in every direction (H = 0)"
    } else if flat > 0 {
      shape = "flat along \(flat) direction\(flat == 1 ? "" : "s") (H is singular)"
    } else if negative == 0 {
      shape = "H is positive definite"
    } else if positive == 0 {
      shape = "H is negative definite"
    } else {
      shape = "H has eigenvalues of both signs"
    }
    guard critical else {
      let curvature =
        flat > 0
        ? shape
        : negative == 0
          ? "convex here (\(shape))" : positive == 0 ? "concave here (\(shape))" : "saddle-shaped here (\(shape))"
      return "not a critical point (|grad| = \(number(gradientNorm))); \(curvature)"
    }
    if flat > 0 { return "degenerate critical point: the gradient is zero and \(shape)" }
    if negative == 0 { return "minimum: the gradient is zero and \(shape)" }
    if positive == 0 { return "maximum: the gradient is zero and \(shape)" }
    return "saddle point: the gradient is zero and \(shape)"
  }
}

extension SessionFunction {
  /// `jax.hessian(f)(x)`, row-major.
  public func hessian(at x: Value) throws(PyError) -> [Double] {
    let h = try interp.callValue(try interp.callLibrary("jax", "hessian", [value]), [x])
    guard let d = h.doubles else { throw PyError("TypeError", "the Hessian needs a function of one array") }
    return d
  }

  /// The structure of the Jacobian `jacobian` (rows × columns) of f at `x`; for a scalar
  /// function of several variables, with its Hessian's eigenvalues.
  public func structure(at x: Value, jacobian: [Double], rows: Int, columns: Int, float32: Bool = true)
    throws(PyError) -> JacobianStructure
  {
    let h = rows == 1 && columns >= 1 ? try hessian(at: x) : nil
    return JacobianStructure.of(jacobian, rows: rows, columns: columns, float32: float32, hessian: h)
  }
}

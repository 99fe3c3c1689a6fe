/// An independent oracle for Fluxion's `grad`: Swift's own compiler-generated reverse-mode
/// automatic differentiation (`import _Differentiation`).
///
/// Every function below is written twice — once over `Double` as a `@differentiable(reverse)`
/// closure that the Swift compiler differentiates, and once over Fluxion `Tensor`s — and the two
/// gradients are compared at a handful of points. The two implementations share no code: a
/// wrong JVP/transpose rule, a broken fan-out accumulation or a mis-ordered pullback in Fluxion
/// shows up as a disagreement with the compiler.
///
/// Fluxion runs in its default float32 (the global `Config.x64` is left alone so that this target
/// can run in parallel with the others); the oracle runs in Double at the same float32-rounded
/// point, so the only expected difference is float32 rounding. Second derivatives (`grad` of
/// `grad`) are checked against a central finite difference of the Swift-AD first derivative.

import Fluxion
import Foundation
import Testing
import _Differentiation

// MARK: - Tolerances

/// Float32 has a 6e-8 unit roundoff; a composite of ~10 operations may lose a few hundred ulps
/// in cancellation-prone sums. Relative to |expected| when it exceeds 1, absolute below.
let gradientTolerance = 2e-5
/// Fluxion's float32 second derivative vs a Double finite difference (step 1e-5, error ~1e-10).
let secondDerivativeTolerance = 5e-5
let finiteDifferenceStep = 1e-5

func isClose(_ got: Double, _ want: Double, tolerance: Double) -> Bool {
  abs(got - want) <= tolerance * max(1, abs(want))
}

/// The float32 point Fluxion actually sees, widened back to Double for the oracle.
func float32Point(_ x: Double) -> Double { Double(Float(x)) }

// MARK: - Swift-AD helpers for functions the standard library does not register

/// `atan2` is not differentiable in `_Differentiation`; its partials are textbook:
/// ∂/∂y atan2(y, x) = x / (x² + y²), ∂/∂x atan2(y, x) = −y / (x² + y²).
func atan2D(_ y: Double, _ x: Double) -> Double { atan2(y, x) }

@derivative(of: atan2D)
func atan2DVJP(_ y: Double, _ x: Double) -> (value: Double, pullback: (Double) -> (Double, Double)) {
  let r = x * x + y * y
  return (atan2(y, x), { v in (v * x / r, -v * y / r) })
}

/// max / min / abs through control flow, which Swift AD differentiates branch by branch.
@differentiable(reverse) func maxD(_ a: Double, _ b: Double) -> Double { a > b ? a : b }
@differentiable(reverse) func minD(_ a: Double, _ b: Double) -> Double { a < b ? a : b }
@differentiable(reverse) func absD(_ a: Double) -> Double { a < 0 ? -a : a }
@differentiable(reverse) func logisticD(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

// MARK: - Cases

/// A scalar function f: ℝ → ℝ written for both differentiators, with the points to check.
struct UnaryCase: @unchecked Sendable, CustomTestStringConvertible {
  let name: String
  let points: [Double]
  let swift: @differentiable(reverse) (Double) -> Double
  let fluxion: (Tensor) -> Tensor

  init(
    _ name: String, at points: [Double],
    swift: @escaping @differentiable(reverse) (Double) -> Double,
    fluxion: @escaping (Tensor) -> Tensor
  ) {
    self.name = name
    self.points = points
    self.swift = swift
    self.fluxion = fluxion
  }

  var testDescription: String { name }
}

/// A scalar function f: ℝ² → ℝ written for both differentiators.
struct BinaryCase: @unchecked Sendable, CustomTestStringConvertible {
  let name: String
  let points: [(Double, Double)]
  let swift: @differentiable(reverse) (Double, Double) -> Double
  let fluxion: (Tensor, Tensor) -> Tensor

  init(
    _ name: String, at points: [(Double, Double)],
    swift: @escaping @differentiable(reverse) (Double, Double) -> Double,
    fluxion: @escaping (Tensor, Tensor) -> Tensor
  ) {
    self.name = name
    self.points = points
    self.swift = swift
    self.fluxion = fluxion
  }

  var testDescription: String { name }
}

let unaryCases: [UnaryCase] = [
  UnaryCase(
    "sin(x)·x³ + exp(−x²)", at: [-1.5, -0.5, 0.25, 1, 2],
    swift: { x in sin(x) * x * x * x + exp(-x * x) },
    fluxion: { x in sin(x) * x.pow(3) + exp(-x.pow(2)) }),
  UnaryCase(
    "log1p(x²) / (1 + x)", at: [-0.5, 0, 0.75, 2, 3.5],
    swift: { x in log1p(x * x) / (1 + x) },
    fluxion: { x in log1p(x.pow(2)) / (1 + x) }),
  UnaryCase(
    "sqrt(x² + 1)·cos(x)", at: [-2, -0.3, 0, 1.1, 4],
    swift: { x in sqrt(x * x + 1) * cos(x) },
    fluxion: { x in sqrt(x * x + 1) * cos(x) }),
  UnaryCase(
    "x·exp(sin(x))", at: [-3, -1, 0.5, 2.5],
    swift: { x in x * exp(sin(x)) },
    fluxion: { x in x * exp(sin(x)) }),
  UnaryCase(
    "sin(cos(tan(x)))", at: [-1.2, -0.4, 0.1, 0.9, 1.3],
    swift: { x in sin(cos(tan(x))) },
    fluxion: { x in sin(cos(tan(x))) }),
  UnaryCase(
    "logistic(x)", at: [-6, -1, 0, 0.7, 5],
    swift: { x in logisticD(x) },
    fluxion: { x in logistic(x) }),
  UnaryCase(
    "tanh(x)² + x·tanh(x)", at: [-2, -0.5, 0.3, 1.7],
    swift: { x in tanh(x) * tanh(x) + x * tanh(x) },
    fluxion: { x in tanh(x).pow(2) + x * tanh(x) }),
  UnaryCase(
    "x²·log(x) − x", at: [0.1, 0.5, 1, 2.7, 10],
    swift: { x in x * x * log(x) - x },
    fluxion: { x in x.pow(2) * log(x) - x }),
  UnaryCase(
    "pow(x, 2.5) + sqrt(x)", at: [0.2, 1, 1.9, 6],
    swift: { x in pow(x, 2.5) + sqrt(x) },
    fluxion: { x in pow(x, 2.5) + sqrt(x) }),
  UnaryCase(
    "xˣ = pow(x, x)", at: [0.3, 1, 1.5, 3],
    swift: { x in pow(x, x) },
    fluxion: { x in pow(x, x) }),
  UnaryCase(
    "pow(2, x)·x", at: [-2, 0, 0.5, 3],
    swift: { x in pow(2.0, x) * x },
    fluxion: { x in pow(2, x) * x }),
  UnaryCase(
    "atan(x)·sinh(x)", at: [-2.5, -0.5, 0.2, 1.4],
    swift: { x in atan(x) * sinh(x) },
    fluxion: { x in atan(x) * sinh(x) }),
  UnaryCase(
    "log(cosh(x))", at: [-3, -0.8, 0.05, 2],
    swift: { x in log(cosh(x)) },
    fluxion: { x in log(cosh(x)) }),
  UnaryCase(
    "erf(x)·exp(−x)", at: [-1.5, -0.2, 0.4, 2],
    swift: { x in erf(x) * exp(-x) },
    fluxion: { x in erf(x) * exp(-x) }),
  UnaryCase(
    "GELU: ½x(1 + erf(x/√2))", at: [-3, -0.7, 0, 0.6, 2.2],
    swift: { x in 0.5 * x * (1 + erf(x / 2.0.squareRoot())) },
    fluxion: { x in 0.5 * x * (1 + erf(x / .weak(2.0.squareRoot()))) }),
  UnaryCase(
    "expm1(x) / x", at: [-2, -0.01, 0.3, 1.5],
    swift: { x in expm1(x) / x },
    fluxion: { x in expm1(x) / x }),
  UnaryCase(
    "asin(x) + x·acos(x/2)", at: [-0.9, -0.3, 0, 0.5, 0.8],
    swift: { x in asin(x) + x * acos(x / 2) },
    fluxion: { x in asin(x) + x * acos(x / 2) }),
  UnaryCase(
    "1 / (1 + x²)", at: [-3, -0.5, 0, 0.25, 2],
    swift: { x in 1 / (1 + x * x) },
    fluxion: { x in 1 / (1 + x.pow(2)) }),
  UnaryCase(
    "x⁵ − 3x³ + 2x − 7", at: [-1.3, -0.4, 0, 0.9, 1.6],
    swift: { x in x * x * x * x * x - 3 * x * x * x + 2 * x - 7 },
    fluxion: { x in x.pow(5) - 3 * x.pow(3) + 2 * x - 7 }),
  UnaryCase(
    "exp(sin(x)·cos(x)) / (2 + cos(x))", at: [-2, -0.6, 0.4, 1.8, 3],
    swift: { x in exp(sin(x) * cos(x)) / (2 + cos(x)) },
    fluxion: { x in exp(sin(x) * cos(x)) / (2 + cos(x)) }),
  UnaryCase(
    "softplus: log1p(exp(x))", at: [-5, -1, 0, 1.2, 4],
    swift: { x in log1p(exp(x)) },
    fluxion: { x in log1p(exp(x)) }),
  UnaryCase(
    "|x|·sin(x)", at: [-2, -0.5, 0.5, 2.5],
    swift: { x in absD(x) * sin(x) },
    fluxion: { x in abs(x) * sin(x) }),
  UnaryCase(
    "max(x, 0.5)·x + min(x, −0.25)", at: [-1, -0.1, 0.3, 0.9, 2],
    swift: { x in maxD(x, 0.5) * x + minD(x, -0.25) },
    fluxion: { x in maximum(x, 0.5) * x + minimum(x, -0.25) }),
  UnaryCase(
    "sqrt(sqrt(x² + 1))", at: [-2, -0.4, 0, 0.6, 3],
    swift: { x in sqrt(sqrt(x * x + 1)) },
    fluxion: { x in sqrt(sqrt(x.pow(2) + 1)) }),
  UnaryCase(
    "tan(x/2)·exp(−x)", at: [-2, -0.5, 0.1, 1.2, 2.5],
    swift: { x in tan(x / 2) * exp(-x) },
    fluxion: { x in tan(x / 2) * exp(-x) }),
  UnaryCase(
    "x / sqrt(1 + x²)", at: [-4, -1, 0, 0.5, 2],
    swift: { x in x / sqrt(1 + x * x) },
    fluxion: { x in x / sqrt(1 + x * x) }),
  UnaryCase(
    "sinh(x) / cosh(x) + tanh(2x)", at: [-1.5, -0.2, 0.35, 1.1],
    swift: { x in sinh(x) / cosh(x) + tanh(2 * x) },
    fluxion: { x in sinh(x) / cosh(x) + tanh(2 * x) }),
  UnaryCase(
    "x·N(x; 1, 1) = x·exp(−(x − 1)²/2)/√(2π)", at: [-1, 0, 0.8, 1.5, 3],
    swift: { x in x * exp(-(x - 1) * (x - 1) / 2) / (2 * Double.pi).squareRoot() },
    fluxion: { x in x * exp(-(x - 1).pow(2) / 2) / .weak((2 * Double.pi).squareRoot()) }),
  UnaryCase(
    "atan2(x, 1.5) + atan2(1, x)", at: [-2, -0.5, 0.25, 1, 3],
    swift: { x in atan2D(x, 1.5) + atan2D(1, x) },
    fluxion: { x in atan2(x, 1.5) + atan2(1, x) }),
  UnaryCase(
    "exp(sin(log1p(x²)))·cos(sqrt(x² + 2))", at: [-2, -0.7, 0, 0.4, 1.9],
    swift: { x in exp(sin(log1p(x * x))) * cos(sqrt(x * x + 2)) },
    fluxion: { x in exp(sin(log1p(x.pow(2)))) * cos(sqrt(x.pow(2) + 2)) }),
  UnaryCase(
    "swish: x·logistic(x)", at: [-4, -1, 0, 0.5, 3],
    swift: { x in x * logisticD(x) },
    fluxion: { x in x * logistic(x) }),
  UnaryCase(
    "(x + 1)(x + 2)(x + 3) / (x + 4)", at: [-3.5, -1.5, 0, 1, 5],
    swift: { x in (x + 1) * (x + 2) * (x + 3) / (x + 4) },
    fluxion: { x in (x + 1) * (x + 2) * (x + 3) / (x + 4) }),
  UnaryCase(
    "fan-out: s = sin(x); s³ + s·x + s/(1 + x²)", at: [-2, -0.3, 0.6, 1.4, 2.8],
    swift: { x in
      let s = sin(x)
      return s * s * s + s * x + s / (1 + x * x)
    },
    fluxion: { x in
      let s = sin(x)
      return s * s * s + s * x + s / (1 + x * x)
    }),
  UnaryCase(
    "iterated map: y ← 1.5·sin(y) + 0.1·y, four times", at: [-2, -0.5, 0.3, 1, 2.5],
    swift: { x in
      var y = x
      for _ in 0..<4 { y = 1.5 * sin(y) + 0.1 * y }
      return y
    },
    fluxion: { x in
      var y = x
      for _ in 0..<4 { y = 1.5 * sin(y) + 0.1 * y }
      return y
    }),
]

/// Functions whose second derivative is also checked (smooth at all their points).
let secondDerivativeCases: [UnaryCase] = unaryCases.filter {
  [
    "sin(x)·x³ + exp(−x²)", "log1p(x²) / (1 + x)", "sqrt(x² + 1)·cos(x)", "x·exp(sin(x))",
    "tanh(x)² + x·tanh(x)", "xˣ = pow(x, x)", "erf(x)·exp(−x)", "logistic(x)",
    "atan2(x, 1.5) + atan2(1, x)", "swish: x·logistic(x)", "x / sqrt(1 + x²)",
    "fan-out: s = sin(x); s³ + s·x + s/(1 + x²)",
    "iterated map: y ← 1.5·sin(y) + 0.1·y, four times",
  ].contains($0.name)
}

let binaryCases: [BinaryCase] = [
  BinaryCase(
    "x·y + sin(x·y)", at: [(0.5, -1), (1.2, 2), (-2, 0.3), (0, 1.5)],
    swift: { x, y in x * y + sin(x * y) },
    fluxion: { x, y in x * y + sin(x * y) }),
  BinaryCase(
    "exp(x − y)·cos(x + y)", at: [(0, 0), (1, -0.5), (-0.7, 1.3), (2, 1)],
    swift: { x, y in exp(x - y) * cos(x + y) },
    fluxion: { x, y in exp(x - y) * cos(x + y) }),
  BinaryCase(
    "log(x² + y²)", at: [(1, 1), (-0.5, 2), (3, -0.2), (0.1, 0.4)],
    swift: { x, y in log(x * x + y * y) },
    fluxion: { x, y in log(x.pow(2) + y.pow(2)) }),
  BinaryCase(
    "x·atan2(y, x)", at: [(1, 1), (-0.5, 2), (3, -0.2), (-1, -1.5)],
    swift: { x, y in x * atan2D(y, x) },
    fluxion: { x, y in x * atan2(y, x) }),
  BinaryCase(
    "pow(x, y)", at: [(0.5, 2), (2, 0.5), (1.5, -1.2), (3, 3)],
    swift: { x, y in pow(x, y) },
    fluxion: { x, y in pow(x, y) }),
  BinaryCase(
    "x / (1 + y²) + sqrt(x² + y² + 1)·tanh(y)", at: [(0, 0), (1, -1), (-2, 0.5), (0.3, 2)],
    swift: { x, y in x / (1 + y * y) + sqrt(x * x + y * y + 1) * tanh(y) },
    fluxion: { x, y in x / (1 + y.pow(2)) + sqrt(x * x + y * y + 1) * tanh(y) }),
  BinaryCase(
    "max(x, y)·min(x, y) + x·exp(−y²)", at: [(1, 2), (2, 1), (-0.5, 0.3), (-1, -2)],
    swift: { x, y in maxD(x, y) * minD(x, y) + x * exp(-y * y) },
    fluxion: { x, y in maximum(x, y) * minimum(x, y) + x * exp(-y.pow(2)) }),
]

// MARK: - Tests

@Suite("Fluxion grad agrees with Swift's compiler AD")
struct SwiftADOracleTests {
  @Test("value and first derivative of f: ℝ → ℝ match Swift AD", arguments: unaryCases)
  func firstDerivativeMatchesSwiftAD(_ c: UnaryCase) throws {
    for point in c.points {
      let x = float32Point(point)
      let (value, derivative) = valueWithGradient(at: x, of: c.swift)
      let (fValue, fGrad) = valueAndGrad(c.fluxion)(Tensor(Float(x)))
      #expect(fGrad.dtype == .float32, "grad at \(x) has dtype \(fGrad.dtype)")
      let gotValue = try fValue.item()
      let gotGrad = try fGrad.item()
      #expect(
        isClose(gotValue, value, tolerance: gradientTolerance),
        "f(\(x)): Fluxion \(gotValue), Swift \(value)")
      #expect(
        isClose(gotGrad, derivative, tolerance: gradientTolerance),
        "f'(\(x)): Fluxion \(gotGrad), Swift AD \(derivative)")
      // `grad` alone must agree with `valueAndGrad`.
      #expect(try grad(c.fluxion)(Tensor(Float(x))).item() == gotGrad)
    }
  }

  @Test(
    "second derivative (grad of grad) matches a finite difference of Swift AD's first derivative",
    arguments: secondDerivativeCases)
  func secondDerivativeMatchesFiniteDifferenceOfSwiftAD(_ c: UnaryCase) throws {
    let h = finiteDifferenceStep
    for point in c.points {
      let x = float32Point(point)
      let want = (gradient(at: x + h, of: c.swift) - gradient(at: x - h, of: c.swift)) / (2 * h)
      let got = try grad(grad(c.fluxion))(Tensor(Float(x))).item()
      #expect(
        isClose(got, want, tolerance: secondDerivativeTolerance),
        "f''(\(x)): Fluxion \(got), finite difference of Swift AD \(want)")
    }
  }

  @Test("both partial derivatives of f: ℝ² → ℝ match Swift AD", arguments: binaryCases)
  func partialDerivativesMatchSwiftAD(_ c: BinaryCase) throws {
    for (px, py) in c.points {
      let (x, y) = (float32Point(px), float32Point(py))
      let (dx, dy) = gradient(at: x, y, of: c.swift)
      let (gx, gy) = grad(c.fluxion)(Tensor(Float(x)), Tensor(Float(y)))
      let (gotX, gotY) = (try gx.item(), try gy.item())
      #expect(
        isClose(gotX, dx, tolerance: gradientTolerance),
        "∂f/∂x(\(x), \(y)): Fluxion \(gotX), Swift AD \(dx)")
      #expect(
        isClose(gotY, dy, tolerance: gradientTolerance),
        "∂f/∂y(\(x), \(y)): Fluxion \(gotY), Swift AD \(dy)")
    }
  }
}

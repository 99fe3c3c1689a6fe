import Foundation
import Testing

@testable import FluxionBackend

/// The vectorised float32 math kernels measured in ulps against double-precision libm,
/// over a sweep of each function's domain (including the SIMD tails: odd lengths).
struct VectorMathTests {
  nonisolated(unsafe) static let cases: [(String, UnaryKernel, ClosedRange<Double>, (Double) -> Double)] = [
    ("exp", .exp, -87...88, Foundation.exp), ("expm1", .expm1, -20...20, Foundation.expm1),
    ("log", .log, 1e-30...1e30, Foundation.log), ("log1p", .log1p, -0.99...1e6, Foundation.log1p),
    ("sin", .sin, -100...100, Foundation.sin), ("cos", .cos, -100...100, Foundation.cos),
    ("tan", .tan, -1.5...1.5, Foundation.tan), ("asin", .asin, -1...1, Foundation.asin),
    ("acos", .acos, -1...1, Foundation.acos), ("atan", .atan, -1e4...1e4, Foundation.atan),
    ("sinh", .sinh, -80...80, Foundation.sinh), ("cosh", .cosh, -80...80, Foundation.cosh),
    ("tanh", .tanh, -10...10, Foundation.tanh), ("erf", .erf, -4...4, Foundation.erf),
    ("sqrt", .sqrt, 0...1e30, Foundation.sqrt), ("logistic", .logistic, -80...80, { 1 / (1 + Foundation.exp(-$0)) }),
  ]

  static func ulps(_ got: Float, _ exact: Double) -> Double {
    if got.isNaN && exact.isNaN { return 0 }
    let want = Float(exact)
    if got == want { return 0 }
    return Swift.abs(Double(got) - exact) / Double(want.ulp == 0 ? Float.leastNonzeroMagnitude : want.ulp)
  }

  /// The bound for each function: 2 ulp, except the float32 functions computed as XLA:CPU
  /// computes them (xla_math.c), which have XLA's errors: tanh up to 4 ulp, expm1 up to 5, and
  /// sinh and cosh (from two exps) up to 24 near the ends of the range, 25 with the reference's
  /// own rounding, erf (its rational function) up to 5 (XLA-NUMERICS.md §5; XLANumericsTests
  /// checks their bits against JAX).
  static let bounds: [String: Double] = ["tanh": 4, "expm1": 5, "sinh": 25, "cosh": 25, "erf": 5]

  @Test("float32 kernel stays within 2 ulp of the exact result (XLA's bound where it is larger)", arguments: 0..<16)
  func withinTwoUlps(_ i: Int) throws {
    let (name, kernel, range, exact) = Self.cases[i]
    let n = 10_007
    let xs = (0..<n).map {
      Float(range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(n - 1))
    }
    let out = try #require(Elementwise.unary(kernel, DenseArray.from(xs, shape: [n]))).elements(Float.self)
    let worst = zip(xs, out).map { Self.ulps($1, exact(Double($0))) }.max() ?? 0
    #expect(worst <= Self.bounds[name, default: 2], "\(name): worst error \(worst) ulp")
  }

  @Test func erfInvMatchesGilesPolynomialAtKnownPoints() throws {
    let x = DenseArray.from([Float(0), 0.5, -0.3, 1, -1], shape: [5])
    let out = try #require(Elementwise.unary(.erfInv, x)).elements(Float.self)
    #expect(out[0] == 0)
    #expect(Swift.abs(out[1] - 0.47693628) <= Float(0.47693628).ulp * 2)
    #expect(out[3] == .infinity && out[4] == -.infinity)
  }

  @Test func largeArraysSplitAcrossCoresGiveTheSameResult() {
    let n = Parallel.threshold * 3 + 5
    let xs = (0..<n).map { Float($0 % 97) * 0.01 }
    let a = DenseArray.from(xs, shape: [n])
    let sum = Elementwise.binary(.add, a, a).elements(Float.self)
    #expect(zip(xs, sum).allSatisfy { $0 + $0 == $1 })
  }

  @Test func integerDivisionByZeroDoesNotTrap() {
    let a = DenseArray.from([Int32(5), Int32.min, 7], shape: [3])
    let b = DenseArray.from([Int32(0), -1, 2], shape: [3])
    #expect(Elementwise.binary(.div, a, b).elements(Int32.self) == [-1, Int32.min, 3])
    #expect(Elementwise.binary(.rem, a, b).elements(Int32.self) == [5, 0, 1])
  }
}

/// Layout kernels against a plain index computation.
struct LayoutKernelTests {
  @Test(arguments: [[2, 3], [3, 1], [2, 3, 4], [4, 35, 33], [2, 1, 5, 3]])
  func everyPermutationMatchesIndexArithmetic(_ shape: [Int]) {
    let n = shape.reduce(1, *)
    let x = DenseArray.from((0..<n).map { Float($0) }, shape: shape)
    func permutations(_ a: [Int]) -> [[Int]] {
      a.count <= 1 ? [a] : a.indices.flatMap { i in permutations(Array(a[..<i] + a[(i + 1)...])).map { [a[i]] + $0 } }
    }
    for perm in permutations(Array(0..<shape.count)) {
      let y = Layout.transpose(x, perm)
      let outShape = perm.map { shape[$0] }
      #expect(y.shape == outShape)
      let inStrides = contiguousStrides(shape), outStrides = contiguousStrides(outShape)
      var ok = true
      for o in 0..<n {
        var source = 0
        for (k, p) in perm.enumerated() { source += ((o / outStrides[k]) % outShape[k]) * inStrides[p] }
        if y.elements(Float.self)[o] != Float(source) { ok = false }
      }
      #expect(ok, "perm \(perm) of \(shape)")
    }
  }
}

/// The kernel width in force: the widest the CPU has, or FLUXION_VECTOR_WIDTH when it asks for
/// a narrower one (how `make test` also runs the AVX2 and scalar kernels on an AVX-512 machine).
struct KernelWidthTests {
  @Test func widthIsTheForcedOneOrTheCPUs() {
    let width = Threefry.vectorWidth
    #expect([1, 8, 16].contains(width))
    if let forced = ProcessInfo.processInfo.environment["FLUXION_VECTOR_WIDTH"], let w = Int(forced), w <= 16 {
      #expect(width <= w)
    }
  }
}

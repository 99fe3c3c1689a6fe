import FluxionBackend
import Foundation
import Testing

@_spi(FluxionLang) @testable import Fluxion

/// The optimisation passes never change a value: every program of the whole-program fixture,
/// and its derivatives (grad, jacfwd, jacrev, hessian, vmap), traced to a jaxpr and run with and
/// without `PassPipeline.standard`, give the same bits; jit (which runs the optimised body)
/// gives the bits eager evaluation does.
struct PassesDifferentialTests {
  /// Bit-for-bit equality of two results: dtype, shape, weak type and every element's bits.
  static func identical(_ a: Tensor, _ b: Tensor) -> Bool {
    guard a.aval == b.aval, let x = try? a.value(), let y = try? b.value(), x.count == y.count else {
      return a.error != nil && a.error == b.error
    }
    return (0..<x.count).allSatisfy { scalarBits(x.scalar(at: $0)) == scalarBits(y.scalar(at: $0)) }
  }

  /// The functions of one fixture program checked here, by name.
  static func functions(_ p: WholeProgram) -> [(String, ([Tensor]) -> [Tensor])] {
    let f = { (xs: [Tensor]) in [p.run(xs)] }
    let loss = { (xs: [Tensor]) in [sin(p.run(xs)).sum()] }
    let rest = Array(p.leaves.dropFirst())
    var out: [(String, ([Tensor]) -> [Tensor])] = [
      ("value", f),
      ("grad", { xs in grad { (ys: [Tensor]) in loss(ys)[0] }(xs) }),
      ("grad_of_jit", { xs in grad { (ys: [Tensor]) in sin(jit(f)(ys)[0]).sum() }(xs) }),
      ("jit_pair", { xs in [jit { (ys: [Tensor]) in [p.run(ys), sin(ys[0])] }(xs)[0]] }),
      ("jacfwd", { xs in jacfwdFlat({ ys in f([ys[0]] + rest) }, [xs[0]])[0] }),
      ("jacrev", { xs in jacrevFlat({ ys in f([ys[0]] + rest) }, [xs[0]])[0] }),
    ]
    if p.leaves[0].count <= 6 {
      out.append(("hessian", { xs in [hessian { (x0: Tensor) in loss([x0] + rest)[0] }(xs[0])] }))
    }
    return out
  }

  @Test func theWholeProgramFixtureKeepsItsBitsThroughThePipeline() throws {
    let programs = try #require(loadFixture("whole_programs")["programs"] as? [[String: Any]])
    var compared = 0
    var simplified = 0
    var failures: [String] = []
    for spec in programs {
      let name = spec["name"] as? String ?? "?"
      guard let p = try? WholeProgram(spec), !p.leaves.isEmpty else { continue }
      for (kind, fn) in Self.functions(p) {
        guard case .success(let traced) = makeJaxpr(fn, p.leaves) else { continue }
        let optimized = PassPipeline.standard.run(traced)
        if optimized.equations.count < traced.equations.count { simplified += 1 }
        let (want, got) = (traced.eval(p.leaves), optimized.eval(p.leaves))
        compared += 1
        if want.count != got.count || !zip(want, got).allSatisfy(Self.identical) {
          failures.append("\(name) \(kind):\n\(traced)\n→\n\(optimized)")
        }
      }
    }
    print("passes: \(compared) programs compared bit for bit, \(simplified) made smaller, \(failures.count) differ")
    #expect(compared >= 3000)
    #expect(simplified >= compared / 2)
    #expect(failures.isEmpty, "\(failures.count) differ:\n\(failures.prefix(5).joined(separator: "\n\n"))")
  }

  @Test func jitRunsTheOptimisedBodyWithEagerBits() throws {
    let programs = try #require(loadFixture("whole_programs")["programs"] as? [[String: Any]])
    var failures: [String] = []
    for spec in programs.prefix(200) {
      guard let p = try? WholeProgram(spec), !p.leaves.isEmpty else { continue }
      for (kind, fn) in Self.functions(p) where kind == "value" || kind == "grad" {
        let eager = fn(p.leaves)
        let jitted = jit(fn)(p.leaves)
        if eager.count != jitted.count || !zip(eager, jitted).allSatisfy(Self.identical) {
          failures.append("\(spec["name"] ?? "?") \(kind)")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ: \(failures.prefix(10))")
  }

  /// Values chosen where IEEE arithmetic is delicate: signed zeros, infinities, NaN, subnormals.
  static let special: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, 1e-40, -3.5, 1e30]

  /// Hand-written functions whose programs the simplification rewrites, run at special values.
  static let rewritten: [(String, @Sendable (Tensor) -> Tensor)] = [
    ("x*1", { x in x * 1.0 }),
    ("1*x", { x in 1.0 * x }),
    ("x/1", { x in x / 1.0 }),
    ("x+(-0)", { x in x + Tensor.weak(-0.0) }),
    ("x+0", { x in x + 0.0 }),
    ("x-0", { x in x - 0.0 }),
    ("x-(-0)", { x in x - Tensor.weak(-0.0) }),
    ("-(-x)", { x in -(-x) }),
    ("(x^2)^2", { x in (x ** 2) ** 2 }),
    ("(x^2)^3", { x in (x ** 2) ** 3 }),
    ("(x^3)^2", { x in (x ** 3) ** 2 }),
    ("x^1", { x in x ** 1 }),
    ("x*ones", { x in x * onesLike(x) }),
    ("x*broadcast(1)", { x in x * broadcastTo(Tensor(1.0), x.shape) }),
    ("x+zeros", { x in x + zerosLike(x) }),
    ("x*eye", { x in x * eye(x.count).sum(axis: 0) }),
    ("grad sin*x", { x in grad { (y: Tensor) in (sin(y) * y).sum() }(x) }),
    ("grad sum", { x in grad { (y: Tensor) in y.sum() }(x) }),
    ("jacfwd tanh", { x in jacfwd { (y: Tensor) in tanh(y) * 2.0 }(x) }),
    ("jacrev x^3", { x in jacrev { (y: Tensor) in y ** 3 }(x) }),
    ("cse", { x in sin(x) * sin(x) + cos(x) - cos(x) }),
    ("fold", { x in x * (Tensor(2.0) * 3.0) + exp(Tensor(1.0)) }),
    ("where", { x in `where`(x .> 0, x, x) }),
    ("reshape", { x in reshape(reshape(x, [x.count, 1]), x.shape) }),
    ("transpose", { x in reshape(x, [2, 5]).T.T }),
  ]

  @Test(arguments: [false, true])
  func specialValuesKeepTheirBits(x64: Bool) throws {
    let dtype: DType = x64 ? .float64 : .float32
    Config.withX64(x64) {
      let x = Tensor(Self.special, dtype: dtype)
      let scalar = Tensor(-0.0, dtype: dtype)
      for (name, f) in Self.rewritten {
        for input in [x, scalar] {
          guard case .success(let traced) = makeJaxpr(f, input) else { continue }
          let optimized = PassPipeline.standard.run(traced)
          let (want, got) = (traced.eval([input]), optimized.eval([input]))
          #expect(
            zip(want, got).allSatisfy(Self.identical), "\(name) at \(input): \(want) → \(got)\n\(traced)\n\(optimized)")
          #expect(Self.identical(jit(f)(input), f(input)), "jit \(name)")
        }
      }
    }
  }
}

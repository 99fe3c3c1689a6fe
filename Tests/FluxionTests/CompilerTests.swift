import FluxionBackend
import Foundation
import Testing

@testable import Fluxion

/// The bytes of a result with its type, for bit-for-bit comparisons (NaNs and signed zeros
/// included); a failed result gives its error's text.
private func bits(_ t: Tensor) -> String {
  guard let a = try? t.value() else { return "error: \(t.error.map { "\($0)" } ?? "?")" }
  let n = a.count * a.dtype.size
  let bytes = a.buffer.withUnsafeBytes { Array($0.prefix(n)) }
  return "\(a.dtype)\(a.shape) weak=\(t.isWeaklyTyped) " + bytes.map { String($0, radix: 16) }.joined(separator: ",")
}

private func sameBits(_ a: [Tensor], _ b: [Tensor]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { bits($0) == bits($1) }
}

/// The plan of `f` at `args`, lowered from its jaxpr.
private func plan(_ f: @escaping ([Tensor]) -> [Tensor], _ args: [Tensor]) throws -> (ExecutionPlan, ClosedJaxpr) {
  let jaxpr = try makeJaxpr(f, args).get()
  let p = try #require(ExecutionPlan.lower(jaxpr))
  return (p, jaxpr)
}

/// The steps of a plan beyond the one that binds its constants.
private func work(_ p: ExecutionPlan) -> [PlanStep] {
  p.steps.filter {
    if case .call(let c) = $0 { return c.equation >= 0 }
    return true
  }
}

/// Names of the primitives of the equations one region computes.
private func names(_ r: FusedRegion, _ j: ClosedJaxpr) -> [String] {
  r.equations.map { j.equations[$0].primitive.name }
}

private func eye300() -> Tensor {
  var e = [Float](repeating: 0, count: 300 * 300)
  for i in 0..<300 { e[i * 301] = 1 }
  return Tensor(e).reshaped([300, 300])
}

@Sendable private func fScalar(_ x: Tensor) -> Tensor { sin(x) * x.pow(3) + exp(-(x * x)) }

struct CompilerBitIdentityTests {
  /// The explorer's running example and its derivative over sizes around the block size and
  /// the size from which regions split across the cores.
  @Test(arguments: [1, 3, 17, 2047, 2048, 2049, 5000, 70_000, 300_001])
  func plotFunctionAndDerivative(n: Int) throws {
    let xs = linspace(-3, 3, n)
    #expect(bits(jit(vmap(fScalar))(xs)) == bits(vmap(fScalar)(xs)))
    #expect(bits(jit(vmap(grad(fScalar)))(xs)) == bits(vmap(grad(fScalar))(xs)))
    #expect(bits(jit(fScalar)(xs)) == bits(fScalar(xs)))
  }

  /// Elementwise chains with broadcasts, comparisons, selects, conversions and reductions.
  @Test(arguments: [[4, 5], [3, 5000], [600, 700], [1, 9], [2049, 3]])
  func chainsWithBroadcastsAndReductions(shape: [Int]) throws {
    let x = Random.normal(Random.PRNGKey(0), shape)
    let row = Random.normal(Random.PRNGKey(1), [shape[1]])
    let column = Random.normal(Random.PRNGKey(2), [shape[0], 1])
    let programs: [(String, (Tensor) -> Tensor)] = [
      ("row broadcast", { x in tanh(x * row + 1) - row }),
      ("column broadcast", { x in exp(x - column) * column }),
      ("outer", { x in sin(column * row) + x }),
      ("sum rows", { x in (exp(x) * 2).sum(axis: 1) }),
      ("sum columns", { x in (x * x + row).sum(axis: 0) }),
      ("sum all", { x in (logistic(x) * x).sum() }),
      ("mean", { x in (x * 3).mean() }),
      ("max rows", { x in (x * column).max(axis: 1) }),
      ("min rows", { x in (x - 2).min(axis: 1) }),
      ("sum then broadcast", { x in x / (x * x).sum(axis: 1, keepDims: true) }),
      ("softmax", { x in softmax(x * 2) }),
      ("where", { x in select(x .> 0, x * 2, -x) }),
      ("compare and convert", { x in (x .< row).astype(.float32) * x }),
      ("integer chain", { x in ((x * 10).astype(.int32) * 3 - 1).astype(.float32) }),
      ("abs sqrt log", { x in log(sqrt(abs(x) + 1)) }),
      ("maximum", { x in maximum(x, row) - minimum(x, 0.5) }),
      ("powers", { x in x.pow(2) + x.pow(5) - x.pow(-2) }),
      ("literal only", { x in x * 0 + (Tensor(2.0) * 3) }),
    ]
    for (name, f) in programs {
      #expect(bits(jit(f)(x)) == bits(f(x)), "\(name) on \(shape)")
      let loss = { (x: Tensor) in f(x).sum() }
      #expect(bits(jit(grad(loss))(x)) == bits(grad(loss)(x)), "grad of \(name) on \(shape)")
    }
  }

  @Test func dotJacobiansAndHessian() throws {
    let w = Random.normal(Random.PRNGKey(0), [256, 256]) / 16
    let x = Random.normal(Random.PRNGKey(1), [256])
    let f = { (x: Tensor) in tanh(matmul(w, x)) }
    #expect(bits(jit(jacfwd(f))(x)) == bits(jacfwd(f)(x)))
    #expect(bits(jit(jacrev(f))(x)) == bits(jacrev(f)(x)))
    let h = hessian { (x: Tensor) in (sin(x) * x * x).sum() }
    let x100 = linspace(-1, 1, 100)
    #expect(bits(jit(h)(x100)) == bits(h(x100)))
    let h2 = hessian { (x: Tensor) in (exp(x) * x).sum() + (x * x).sum() * 3 }
    #expect(bits(jit(h2)(x100)) == bits(h2(x100)))
  }

  /// The one planned pattern that is not bit-identical: X·w, a region, then Xᵀ·z run over
  /// blocks of X's rows (X read once for both products) add the gradient's products by blocks,
  /// where BLAS adds them in its own order; each row's forward product is the same.
  /// Products with a diagonal operand skip BLAS only where that is BLAS's result exactly.
  @Test func diagonalProducts() throws {
    let x = Random.normal(Random.PRNGKey(3), [300, 300])
    let v = Random.normal(Random.PRNGKey(4), [300])
    let eye = eye300()
    var zeroOnDiagonal = try eye.floats
    zeroOnDiagonal[301 * 7] = 0
    var withInfinity = try x.floats
    withInfinity[5] = .infinity
    let cases: [(String, Tensor, Tensor)] = [
      ("identity", eye, x), ("scaled", eye * v, x),
      ("zero on the diagonal", Tensor(zeroOnDiagonal).reshaped([300, 300]), x),
      ("infinity", eye * v, Tensor(withInfinity).reshaped([300, 300])), ("negative zeros", eye * -v, x * 0),
    ]
    for (name, d, m) in cases {
      for f in [{ (a: Tensor, b: Tensor) in matmul(a, b) }, { (a: Tensor, b: Tensor) in matmul(b, transpose(a)) }] {
        let jitted = jit { (xs: [Tensor]) in [f(xs[0], xs[1])] }
        #expect(bits(jitted([d, m])[0]) == bits(f(d, m)), "\(name)")
      }
    }
    #expect(DiagonalProduct.product(try eye.value(), try x.value(), contracting: (1, 0)) != nil)
    #expect(DiagonalProduct.product(try x.value(), try x.value(), contracting: (1, 0)) == nil)
  }

  /// Row-blocked for an X of 4 MiB and more (sums of Xᵀ·z by blocks: within 64 ulp of eager);
  /// a smaller X keeps eager's bits.
  @Test func logisticRegressionGradient() throws {
    let small = Random.normal(Random.PRNGKey(3), [3000, 100])
    let smallLoss = { (w: Tensor) -> Tensor in logistic(matmul(small, w)).sum() }
    let w0 = Random.normal(Random.PRNGKey(2), [100]) * 0.1
    let (sp, _) = try plan({ [grad(smallLoss)($0[0])] }, [w0])
    #expect(!sp.steps.contains { if case .rowBlocked = $0 { return true } else { return false } })
    #expect(bits(jit(grad(smallLoss))(w0)) == bits(grad(smallLoss)(w0)))

    let xs = Random.normal(Random.PRNGKey(0), [12000, 100])
    let y = (Random.uniform(Random.PRNGKey(1), [12000]) .< 0.5).astype(.float32)
    let loss = { (w: Tensor) -> Tensor in
      let p = logistic(matmul(xs, w))
      return -(y * log(p) + (1 - y) * log(1 - p)).mean()
    }
    let g = grad(loss)
    let w = Random.normal(Random.PRNGKey(2), [100]) * 0.1
    let (p, _) = try plan({ [g($0[0])] }, [w])
    #expect(p.steps.contains { if case .rowBlocked(let r) = $0 { return r.ownKernels } else { return false } })
    let (a, b) = (try jit(g)(w).floats, try g(w).floats)
    let scale = b.map { Swift.abs($0) }.max() ?? 0
    #expect(zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 64 * scale.ulp })
    // The loss itself (no second product) is bit-identical.
    #expect(bits(jit(loss)(w)) == bits(loss(w)))
    // X·w then a region then a product with another matrix: three steps, bit-identical.
    let other = xs * 2
    let h = { (w: Tensor) in matmul(tanh(matmul(xs, w)), other) }
    #expect(bits(jit(h)(w)) == bits(h(w)))
  }

  /// Every program of the whole-program fixture, and its transformations, jitted and not.
  @Test func wholePrograms() throws {
    let programs = try #require(loadFixture("whole_programs")["programs"] as? [[String: Any]])
    var differ: [String] = []
    var compared = 0
    for p in programs {
      guard let program = try? WholeProgram(p), program.tree != "dict" else { continue }
      let f = { (xs: [Tensor]) in program.run(xs) }
      let loss = { (xs: [Tensor]) in sin(f(xs)).sum() }
      let x = program.leaves
      let name = p["name"] as? String ?? "?"
      var pairs: [(String, [Tensor], [Tensor])] = [
        ("value", [jit(f)(x)], [f(x)]),
        ("grad", jit(grad(loss))(x), grad(loss)(x)),
        ("vmap", [jit(vmap(f))(program.batched)], [vmap(f)(program.batched)]),
        ("vmap_of_grad", jit(vmap(grad(loss)))(program.batched), vmap(grad(loss))(program.batched)),
      ]
      let first = { (x0: Tensor) in f([x0] + x.dropFirst()) }
      pairs.append(("jacfwd", [jit(jacfwd(first))(x[0])], [jacfwd(first)(x[0])]))
      if x[0].count <= 6 {
        let l0 = { (x0: Tensor) in loss([x0] + x.dropFirst()) }
        pairs.append(("hessian", [jit(hessian(l0))(x[0])], [hessian(l0)(x[0])]))
      }
      for (check, a, b) in pairs {
        compared += 1
        if !sameBits(a, b) { differ.append("\(name) \(check)") }
      }
    }
    #expect(compared > 1000)
    #expect(differ.isEmpty, "\(differ.count) of \(compared) differ: \(differ.prefix(20))")
  }

  /// Nested jit, control of the plan's fallbacks: cumsum, sort and gathers run on their own.
  @Test func fallbacksAndNestedJit() throws {
    let inner = jit { (x: Tensor) in exp(x) * 2 }
    let x = Random.normal(Random.PRNGKey(0), [50, 40])
    let idx = Tensor([3, 1, 4, 1, 5])
    let programs: [(String, (Tensor) -> Tensor)] = [
      ("nested jit", { x in inner(sin(x)) + 1 }),
      ("cumsum", { x in (x * 2).cumsum(axis: 0) + 1 }),
      ("sort", { x in sort(x * 3 - 1) * 2 }),
      ("gather", { x in (x[idx] * 2).sum(axis: 1) }),
      ("transpose", { x in transpose(exp(x), [1, 0]) * 2 }),
    ]
    for (name, f) in programs {
      #expect(bits(jit(f)(x)) == bits(f(x)), "\(name)")
      let loss = { (x: Tensor) in f(x).sum() }
      #expect(bits(jit(grad(loss))(x)) == bits(grad(loss)(x)), "grad of \(name)")
    }
    // A primitive the planner does not know runs on its own kernels.
    let (p, j) = try plan({ xs in [(xs[0] * 2).cumsum(axis: 0) + 1] }, [x])
    let calls = p.steps.compactMap { step -> String? in
      if case .call(let c) = step { return j.equations[c.equation].primitive.name }
      return nil
    }
    #expect(calls == ["cumsum"])
    #expect(p.regions.count == 2)
  }
}

struct CompilerPlanTests {
  /// The running example is one region of every equation, with no other step.
  @Test func plotFunctionIsOneRegion() throws {
    let xs = linspace(-3, 3, 1000)
    let (p, j) = try plan({ [vmap(fScalar)($0[0])] }, [xs])
    #expect(p.steps.count == 1)
    #expect(p.regions.first.map { names($0, j) } == ["sin", "integer_pow", "mul", "mul", "neg", "exp", "add"])
    // Intermediates live in scratch blocks; only the result is an array.
    #expect(p.regions.first?.outputs.count == 1)
    let (g, gj) = try plan({ [vmap(grad(fScalar))($0[0])] }, [xs])
    #expect(g.steps.count == 1)
    // The dead forward value (add g j) is left out.
    #expect(g.regions.first.map { names($0, gj).contains("add") } == false)
  }

  /// Independent chains over one array share a region; a reduction ends its region, and what
  /// reads its result starts another.
  @Test func grouping() throws {
    let x = Random.normal(Random.PRNGKey(0), [30, 40])
    let (p, j) = try plan({ xs in [sin(xs[0]) * 2, cos(xs[0]) + 1] }, [x])
    #expect(p.regions.count == 1)
    #expect(p.regions[0].outputs.count == 2)
    #expect(p.regions.first.map { names($0, j) } == ["sin", "mul", "cos", "add"])
    let (q, k) = try plan({ xs in [exp(xs[0]).sum(axis: 1) * 2] }, [x])
    #expect(q.regions.count == 2)
    #expect(names(q.regions[0], k) == ["exp", "reduce_sum"])
    #expect(names(q.regions[1], k) == ["mul"])
    #expect(q.regions[0].rowLength == 40)
    // A dot runs on BLAS between two regions.
    let w = Random.normal(Random.PRNGKey(1), [40, 20])
    let (d, dj) = try plan({ xs in [tanh(matmul(exp(xs[0]), w)) * 3] }, [x])
    #expect(work(d).count == 3)
    if case .call(let c) = work(d)[1] {
      #expect(dj.equations[c.equation].primitive.name == "dot_general")
    } else {
      Issue.record("the dot is not a step of its own")
    }
    #expect(d.regions.map { names($0, dj) } == [["exp"], ["tanh", "mul"]])
    // A broadcast feeding a region is read in place, not made.
    let row = Random.normal(Random.PRNGKey(2), [40])
    let (b, bj) = try plan({ xs in [exp(xs[0] + broadcastTo(row, [30, 40]))] }, [x])
    #expect(work(b).count == 1)
    #expect(names(b.regions[0], bj) == ["broadcast_in_dim", "add", "exp"])
  }

  /// A long chain on a large array holds its input, its output and a few blocks at most.
  @Test func peakMemoryOfAChain() throws {
    let n = 1_000_000
    let xs = linspace(-3, 3, n)
    let (p, _) = try plan({ [vmap(grad(fScalar))($0[0])] }, [xs])
    let output = 4 * n
    let scratch = p.regions[0].scratchBytes
    #expect(p.peakBytes == output + scratch)
    #expect(scratch <= 16 * ExecutionPlan.blockSize * 4)
    // Eager evaluation would make about 20 arrays of n floats.
    #expect(p.peakBytes < 2 * output)
  }

  /// An array is dropped after its last reader: a chain through transposes (each region writes
  /// its result transposed, the next reads it) never holds every intermediate at once.
  @Test func buffersAreReleasedAfterTheirLastUse() throws {
    let x = Random.normal(Random.PRNGKey(0), [100, 120])
    let f = { (xs: [Tensor]) -> [Tensor] in
      var y = xs[0]
      for _ in 0..<6 { y = transpose(exp(y) * 0.5, [1, 0]) }
      return [y]
    }
    let (p, j) = try plan(f, [x])
    let array = 100 * 120 * 4
    #expect(p.regions.count == 6)
    #expect(p.regions.allSatisfy { names($0, j) == ["exp", "mul", "transpose"] })
    // Each step makes one array and the next releases it: at most two plus scratch.
    #expect(p.peakBytes <= 2 * array + (p.regions.map(\.scratchBytes).max() ?? 0))
    #expect(p.releases.flatMap { $0 }.count >= 5)
    #expect(bits(jit(f)([x])[0]) == bits(f([x])[0]))
    // The transposes of a Jacobian's columns: written permuted by the region computing them.
    let w = Random.normal(Random.PRNGKey(1), [40, 30])
    let g = { (xs: [Tensor]) in [transpose(tanh(xs[0]) * 2) + 1, transpose(w) * xs[0].sum()] }
    let x2 = Random.normal(Random.PRNGKey(2), [30, 40])
    #expect(sameBits(jit(g)([x2]), g([x2])))
    // A large transpose stays a step of its own (a blocked transpose), after its region.
    let big = Random.normal(Random.PRNGKey(3), [300, 300])
    let (q, _) = try plan(f, [big])
    #expect(q.regions.count == 6 && q.steps.count == 12)
    #expect(bits(jit(f)([big])[0]) == bits(f([big])[0]))
  }
}

struct CompilerErrorTests {
  /// Shape and type errors of a jitted function are the ones eager raises, as results (never a trap).
  @Test func badInputsReportTheSameErrors() throws {
    let programs: [(String, (Tensor) -> Tensor)] = [
      ("incompatible shapes", { x in sin(x) + ones([3]) }),
      ("matmul", { x in matmul(x, ones([5, 2])) }),
      ("reshape", { x in reshape(x * 2, [7]) }),
      ("axis", { x in exp(x).sum(axis: 5) }),
    ]
    let x = ones([4])
    for (name, f) in programs {
      let eager = f(x)
      let jitted = jit(f)(x)
      #expect(eager.error != nil, "\(name)")
      #expect(jitted.error.map { "\($0)" } == eager.error.map { "\($0)" }, "\(name)")
    }
    // A failed argument passes its error through.
    let failed = Tensor(failed: .valueError("bad argument"))
    #expect(jit(fScalar)(failed).error.map { "\($0)" } == fScalar(failed).error.map { "\($0)" })
    // A cached body called with other shapes is traced again, not misread.
    let g = jit(fScalar)
    _ = g(ones([3]))
    #expect(bits(g(ones([5]))) == bits(fScalar(ones([5]))))
  }

  /// A plan step that finds a value missing throws instead of trapping.
  @Test func planInvariantsThrow() throws {
    let call = CallStep(
      primitive: DotGeneralPrimitive(contracting: ([1], [0]), batchDims: ([], []), preferred: .float32),
      args: [.slot(0), .slot(0)], outs: [1], equation: 0)
    let env = UnsafeMutableBufferPointer<DenseArray?>.allocate(capacity: 2)
    env.initialize(repeating: nil)
    defer { env.deallocate() }
    #expect(throws: FluxionError.self) { try call.run(env) }
  }
}

import Foundation
import Testing

@testable import Fluxion

/// Random programs over random (often invalid) arguments: each step must give a value or an
/// error, never a trap. A deterministic generator keeps failures reproducible.
struct FuzzTests {
  struct Generator {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(max(n, 1)))
    }
    mutating func int() -> Int { [0, 1, 2, -1, 3, -3, 7, 1 << 31, -(1 << 40), Int.max, Int.min][next(11)] }
    mutating func shape() -> [Int] { (0..<next(4)).map { _ in [0, 1, 2, 3, 5, -1][next(6)] } }
  }

  static let dtypes: [DType] = [.float32, .int32, .uint32, .bool, .float64]
  static let subscripts = [
    "ij,jk->ik", "ii", "i,i", "...i,...i->...", "ij", "->", "", "i..", "a,b->ab", "ij->ji", "ii->i", "...", ",",
    "ij->k", "i->ii", "-->", "αβ",
  ]

  func operand(_ g: inout Generator) -> Tensor {
    switch g.next(6) {
    case 0: return .weak(Double(g.int()))
    case 1: return .weak(g.next(5) - 2)
    case 2: return Tensor(Double.nan)
    default:
      let shape = g.shape()
      let base = arange(Double(max(elementCount(shape) ?? 0, 0))) - 2.0
      return reshape(base, shape).astype(Self.dtypes[g.next(Self.dtypes.count)])
    }
  }

  /// A custom_jvp function whose function and rule return 0–2 results each.
  func customJVP(_ g: inout Generator) -> CustomJVP {
    let (n, m, k) = (g.next(3), g.next(3), g.next(3))
    return CustomJVP({ xs in Array(repeating: sin(xs[0]), count: n) }) { p, t in
      (Array(repeating: sin(p[0]), count: m), Array(repeating: cos(p[0]) * t[0], count: k))
    }
  }

  /// A custom_vjp function whose function, fwd and bwd return 0–2 results each.
  func customVJP(_ g: inout Generator) -> CustomVJP {
    let (n, m, r, k) = (g.next(3), g.next(3), g.next(3), g.next(3))
    return CustomVJP(
      { xs in Array(repeating: xs[0] * 2, count: n) },
      fwd: { xs in (Array(repeating: xs[0] * 2, count: m), Array(repeating: xs[0], count: r)) },
      bwd: { _, cts in Array(repeating: (cts.first ?? Tensor(0.0)) * 2, count: k) })
  }

  @Test(arguments: 0..<12)
  func randomProgramsNeverTrap(seed: Int) {
    var g = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
    var values: [Tensor] = (0..<4).map { _ in operand(&g) }
    var errors = 0
    for _ in 0..<300 {
      let a = values[g.next(values.count)], b = values[g.next(values.count)]
      let i = g.int(), j = g.int()
      let ops: [() -> Tensor] = [
        { a + b }, { a * b }, { a / b }, { a - b }, { a % b }, { floorDivide(a, b) }, { pow(a, b) }, { a.pow(i) },
        { sin(a) }, { exp(a) }, { log(a) }, { sqrt(a) }, { erfInv(a) }, { abs(a) }, { -a }, { a .< b },
        { maximum(a, b) },
        { a & b }, { a << b }, { a >> b }, { a.sum(axes: [i]) }, { a.max(axis: i) }, { a.argmax(axis: i) },
        { a.mean() }, { a.cumsum(axis: i) }, { reshape(a, g.shape()) }, { transpose(a, [i, j]) },
        { broadcastTo(a, g.shape()) }, { squeeze(a, axes: [i]) }, { expandDims(a, i) },
        { concatenate([a, b], axis: i) },
        { stack([a, b], axis: i) }, { flip(a, axes: [i]) }, { pad(a, a.shape.map { _ in (g.next(3), g.next(3)) }) },
        { a[.index(i)] }, { a[.slice(start: i, stop: j, step: g.int())] }, { a[.newAxis, .ellipsis, .index(j)] },
        { a[b] }, { a.at[.index(i)].add(b) }, { a.at[b].set(a) }, { matmul(a, b) }, { dot(a, b) }, { outer(a, b) },
        { tensordot(a, b, axes: g.next(3)) }, { select(a .> 0, a, b) }, { a.astype(Self.dtypes[g.next(5)]) },
        { sort(a, axis: i) }, { argsort(a) }, { softmax(a, axis: i) }, { logsumexp(a) }, { a.variance() },
        { grad { (x: Tensor) in (sin(x) * b).sum() }(a) }, { vmap { (x: Tensor) in x * b }(a) },
        { vmap({ (x: Tensor) in x.sum() }, inAxes: .axis(i))(a) }, { jacrev { (x: Tensor) in x * 2 }(a) },
        { jvp({ (x: Tensor) in x * x }, a, b).1 }, { Random.normal(Random.PRNGKey(i), g.shape()) },
        { Random.split(a) }, { Random.uniform(Random.PRNGKey(0), g.shape(), minval: a, maxval: b) },
        { Random.randint(Random.PRNGKey(1), g.shape(), minval: i, maxval: j) },
        // Extreme integers where derivative rules and normalisations do arithmetic on them.
        { grad { (x: Tensor) in x.pow(i).sum() }(a) }, { jvp({ (x: Tensor) in x.pow(i) }, a, b).1 },
        { a.variance(ddof: i) }, { a.std(axes: [j], ddof: i) }, { eye(3, k: i) }, { reshape(a, [-1, i, j]) },
        {
          // extreme ends and steps, a handful of elements
          let step = Double(g.int())
          return arange(Double(i), Double(i) + Double(g.next(5)) * step, step: step, dtype: .int32)
        },
        { a[a .> b] },
        { jacfwd { (x: Tensor) in x * 2 }(a) }, { hessian { (x: Tensor) in (x * x).sum() }(a) },
        { Random.choice(Random.PRNGKey(2), g.next(4), [2], p: b) },
        // User rules that return more or fewer results than they should.
        { customJVP(&g)(a) }, { jvp({ (x: Tensor) in customJVP(&g)(x) }, a, b).1 },
        { grad { (x: Tensor) in customJVP(&g)(x).sum() }(a) }, { grad { (x: Tensor) in customVJP(&g)(x).sum() }(a) },
        { vmap { (x: Tensor) in customVJP(&g)(x) }(a) },
        // The API functions of issue 15, with subscripts, orders and axes good and bad.
        { einsum(Self.subscripts[g.next(Self.subscripts.count)], [a, b].prefix(g.next(3) + 1).map { $0 }) },
        {
          Linalg.norm(
            a, ord: [nil, 0, 1, 2, 3, -1, .infinity, -.infinity][g.next(8)], axes: g.next(2) == 0 ? nil : [i, j])
        },
        { Linalg.norm(a, ord: ["fro", "nuc", "inf", ""][g.next(4)]) }, { NN.oneHot(a, i, axis: j) },
        { NN.relu(a) }, { NN.gelu(a, approximate: g.next(2) == 0) }, { NN.logSoftmax(a, axis: i) },
        { logsumexp(a, axes: [i], b: b) }, { logaddexp(a, b) }, { isclose(a, b) }, { inner(a, b) },
        { any(a, axes: [i, j]) }, { a.all(axis: i, keepDims: true) }, { a ** i }, { Double(i) * a - j },
        { grad { (x: Tensor) in (NN.softplus(x) * b).sum() }(a) },
        { a.count > 16 ? logsumexp(a) : hessian { (x: Tensor) in logsumexp(x) }(a) },
      ]
      let out = ops[g.next(ops.count)]()
      // Values stay small so that products of them (outer, Jacobians) stay small too.
      if out.error != nil { errors += 1 } else if out.count < 1_000 { values.append(out) }
      _ = out.description
      _ = out.debugDescription
      if values.count > 12 { values.removeFirst() }
    }
    // Both outcomes happen: the programs are not all rejected.
    #expect(errors > 10 && errors < 290)
  }
}

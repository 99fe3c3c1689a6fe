import Foundation
import Testing

@testable import Fluxion

/// Control flow against real JAX: Fixtures/control_flow.json (Tests/fixtures/
/// make_control_flow_fixtures.py) holds each program's value, derivatives, vmaps, errors and
/// jaxprs under JAX 0.10.2; each case is written again here as the JAX program reads.
struct ControlFlowFixtureTests {
  nonisolated(unsafe) static let cases = loadCases("control_flow")

  /// Fixture values as a flat list of leaves (lists in order, dict keys sorted).
  static func leaves(_ v: Any) -> [Any] {
    if let d = v as? [String: Any] {
      if d["dtype"] != nil { return [d] }
      return d.keys.sorted().flatMap { leaves(d[$0]!) }
    }
    if let l = v as? [Any] { return l.flatMap(leaves) }
    return [v]
  }

  /// Compares results with the fixture: dtype, shape and values within float32 rounding of a
  /// few operations (loops accumulate it), or the error's kind and message.
  static func check(
    _ name: String, _ got: [Tensor], rtol: Double = 4e-6, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let out = cases[name] else {
      Issue.record("no fixture case \(name)", sourceLocation: sourceLocation)
      return
    }
    if let err = (out as? [String: Any])?["error"] as? [String: Any] {
      let e = got.lazy.compactMap(\.error).first
      #expect(
        e?.kind.rawValue == err["type"] as? String, "\(name): \(String(describing: e))", sourceLocation: sourceLocation)
      #expect(
        e.map { normalized($0.message) } == normalized(err["message"] as? String ?? ""), "\(name)",
        sourceLocation: sourceLocation)
      return
    }
    let want = leaves(out)
    guard want.count == got.count else {
      Issue.record("\(name): \(got.count) results, expected \(want.count)", sourceLocation: sourceLocation)
      return
    }
    for (k, (g, w)) in zip(got, want).enumerated() {
      let t = fixtureTensor(w)
      guard g.error == nil else {
        Issue.record("\(name)[\(k)]: \(g.error!)", sourceLocation: sourceLocation)
        continue
      }
      #expect(
        g.dtype == t.dtype && g.shape == t.shape && g.isWeaklyTyped == t.isWeaklyTyped,
        "\(name)[\(k)]: \(g.aval.longDescription) weak \(g.isWeaklyTyped) vs \(t.aval.longDescription) weak \(t.isWeaklyTyped)",
        sourceLocation: sourceLocation)
      let (a, b) = ((try? g.doubles) ?? [], (try? t.doubles) ?? [])
      let close =
        a.count == b.count
        && zip(a, b).allSatisfy { x, y in x == y || Swift.abs(x - y) <= rtol * Swift.max(1, Swift.abs(y)) }
      #expect(close, "\(name)[\(k)]: \(a) vs JAX \(b)", sourceLocation: sourceLocation)
    }
  }

  /// JAX's messages without what Swift closures cannot say: where a lambda was defined, and
  /// the name of a loop body's carry parameter.
  static func normalized(_ s: String) -> String {
    var lines = s.components(separatedBy: "\n").filter { !$0.contains(" is <lambda> at ") }
    for i in lines.indices {
      lines[i] = lines[i].replacingOccurrences(of: "The input carry c has", with: "The input carry has")
    }
    return lines.joined(separator: "\n").replacingOccurrences(of: "\n\n\n", with: "\n\n")
  }

  static func jaxpr(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(text == cases[name] as? String, "\(name):\n\(text)", sourceLocation: sourceLocation)
  }

  static let one = Tensor(Float(1))
  static let x3 = Tensor([-1, 0.5, 2] as [Float])

  // MARK: cond

  @Test func condValues() {
    // lax.cond(one > 0, jnp.sin, jnp.cos, one)
    Self.check("cond_true", [cond(Self.one .> 0, { sin($0) }, { cos($0) }, Self.one)])
    Self.check("cond_false", [cond(-Self.one .> 0, { sin($0) }, { cos($0) }, -Self.one)])
  }

  @Test func gradOfCond() {
    // jax.grad(lambda x: lax.cond(x > 0, jnp.sin, jnp.cos, x)) at 1 and -1
    let g = grad { (x: Tensor) in cond(x .> 0, { sin($0) }, { cos($0) }, x) }
    Self.check("grad_cond", [g(Self.one), g(-Self.one)])
  }

  @Test func gradOfCondThatClosesOverAnArgument() {
    // jax.grad(lambda x, y: lax.cond(x > 0, lambda a: a * y, lambda a: a + y, x), argnums=(0, 1))(2., 3.)
    let g = grad { (x: Tensor, y: Tensor) in cond(x .> 0, { $0 * y }, { $0 + y }, x) }
    let (gx, gy) = g(Tensor(Float(2)), Tensor(Float(3)))
    Self.check("cond_closure_grad", [gx, gy])
  }

  @Test func condInsideVmap() {
    // jax.vmap(lambda x: lax.cond(x > 0, jnp.sin, jnp.cos, x))(x3): a batched predicate selects
    Self.check("vmap_cond", [vmap { (x: Tensor) in cond(x .> 0, { sin($0) }, { cos($0) }, x) }(Self.x3)])
    // jax.vmap(lambda x: lax.cond(True, jnp.sin, jnp.cos, x))(x3)
    Self.check(
      "vmap_cond_unbatched_pred", [vmap { (x: Tensor) in cond(Tensor(true), { sin($0) }, { cos($0) }, x) }(Self.x3)])
  }

  @Test func gradThroughCondInsideVmapMasksTheBranchNotTaken() {
    // jax.grad(lambda xs: jnp.sum(jax.vmap(lambda x: lax.cond(x > 0, jnp.sqrt, lambda x: -x, x))(xs)))(x3)
    let g = grad { (xs: Tensor) in vmap { (x: Tensor) in cond(x .> 0, { sqrt($0) }, { -$0 }, x) }(xs).sum() }
    Self.check("grad_vmap_cond_masks_untaken_branch", [g(Self.x3)])
  }

  @Test func jvpOfCond() {
    // jax.jvp(lambda x: lax.cond(x > 0, lambda x: x ** 3, jnp.cos, x), (one,), (one * 2,))
    let (y, t) = jvp({ (x: Tensor) in cond(x .> 0, { $0.pow(3) }, { cos($0) }, x) }, Self.one, Self.one * 2)
    Self.check("jvp_cond", [y, t])
  }

  @Test func condOfPytrees() {
    // lax.cond(one > 0, lambda p: (p[0] * 2., {'a': p[1]}), lambda p: (p[1], {'a': p[0]}), (one, one * 3))
    let out = cond(
      Self.one .> 0, { (p: [Tensor]) -> Tree in [.leaf(p[0] * 2), ["a": .leaf(p[1])]] },
      { p in [.leaf(p[1]), ["a": .leaf(p[0])]] }, [Self.one, Self.one * 3])
    Self.check("cond_pytree", treeLeaves(out))
  }

  // MARK: switch

  static var branches: [(Tensor) -> Tensor] { [{ sin($0) }, { $0 * $0 }, { exp($0) * 2 }] }

  @Test func switchValues() {
    // [lax.switch(i, branches, one * 0.5) for i in (-1, 0, 1, 2, 7)]
    Self.check("switch_values", [-1, 0, 1, 2, 7].map { switchCase(Tensor($0), Self.branches, Self.one * 0.5) })
  }

  @Test func gradOfSwitch() {
    // [jax.grad(lambda x: lax.switch(i, branches, x))(0.5) for i in (0, 1, 2)]
    Self.check(
      "grad_switch",
      [0, 1, 2].map { i in grad { (x: Tensor) in switchCase(Tensor(i), Self.branches, x) }(Tensor(Float(0.5))) })
  }

  @Test func switchWithABatchedIndex() {
    // jax.vmap(lambda i, x: lax.switch(i, branches, x))([2, 0, 1, 5], [0.5, 1., 1.5, 2.])
    let f = vmap { (i: Tensor, x: Tensor) in switchCase(i, Self.branches, x) }
    Self.check(
      "vmap_switch_batched_index", [f(Tensor([2, 0, 1, 5], dtype: .int32), Tensor([0.5, 1, 1.5, 2] as [Float]))])
  }

  // MARK: while_loop

  static func doubling(_ x: Tensor) -> Tensor { whileLoop(cond: { $0 .< 10 }, body: { $0 * 2 }, initial: x) }
  /// lambda x, y: lax.while_loop(lambda c: c[0] < 10., lambda c: (c[0] * 2., c[1] + 1.), (x, y))
  static func f2(_ x: Tensor, _ y: Tensor) -> [Tensor] {
    whileLoop(cond: { (c: [Tensor]) in c[0] .< 10 }, body: { c in [c[0] * 2, c[1] + 1] }, initial: [x, y])
  }

  @Test func whileLoopValueAndForwardMode() {
    Self.check("while_value", [Self.doubling(Self.one)])
    let (y, t) = jvp(Self.doubling, Self.one, Self.one)
    Self.check("jvp_while", [y, t])
    // jax.jacfwd(lambda x: lax.while_loop(lambda c: jnp.sum(c) < 10., lambda c: c * c + 1., x))([0.5, 1.])
    let j = jacfwd { (x: Tensor) in whileLoop(cond: { $0.sum() .< 10 }, body: { $0 * $0 + 1 }, initial: x) }
    Self.check("jacfwd_while", [j(Tensor([0.5, 1] as [Float]))])
  }

  @Test func whileLoopWithABatchedPredicateRunsUntilEveryExampleIsDone() {
    // jax.vmap(f2, in_axes=(0, None))([1., 2., 3.], 0.)
    let f = vmap({ (x: Tensor, y: Tensor) in Self.f2(x, y) }, inAxes: (0, nil))
    Self.check("vmap_while_batched_pred", f(Tensor([1, 2, 3] as [Float]), Tensor(Float(0))))
    // jax.jvp(lambda x: jax.vmap(f2, in_axes=(0, None))(x, 0.)[0], ([1., 2., 3.],), ([1., 1., 1.],))
    let (y, t) = jvp(
      { (x: Tensor) in f(x, Tensor(Float(0)))[0] }, Tensor([1, 2, 3] as [Float]), Tensor([1, 1, 1] as [Float]))
    Self.check("jvp_vmap_while", [y, t])
  }

  @Test func reverseModeThroughWhileLoopIsJAXsError() {
    Self.check("grad_while_error", [grad(Self.doubling)(Self.one)])
  }

  // MARK: fori_loop

  @Test func foriLoops() {
    // lax.fori_loop(0, 5, lambda i, acc: acc + i, 0)
    Self.check("fori_static", [foriLoop(0, 5, body: { i, acc in acc + i }, initial: Tensor.weak(0))])
    // jax.grad(lambda x: lax.fori_loop(0, 3, lambda i, a: a * x, 1.))(2.)
    Self.check(
      "grad_fori_static",
      [grad { (x: Tensor) in foriLoop(0, 3, body: { _, a in a * x }, initial: Tensor(Float(1))) }(Tensor(Float(2)))])
    // lax.fori_loop(1, 4, lambda i, a: a * i.astype(jnp.float32) + 1., 0.5)
    Self.check(
      "fori_uses_index", [foriLoop(1, 4, body: { i, a in a * i.astype(.float32) + 1 }, initial: Tensor(Float(0.5)))])
  }

  @Test func jacrevThroughForiLoop() {
    // jax.jacrev(lambda x: lax.fori_loop(0, 3, lambda i, a: jnp.sin(a) * x, x))([0.5, 1., 1.5])
    let j = jacrev { (x: Tensor) in foriLoop(0, 3, body: { _, a in sin(a) * x }, initial: x) }
    Self.check("jacrev_fori", [j(Tensor([0.5, 1, 1.5] as [Float]))])
  }

  @Test func foriLoopWithATracedBoundIsAWhileLoop() {
    // jax.jit(lambda x, n: jax.jvp(lambda x: lax.fori_loop(0, n, lambda i, a: a * x, 1.), (x,), (1.,)))(2., 3)
    let f = jit { (xs: [Tensor]) -> [Tensor] in
      let (y, t) = jvp(
        { (x: Tensor) in foriLoop(Tensor.weak(0), xs[1], body: { _, a in a * x }, initial: Tensor(Float(1))) }, xs[0],
        Tensor(Float(1)))
      return [y, t]
    }
    Self.check("jit_fori_dynamic_jvp", f([Tensor(Float(2)), Tensor(3, dtype: .int32)]))
  }

  // MARK: scan

  @Test func scanValues() {
    let xs = Tensor([1, 2, 3] as [Float])
    let (c, ys) = scan({ (c: Tensor, x: Tensor) in (c + x, c * x) }, initial: Tensor(Float(0)), xs: xs)
    Self.check("scan_values", [c, ys])
    let (c2, ys2) = scan({ (c: Tensor, x: Tensor) in (c + x, c) }, initial: Tensor(Float(0)), xs: xs, reverse: true)
    Self.check("scan_reverse", [c2, ys2])
    // lax.scan(lambda c, _: (c + 1, c), 0, None, length=3)
    let (c3, ys3) = scan({ (c: Tensor) in (c + 1, c) }, initial: Tensor.weak(0), length: 3)
    Self.check("scan_no_xs", [c3, ys3])
  }

  static let W = Tensor([[0.5, -0.3, 0.8], [0.1, 0.9, -0.4], [-0.7, 0.2, 0.3]]).astype(.float32)
  static let xs = Tensor([[1, 0, -1], [0.5, 0.5, 0.5], [-1, 2, 0], [0.3, -0.2, 0.1]]).astype(.float32)
  /// h, hs = lax.scan(lambda h, x: (jnp.tanh(W @ h + x), h), zeros(3), xs); sum(h) + sum(hs * hs)
  static func rnn(_ W: Tensor, _ xs: Tensor) -> Tensor {
    let (h, hs) = scan({ (h: Tensor, x: Tensor) in (tanh(matmul(W, h) + x), h) }, initial: zeros([3]), xs: xs)
    return h.sum() + (hs * hs).sum()
  }

  @Test func scanRNNAndItsGradients() {
    Self.check("rnn_value", [Self.rnn(Self.W, Self.xs)])
    Self.check("rnn_grad_W", [grad { (w: Tensor) in Self.rnn(w, Self.xs) }(Self.W)])
    let (gw, gx) = grad(Self.rnn)(Self.W, Self.xs)
    Self.check("rnn_grad_both", [gw, gx])
    // jax.vmap(jax.grad(rnn), in_axes=(None, 0))(W, stack([xs, xs * 0.5]))
    let per = vmap({ (w: Tensor, x: Tensor) in grad { (w: Tensor) in Self.rnn(w, x) }(w) }, inAxes: (nil, 0))
    Self.check("rnn_vmap_grad", [per(Self.W, stack([Self.xs, Self.xs * 0.5]))])
  }

  @Test func scanDerivatives() {
    // jax.grad(lambda xs: sum(lax.scan(lambda c, x: (sin(c) * x, c * x), 1., xs, reverse=True)[1]))
    let g = grad { (xs: Tensor) in
      scan({ (c: Tensor, x: Tensor) in (sin(c) * x, c * x) }, initial: Tensor(Float(1)), xs: xs, reverse: true).ys.sum()
    }
    Self.check("scan_reverse_grad", [g(Tensor([1, 2, 3] as [Float]))])
    // jax.hessian(lambda x: lax.scan(lambda c, x: (c * x, c), 1., x)[0])([1., 2., 3.])
    let h = hessian { (x: Tensor) in
      scan({ (c: Tensor, x: Tensor) in (c * x, c) }, initial: Tensor(Float(1)), xs: x).carry
    }
    Self.check("hessian_scan", [h(Tensor([1, 2, 3] as [Float]))])
    // jax.jvp(lambda x: lax.scan(lambda c, y: (c * y + x, c), x, [1., 2.]), (0.5,), (1.,))
    let (y, t) = jvp(
      { (x: Tensor) -> [Tensor] in
        let (c, ys) = scan({ (c: Tensor, y: Tensor) in (c * y + x, c) }, initial: x, xs: Tensor([1, 2] as [Float]))
        return [c, ys]
      }, primals: Tensor(Float(0.5)), tangents: Tensor(Float(1)))
    Self.check("jvp_scan", y + t)
  }

  @Test func scanInsideVmap() {
    // jax.vmap(lambda xs: lax.scan(lambda c, x: (c + x, c * x), 0., xs))(arange(6.).reshape(2, 3))
    let f = vmap { (xs: Tensor) -> [Tensor] in
      let (c, ys) = scan({ (c: Tensor, x: Tensor) in (c + x, c * x) }, initial: Tensor(Float(0)), xs: xs)
      return [c, ys]
    }
    Self.check("vmap_scan", f(arange(6.0).astype(.float32).reshaped(2, 3)))
    // jax.vmap(lambda c0: lax.scan(lambda c, x: (c * x, c + x), c0, [1., 2., 3.]))([1., -1.])
    let g = vmap { (c0: Tensor) -> [Tensor] in
      let (c, ys) = scan({ (c: Tensor, x: Tensor) in (c * x, c + x) }, initial: c0, xs: Tensor([1, 2, 3] as [Float]))
      return [c, ys]
    }
    Self.check("vmap_scan_batched_carry_only", g(Tensor([1, -1] as [Float])))
  }

  @Test func scanOverClosedOverConstants() {
    // c, ys = lax.scan(lambda c, _: (sin(w * c + b), sum(c)), x, None, length=3); grad of sum(c) + sum(ys)
    let w = Tensor([0.5, 1.5, -2] as [Float])
    let b = Tensor(Float(0.25))
    let g = grad { (x: Tensor) in
      let (c, ys) = scan({ (c: Tensor) in (sin(w * c + b), c.sum()) }, initial: x, length: 3)
      return c.sum() + ys.sum()
    }
    Self.check("closed_over_grad", [g(Tensor([0.1, -0.2, 0.3] as [Float]))])
  }

  // MARK: nested control flow

  /// A scan whose step holds a cond and a fori_loop.
  static func nested(_ xs: Tensor) -> Tensor {
    let (c, ys) = scan(
      { (c: Tensor, x: Tensor) -> (Tensor, Tensor) in
        let c2 = cond(x .> 0, { $0 * x }, { $0 + sin(x) }, c)
        return (c2, foriLoop(0, 2, body: { _, a in a * c2 }, initial: x))
      }, initial: Tensor(Float(1)), xs: xs)
    return c + ys.sum()
  }

  @Test func nestedControlFlow() {
    let xs = Tensor([0.5, -1, 2, 0.25] as [Float])
    Self.check("nested_value", [Self.nested(xs)])
    Self.check("nested_grad", [grad(Self.nested)(xs)])
    Self.check("nested_vmap_grad", [vmap(grad(Self.nested))(stack([xs, -xs]))])
  }

  // MARK: checkpoint

  @Test func checkpointDerivatives() {
    Self.check("grad_checkpoint", [grad(checkpoint { (x: Tensor) in sin(sin(x)) })(Self.one)])
    // jax.grad(lambda xs: lax.scan(jax.checkpoint(lambda c, x: (sin(c) * x + c, c)), 0.5, xs)[0])
    let step = checkpoint { (cx: [Tensor]) -> [Tensor] in [sin(cx[0]) * cx[1] + cx[0], cx[0]] }
    let g = grad { (xs: Tensor) in
      scan(
        { (c: Tensor, x: Tensor) -> (Tensor, Tensor) in
          let o = step([c, x])
          return (o[0], o[1])
        }, initial: Tensor(Float(0.5)), xs: xs
      ).carry
    }
    Self.check("grad_checkpoint_scan", [g(Tensor([1, 2, 3] as [Float]))])
    Self.check("vmap_checkpoint", [vmap(checkpoint { (x: Tensor) in sin(x) * x })(Self.x3)])
  }

  // MARK: errors

  @Test func errorsAreJAXs() {
    let weak1 = Tensor.weak(1.0)
    Self.check("error_cond_shapes", [cond(Tensor(true), { $0 }, { _ in ones([2]) }, weak1)])
    Self.check("error_cond_dtypes", [cond(Tensor(true), { $0 }, { _ in Tensor(1, dtype: .int32) }, weak1)])
    Self.check("error_cond_pred_shape", [cond(Tensor([true, false]), { $0 }, { $0 }, weak1)])
    Self.check("error_switch_float_index", [switchCase(Tensor.weak(1.0), [{ (x: Tensor) in x }], weak1)])
    let three = arange(3.0)
    Self.check(
      "error_scan_carry_shape",
      [scan({ (c: Tensor, x: Tensor) in (ones([2]), x) }, initial: .weak(0.0), xs: three).carry])
    Self.check(
      "error_scan_carry_dtype",
      [scan({ (c: Tensor, x: Tensor) in (Tensor(1, dtype: .int32), x) }, initial: .weak(0.0), xs: three).carry])
    Self.check(
      "error_scan_sizes",
      [scan({ (c: Tensor, x: [Tensor]) in (c, x) }, initial: .weak(0.0), xs: [three, arange(4.0)]).carry])
    Self.check(
      "error_scan_length", [scan({ (c: Tensor, x: Tensor) in (c, x) }, initial: .weak(0.0), xs: three, length: 4).carry]
    )
    Self.check(
      "error_scan_no_length", [scan({ (c: Tensor, x: Tensor?) in (c, c) }, initial: .weak(0.0), xs: Tensor?.none).carry]
    )
    Self.check("error_while_carry", [whileLoop(cond: { $0 .< 3 }, body: { _ in ones([2]) }, initial: Tensor.weak(0.0))])
    Self.check(
      "error_while_cond_shape",
      [whileLoop(cond: { _ in Tensor([true, false]) }, body: { $0 }, initial: Tensor.weak(0.0))])
    Self.check("error_while_cond_float", [whileLoop(cond: { $0 }, body: { $0 }, initial: Tensor.weak(0.0))])
    Self.check("error_fori_carry", [foriLoop(0, 3, body: { _, _ in ones([2]) }, initial: Tensor.weak(0.0))])
  }

  // MARK: jaxprs

  @Test func jaxprsAreJAXs() throws {
    let weak1 = Tensor.weak(1.0)
    Self.jaxpr(
      "jaxpr_switch",
      try makeJaxpr(
        { xs in [switchCase(xs[0], [{ sin($0) }, { cos($0) }, { $0 * 3 }], xs[1])] }, [Tensor.weak(1), weak1]
      ).get().description)
    Self.jaxpr(
      "jaxpr_fori_dynamic",
      try makeJaxpr(
        { xs in [foriLoop(Tensor.weak(0), xs[0], body: { _, a in a * xs[1] }, initial: Tensor.weak(1.0))] },
        [Tensor.weak(3), weak1]
      ).get().description)
    Self.jaxpr(
      "jaxpr_scan",
      try makeJaxpr(
        { xs in
          let (c, ys) = scan({ (c: Tensor, x: Tensor) in (c + x, c * x) }, initial: xs[0], xs: xs[1])
          return [c, ys]
        }, [Tensor(Float(0)), arange(3.0)]
      ).get().description)
    let ss = checkpoint { (x: Tensor) in sin(sin(x)) }
    Self.jaxpr("jaxpr_checkpoint", try makeJaxpr(ss, weak1).get().description)
    Self.jaxpr("jaxpr_grad_checkpoint", try makeJaxpr(grad(ss), weak1).get().description)
    Self.jaxpr(
      "jaxpr_cond_closure",
      try makeJaxpr({ xs in [cond(xs[0] .> 0, { $0 * xs[1] }, { $0 + xs[1] }, xs[0])] }, [weak1, .weak(2.0)]).get()
        .description)
    Self.jaxpr("jaxpr_vmap_while", try makeJaxpr(vmap(Self.doubling), arange(1.0, 4.0)).get().description)
    Self.jaxpr(
      "jaxpr_vmap_while_two_carries",
      try makeJaxpr(
        { xs in vmap({ (x: Tensor, y: Tensor) in Self.f2(x, y) }, inAxes: (0, nil))(xs[0], xs[1]) },
        [arange(1.0, 4.0), .weak(0.0)]
      ).get().description)
    Self.jaxpr(
      "jaxpr_jvp_while",
      try makeJaxpr(
        { xs in
          let (y, t) = jvp(Self.doubling, xs[0], xs[1])
          return [y, t]
        }, [weak1, weak1]
      ).get().description)
    let (_, lin) = linearize({ (x: Tensor) in Self.doubling(x) }, weak1)
    Self.jaxpr("jaxpr_linearize_while", try makeJaxpr(lin, weak1).get().description)
    Self.jaxpr(
      "jaxpr_grad_fori",
      try makeJaxpr(
        grad { (x: Tensor) in foriLoop(0, 3, body: { _, a in a * x }, initial: Tensor.weak(1.0)) }, .weak(2.0)
      )
      .get().description)
    // The loop-invariant sin(w) runs once, before both loops.
    Self.jaxpr(
      "jaxpr_grad_scan_hoists_invariants",
      try makeJaxpr(
        { a in
          [
            grad { (c0: Tensor) in
              scan({ (c: Tensor, x: Tensor) in (c * sin(a[1]) + x, c) }, initial: c0, xs: a[2]).carry
            }(a[0])
          ]
        }, [Tensor(Float(1)), Tensor(Float(0.5)), arange(3.0)]
      ).get().description)
    Self.jaxpr(
      "jaxpr_vmap_cond_batched_pred",
      try makeJaxpr(vmap { (x: Tensor) in cond(x .> 0, { sin($0) }, { cos($0) }, x) }, arange(3.0)).get().description)
    Self.jaxpr(
      "jaxpr_vmap_cond_unbatched_pred",
      try makeJaxpr(vmap { (x: Tensor) in cond(Tensor(true), { sin($0) }, { cos($0) }, x) }, arange(3.0)).get()
        .description)
  }
}

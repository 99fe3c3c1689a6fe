import Foundation
import Testing

@testable import Fluxion

/// Structured control flow (lax.cond, lax.switch, lax.while_loop, lax.fori_loop, lax.scan,
/// jax.checkpoint): each test is written as the JAX program it mirrors (in its comment).
struct ControlFlowTests {
  // MARK: values (JAX-SEMANTICS.md §1.7)

  /// lax.cond(True, lambda a: a+1, lambda a: a-1, 5.)  → 6.
  @Test func condPicksTheTrueBranch() throws {
    #expect(try cond(Tensor(true), { $0 + 1 }, { $0 - 1 }, Tensor.weak(5.0)).item() == 6)
    #expect(try cond(Tensor(false), { $0 + 1 }, { $0 - 1 }, Tensor.weak(5.0)).item() == 4)
  }

  /// lax.cond(0.0, lambda: 1, lambda: 2) → 2 (a nonzero scalar holds)
  @Test func condOfANumber() throws {
    #expect(try cond(Tensor.weak(0.0), { Tensor.weak(1) }, { Tensor.weak(2) }).item() == 2)
    #expect(try cond(Tensor.weak(1.5), { Tensor.weak(1) }, { Tensor.weak(2) }).item() == 1)
  }

  /// lax.switch(2, [f0, f1, f2], 5.) → 15.; switch(5, …) → 15.; switch(-3, …) → 5.
  @Test func switchClampsItsIndex() throws {
    let branches: [(Tensor) -> Tensor] = [{ $0 }, { $0 * 2 }, { $0 * 3 }]
    #expect(try switchCase(Tensor(2), branches, Tensor.weak(5.0)).item() == 15)
    #expect(try switchCase(Tensor(5), branches, Tensor.weak(5.0)).item() == 15)
    #expect(try switchCase(Tensor(-3), branches, Tensor.weak(5.0)).item() == 5)
  }

  /// lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0]+1, c[1]*2.), (0, 1.)) → (5, 32.)
  @Test func whileLoopDoubles() throws {
    let out = whileLoop(
      cond: { (c: [Tensor]) in c[0] .< 5 }, body: { c in [c[0] + 1, c[1] * 2] }, initial: [Tensor.weak(0), .weak(1.0)])
    #expect(try out[0].item() == 5)
    #expect(try out[1].item() == 32)
  }

  /// lax.fori_loop(0, 5, lambda i, acc: acc+i, 0) → 10
  @Test func foriLoopSums() throws {
    #expect(try foriLoop(0, 5, body: { i, acc in acc + i }, initial: Tensor.weak(0)).item() == 10)
  }

  /// grad(lambda x: fori_loop(0, 3, lambda i, a: a*x, 1.))(2.) → 12.
  @Test func gradThroughStaticForiLoop() throws {
    let g = grad { (x: Tensor) in foriLoop(0, 3, body: { _, a in a * x }, initial: Tensor.weak(1.0)) }
    #expect(try g(.weak(2.0)).item() == 12)
  }

  /// lax.scan(lambda c, x: (c+x, c*x), 0., [1., 2., 3.]) → (6., [0., 2., 9.]);
  /// lax.scan(lambda c, x: (c+x, c), 0., [1., 2., 3.], reverse=True) → (6., [5., 3., 0.])
  @Test func scanCarriesAndStacks() throws {
    let (c, ys) = scan(
      { (c: Tensor, x: Tensor) in (c + x, c * x) }, initial: Tensor.weak(0.0), xs: Tensor([1.0, 2.0, 3.0]))
    #expect(try c.item() == 6)
    #expect(try ys.doubles == [0, 2, 9])
    let (c2, ys2) = scan(
      { (c: Tensor, x: Tensor) in (c + x, c) }, initial: Tensor.weak(0.0), xs: Tensor([1.0, 2.0, 3.0]), reverse: true)
    #expect(try c2.item() == 6)
    let v = try ys2.doubles
    #expect(v == [5, 3, 0], "\(v)")
  }

  /// lax.scan(lambda c, _: (c+1, c), 0, None, length=3) → (3, [0, 1, 2])
  @Test func scanWithoutXs() throws {
    let (c, ys) = scan({ (c: Tensor) in (c + 1, c) }, initial: Tensor.weak(0), length: 3)
    #expect(try c.item() == 3)
    #expect(try ys.doubles == [0, 1, 2])
  }

  /// grad(lambda x: lax.cond(x > 0, jnp.sin, jnp.cos, x))(1.) → 0.5403023
  @Test func gradThroughCond() throws {
    let g = grad { (x: Tensor) in cond(x .> 0, { sin($0) }, { cos($0) }, x) }
    // Within an ulp: the engine's cos kernel rounds cos(1) the other way (as `cos` alone does).
    let v = try Float(g(.weak(1.0)).item())
    #expect(Swift.abs(v - Float(0.5403023)) <= Float(0.5403023).ulp, "\(v)")
    #expect(try Float(cos(Tensor.weak(1.0)).item()) == v)
    #expect(try Float(g(.weak(-1.0)).item()) == Float(sin(1.0)))
  }

  /// grad(checkpoint(lambda x: sin(sin(x))))(1.) → 0.36003947
  @Test func gradThroughCheckpoint() throws {
    let g = grad(checkpoint { (x: Tensor) in sin(sin(x)) })
    let v = try Float(g(.weak(1.0)).item())
    #expect(Swift.abs(v - Float(0.36003947)) <= 2 * Float(0.36003947).ulp, "\(v)")
  }

  /// grad of a while_loop: ValueError (Reverse-mode differentiation does not work …)
  @Test func reverseModeThroughWhileLoopIsJAXsError() {
    let g = grad { (x: Tensor) in whileLoop(cond: { $0 .< 10 }, body: { $0 * 2 }, initial: x) }
    #expect(
      g(.weak(1.0)).error?.description.contains(
        "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop."
      ) == true)
  }

  /// jvp(lambda x: while_loop(lambda c: c < 10., lambda c: c*2., x), (1.,), (1.,)) → (16., 16.)
  @Test func jvpThroughWhileLoop() throws {
    let (y, t) = jvp(
      { (x: Tensor) in whileLoop(cond: { $0 .< 10 }, body: { $0 * 2 }, initial: x) }, .weak(1.0), .weak(1.0))
    #expect(try y.item() == 16)
    #expect(try t.item() == 16)
  }

  // MARK: jaxprs (JAXPR-FORMAT.md)

  /// make_jaxpr(lambda x: lax.cond(x > 0, jnp.sin, jnp.cos, x))(1.)
  @Test func condJaxpr() throws {
    let j = try makeJaxpr({ (x: Tensor) in cond(x .> 0, { sin($0) }, { cos($0) }, x) }, .weak(1.0)).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            b:bool[] = gt a 0.0:f32[]
            c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
            d:f32[] = cond[
              branches=(
                { lambda ; e:f32[]. let f:f32[] = cos e in (f,) }
                { lambda ; g:f32[]. let h:f32[] = sin g in (h,) }
              )
            ] c a
          in (d,) }
        """)
  }

  /// make_jaxpr(lambda x: lax.while_loop(lambda c: c < 10., lambda c: c*2., x))(1.)
  @Test func whileJaxpr() throws {
    let j = try makeJaxpr({ (x: Tensor) in whileLoop(cond: { $0 .< 10 }, body: { $0 * 2 }, initial: x) }, .weak(1.0))
      .get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            b:f32[] = while[
              body_jaxpr={ lambda ; c:f32[]. let d:f32[] = mul c 2.0:f32[] in (d,) }
              body_nconsts=0
              cond_jaxpr={ lambda ; e:f32[]. let f:bool[] = lt e 10.0:f32[] in (f,) }
              cond_nconsts=0
            ] a
          in (b,) }
        """)
  }

  /// make_jaxpr(lambda x: lax.fori_loop(0, 3, lambda i, a: a * x, 1.))(1.)
  @Test func staticForiLoopJaxprIsAScan() throws {
    let j = try makeJaxpr(
      { (x: Tensor) in foriLoop(0, 3, body: { _, a in a * x }, initial: Tensor.weak(1.0)) }, .weak(1.0)
    ).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            _:i32[] b:f32[] = scan[
              jaxpr={ lambda ; c:f32[] d:i32[] e:f32[]. let
                  f:i32[] = add d 1:i32[]
                  g:f32[] = mul e c
                in (f, g) }
              length=3
              num_carry=2
              num_consts=1
              reverse=False
              unroll=1
            ] a 0:i32[] 1.0:f32[]
          in (b,) }
        """)
  }

  // MARK: bad input never crashes

  @Test func failuresPropagateAsErrors() throws {
    let bad = Tensor(failed: .valueError("bad operand"))
    #expect(cond(Tensor(true), { $0 + 1 }, { $0 - 1 }, bad).error?.message == "bad operand")
    #expect(cond(bad, { $0 + 1 }, { $0 - 1 }, Tensor(1.0)).error?.message == "bad operand")
    let empty: [(Tensor) -> Tensor] = []
    #expect(switchCase(Tensor(0), empty, Tensor(1.0)).error?.message == "Empty branch sequence")
    #expect(
      scan({ (c: Tensor, x: Tensor) in (c, x) }, initial: Tensor(0.0), xs: Tensor(1.0)).carry.error?.message
        == "scan got value with no leading axis to scan over: float32[].")
    #expect(foriLoop(Int.min, Int.max, body: { _, c in c }, initial: Tensor(0.0)).error != nil)
    #expect(whileLoop(cond: { $0 .< 3 }, body: { _ in bad }, initial: Tensor(0.0)).error?.message == "bad operand")
    // A branch that fails in a vmap with a batched predicate.
    let v = vmap { (x: Tensor) in cond(x .> 0, { _ in bad }, { $0 }, x) }(Tensor([1.0, -1.0]))
    #expect(v.error?.message == "bad operand")
  }

  struct Oops: Error {}

  /// What the functions throw is rethrown as it is.
  @Test func throwingBranchesAndBodiesRethrow() {
    #expect(throws: Oops.self) {
      try cond(Tensor(true), { (_: Tensor) throws -> Tensor in throw Oops() }, { $0 }, Tensor(1.0))
    }
    #expect(throws: Oops.self) {
      try scan(
        { (_: Tensor, _: Tensor) throws -> (Tensor, Tensor) in throw Oops() }, initial: Tensor(0.0), xs: Tensor([1.0]))
    }
    #expect(throws: Oops.self) {
      try whileLoop(cond: { (_: Tensor) throws -> Tensor in throw Oops() }, body: { $0 }, initial: Tensor(0.0))
    }
    #expect(throws: Oops.self) { try checkpoint { (_: Tensor) throws -> Tensor in throw Oops() }(Tensor(1.0)) }
  }

  /// An endless loop stops when its work is cancelled.
  @Test(.timeLimit(.minutes(1))) func cancellingStopsAnEndlessLoop() {
    let token = CancellationToken()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { token.cancel() }
    let y = withCancellation(token) { whileLoop(cond: { _ in Tensor(true) }, body: { $0 + 1 }, initial: Tensor(0.0)) }
    #expect(y.error?.kind == .cancelled)
  }

  /// linearize of a while loop evaluates forward (its tangent program is a while loop).
  @Test func linearizedWhileLoopRunsForward() throws {
    let (y, f) = linearize({ (x: Tensor) in whileLoop(cond: { $0 .< 10 }, body: { $0 * 2 }, initial: x) }, Tensor(1.0))
    #expect(try y.item() == 16)
    #expect(try f(Tensor(0.5)).item() == 8)
  }

  /// jit of control flow stages it once; the jitted call agrees with the eager one.
  @Test func jitOfControlFlow() throws {
    let f = { (x: Tensor) in
      let (c, ys) = scan(
        { (c: Tensor, x: Tensor) in (cond(x .> 0, { $0 * x }, { $0 - x }, c), c) }, initial: Tensor(1.0), xs: x)
      return c + ys.sum()
    }
    let x = Tensor([0.5, -1.0, 2.0])
    #expect(try jit(f)(x).item() == f(x).item())
    #expect(try jit(grad(f))(x).doubles == grad(f)(x).doubles)
  }

  /// vmap of vmap of a while loop whose predicate depends on the inner example, the outer vmap
  /// batching only a value the body closes over (so a carry the predicate does not read): each
  /// inner example runs until it is done.
  @Test func nestedVmapOfWhileLoop() throws {
    let f = { (x: Tensor, s: Tensor) in
      whileLoop(
        cond: { (c: [Tensor]) in c[0] .< 10 }, body: { c in [c[0] * 2, c[1] * s] }, initial: [x, Tensor(1.0)])[1]
    }
    let inner = vmap(f, inAxes: (0, nil))
    let outer = vmap(inner, inAxes: (nil, 0))
    let got = outer(Tensor([1.0, 3.0]), Tensor([2.0, 3.0]))
    #expect(try got.doubles == [16, 4, 81, 9])
  }

  /// Second derivatives: forward over forward through a while loop (x³ by three steps: 6x), and
  /// reverse over reverse through a scan and a cond.
  @Test func secondDerivativesThroughLoops() throws {
    let cube = { (x: Tensor) in
      whileLoop(
        cond: { (c: [Tensor]) in c[0] .< 3 }, body: { c in [c[0] + 1, c[1] * x] }, initial: [Tensor(0), Tensor(1.0)])[1]
    }
    #expect(try jacfwd(jacfwd(cube))(Tensor(2.0)).item() == 12)
    let scanned = { (x: Tensor) in
      scan({ (c: Tensor, k: Tensor) in (c * x + k, c) }, initial: Tensor(1.0), xs: Tensor([1.0, 2.0])).carry
    }
    // c = (x + 1) x + 2 = x² + x + 2: f'' = 2
    #expect(try grad(grad(scanned))(Tensor(3.0)).item() == 2)
    let branchy = { (x: Tensor) in cond(x .> 0, { $0.pow(3) }, { -$0 }, x) }
    #expect(try grad(grad(branchy))(Tensor(2.0)).item() == 12)
    #expect(try hessian(branchy)(Tensor(-2.0)).item() == 0)
  }
}

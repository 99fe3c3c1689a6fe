import FluxionBackend
import Testing

@_spi(FluxionLang) @testable import Fluxion

/// A primitive with an effect (a stand-in for a print): passes must keep it.
struct TestPrintPrimitive: EffectfulPrimitive {
  var name: String { "test_print" }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { inputs }
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { inputs }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { (bind(self, primals), tangents) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { (bind(self, args), dims) }
}

/// Each optimisation pass on its own, on traced programs: the program printed before and after.
struct PassesTests {
  /// The program of `f` at `args` before and after `pass`.
  func rewrite(_ pass: any JaxprPass, _ args: [Tensor], _ f: @escaping ([Tensor]) -> [Tensor]) throws -> (
    before: String, after: String
  ) {
    let j = try makeJaxpr(f, args).get()
    return (j.description, runPass(pass, j).description)
  }

  static let s = Tensor(2.0)
  static let v = Tensor([1.0, 2.0, 3.0])

  @Test func deadCodeEliminationKeepsEffectsAndDropsUnreadConstants() throws {
    let (before, after) = try rewrite(DeadCodeElimination(), [Self.s]) { xs in
      _ = sin(xs[0])
      _ = bind1(TestPrintPrimitive(), [xs[0]])
      return [cos(xs[0])]
    }
    #expect(
      before == """
        { lambda ; a:f32[]. let
            _:f32[] = sin a
            _:f32[] = test_print a
            b:f32[] = cos a
          in (b,) }
        """)
    #expect(after == "{ lambda ; a:f32[]. let _:f32[] = test_print a; b:f32[] = cos a in (b,) }")
    let consts = try rewrite(DeadCodeElimination(), [Self.v]) { xs in
      _ = xs[0] * Tensor([4.0, 5.0, 6.0])
      return [xs[0] + 1.0]
    }
    #expect(consts.before.hasPrefix("{ lambda a:f32[3]; b:f32[3]. let"))
    #expect(consts.after == "{ lambda ; a:f32[3]. let b:f32[3] = add a 1.0:f32[] in (b,) }")
  }

  @Test func commonSubexpressionsMergeByPrimitiveParamsAndOperandBits() throws {
    let (_, after) = try rewrite(CommonSubexpressionElimination(), [Self.s]) { xs in
      let x = xs[0]
      let zeros = (x + 0.0) * (x + Tensor.weak(-0.0))  // 0.0 and -0.0 are different literals
      let powers = x ** 2 * x ** 3  // different params
      let prints = bind1(TestPrintPrimitive(), [x]) + bind1(TestPrintPrimitive(), [x])  // effects
      return [sin(x) * sin(x) + zeros + powers + prints]
    }
    #expect(
      after == """
        { lambda ; a:f32[]. let
            b:f32[] = sin a
            c:f32[] = mul b b
            d:f32[] = add a 0.0:f32[]
            e:f32[] = add a -0.0:f32[]
            f:f32[] = mul d e
            g:f32[] = add c f
            h:f32[] = integer_pow[y=2] a
            i:f32[] = integer_pow[y=3] a
            j:f32[] = mul h i
            k:f32[] = test_print a
            l:f32[] = test_print a
            m:f32[] = add k l
            n:f32[] = add g j
            o:f32[] = add n m
          in (o,) }
        """ || after.components(separatedBy: "test_print").count == 3)
    #expect(after.components(separatedBy: "sin a").count == 2)
    #expect(after.contains("add a 0.0:f32[]") && after.contains("add a -0.0:f32[]"))
  }

  @Test func constantFoldingEvaluatesKnownOperandsWithinItsSizeLimit() throws {
    let (before, after) = try rewrite(ConstantFolding(), [Self.v]) { xs in
      [xs[0] * (Tensor(2.0) * 3.0) - exp(Tensor(0.0)) + Tensor([1.0, 2.0, 3.0]) * 2.0 + ones([2000]).sum()]
    }
    #expect(
      before == """
        { lambda a:f32[3]; b:f32[3]. let
            c:f32[] = mul 2.0:f32[] 3.0:f32[]
            d:f32[] = convert_element_type[new_dtype=float32 weak_type=False] c
            e:f32[3] = mul b d
            f:f32[] = exp 0.0:f32[]
            g:f32[] = convert_element_type[new_dtype=float32 weak_type=False] f
            h:f32[3] = sub e g
            i:f32[3] = mul a 2.0:f32[]
            j:f32[3] = add h i
            k:f32[2000] = broadcast_in_dim 1.0:f32[]
            l:f32[] = reduce_sum[axes=(0,) out_sharding=None] k
            m:f32[3] = add j l
          in (m,) }
        """)
    // The [2000] broadcast is over the limit (1024 elements), so it and its sum stay.
    #expect(
      after == """
        { lambda a:f32[3] b:f32[3]; c:f32[3]. let
            d:f32[3] = mul c 6.0:f32[]
            e:f32[3] = sub d 1.0:f32[]
            f:f32[3] = add e b
            g:f32[2000] = broadcast_in_dim 1.0:f32[]
            h:f32[] = reduce_sum[axes=(0,) out_sharding=None] g
            i:f32[3] = add f h
          in (i,) }
        """)
    let limited = try rewrite(ConstantFolding(maxElements: 100), [ones([200])]) { xs in [xs[0] * (ones([200]) * 2.0)] }
    #expect(limited.before == limited.after)
    let wide = try rewrite(ConstantFolding(maxElements: 200), [ones([200])]) { xs in [xs[0] * (ones([200]) * 2.0)] }
    // The folded product is a new constant; the unread one is dead code's to drop.
    #expect(wide.after == "{ lambda a:f32[200] b:f32[200]; c:f32[200]. let d:f32[200] = mul c b in (d,) }")
  }

  @Test func identitiesAreRemovedOnlyWhereIEEEAgrees() throws {
    let (_, after) = try rewrite(AlgebraicSimplification(), [Self.v]) { xs in
      let x = xs[0]
      return [x * 1.0, 1.0 * x, x / 1.0, x + Tensor.weak(-0.0), x + 0.0, x - 0.0, x - Tensor.weak(-0.0), -(-x)]
    }
    // x + 0.0 turns -0.0 into +0.0 and x - (-0.0) is x + 0.0: both stay.
    #expect(
      after == """
        { lambda ; a:f32[3]. let
            b:f32[3] = add a 0.0:f32[]
            c:f32[3] = sub a -0.0:f32[]
            _:f32[3] = neg a
          in (a, a, a, a, b, a, c, a) }
        """)
  }

  @Test func integerPowChainsJoinOnlyWhereExact() throws {
    let (_, after) = try rewrite(AlgebraicSimplification(), [Self.v, Tensor([1, 2, 3])]) { xs in
      [(xs[0] ** 2) ** 3, (xs[0] ** 3) ** 2, xs[0] ** 1, (xs[1] ** 3) ** 5]
    }
    // (x²)³ is x⁶ by the kernel's very multiplications; (x³)² is not, in floats; integers wrap
    // exactly either way.
    #expect(
      after == """
        { lambda ; a:f32[3] b:i32[3]. let
            _:f32[3] = integer_pow[y=2] a
            c:f32[3] = integer_pow[y=6] a
            d:f32[3] = integer_pow[y=3] a
            e:f32[3] = integer_pow[y=2] d
            _:i32[3] = integer_pow[y=3] b
            f:i32[3] = integer_pow[y=15] b
          in (c, e, a, f) }
        """)
  }

  @Test func layoutNoOpsAndProductsWithLargerOnesBecomeBroadcasts() throws {
    let (_, after) = try rewrite(AlgebraicSimplification(), [Self.v]) { xs in
      let x = xs[0]
      return [
        x * broadcastTo(Tensor.weak(1.0), [2, 3]), reshape(reshape(x, [3, 1]), [1, 3]), reshape(x, [3, 1]).T.T,
        x * ones([3]),
      ]
    }
    // The ones of x * ones([2, 3]) are a broadcast then a conversion: x broadcast in its place.
    #expect(
      after == """
        { lambda ; a:f32[3]. let
            b:f32[2,3] = broadcast_in_dim 1.0:f32[]
            _:f32[2,3] = convert_element_type[new_dtype=float32 weak_type=False] b
            c:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(1,)] a
            _:f32[3,1] = reshape[dimensions=None new_sizes=(3, 1) sharding=None] a
            d:f32[1,3] = reshape[dimensions=None new_sizes=(1, 3) sharding=None] a
            e:f32[3,1] = reshape[dimensions=None new_sizes=(3, 1) sharding=None] a
            _:f32[1,3] = transpose[permutation=(1, 0)] e
            _:f32[3] = broadcast_in_dim 1.0:f32[]
          in (c, d, e, a) }
        """)
  }

  /// grad's seed, the all-ones basis of a scalar's Jacobian, and jacfwd's identity.
  @Test func theBasesOfDerivativesSimplifyWhereTheyAreOnes() throws {
    let g = try makeJaxpr(grad { (x: Tensor) in (sin(x) * x).sum() }, Self.v, optimized: true).get()
    #expect(
      g.description == """
        { lambda ; a:f32[3]. let
            b:f32[3] = sin a
            c:f32[3] = cos a
            d:f32[3] = mul a c
            e:f32[3] = add_any b d
          in (e,) }
        """)
    let h = try makeJaxpr(hessian { (x: Tensor) in sin(x) * x }, Self.s, optimized: true).get()
    let plain = try makeJaxpr(hessian { (x: Tensor) in sin(x) * x }, Self.s).get()
    #expect(!h.description.contains("iota") && plain.description.contains("iota"))
    #expect(h.equations.count * 3 < plain.equations.count)
    // jacfwd of a vector function keeps its 3×3 identity (a product with it is not the operand
    // in IEEE arithmetic), folded to a constant.
    let j = try makeJaxpr(jacfwd { (x: Tensor) in sin(x) * x.pow(3) }, Self.v, optimized: true).get()
    #expect(j.description.hasPrefix("{ lambda a:f32[3,3]; b:f32[3]. let"))
    #expect(!j.description.contains("iota"))
  }

  @Test func passesSeeInsideJitBodiesWhilePrintingKeepsJAXsText() throws {
    let f = jit(name: "f") { (x: Tensor) in
      _ = exp(x)
      return sin(x) * 1.0 + sin(x)
    }
    let plain = try makeJaxpr(f, Self.s).get()
    #expect(
      plain.description == """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let
                  c:f32[] = exp a
                  d:f32[] = sin a
                  e:f32[] = mul d 1.0:f32[]
                  f:f32[] = sin a
                  b:f32[] = add e f
                in (b,) }
            ] a
          in (b,) }
        """)
    // The equation runs the optimised body.
    let call = try #require(plain.equations.first?.primitive as? JitCall)
    #expect(call.program.description == "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = add b b in (c,) }")
    let optimized = try makeJaxpr(f, Self.s, optimized: true).get()
    #expect(
      optimized.description == """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=f
              jaxpr={ lambda ; a:f32[]. let c:f32[] = sin a; b:f32[] = add c c in (b,) }
            ] a
          in (b,) }
        """)
    #expect(try optimized.eval([Self.s])[0].item() == plain.eval([Self.s])[0].item())
  }

  /// Passes rewrite inside cond branches, while and scan bodies and checkpoint bodies too (the
  /// printed program, unoptimised, stays JAX's), and the values stay the same bits.
  @Test func passesSeeInsideControlFlowBodies() throws {
    let body = { (v: Tensor) in sin(v) * 1.0 + sin(v) }
    let f = { (x: Tensor) -> Tensor in
      let c = cond(x .> 0, { (v: Tensor) in body(v) }, { (v: Tensor) in -(-v) }, x)
      let w = whileLoop(cond: { $0 .< 10 }, body: { $0 + 1.0 + sin($0) * 1.0 - sin($0) }, initial: c)
      let (total, _) = scan({ (k: Tensor, e: Tensor) in (k * 1.0 + e, e) }, initial: w, xs: Tensor([1.0, 2.0]))
      return checkpoint { (v: Tensor) in body(v) }(total)
    }
    let plain = try makeJaxpr(f, Self.s).get().description
    let optimized = try makeJaxpr(f, Self.s, optimized: true).get().description
    func count(_ text: String, _ op: String) -> Int { text.components(separatedBy: " \(op) ").count - 1 }
    // Unoptimised: two sin and a mul by 1 in each of three bodies, a mul by 1 in the scan's,
    // two neg in the false branch; optimised: one sin each, no mul, no neg.
    #expect([count(plain, "sin"), count(plain, "mul"), count(plain, "neg")] == [6, 4, 2], "\(plain)")
    #expect([count(optimized, "sin"), count(optimized, "mul"), count(optimized, "neg")] == [3, 0, 0], "\(optimized)")
    let j = try makeJaxpr(f, Self.s).get()
    for x in [Self.s, Tensor(-1.5)] {
      let a = try j.eval([x])[0].item()
      let b = try PassPipeline.standard.run(j).eval([x])[0].item()
      let direct = try f(x).item()
      #expect(a == b && a == direct)
    }
  }

  /// A body shared by two equations is rewritten once and stays shared (printed hoisted).
  @Test func sharedSubJaxprsStayShared() throws {
    let g = jit(name: "g") { (y: Tensor) in y * 1.0 + 2.0 }
    let j = try makeJaxpr({ (x: Tensor) in g(x) * g(x) }, Self.s, optimized: true).get()
    let calls = j.equations.compactMap { $0.primitive as? JitCall }
    #expect(calls.count <= 2)
    if calls.count == 2 { #expect(calls[0].body === calls[1].body) }
  }

  @Test func thePipelineRunsToAFixpointAndShowsEachPass() throws {
    let j = try makeJaxpr({ (x: Tensor) in -(-(x * 1.0)) + (Tensor(1.0) - 1.0) * 0.0 }, Self.s).get()
    let steps = PassPipeline.standard.steps(j)
    #expect(steps.first?.pass == "dce")
    #expect(Set(steps.map(\.pass)) == ["dce", "cse", "constant-folding", "algebraic-simplification"])
    // The last round changes nothing: the fixpoint.
    #expect(steps.suffix(4).allSatisfy { !$0.changed })
    #expect(steps.contains { $0.description.hasPrefix("== round 1, constant-folding ==\n{ lambda") })
    let result = try #require(steps.last?.program)
    #expect(result.description == "{ lambda ; a:f32[]. let b:f32[] = add a 0.0:f32[] in (b,) }")
    // A bound on the rounds is kept.
    #expect(PassPipeline(PassPipeline.standard.passes, maxRounds: 1).steps(j).count == 4)
  }

  /// Primitives whose sub-programs cannot be rebuilt (a custom rule's) are left as they are.
  @Test func primitivesThatCannotBeRebuiltAreLeftWhole() throws {
    let relu = CustomJVP({ [maximum($0[0] * 1.0, 0.0)] }) { p, t in
      ([maximum(p[0], 0.0)], [t[0]])
    }
    let j = try makeJaxpr({ (x: Tensor) in relu([x])[0] }, Self.s).get()
    let o = PassPipeline.standard.run(j)
    #expect(o.description == j.description)
  }

  /// A rewrite keeps the result's abstract value: a weak operand is not forwarded where the
  /// result is strong, and integer identities are 0 and 1 of the integer dtype.
  @Test func weakTypesAndDtypesAreRespected() throws {
    let (_, after) = try rewrite(AlgebraicSimplification(), [.weak(2.0), Tensor([1, 2])]) { xs in
      [xs[0] * Tensor(1.0, dtype: .float32), xs[0] * 1.0, xs[1] * 1, xs[1] + 0, xs[1] - 0]
    }
    // The weak a meets a strong 1.0 after promotion made it strong: the product is that
    // conversion, never a itself.
    #expect(
      after == """
        { lambda ; a:f32[] b:i32[2]. let
            c:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a
          in (c, a, b, b, b) }
        """)
    let j = try makeJaxpr({ (x: Tensor) in x * 1.0 }, .weak(2.0)).get()
    #expect(j.outAvals[0].weakType)
    #expect(PassPipeline.standard.run(j).outAvals == j.outAvals)
  }

  /// An effect inside a jit body survives every pass, twice, in order.
  @Test func effectsInsideJitBodiesSurviveThePipeline() throws {
    let f = jit(name: "noisy") { (x: Tensor) in
      _ = bind1(TestPrintPrimitive(), [x])
      _ = bind1(TestPrintPrimitive(), [x])
      return x * 1.0
    }
    let j = try makeJaxpr(f, Self.s, optimized: true).get()
    #expect(j.description.components(separatedBy: "test_print a").count == 3)
    #expect(j.description.contains("in (a,) }"))
  }

  /// A jit some of whose results are unread computes only the others, and takes only the
  /// operands those need (JAX's DCE of jit).
  @Test func deadCodeEliminationPrunesJitResultsAndOperands() throws {
    let pair = jit(name: "pair") { (xs: [Tensor]) in [sin(xs[0]), cos(xs[1])] }
    let j = try makeJaxpr({ (xs: [Tensor]) in [pair(xs)[0] * 2.0] }, [Self.s, Self.s]).get()
    let after = runPass(DeadCodeElimination(), j)
    #expect(
      after.description == """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = jit[
              name=pair
              jaxpr={ lambda ; a:f32[]. let c:f32[] = sin a in (c,) }
            ] a
            d:f32[] = mul c 2.0:f32[]
          in (d,) }
        """)
    #expect(try after.eval([Self.s, Self.s])[0].item() == j.eval([Self.s, Self.s])[0].item())
  }

  /// A program built by hand: a weak operand times a strong 1 whose result is strong is not the
  /// operand (its abstract value differs), so it stays.
  @Test func aHandBuiltProgramKeepsAResultOfAnotherAbstractValue() throws {
    let a = Var(ShapedArray(shape: [], dtype: .float32, weakType: true))
    let b = Var(ShapedArray(shape: [], dtype: .float32))
    let mul = Equation(
      primitive: BinaryPrimitive(op: .mul), inputs: [.variable(a), .literal(Tensor(1.0, dtype: .float32))],
      outputs: [b], span: nil)
    let j = ClosedJaxpr(Jaxpr(constVars: [], inVars: [a], equations: [mul], outputs: [.variable(b)]), consts: [])
    #expect(j.description == "{ lambda ; a:f32[]. let b:f32[] = mul a 1.0:f32[] in (b,) }")
    #expect(runPass(AlgebraicSimplification(), j) === j)
  }
}

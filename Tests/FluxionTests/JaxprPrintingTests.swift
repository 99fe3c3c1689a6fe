import Testing

@testable import Fluxion

/// make_jaxpr's text against JAX 0.10.2's own (../shared/reference/JAXPR-FORMAT.md), letter for
/// letter: the same equations, names, literals and layout.
struct JaxprPrintingTests {
  static let inputs = Tensor([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.39], [0.74, -2.49, 1.39]])
  static let targets = Tensor([true, true, false, true])

  /// The logistic-regression loss of the reference: W f32[3], b a Python float, X, T.
  static func loss(_ xs: [Tensor]) -> Tensor {
    let (W, b, X, T) = (xs[0], xs[1], xs[2], xs[3])
    let preds = logistic(dot(X, W) + b)
    let probs = preds * T + (1 - preds) * (1 - T)
    return -log(probs).sum()
  }

  static var lossArgs: [Tensor] { [ones([3]), .weak(0.5), inputs, targets] }

  @Test func cube() throws {
    #expect(
      try makeJaxpr({ (x: Tensor) in x.pow(3) }, .weak(3.0)).get().description == """
        { lambda ; a:f32[]. let b:f32[] = integer_pow[y=3] a in (b,) }
        """)
  }

  @Test func gradOfCube() throws {
    let j = try makeJaxpr(grad { (x: Tensor) in x.pow(3) }, .weak(3.0)).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            _:f32[] = integer_pow[y=3] a
            b:f32[] = integer_pow[y=2] a
            c:f32[] = mul 3.0:f32[] b
            d:f32[] = mul 1.0:f32[] c
          in (d,) }
        """)
  }

  @Test func vmapOfDot() throws {
    let unbatched = try makeJaxpr(
      { xs in [vmap({ (a: Tensor, b: Tensor) in dot(a, b) }, inAxes: (0, nil))(xs[0], xs[1])] },
      [ones([4, 3]), ones([3])]
    ).get()
    #expect(
      unbatched.description == """
        { lambda ; a:f32[4,3] b:f32[3]. let
            c:f32[4] = dot_general[
              dimension_numbers=(([1], [0]), ([], []))
              preferred_element_type=float32
            ] a b
          in (c,) }
        """)
    let batched = try makeJaxpr(
      { xs in [vmap({ (a: Tensor, b: Tensor) in dot(a, b) })(xs[0], xs[1])] }, [ones([4, 3]), ones([4, 3])]
    ).get()
    #expect(
      batched.description == """
        { lambda ; a:f32[4,3] b:f32[4,3]. let
            c:f32[4] = dot_general[
              dimension_numbers=(([1], [1]), ([0], [0]))
              preferred_element_type=float32
            ] a b
          in (c,) }
        """)
  }

  @Test func logisticRegressionLoss() throws {
    #expect(
      try makeJaxpr({ [Self.loss($0)] }, Self.lossArgs).get().description == """
        { lambda ; a:f32[3] b:f32[] c:f32[4,3] d:bool[4]. let
            e:f32[4] = dot_general[
              dimension_numbers=(([1], [0]), ([], []))
              preferred_element_type=float32
            ] c a
            f:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b
            g:f32[4] = add e f
            h:f32[4] = logistic g
            i:f32[4] = convert_element_type[new_dtype=float32 weak_type=False] d
            j:f32[4] = mul h i
            k:f32[4] = sub 1.0:f32[] h
            l:i32[4] = convert_element_type[new_dtype=int32 weak_type=True] d
            m:i32[4] = sub 1:i32[] l
            n:f32[4] = convert_element_type[new_dtype=float32 weak_type=False] m
            o:f32[4] = mul k n
            p:f32[4] = add j o
            q:f32[4] = log p
            r:f32[] = reduce_sum[axes=(0,) out_sharding=None] q
            s:f32[] = neg r
          in (s,) }
        """)
  }

  @Test func gradOfLogisticRegressionLoss() throws {
    let j = try makeJaxpr({ grad(argnums: [0, 1], Self.loss)($0) }, Self.lossArgs).get()
    #expect(
      j.description == """
        { lambda ; a:f32[3] b:f32[] c:f32[4,3] d:bool[4]. let
            e:f32[4] = dot_general[
              dimension_numbers=(([1], [0]), ([], []))
              preferred_element_type=float32
            ] c a
            f:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b
            g:f32[4] = add e f
            h:f32[4] = logistic g
            i:f32[4] = sub 1.0:f32[] h
            j:f32[4] = mul h i
            k:f32[4] = convert_element_type[new_dtype=float32 weak_type=False] d
            l:f32[4] = mul h k
            m:f32[4] = sub 1.0:f32[] h
            n:i32[4] = convert_element_type[new_dtype=int32 weak_type=True] d
            o:i32[4] = sub 1:i32[] n
            p:f32[4] = convert_element_type[new_dtype=float32 weak_type=False] o
            q:f32[4] = mul m p
            r:f32[4] = add l q
            s:f32[4] = log r
            t:f32[] = reduce_sum[axes=(0,) out_sharding=None] s
            _:f32[] = neg t
            u:f32[] = neg 1.0:f32[]
            v:f32[4] = broadcast_in_dim u
            w:f32[4] = div v r
            x:f32[4] = mul w p
            y:f32[4] = neg x
            z:f32[4] = mul w k
            ba:f32[4] = add_any y z
            bb:f32[4] = mul ba j
            bc:f32[] = reduce_sum[axes=(0,) out_sharding=None] bb
            bd:f32[] = convert_element_type[new_dtype=float32 weak_type=True] bc
            be:f32[3] = dot_general[
              dimension_numbers=(([0], [0]), ([], []))
              preferred_element_type=float32
            ] bb c
          in (be, bd) }
        """)
  }
}

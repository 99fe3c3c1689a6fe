import Testing

@_spi(FluxionLang) @testable import Fluxion

/// jit as a higher-order primitive: its nested printing, closure conversion, and its jvp,
/// transpose, batching and partial-evaluation rules, against JAX 0.10.2's text and values.
struct JitStagingTests {
  @Test func nestedBodyTakesTheOuterNames() throws {
    let inner = jit { (y: Tensor) in y * 2 + 1 }
    let j = try makeJaxpr({ (x: Tensor) in inner(x) + 1 }, .weak(1.0)).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            b:f32[] = jit[
              name=<lambda>
              jaxpr={ lambda ; a:f32[]. let
                  c:f32[] = mul a 2.0:f32[]
                  b:f32[] = add c 1.0:f32[]
                in (b,) }
            ] a
            d:f32[] = add b 1.0:f32[]
          in (d,) }
        """)
  }

  @Test func literalOperandsAndForwardedInputsGetFreshNames() throws {
    let pair = jit { (xs: [Tensor]) in [xs[0] * xs[1], xs[0]] }
    let j = try makeJaxpr({ (xs: [Tensor]) in pair([xs[0], .weak(2.0)]) }, [.weak(1.0)]).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            b:f32[] c:f32[] = jit[
              name=<lambda>
              jaxpr={ lambda ; a:f32[] d:f32[]. let b:f32[] = mul a d in (b, a) }
            ] a 2.0:f32[]
          in (b, c) }
        """)
  }

  /// A body used twice is printed once in front; what it closes over (data and the outer
  /// function's input) becomes its leading operands.
  @Test func sharedBodiesAreHoistedAndCapturesBecomeOperands() throws {
    let w = Tensor([1.0, 2.0, 3.0])
    let j = try makeJaxpr(
      { (xs: [Tensor]) in
        let g = jit { (y: Tensor) in y * w + xs[1] }
        return [g(xs[0]) * g(xs[0])]
      }, [ones([3]), .weak(2.0)]
    ).get()
    #expect(
      j.description == """
        let lambda = { lambda ; a:f32[3] b:f32[] c:f32[3]. let
            d:f32[3] = mul c a
            e:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b
            f:f32[3] = add d e
          in (f,) } in
        { lambda g:f32[3]; h:f32[3] i:f32[]. let
            j:f32[3] = jit[name=<lambda> jaxpr=lambda] g i h
            k:f32[3] = jit[name=<lambda> jaxpr=lambda] g i h
            l:f32[3] = mul j k
          in (l,) }
        """)
  }

  @Test func vmapBatchesTheBody() throws {
    let j = try makeJaxpr(vmap(jit(name: "sin") { (x: Tensor) in sin(x) }), ones([3])).get()
    #expect(
      j.description == """
        { lambda ; a:f32[3]. let
            b:f32[3] = jit[
              name=sin
              jaxpr={ lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) }
            ] a
          in (b,) }
        """)
  }

  /// grad splits the jit: its primal part runs (with the residual cos), its tangent part is
  /// transposed into a second jit.
  @Test func gradSplitsIntoKnownAndTransposedBodies() throws {
    let s = jit(name: "sin") { (x: Tensor) in sin(x) }
    let j = try makeJaxpr(grad { (x: Tensor) in s(x) * x }, .weak(1.0)).get()
    #expect(
      j.description == """
        { lambda ; a:f32[]. let
            b:f32[] c:f32[] = jit[
              name=sin
              jaxpr={ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = cos a in (b, c) }
            ] a
            _:f32[] = mul b a
            d:f32[] = mul b 1.0:f32[]
            e:f32[] = mul 1.0:f32[] a
            f:f32[] = jit[
              name=sin
              jaxpr={ lambda ; c:f32[] e:f32[]. let f:f32[] = mul e c in (f,) }
            ] c e
            g:f32[] = add_any d f
          in (g,) }
        """)
  }

  /// Values against JAX: a body closing over data and over the differentiated input.
  @Test func derivativesThroughClosedOverTracersAreKept() throws {
    let w = ones([3])
    let g = { (x: Tensor) in jit { (y: Tensor) in (y * w).sum() * x }(x) }
    #expect(try grad(g)(Tensor(2.0)).item() == 12)
    let (y, dy) = jvpFlat({ [g($0[0])] }, primals: [Tensor(2.0)], tangents: [Tensor(1.0)])
    #expect(try y[0].item() == 12)
    #expect(try dy[0].item() == 12)
    #expect(try vmap(grad(g))(Tensor([1.0, 2.0])).value().doubles == [6, 12])
  }

  @Test func secondDerivativesAndVmapOfGrad() throws {
    let h = { (x: Tensor) in jit { (a: Tensor) in sin(a) * a }(x) * x }
    // JAX 0.10.2: grad 3.1516438, second derivative 0.1750493.
    #expect(abs(try grad(h)(Tensor(1.5)).item() - 3.1516438) < 1e-6)
    #expect(abs(try grad(grad(h))(Tensor(1.5)).item() - 0.1750493) < 1e-6)
    let batched = try vmap(grad(h))(Tensor([1.5, 1.5])).value().doubles
    #expect(batched.allSatisfy { abs($0 - 3.1516438) < 1e-6 })
  }

  @Test func eagerCallsReuseTheTracedBody() throws {
    nonisolated(unsafe) var traces = 0
    let f = jit { (x: Tensor) in
      traces += 1
      return x * 3
    }
    #expect(try f(Tensor(2.0)).item() == 6)
    #expect(try f(Tensor(5.0)).item() == 15)
    #expect(traces == 1)
    #expect(try f(Tensor([1.0, 2.0])).value().doubles == [3, 6])
    #expect(traces == 2)
  }

  @Test func errorsInTheBodySurface() {
    let f = jit { (x: Tensor) in x + ones([4]) }
    #expect(f(ones([3])).error?.kind == .typeError)
  }
}

extension JitStagingTests {
  @Test func vmapOfGradOfJit() throws {
    let h = { (x: Tensor) in jit { (a: Tensor) in sin(a) * a }(x) * x }
    let j = try makeJaxpr(vmap(grad(h)), ones([2])).get()
    #expect(
      j.description == """
        { lambda ; a:f32[2]. let
            b:f32[2] c:f32[2] d:f32[2] = jit[
              name=<lambda>
              jaxpr={ lambda ; a:f32[2]. let
                  d:f32[2] = sin a
                  c:f32[2] = cos a
                  b:f32[2] = mul d a
                in (b, c, d) }
            ] a
            _:f32[2] = mul b a
            e:f32[2] = mul b 1.0:f32[]
            f:f32[2] = mul 1.0:f32[] a
            g:f32[2] = jit[
              name=<lambda>
              jaxpr={ lambda ; c:f32[2] a:f32[2] d:f32[2] f:f32[2]. let
                  h:f32[2] = mul d f
                  i:f32[2] = mul f a
                  j:f32[2] = mul i c
                  g:f32[2] = add_any h j
                in (g,) }
            ] c a d f
            k:f32[2] = add_any e g
          in (k,) }
        """)
  }
}

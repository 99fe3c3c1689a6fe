import Foundation
import Testing

@_spi(FluxionLang) @testable import Fluxion

/// custom_jvp and custom_vjp functions survive being staged into a jaxpr: one equation that
/// keeps its rules, printed as JAX 0.10.2 prints it, and differentiated with those rules later.
struct CustomStagingTests {
  /// `h(x) = sin(x)` with the rule `t ↦ 3t` (deliberately not cos, so the rule is visible).
  /// Its rule computes the primal by calling a custom_jvp function too, as `h(p)` does in JAX.
  static let h = CustomJVP(name: "h", { [sin($0[0])] }) { p, t in ([primal(p[0])], [t[0] * 3]) }
  static let primal = CustomJVP(name: "h", { [sin($0[0])] }) { p, t in ([sin(p[0])], [t[0] * cos(p[0])]) }

  static let f = CustomVJP(
    name: "f", fwdName: "f_fwd", bwdName: "f_bwd", { [sin($0[0])] }, fwd: { ([sin($0[0])], [cos($0[0])]) },
    bwd: { r, g in [r[0] * g[0]] })

  @Test func customJVPStagesAsOneEquation() throws {
    #expect(
      try makeJaxpr({ Self.h($0) }, .weak(1.0)).get().description == """
        { lambda ; a:f32[]. let
            b:f32[] = custom_jvp_call[
              name=h
              call_jaxpr={ lambda ; c:f32[]. let d:f32[] = sin c in (d,) }
              jvp=<lambda>
              symbolic_zeros=False
            ] a
          in (b,) }
        """)
  }

  @Test func customVJPStagesAsOneEquation() throws {
    #expect(
      try makeJaxpr({ Self.f($0) }, .weak(1.0)).get().description == """
        { lambda ; a:f32[]. let
            b:f32[] = custom_vjp_call[
              name=f
              bwd=f_bwd
              call_jaxpr={ lambda ; c:f32[]. let d:f32[] = sin c in (d,) }
              fwd=f_fwd
              symbolic_zeros=False
            ] a
          in (b,) }
        """)
  }

  @Test func gradOfCustomJVPInAJaxpr() throws {
    #expect(
      try makeJaxpr(grad { Self.h($0) }, .weak(1.0)).get().description == """
        { lambda ; a:f32[]. let
            _:f32[] = custom_jvp_call[
              name=h
              call_jaxpr={ lambda ; b:f32[]. let c:f32[] = sin b in (c,) }
              jvp=<lambda>
              symbolic_zeros=False
            ] a
            d:f32[] = mul 1.0:f32[] 3.0:f32[]
          in (d,) }
        """)
  }

  @Test func vmapKeepsTheCallWithABatchedBody() throws {
    #expect(
      try makeJaxpr(vmap { Self.h($0) }, ones([2])).get().description == """
        { lambda ; a:f32[2]. let
            b:f32[2] = custom_jvp_call[
              name=h
              call_jaxpr={ lambda ; c:f32[2]. let d:f32[2] = sin c in (d,) }
              jvp=<lambda>
              symbolic_zeros=False
            ] a
          in (b,) }
        """)
  }

  /// A value the function closes over becomes a leading operand (`num_consts=1`).
  @Test func closedOverValuesBecomeOperands() throws {
    let j = try makeJaxpr(
      { (xs: [Tensor]) in
        let z = xs[1]
        let hz = CustomJVP(name: "h", { [sin($0[0]) * z] }) { p, t in ([sin(p[0]) * z], [t[0] * 3]) }
        return hz([xs[0]])
      }, [.weak(1.0), .weak(2.0)]
    ).get()
    #expect(
      j.description == """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = custom_jvp_call[
              name=h
              call_jaxpr={ lambda ; d:f32[] e:f32[]. let
                  f:f32[] = sin e
                  g:f32[] = mul f d
                in (g,) }
              jvp=<lambda>
              num_consts=1
              symbolic_zeros=False
            ] b a
          in (c,) }
        """)
  }

  /// Staged programs are differentiated with the rules they kept, eagerly, under vmap and
  /// inside jit.
  @Test func stagedRulesAreUsedLater() throws {
    let staged = try makeJaxpr({ Self.h($0) }, .weak(1.0)).get()
    #expect(try grad { (x: Tensor) in staged.eval([x])[0] }(Tensor(0.5)).item() == 3)
    #expect(try staged.eval([Tensor(0.5)])[0].item() == Double(Float(Foundation.sin(0.5))))
    let viaJit = jit { (x: Tensor) in Self.h(x) * 2 }
    #expect(try grad(viaJit)(Tensor(0.5)).item() == 6)
    #expect(try vmap(grad(viaJit))(Tensor([0.5, 1.5])).value().doubles == [6, 6])
    let vjpStaged = try makeJaxpr({ Self.f($0) }, .weak(1.0)).get()
    let g = try grad { (x: Tensor) in vjpStaged.eval([x])[0] }(Tensor(0.5)).item()
    #expect(g == Double(Float(Foundation.cos(0.5))))
    #expect(try grad(jit { (x: Tensor) in Self.f(x) })(Tensor(0.5)).item() == Double(Float(Foundation.cos(0.5))))
    #expect(
      try vmap(grad(jit { (x: Tensor) in Self.f(x) }))(Tensor([0.5])).value().doubles == [
        Double(Float(Foundation.cos(0.5)))
      ])
  }

  @Test func forwardModeThroughAStagedCustomVJPIsJAXsError() throws {
    let staged = try makeJaxpr({ Self.f($0) }, .weak(1.0)).get()
    let (_, t) = jvpFlat({ staged.eval($0) }, primals: [Tensor(0.5)], tangents: [Tensor(1.0)])
    #expect(t[0].error?.message == "can't apply forward-mode autodiff (jvp) to a custom_vjp function.")
  }
}

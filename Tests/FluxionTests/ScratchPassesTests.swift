import Testing

@_spi(FluxionLang) @testable import Fluxion

struct ScratchPassesTests {
  @Test func printPatterns() throws {
    let f = { (x: Tensor) in sin(x) * x.pow(3) }
    let x = Tensor([1.0, 2.0, 3.0])
    print("JACFWD\n", try makeJaxpr(jacfwd(f), x, optimized: true).get())
    print("JACREV\n", try makeJaxpr(jacrev(f), x, optimized: true).get())
    print("HESSIAN\n", try makeJaxpr(hessian({ (x: Tensor) in (sin(x) * x).sum() }), x, optimized: true).get())
    print("HESSIAN scalar\n", try makeJaxpr(hessian({ (x: Tensor) in (sin(x) * x) }), Tensor(2.0), optimized: true).get())
    print("GRAD\n", try makeJaxpr(grad({ (x: Tensor) in (sin(x) * x).sum() }), x, optimized: true).get())
    print("JIT\n", try makeJaxpr(jit(grad({ (x: Tensor) in (sin(x) * x).sum() })), x, optimized: true).get())
  }
}

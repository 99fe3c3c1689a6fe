import Testing

@testable import Fluxion

/// Transformations of throwing functions rethrow what the function throws, as it is (a Python
/// exception raised inside a grad-ed lambda propagates as itself), and run it once.
struct RethrowTests {
  struct UserError: Error, Equatable { let text: String }

  static func failing(_ x: Tensor) throws -> Tensor {
    if try x.sum().item() > 100 { throw UserError(text: "too big") }
    return sin(x).sum()
  }

  /// Throws whatever it is given, reading no values (so it can be traced abstractly).
  static func refusing(_ x: Tensor) throws -> Tensor { throw UserError(text: "refused") }

  @Test func gradAndVmapRethrowTheUsersError() throws {
    #expect(try abs(grad(Self.failing)(Tensor(0.5)).item() - 0.87758255) < 1e-6)
    #expect(throws: UserError(text: "too big")) { try grad(Self.failing)(Tensor(500.0)) }
    #expect(throws: UserError(text: "too big")) { try valueAndGrad(Self.failing)(Tensor(500.0)) }
    #expect(throws: UserError(text: "refused")) { try vmap(Self.refusing)(Tensor([500.0, 1.0])) }
    // Reading a value under vmap is JAX's error, itself thrown from the user's code.
    #expect(throws: FluxionError.self) { try vmap(Self.failing)(Tensor([500.0, 1.0])) }
    #expect(throws: UserError(text: "too big")) { try jacrev(Self.failing)(Tensor([500.0])) }
    #expect(throws: UserError(text: "too big")) { try jacfwd(Self.failing)(Tensor([500.0])) }
    #expect(throws: UserError(text: "too big")) { try hessian(Self.failing)(Tensor([500.0])) }
    #expect(throws: UserError(text: "too big")) { try jvp(Self.failing, Tensor(500.0), Tensor(1.0)) }
    #expect(throws: UserError(text: "too big")) { try vjp(Self.failing, Tensor(500.0)) }
    #expect(throws: UserError(text: "too big")) { try linearize(Self.failing, Tensor(500.0)) }
    #expect(throws: UserError(text: "refused")) { try makeJaxpr(Self.refusing, Tensor(500.0)) }
    #expect(throws: UserError(text: "refused")) {
      try jit { (xs: [Tensor]) throws in [try Self.refusing(xs[0])] }([Tensor(500.0)])
    }
    #expect(throws: UserError(text: "too big")) { try grad(grad(Self.failing))(Tensor(500.0)) }
  }

  /// A transformation that fails before it calls the function runs it once (to learn what its
  /// failed result looks like), never twice.
  @Test func failurePathsRunTheFunctionAtMostOnce() {
    nonisolated(unsafe) var calls = 0
    let f = { (x: [String: Tensor]) -> Tensor in
      calls += 1
      return x["a"]! * 2
    }
    let bad = vmap(f, inAxes: .list([0, 0]))(["a": arange(3.0)])
    #expect(bad.error?.kind == .valueError)
    #expect(calls == 1)
    calls = 0
    let badOut = vmap(f, outAxes: 5)(["a": arange(3.0)])
    #expect(badOut.error != nil)
    #expect(calls == 1)
    calls = 0
    let sizes = vmap({ (p: Pair<Tensor, Tensor>) -> Tensor in
      calls += 1
      return p.first + p.second
    })(Pair(arange(3.0), arange(4.0)))
    #expect(sizes.error?.message.hasPrefix("vmap got inconsistent sizes") == true)
    #expect(calls == 1)
  }
}

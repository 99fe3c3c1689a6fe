import Foundation
import Testing

@testable import FluxionLang

/// What scripts make is freed when they are done with it, though Swift has no cycle
/// collector: a session's interpreter and values when the session goes (module-level
/// functions and their globals are a cycle the session breaks), and a call's locals when it
/// returns, inner functions and lambdas included (they and the locals they close over are a
/// cycle too) — unless a function that closes over them got out. Checked with weak references.
/// (A class defined inside a function, whose methods and the class hold each other, is kept.)
struct MemoryTests {
  final class Weak: @unchecked Sendable {
    weak var list: PyList?
  }

  /// A session whose globals get a `probe(x)` that takes a weak reference to the list x.
  static func session(_ weak: Weak) -> Session {
    let s = Session()
    s.interpreter.globals.vars["probe"] = .builtin("probe") { _, args in
      if case .list(let l)? = args.positional.first { weak.list = l }
      return .none
    }
    return s
  }

  @Test func aSessionFreesItsInterpreterAndEverythingItsScriptMade() {
    weak var interpreter: Interpreter?
    let weak = Weak()
    do {
      let s = Self.session(weak)
      interpreter = s.interpreter
      let error = s.evaluateWorkspace(
        """
        import jax
        import jax.numpy as jnp
        from jax.test_util import check_grads
        data = [jnp.ones(3), 2.0]
        probe(data)
        def uses_data():
            return data
        g = jax.jit(jax.grad(lambda w: jnp.sum(w * data[0])))
        g(jnp.ones(3))
        check_grads(jnp.sin, (0.5,), order=1)
        """)
      #expect(error == nil, "\(error?.summary ?? "")")
      #expect(weak.list != nil)
    }
    #expect(interpreter == nil, "the interpreter outlived its session")
    #expect(weak.list == nil, "a list the script made outlived the session")
  }

  @Test func aCallsLocalsAreFreedWhenItReturnsInnerFunctionsAndAll() throws {
    let weak = Weak()
    let s = Self.session(weak)
    let error = s.evaluateWorkspace(
      """
      def outer(x):
          data = [x, x]
          probe(data)
          def inner(y):
              return y + data[0]
          scale = lambda t: t * 2
          return scale(inner(x)) + [data[1] for _ in range(1)][0]
      r = outer(1.0)
      """)
    #expect(error == nil, "\(error?.summary ?? "")")
    #expect(try s.evaluate("r").doubles == [5.0])
    #expect(weak.list == nil, "the locals of a call that returned are still alive")
  }

  @Test func aFunctionThatGetsOutKeepsWhatItClosesOver() throws {
    let weak = Weak()
    let s = Self.session(weak)
    let error = s.evaluateWorkspace(
      """
      def maker(x):
          data = [x]
          probe(data)
          def keep(y):
              return y * data[0]
          return keep
      k = maker(3.0)
      def deeper():
          data = [4.0]
          def g():
              def h():
                  return data[0]
              return h
          return g()
      h = deeper()
      """)
    #expect(error == nil, "\(error?.summary ?? "")")
    #expect(weak.list != nil, "the locals of a returned function were freed")
    #expect(try s.evaluate("k(2.0)").doubles == [6.0])
    // An inner call's scope that got out (h closes over g's locals, whose parent are
    // deeper's) keeps deeper's locals too.
    #expect(try s.evaluate("h()").doubles == [4.0])
  }
}

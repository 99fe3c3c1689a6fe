import Dispatch
import Fluxion
import FluxionLang
import Foundation
import Synchronization
import Testing

/// The Session API as the explorer uses it, checked against values JAX gives.
struct SessionTests {
  func floats(_ v: Value) throws -> [Double] { try #require(v.doubles) }

  @Test func compileOnceAndEvaluateWithGrad() throws {
    let s = Session()
    #expect(s.evaluateWorkspace("import jax.numpy as jnp") == nil)
    let f = try s.compile("lambda x: jnp.sin(x) * x**3")
    let y = try f(.float(1.5))
    // JAX: jnp.sin(1.5) * 1.5**3 = 3.3665457 (float32); grad = cos(x)x³ + 3 sin(x)x² = 6.9718294.
    #expect(Swift.abs(try floats(y)[0] - 3.3665457) < 1e-6)
    let g = try f.grad(at: [.float(1.5)])
    #expect(Swift.abs(try floats(g)[0] - 6.9718294) < 1e-5)
    #expect(g.shape == [])
    #expect(g.dtypeName == "float32")
    // The same text is the same callable.
    #expect(try s.compile("lambda x: jnp.sin(x) * x**3").value.isSameObject(f.value))
  }

  @Test func workspaceRunsOnlyWhenItsTextChanges() throws {
    let s = Session()
    let text = "counter = [0]\ncounter[0] += 1\nprint('ran')"
    #expect(s.evaluateWorkspace(text) == nil)
    #expect(s.evaluateWorkspace(text) == nil)
    #expect(s.takeOutput() == "ran\n")
    let n = try s.evaluate("counter[0]")
    guard case .int(1) = n else {
      Issue.record("workspace ran \(n) times")
      return
    }
    #expect(s.evaluateWorkspace(text + "\n") == nil)
    #expect(s.takeOutput() == "ran\n")
  }

  @Test func errorsAreValuesWithSpans() throws {
    let s = Session()
    let e = try #require(s.evaluateWorkspace("import jax.numpy as jnp\nx = jnp.ones(3)\ny = x + jnp.ones(4)\n"))
    #expect(e.kind == "TypeError")
    #expect(e.message == "add got incompatible shapes for broadcasting: (3,), (4,).")
    let span = try #require(e.span)
    #expect(span.line == 3)
    #expect(span.column == 5)
    #expect(span.endColumn == 20)
    let syntax = try #require(s.evaluateWorkspace("x = (1, 2"))
    #expect(syntax.kind == "SyntaxError")
    #expect(syntax.message == "'(' was never closed")
    #expect(syntax.position?.line == 1)
  }

  @Test func jvpVjpAndJacobianRowByRow() throws {
    let s = Session()
    s.evaluateWorkspace("import jax.numpy as jnp\nA = jnp.array([[1., 2., 3.], [4., 5., 6.]])")
    let f = try s.compile("lambda x: jnp.tanh(A @ x)")
    let x = try s.evaluate("jnp.array([0.1, -0.2, 0.3])")
    let (_, t) = try f.jvp(at: [x], tangents: [try s.evaluate("jnp.array([1., 0., 0.])")])
    var rows: [(Int, [Double])] = []
    let j = try f.jacobianRows(at: x) { i, row in rows.append((i, row.doubles ?? [])) }
    #expect(j.shape == [2, 3])
    #expect(rows.map(\.0) == [0, 1])
    // The jvp along e0 is the Jacobian's first column.
    let jv = try floats(j)
    let tv = try floats(t)
    #expect(Swift.abs(tv[0] - jv[0]) < 1e-6 && Swift.abs(tv[1] - jv[3]) < 1e-6)
    // Row 0 from the callback equals row 0 of the result; each row is d tanh(a·x) = (1 - tanh²) a.
    #expect(rows[0].1 == Array(jv[0..<3]))
    let a0 = 0.1 * 1 - 0.2 * 2 + 0.3 * 3
    let d0 = 1 - Foundation.tanh(a0) * Foundation.tanh(a0)
    #expect(Swift.abs(jv[1] - 2 * d0) < 1e-6)
    let (_, cts) = try f.vjp(at: [x], cotangent: try s.evaluate("jnp.array([1., 0.])"))
    guard case .tuple(let parts) = cts else {
      Issue.record("vjp cotangents are not a tuple")
      return
    }
    #expect(try floats(parts[0]) == Array(jv[0..<3]))
  }

  @Test func jaxprsOfTheFunctionAndItsGradient() throws {
    let s = Session()
    s.evaluateWorkspace("import jax.numpy as jnp")
    let f = try s.compile("lambda x: jnp.sin(x) * x**3")
    let text = try f.jaxpr(at: [.float(1.0)])
    #expect(text.contains("sin"))
    #expect(text.contains("integer_pow[y=3]"))
    let g = try f.gradJaxpr(at: [.float(1.0)])
    #expect(g.contains("cos"))
  }

  /// The equations a function's code binds carry the span of that code.
  @Test func equationsCarryTheirSourceSpans() throws {
    let s = Session()
    s.evaluateWorkspace("import jax.numpy as jnp")
    let f = try s.compile("lambda x: jnp.sin(x) * x**3")
    let p = try f.program(at: [.float(1.0)])
    let spans = p.equations.map { "\($0.primitive.name) \($0.span.map(\.description) ?? "-")" }
    // 1-based columns: `jnp.sin(x)` is 11-21, `x**3` 24-28, the product 11-28.
    #expect(spans == ["sin 1:11-1:21", "integer_pow 1:24-1:28", "mul 1:11-1:28"])
  }

  @Test func printIsCaptured() throws {
    let s = Session()
    s.evaluateWorkspace("import jax.numpy as jnp\nprint(jnp.arange(3.0))\nprint('a', 1, sep='-')")
    #expect(s.takeOutput() == "[0. 1. 2.]\na-1\n")
    #expect(s.takeOutput() == "")
  }

  @Test func notCallableIsATypeError() {
    let s = Session()
    #expect(throws: PyError.self) { try s.compile("3") }
  }

  /// `while True: pass` stops within milliseconds of the token being cancelled.
  @Test func cancellationStopsAnInfiniteLoop() throws {
    let token = CancellationToken()
    let done = DispatchSemaphore(value: 0)
    final class Outcome: Sendable { let value = Mutex<(String, Double)?>(nil) }
    let result = Outcome()
    let thread = Thread {
      let s = Session()
      s.cancellation = token
      let error = s.evaluateWorkspace("while True:\n    pass\n")
      let stopped = DispatchTime.now().uptimeNanoseconds
      result.value.withLock { $0 = (error?.kind ?? "none", Double(stopped)) }
      done.signal()
    }
    thread.start()
    Thread.sleep(forTimeInterval: 0.05)
    let cancelledAt = Double(DispatchTime.now().uptimeNanoseconds)
    token.cancel()
    #expect(done.wait(timeout: .now() + 5) == .success)
    let (kind, stoppedAt) = try #require(result.value.withLock { $0 })
    #expect(kind == "CancelledError")
    // Generous for a loaded CI machine; the explorer needs well under this.
    #expect((stoppedAt - cancelledAt) / 1e6 < 500)
  }

  @Test func recursionLimitIsAnError() {
    let s = Session()
    let e = s.evaluateWorkspace("def f(n):\n    return f(n + 1)\nf(0)\n")
    #expect(e?.kind == "RecursionError")
    #expect(e?.message == "maximum recursion depth exceeded")
  }

  @Test func liveArrayMemoryIsLimited() {
    var limits = InterpreterLimits()
    limits.liveArrayBytes = Config.liveArrayBytes + (64 << 20)
    let s = Session(limits: limits)
    // Forty arrays of 4 MB each stay alive in the list: past 64 MB the next one is refused.
    let e = s.evaluateWorkspace(
      "import jax.numpy as jnp\nkeep = []\nfor i in range(40):\n    keep.append((jnp.ones(1 << 20) * i).block_until_ready())\n"
    )
    #expect(e?.kind == "MemoryError")
    #expect(e?.message.hasPrefix("the arrays alive now hold") == true)
  }

  @Test func wallTimeLimitIsAnError() {
    var limits = InterpreterLimits()
    limits.wallTime = 0.05
    let s = Session(limits: limits)
    let e = s.evaluateWorkspace("x = 0\nwhile True:\n    x += 1\n")
    #expect(e?.kind == "TimeoutError")
  }

  @Test func theMachineIsOutOfReach() {
    for (code, kind) in [
      ("import os", "ModuleNotFoundError"), ("import sys", "ModuleNotFoundError"),
      ("import subprocess", "ModuleNotFoundError"), ("open('x')", "NameError"), ("eval('1')", "NameError"),
      ("exec('1')", "NameError"), ("__import__('os')", "NameError"), ("(1).__class__.__bases__", "AttributeError"),
      ("getattr(len, '__self__')", "AttributeError"),
    ] {
      let s = Session()
      #expect(s.evaluateWorkspace(code)?.kind == kind, "\(code)")
    }
  }
}

extension Value {
  func isSameObject(_ other: Value) -> Bool {
    if case .object(let a) = self, case .object(let b) = other { return a === b }
    return false
  }
}

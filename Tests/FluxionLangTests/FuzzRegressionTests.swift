import FluxionLang
import Foundation
import Synchronization
import Testing

/// Inputs the fuzzer once crashed on (Fixtures/fuzz-regressions, written by `make fuzz`) and
/// hand-made hostile scripts: each must end in a value or a Python error, never a trap or hang.
struct FuzzRegressionTests {
  static var savedInputs: [URL] {
    guard let dir = Bundle.module.url(forResource: "fuzz-regressions", withExtension: nil, subdirectory: "Fixtures")
    else { return [] }
    return ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
      .filter { $0.pathExtension == "py" }.sorted { $0.path < $1.path }
  }

  /// Runs a script on a thread of its own with a large stack, as the command line does.
  static func runBounded(_ source: String) -> (kind: String, message: String)? {
    final class Outcome: Sendable { let error = Mutex<(kind: String, message: String)?>(nil) }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let interp = Interpreter()
      interp.write = { _ in }
      interp.limits.wallTime = 20
      interp.limits.arrayElements = 1 << 16
      do throws(PyError) {
        try interp.run(source, filename: "<fuzz>")
      } catch {
        outcome.error.withLock { $0 = (error.kind, error.message) }
      }
      done.signal()
    }
    thread.stackSize = 1 << 28
    thread.start()
    done.wait()
    return outcome.error.withLock { $0 }
  }

  @Test("a saved fuzzer input runs to a value or an error", arguments: savedInputs)
  func savedInput(_ url: URL) throws {
    let data = try Data(contentsOf: url)
    _ = Self.runBounded(String(decoding: data, as: UTF8.self))
  }

  @Test(
    "hostile scripts end in the error Python or JAX gives",
    arguments: [
      ("x = []\nfor i in range(100000):\n    x = [x]\nrepr(x)", "RecursionError"),
      ("def f(): return f()\nf()", "RecursionError"),
      ("import jax.numpy as jnp\njnp.ones((1 << 20, 1 << 20))", "MemoryError"),
      ("import jax.numpy as jnp\njnp.ones((100000, 1)) + jnp.ones((1, 100000))", "MemoryError"),
      ("import time\nwhile True:\n    pass", "ModuleNotFoundError"),
      ("2 ** 10 ** 10", "MemoryError"),
      ("int('9' * 5000)", "ValueError"),
      ("'a' * (1 << 40)", "MemoryError"),
      ("[0] * (1 << 40)", "MemoryError"),
      ("x = (1,) * 10\nx[100]", "IndexError"),
    ])
  func hostile(_ source: String, _ kind: String) {
    #expect(Self.runBounded(source)?.kind == kind, "\(source)")
  }
}

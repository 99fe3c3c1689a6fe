import Foundation
import Testing

/// The `fluxion` command as a user runs it: its output, its JSON, its exit status.
struct CommandLineTests {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The built `fluxion` next to this test bundle.
  static var binary: URL {
    Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("fluxion")
  }

  static func run(_ args: [String], stdin: String? = nil) throws -> Result {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    if let stdin {
      let input = Pipe()
      p.standardInput = input
      try p.run()
      input.fileHandleForWriting.write(Data(stdin.utf8))
      try input.fileHandleForWriting.close()
    } else {
      p.standardInput = FileHandle.nullDevice
      try p.run()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  /// A built-in example's path in the source tree (Resources/examples).
  static func example(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Resources/examples/\(name)").path
  }

  static func temporaryFile(_ text: String, name: String = "script.py") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func gradAtANegativePoint() throws {
    let r = try Self.run(["grad", "lambda x: x**3", "--at", "-1.5"])
    #expect(r.status == 0)
    #expect(r.stdout == "6.75\n")
  }

  @Test func gradWithSetupAndArgnumsAsJSON() throws {
    let setup = try Self.temporaryFile("import jax.numpy as jnp\ndef f(x, y):\n    return jnp.sum(x * y)\n")
    let r = try Self.run([
      "grad", "f", "--setup", setup, "--at", "(jnp.array([1., 2.]), 3.0)", "--argnums", "0", "1", "--json",
    ])
    #expect(r.status == 0)
    #expect(
      r.stdout
        == "[{\"dtype\": \"float32\", \"shape\": [2], \"data\": [3.0, 3.0]}, {\"dtype\": \"float32\", \"shape\": [], \"data\": 3.0}]\n"
    )
  }

  @Test func runPrintsThenTheLastValueAsJSON() throws {
    let script = try Self.temporaryFile("import jax.numpy as jnp\nprint(jnp.arange(3.))\n{'b': 2, 'a': (1, None)}\n")
    let r = try Self.run(["run", "--json", script])
    #expect(r.status == 0)
    #expect(r.stdout == "[0. 1. 2.]\n{\"a\": [1, null], \"b\": 2}\n")
  }

  @Test func runReadsStandardInput() throws {
    let r = try Self.run(["run", "-"], stdin: "print(sum(range(10)))\n")
    #expect(r.stdout == "45\n")
  }

  @Test func anErrorIsATracebackAndStatusOne() throws {
    let script = try Self.temporaryFile(
      "import jax.numpy as jnp\ndef loss(W):\n    return jnp.dot(jnp.ones(3), W)\n\ny = loss(jnp.ones(4))\n",
      name: "model.py")
    let r = try Self.run(["run", script])
    #expect(r.status == 1)
    #expect(r.stdout == "")
    #expect(
      r.stderr == """
        Traceback (most recent call last):
          File "\(script)", line 5, in <module>
            y = loss(jnp.ones(4))
                ^^^^^^^^^^^^^^^^^
          File "\(script)", line 3, in loss
            return jnp.dot(jnp.ones(3), W)
                   ^^^^^^^^^^^^^^^^^^^^^^^
        TypeError: dot_general requires contracting dimensions to have the same shape, got (3,) and (4,).

        """)
  }

  @Test func anErrorWithJSONIsAnErrorObject() throws {
    let r = try Self.run(["eval", "--json", "x = 1\ny = x / 0"])
    #expect(r.status == 1)
    #expect(
      r.stdout
        == "{\"error\": {\"type\": \"ZeroDivisionError\", \"message\": \"division by zero\", \"line\": 2, \"col\": 5}}\n"
    )
  }

  @Test func aSyntaxErrorShowsTheCaret() throws {
    let r = try Self.run(["eval", "x = (1,"])
    #expect(r.status == 1)
    #expect(r.stderr == "  File \"<string>\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n")
  }

  @Test func jacobianAsCSVAndTheJaxpr() throws {
    let j = try Self.run(["jacobian", "lambda x: x**2", "--at", "[1., 2.]", "--mode", "fwd", "--csv"])
    #expect(j.status == 0)
    #expect(j.stdout == "d0,d1\n2.0,0.0\n0.0,4.0\n")
    let p = try Self.run(["jaxpr", "lambda x: x**3", "--at", "1.0", "--json"])
    #expect(p.status == 0)
    #expect(
      p.stdout == "{\"jaxpr\": \"{ lambda ; a:f32[]. let b:f32[] = integer_pow[y=3] a in (b,) }\"}\n")
  }

  @Test func jacobianCheckPrintsTheTableAndFailsOnAWrongRule() throws {
    let right = try Self.run(["jacobian", "lambda x: x**3", "--at", "[1., 2.]", "--check"])
    #expect(right.status == 0)
    #expect(right.stdout.contains("entry        autodiff        finite diff     rel. error"))
    #expect(right.stdout.contains("(1, 1)       12              12 "))
    #expect(right.stdout.contains("finite differences agree ✓"))
    let setup = Self.example("09_wrong_rule.py")
    let wrong = try Self.run(["jacobian", "f", "--setup", setup, "--at", "[1., 2.]", "--check"])
    #expect(wrong.status == 1)
    #expect(wrong.stdout.contains("FAIL"))
    // Every entry's relative error is 0.5 (a factor of 2); the worst is whichever rounds highest.
    #expect(wrong.stdout.contains("gradient check fails at ("))
    #expect(wrong.stdout.contains("(relative error 0.5)"))
    #expect(wrong.stdout.contains("(0, 0)       1.080604"))
  }

  @Test func aReusedKeyIsAWarningOnStderr() throws {
    let path = try Self.temporaryFile(
      "from jax import random\nkey = random.PRNGKey(0)\nx = random.normal(key)\ny = random.normal(key)\nprint(x == y)\n",
      name: "reuse.py")
    let r = try Self.run(["run", path])
    #expect(r.status == 0)
    #expect(r.stdout == "True\n")
    #expect(
      r.stderr
        == "\(path):4:5: warning: PRNG key reuse: random.normal at line 4, column 5 uses the key that random.normal "
        + "used at line 3, column 5; split it for each use\n")
  }

  @Test func explainPrintsTheProgramsTheNaNOriginTheStructureAndTheTaylorCoefficients() throws {
    let prelude = try Self.temporaryFile("import jax\nimport jax.numpy as jnp\n", name: "prelude.py")
    let nan = try Self.run([
      "explain", "lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.)", "--setup", prelude, "--at", "0.0",
    ])
    #expect(nan.status == 0)
    for part in ["f, optimised:", "linearized (jvp), optimised:", "transposed (vjp), optimised:"] {
      #expect(nan.stdout.contains(part), "\(part)")
    }
    #expect(nan.stdout.contains("non-finite in grad f: div gave inf from 0.5, 0. at 1:28 (equation d:f32[])"))
    let smooth = try Self.run(["explain", "lambda x: jnp.sin(x) * x**2", "--setup", prelude, "--at", "1.5"])
    #expect(smooth.stdout.contains("b:f32[] = sin a"))
    #expect(smooth.stdout.contains("⇒ 0.997495   [1:11]"))
    #expect(smooth.stdout.contains("non-finite values: none"))
    #expect(smooth.stdout.contains("Taylor at x: f = 2.244, f' = 3.152, f'' = 0.175"))
    let rosenbrock = try Self.run([
      "explain", "lambda x: (1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2", "--setup", prelude, "--at", "[1., 1.]",
    ])
    #expect(rosenbrock.stdout.contains("Jacobian 1×2: singular values 0 · rank 0 of 1 · condition ∞"))
    #expect(
      rosenbrock.stdout.contains(
        "Hessian eigenvalues 0.3994, 1002: minimum: the gradient is zero and H is positive definite"))
  }

  @Test func usageErrorsAreOneLineWithStatusTwo() throws {
    for args in [
      ["grad", "lambda x: x"], ["grad", "3", "--at", "1"], ["jacobian", "f", "--at", "1", "--mode", "sideways"],
      ["nonsense"],
    ] {
      let r = try Self.run(args)
      #expect(r.status == 2, "\(args)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
    }
  }

  @Test func helpShowsExamplesAndVersionPrints() throws {
    let h = try Self.run(["grad", "--help"])
    #expect(h.status == 0)
    #expect(h.stdout.contains("fluxion grad 'lambda x: x**3' --at 2.0"))
    let v = try Self.run(["--version"])
    #expect(v.status == 0)
    #expect(v.stdout.hasPrefix("fluxion "))
  }

  /// Without a terminal, `fluxion` prints the seed report computed through the language.
  @Test func theSeedReport() throws {
    let r = try Self.run([])
    #expect(r.status == 0)
    #expect(r.stdout.contains("1. 01_cube_and_derivative.py\n   12.0\n"))
    #expect(r.stdout.contains("Recovering Jacobian elements row-wise!"))
    #expect(r.stdout.contains("All examples in"))
  }
}

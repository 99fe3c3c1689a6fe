import Fluxion
import FluxionLang
import FluxionTUI
import Foundation

// libFuzzer drives this, one target per process, chosen by FLUXION_FUZZ_TARGET:
//   language  the input's bytes as a script (lexer, parser, interpreter, engine)
//   grammar   a script generated from the input by a small grammar of JAX programs, so the
//             inputs get past the parser: transformations, arrays of many shapes, control flow
//   ops       the engine's operations through the Swift API on shapes, dtypes and axes the
//             input picks, and their derivatives
//   session   the input as a session file: parsed, applied to the explorer's state, drawn
// An error is fine (it is Python's, JAX's or the loader's answer to bad input); a trap, a crash
// or a hang is the bug the fuzzer looks for.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Bytes read one choice at a time; zeros once they run out (so every input is a program).
struct Choices {
  var bytes: [UInt8]
  var at = 0
  mutating func next() -> Int {
    defer { at += 1 }
    return at < bytes.count ? Int(bytes[at]) : 0
  }
  mutating func pick<T>(_ options: [T]) -> T { options[next() % options.count] }
  mutating func below(_ n: Int) -> Int { next() % max(n, 1) }
  var exhausted: Bool { at >= bytes.count }
}

/// Runs a script with tight limits.
func runScript(_ source: String) {
  let interp = Interpreter()
  interp.write = { _ in }
  interp.limits.wallTime = 0.5
  interp.limits.arrayElements = 1 << 16
  interp.limits.recursionDepth = 200
  _ = try? interp.run(source, filename: "<fuzz>")
  interp.tearDown()
}

// MARK: - grammar: scripts that parse

enum Grammar {
  static let unary = [
    "jnp.sin", "jnp.cos", "jnp.tanh", "jnp.exp", "jnp.log", "jnp.sqrt", "jnp.abs", "jnp.log1p", "jax.nn.relu",
    "jax.nn.sigmoid", "jax.nn.softplus", "jnp.arctan", "jnp.floor", "jnp.sign", "jnp.square", "jax.nn.gelu",
  ]
  static let binary = ["+", "-", "*", "/", "**", "@", "//", "%", ">", "<=", "=="]
  static let reductions = [
    "jnp.sum", "jnp.mean", "jnp.max", "jnp.min", "jnp.prod", "jnp.std", "jnp.argmax", "jnp.cumsum",
  ]
  static let shapes = ["()", "(3,)", "(2, 3)", "(3, 2)", "(0,)", "(2, 0)", "(1, 3)", "(4,)", "(2, 2, 2)"]
  static let dtypes = ["jnp.float32", "jnp.int32", "jnp.bool_", "jnp.float64"]

  static func array(_ c: inout Choices) -> String {
    switch c.below(7) {
    case 0: return "jnp.ones(\(c.pick(shapes)), dtype=\(c.pick(dtypes)))"
    case 1: return "jnp.arange(\(c.below(7)).0)"
    case 2: return "jnp.linspace(-1.0, 1.0, \(c.below(6)))"
    case 3: return "jax.random.normal(jax.random.key(\(c.below(5))), \(c.pick(shapes)))"
    case 4:
      return "jnp.array(\(c.pick(["1.5", "[1.0, -2.0]", "[[1, 2], [3, 4]]", "[]", "True", "[jnp.nan, jnp.inf]"])))"
    case 5: return "x"
    default: return "jnp.eye(\(c.below(4)))"
    }
  }

  static func expression(_ c: inout Choices, depth: Int) -> String {
    if depth > 4 || c.exhausted { return array(&c) }
    switch c.below(10) {
    case 0, 1: return "\(c.pick(unary))(\(expression(&c, depth: depth + 1)))"
    case 2, 3:
      return "(\(expression(&c, depth: depth + 1)) \(c.pick(binary)) \(expression(&c, depth: depth + 1)))"
    case 4:
      let axis = c.pick(["", ", axis=0", ", axis=-1", ", axis=1", ", axis=(0, 1)", ", keepdims=True"])
      return "\(c.pick(reductions))(\(expression(&c, depth: depth + 1))\(axis))"
    case 5:
      return
        "\(expression(&c, depth: depth + 1)).reshape(\(c.pick(["-1", "(1, -1)", "(3, -1)", "(2, 3)", "()"])))"
    case 6:
      return
        "\(expression(&c, depth: depth + 1))[\(c.pick(["0", "1:", "::-1", "None", "..., 0", "jnp.array([0, 2])", ":, 1", "x > 0"]))]"
    case 7:
      return
        "jnp.where(\(expression(&c, depth: depth + 1)) > 0, \(expression(&c, depth: depth + 1)), \(expression(&c, depth: depth + 1)))"
    case 8:
      return "\(c.pick(["jnp.concatenate", "jnp.stack"]))([\(expression(&c, depth: depth + 1)), \(array(&c))])"
    default:
      return "\(expression(&c, depth: depth + 1)).T"
    }
  }

  /// A function of x, then transformations of it applied to a value, and control flow.
  static func script(_ c: inout Choices) -> String {
    var lines = ["import jax", "import jax.numpy as jnp", "from jax import lax"]
    lines.append("def f(x):")
    for _ in 0..<(1 + c.below(3)) {
      lines.append("    x = \(expression(&c, depth: 0))")
    }
    lines.append("    return \(c.pick(["x", "jnp.sum(x)", "x.sum() * 2.0", "(x, jnp.mean(x))", "{'a': x}"]))")
    let point = c.pick(["1.5", "jnp.array([0.5, -1.0, 2.0])", "jnp.ones((2, 3))", "0.0", "jnp.zeros((0,))", "3"])
    let transform = c.pick([
      "f", "jax.grad(f)", "jax.jit(f)", "jax.vmap(f)", "jax.jacfwd(f)", "jax.jacrev(f)", "jax.hessian(f)",
      "jax.jit(jax.grad(f))", "jax.grad(jax.jit(f))", "jax.vmap(jax.grad(f))", "lambda x: jax.jvp(f, (x,), (x,))",
      "lambda x: jax.vjp(f, x)[1](f(x))", "jax.make_jaxpr(f)", "jax.checkpoint(f)",
    ])
    lines.append("y = (\(transform))(\(point))")
    switch c.below(5) {
    case 0: lines.append("z = lax.fori_loop(0, \(c.below(5)), lambda i, c: c + f(c), \(point))")
    case 1: lines.append("z = lax.scan(lambda c, t: (c + t, f(t)), 0.0, \(point))")
    case 2: lines.append("z = lax.cond(\(c.pick(["True", "False", "jnp.array(1.0) > 0"])), f, lambda t: t, \(point))")
    case 3: lines.append("z = lax.while_loop(lambda c: jnp.sum(c) < 10.0, lambda c: c + 1.0, \(point))")
    default: lines.append("z = [print(t) for t in jax.tree_util.tree_leaves(y)]")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

// MARK: - ops: the engine through the Swift API

enum Ops {
  static let dtypes: [DType] = [.float32, .int32, .bool, .float64, .uint32]

  static func shape(_ c: inout Choices) -> [Int] { (0..<c.below(4)).map { _ in c.below(4) } }

  static func tensor(_ c: inout Choices) -> Tensor {
    let s = shape(&c)
    let dtype = c.pick(dtypes)
    let n = s.reduce(1, *)
    let values = (0..<n).map { k in Double((k * 7 + c.next()) % 11) - 5 + (c.next() % 3 == 0 ? 0.5 : 0) }
    return convertElementType(Tensor(shape: s, scalars: values.map { .float($0) }, dtype: .float64), dtype)
  }

  static func axis(_ c: inout Choices, _ x: Tensor) -> Int { c.below(x.rank + 3) - 1 }

  /// One operation on `x` (and a second operand the input makes), chosen by the input.
  static func apply(_ c: inout Choices, _ x: Tensor) -> Tensor {
    switch c.below(24) {
    case 0: return sin(x)
    case 1: return exp(x) * 2.0
    case 2: return x + tensor(&c)
    case 3: return x * tensor(&c)
    case 4: return x / tensor(&c)
    case 5: return x.sum(axes: [axis(&c, x)])
    case 6: return x.mean(axes: c.below(2) == 0 ? nil : [axis(&c, x)], keepDims: c.below(2) == 0)
    case 7: return x.max(axes: [axis(&c, x)])
    case 8: return x.reshaped(shape(&c))
    case 9: return transpose(x)
    case 10: return matmul(x, tensor(&c))
    case 11: return concatenate([x, tensor(&c)], axis: axis(&c, x))
    case 12: return stack([x, tensor(&c)], axis: axis(&c, x))
    case 13: return x.cumsum(axis: axis(&c, x))
    case 14: return x.argmax(axis: axis(&c, x))
    case 15: return squeeze(x)
    case 16: return expandDims(x, axis(&c, x))
    case 17: return broadcastTo(x, shape(&c))
    case 18: return select(x .> 0, x, tensor(&c))
    case 19: return sqrt(abs(x))
    case 20: return x.variance(axes: [axis(&c, x)], ddof: c.below(3))
    case 21: return slice(x, start: x.shape.map { _ in c.below(2) }, limit: x.shape.map { $0 + c.below(2) - 1 })
    case 22: return convertElementType(x, c.pick(dtypes))
    default: return sort(x, axis: axis(&c, x))
    }
  }

  static func run(_ c: inout Choices) {
    let x = tensor(&c)
    let steps = 1 + c.below(4)
    let start = c
    // The same operations each time the program runs (eagerly, traced by jit, grad and vmap).
    func program(_ t: Tensor) -> Tensor {
      var d = start
      var y = t
      for _ in 0..<steps { y = apply(&d, y) }
      return y
    }
    _ = program(x).description
    _ = jit(program)(x).description
    if x.dtype.isFloatingPoint {
      _ = grad { (t: Tensor) in program(t).sum() }(x).description
      _ = vmap(program)(stack([x, x], axis: 0)).description
    }
  }
}

// MARK: - session files

enum Sessions {
  static func run(_ bytes: [UInt8]) {
    guard let file = try? SessionFile.parse(Data(bytes), path: "<fuzz>") else { return }
    var state = State(width: 120, height: 40)
    file.apply(to: &state)
    for (w, h) in [(120, 40), (40, 12), (1, 1)] {
      state.width = w
      state.height = h
      _ = Explorer.view(state).text
    }
  }
}

let target = ProcessInfo.processInfo.environment["FLUXION_FUZZ_TARGET"] ?? "language"
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  switch target {
  case "grammar":
    var c = Choices(bytes: bytes)
    runScript(Grammar.script(&c))
  case "ops":
    var c = Choices(bytes: bytes)
    Ops.run(&c)
  case "session":
    Sessions.run(bytes)
  default:
    runScript(String(decoding: bytes, as: UTF8.self))
  }
  return 0
}
exit(status)

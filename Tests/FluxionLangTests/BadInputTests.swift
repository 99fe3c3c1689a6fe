import FluxionLang
import Foundation
import Synchronization
import Testing

/// The bad-input table (docs/BAD-INPUT.md), one argument per row: each input is evaluated in
/// the explorer's Session (the limits the explorer sets: 5 s of wall time, its memory limits)
/// and must end as the row says — an error of the expected kind with its message and, where
/// the input has one, its position — after which the same session still evaluates the next
/// text. Nothing traps, nothing hangs.
struct BadInputTests {
  enum Outcome: Sendable {
    /// An error: its kind, the start of its message, and the line it points at (nil: none checked).
    case error(String, String, line: Int?)
    /// A value: the start of its repr.
    case value(String)
  }

  struct Row: Sendable, CustomTestStringConvertible {
    let id: String
    let source: @Sendable () -> String
    let outcome: Outcome
    var testDescription: String { id }

    init(_ id: String, _ source: @autoclosure @escaping @Sendable () -> String, _ outcome: Outcome) {
      (self.id, self.source, self.outcome) = (id, source, outcome)
    }
  }

  static let jnp = "import jax\nimport jax.numpy as jnp\n"

  static let rows: [Row] = [
    // Syntax errors of every kind, each at its position.
    Row("syntax.unclosed_paren", "x = (1, 2\n", .error("SyntaxError", "'(' was never closed", line: 1)),
    Row("syntax.unclosed_bracket_at_eof", "x = [1,\n  2,\n", .error("SyntaxError", "'[' was never closed", line: 1)),
    Row("syntax.unmatched_close", "x = 1)\n", .error("SyntaxError", "unmatched ')'", line: 1)),
    Row(
      "syntax.expected_indent", "def f():\nreturn 1\n",
      .error("IndentationError", "expected an indented block", line: 2)),
    Row("syntax.unexpected_indent", "x = 1\n    y = 2\n", .error("IndentationError", "unexpected indent", line: 2)),
    Row(
      "syntax.unindent_mismatch", "if True:\n        x = 1\n    y = 2\n",
      .error("IndentationError", "unindent does not match any outer indentation level", line: 3)),
    Row(
      "syntax.tabs_and_spaces", "if True:\n\tx = 1\n        y = 2\n",
      .error("TabError", "inconsistent use of tabs and spaces in indentation", line: 3)),
    Row("syntax.unterminated_string", "s = 'abc\n", .error("SyntaxError", "unterminated string literal", line: 1)),
    Row(
      "syntax.unterminated_triple_quote", "s = '''abc\n",
      .error("SyntaxError", "unterminated triple-quoted string literal", line: 1)),
    Row("syntax.invalid_character", "x = 1 $ 2\n", .error("SyntaxError", "invalid syntax", line: 1)),
    Row("syntax.assign_to_expression", "1 + 2 = x\n", .error("SyntaxError", "cannot assign to expression", line: 1)),
    Row("syntax.missing_colon", "if x\n    pass\n", .error("SyntaxError", "expected ':'", line: 1)),
    Row("syntax.keyword_as_name", "class = 3\n", .error("SyntaxError", "invalid syntax", line: 1)),
    Row("syntax.bad_number", "x = 1__0\n", .error("SyntaxError", "invalid decimal literal", line: 1)),
    Row("syntax.bad_f_string", "x = f'{1 +}'\n", .error("SyntaxError", "f-string: invalid syntax", line: 1)),
    Row("syntax.else_alone", "else:\n    pass\n", .error("SyntaxError", "invalid syntax", line: 1)),
    Row("syntax.return_outside_function", "return 1\n", .error("SyntaxError", "'return' outside function", line: 1)),
    Row(
      "syntax.break_outside_loop", "x = 1\nif x:\n    break\n", .error("SyntaxError", "'break' outside loop", line: 3)),
    Row(
      "syntax.continue_in_a_function_in_a_loop", "for i in range(2):\n    def f():\n        continue\n",
      .error("SyntaxError", "'continue' not properly in loop", line: 3)),
    Row("syntax.starred_alone", "*a\n", .error("SyntaxError", "can't use starred expression here", line: 1)),
    Row(
      "syntax.walrus_on_literal", "(1 := 2)\n",
      .error("SyntaxError", "cannot use assignment expressions with literal", line: 1)),
    Row(
      "syntax.nul_byte", "x = 1\u{0}\n",
      .error("SyntaxError", "source code string cannot contain null bytes", line: nil)),
    // Names, arities and keywords.
    Row(
      "name.unknown", "y = undefined_name + 1\n", .error("NameError", "name 'undefined_name' is not defined", line: 1)),
    Row(
      "name.unknown_library_function", jnp + "jnp.not_a_function(1)\n",
      .error("AttributeError", "module 'jax.numpy' has no attribute 'not_a_function'", line: 3)),
    Row("name.blocked_module", "import os\n", .error("ModuleNotFoundError", "No module named 'os'", line: 1)),
    Row(
      "call.too_many_arguments", "def f(x):\n    return x\nf(1, 2)\n",
      .error("TypeError", "f() takes 1 positional argument but 2 were given", line: 3)),
    Row(
      "call.missing_argument", "def f(x, y):\n    return x\nf(1)\n",
      .error("TypeError", "f() missing 1 required positional argument: 'y'", line: 3)),
    Row(
      "call.unknown_keyword", "def f(x):\n    return x\nf(x=1, z=2)\n",
      .error("TypeError", "f() got an unexpected keyword argument 'z'", line: 3)),
    Row(
      "call.library_unknown_keyword", jnp + "jnp.sum(jnp.ones(3), axes=0)\n",
      .error("TypeError", "sum() got an unexpected keyword argument 'axes'", line: 3)),
    Row("call.builtin_arity", "len(1, 2)\n", .error("TypeError", "len() takes", line: 1)),
    Row("call.not_callable", "x = 3\nx()\n", .error("TypeError", "'int' object is not callable", line: 2)),
    Row(
      "call.grad_of_a_non_function", jnp + "g = jax.grad(3)\n",
      .error("TypeError", "Expected a callable value, got 3", line: 3)),
    // Shapes and dtypes, in the ops people use.
    Row(
      "shape.add", jnp + "jnp.ones(3) + jnp.ones(4)\n",
      .error("TypeError", "add got incompatible shapes for broadcasting: (3,), (4,)", line: 3)),
    Row(
      "shape.dot", jnp + "jnp.dot(jnp.ones(3), jnp.ones(4))\n",
      .error("TypeError", "dot_general requires contracting dimensions to have the same shape", line: 3)),
    Row(
      "shape.matmul", jnp + "jnp.ones((2, 3)) @ jnp.ones((2, 3))\n",
      .error("TypeError", "dot_general requires contracting dimensions to have the same shape", line: 3)),
    Row(
      "shape.reshape", jnp + "jnp.ones(6).reshape(4, 2)\n",
      .error("TypeError", "cannot reshape array of shape (6,) (size 6) into shape (4, 2) (size 8)", line: 3)),
    Row(
      "shape.concatenate", jnp + "jnp.concatenate([jnp.ones((2, 2)), jnp.ones((3, 3))])\n",
      .error(
        "TypeError",
        "Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated", line: 3
      )),
    Row(
      "shape.axis_out_of_bounds", jnp + "jnp.sum(jnp.ones(3), axis=2)\n",
      .error("ValueError", "axis 2 is out of bounds for array of dimension 1", line: 3)),
    Row(
      "shape.where", jnp + "jnp.where(jnp.ones(2) > 0, jnp.ones(3), jnp.ones(4))\n",
      .error("TypeError", "select_n got incompatible shapes", line: 3)),
    Row(
      "shape.vmap_axis_sizes", jnp + "jax.vmap(lambda a, b: a + b)(jnp.ones(3), jnp.ones(4))\n",
      .error("ValueError", "vmap got inconsistent sizes for array axes to be mapped", line: 3)),
    Row(
      "shape.solve", jnp + "jnp.linalg.solve(jnp.eye(3), jnp.ones(4))\n", .error("ValueError", "", line: 3)),
    Row(
      "shape.index_too_many", jnp + "jnp.ones(3)[0, 0]\n",
      .error("IndexError", "Too many indices: array is 1-dimensional, but 2 were indexed", line: 3)),
    Row(
      "dtype.bitwise_on_floats", jnp + "jnp.ones(3) & jnp.ones(3)\n",
      .error("TypeError", "and does not accept dtype float32", line: 3)),
    Row(
      "dtype.unknown_name", jnp + "jnp.ones(3, dtype='float99')\n",
      .error("TypeError", "data type 'float99' not understood", line: 3)),
    Row(
      "dtype.grad_of_an_int", jnp + "jax.grad(lambda x: x * 2)(3)\n",
      .error(
        "TypeError",
        "grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32.",
        line: 3)),
    Row(
      "dtype.grad_of_a_vector_output", jnp + "jax.grad(lambda x: x * 2)(jnp.ones(3))\n",
      .error("TypeError", "Gradient only defined for scalar-output functions. Output had shape: (3,).", line: 3)),
    Row(
      "dtype.string_plus_int", "'a' + 1\n",
      .error("TypeError", "can only concatenate str (not \"int\") to str", line: 1)),
    // NaN and infinities are values: they print, and differentiate, as in JAX.
    Row("nonfinite.print", jnp + "str(jnp.array([jnp.nan, jnp.inf, -jnp.inf]))\n", .value("'[ nan  inf -inf]'")),
    Row(
      "nonfinite.log_of_negative", jnp + "jnp.log(jnp.array([-1.0, 0.0]))\n",
      .value("Array([ nan, -inf], dtype=float32)")),
    Row(
      "nonfinite.grad_of_sqrt_at_zero", jnp + "jax.grad(jnp.sqrt)(0.0)\n",
      .value("Array(inf, dtype=float32, weak_type=True)")),
    Row(
      "nonfinite.jacobian", jnp + "jax.jacfwd(lambda x: jnp.log(x))(jnp.array([0.0, -1.0]))\n",
      .value("Array([[inf, nan],\n       [-0., -1.]], dtype=float32)")),
    // Division by zero: Python's errors for Python numbers, IEEE values for arrays.
    Row(
      "divide.int_floor_by_zero", "1 // 0\n", .error("ZeroDivisionError", "integer division or modulo by zero", line: 1)
    ),
    Row("divide.float_by_zero", "1.0 / 0\n", .error("ZeroDivisionError", "float division by zero", line: 1)),
    Row("divide.modulo_by_zero", "5 % 0\n", .error("ZeroDivisionError", "integer modulo by zero", line: 1)),
    Row("divide.array_by_zero", jnp + "jnp.array([1.0, 0.0]) / 0\n", .value("Array([inf, nan], dtype=float32)")),
    // Integer overflow wraps in arrays; a Python int that does not fit is JAX's OverflowError.
    Row(
      "overflow.int32_wraps", jnp + "jnp.array([2**31 - 1], dtype=jnp.int32) + 1\n",
      .value("Array([-2147483648], dtype=int32)")),
    Row(
      "overflow.python_int_to_array", jnp + "jnp.array(2**40)\n",
      .error("OverflowError", "Python int 1099511627776 too large to convert to int32", line: 3)),
    Row(
      "overflow.python_int_operand", jnp + "jnp.ones(3) * 10**30\n",
      .error(
        "OverflowError",
        "An overflow was encountered while parsing an argument to a jitted computation, whose argument path is y.",
        line: 3)),
    Row(
      "overflow.dtype_constructor", jnp + "jnp.int32(2**31)\n",
      .error("OverflowError", "Python integer 2147483648 out of bounds for int32", line: 3)),
    // Python ints beyond 64 bits are Python's.
    Row(
      "bigint.arithmetic", "x = 2**200\nx * x - 1\n",
      .value("2582249878086908589655919172003011874329705792829223512830659356540647")),
    Row("bigint.to_float", "float(10**400)\n", .error("OverflowError", "int too large to convert to float", line: 1)),
    Row("bigint.huge_power", "2 ** 10 ** 10\n", .error("MemoryError", "", line: 1)),
    Row(
      "bigint.slow_power", "x = 3 ** 3333733\n",
      .error("MemoryError", "the integer result would have more than 1048576 bits", line: 1)),
    // Format specs asking for more digits than Python allows, or than the limits.
    Row(
      "format.precision_too_big", "x = 1.5\ns = f'{x:.3000000000f}'\n",
      .error("ValueError", "precision too big", line: 2)),
    Row(
      "format.too_many_digits", "'%.99999999999999999999e' % 1.5\n",
      .error("ValueError", "Too many decimal digits in format string", line: 1)),
    Row(
      "format.huge_width", "'{:200000000}'.format(2.0)\n",
      .error("MemoryError", "a format width of 200000000 exceeds the limit", line: 1)),
    Row(
      "format.missing_precision", "format(1.5, '.')\n",
      .error("ValueError", "Format specifier missing precision", line: 1)),
    // Empty arrays and zero-size axes.
    Row(
      "empty.max", jnp + "jnp.max(jnp.array([]))\n",
      .error("ValueError", "zero-size array to reduction operation max which has no identity", line: 3)),
    Row(
      "empty.argmax", jnp + "jnp.argmax(jnp.zeros((0,)))\n",
      .error("ValueError", "attempt to get argmax of an empty sequence", line: 3)),
    Row(
      "empty.sum_over_zero_axis", jnp + "jnp.sum(jnp.zeros((0, 3)), axis=0)\n",
      .value("Array([0., 0., 0.], dtype=float32)")),
    Row("empty.mean", jnp + "jnp.mean(jnp.zeros((0,)))\n", .value("Array(nan, dtype=float32)")),
    Row(
      "empty.grad", jnp + "jax.grad(lambda x: jnp.sum(x))(jnp.zeros((0,)))\n",
      .value("Array([], shape=(0,), dtype=float32)")),
    Row("empty.reshape_zero", jnp + "jnp.zeros((0, 4)).reshape(2, 0, 2).shape\n", .value("(2, 0, 2)")),
    // Deep nesting: clean errors, no stack overflow.
    Row(
      "nesting.parentheses", "x = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000),
      .error("SyntaxError", "too many nested parentheses", line: 1)),
    Row(
      "nesting.lists", "x = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
      .error("SyntaxError", "too many nested parentheses", line: 1)),
    Row(
      "nesting.calls",
      "f = lambda x: x\ny = " + String(repeating: "f(", count: 3000) + "1" + String(repeating: ")", count: 3000),
      .error("SyntaxError", "too many nested parentheses", line: 2)),
    Row(
      "nesting.lambdas", "f = " + String(repeating: "lambda: ", count: 3000) + "1\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: nil)),
    Row(
      "nesting.unary_minus", "x = " + String(repeating: "-", count: 100_000) + "1\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: nil)),
    Row(
      "nesting.long_sum", "x = " + Array(repeating: "1", count: 200_000).joined(separator: "+") + "\n",
      .error("RecursionError", "maximum recursion depth exceeded during compilation", line: 1)),
    Row(
      "nesting.data_built_at_run_time", "x = []\nfor i in range(100000):\n    x = [x]\nrepr(x)\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: 4)),
    // Big inputs.
    Row(
      "size.ten_megabyte_paste", "x = 0\n" + String(repeating: "x = x + 1\n", count: 1_000_000),
      .error("MemoryError", "source of 10000006 characters exceeds the limit", line: nil)),
    Row(
      "size.hundred_thousand_character_line", "x = '" + String(repeating: "a", count: 100_000) + "'\nlen(x)\n",
      .value("100000")),
    // Memory beyond the limits.
    Row("memory.one_array", jnp + "jnp.zeros((100000, 100000))\n", .error("MemoryError", "", line: 3)),
    Row(
      "memory.broadcast_result", jnp + "jnp.ones((100000, 1)) + jnp.ones((1, 100000))\n",
      .error("MemoryError", "", line: 3)),
    Row("memory.list", "x = [0] * 10**10\n", .error("MemoryError", "", line: 1)),
    Row("memory.arange", jnp + "jnp.arange(1539107791.0)\n", .error("MemoryError", "Unable to allocate", line: 3)),
    Row(
      "memory.linspace", jnp + "jnp.linspace(0.0, 1.0, 10**10)\n", .error("MemoryError", "Unable to allocate", line: 3)),
    Row("memory.string", "x = 'ab' * 10**10\n", .error("MemoryError", "", line: 1)),
    // Loops and recursion that never end: the wall-time limit, RecursionError.
    Row(
      "loop.python_while_true", "while True:\n    pass\n",
      .error("TimeoutError", "the evaluation took longer than its limit", line: nil)),
    Row(
      "loop.lax_while_loop_forever", jnp + "jax.lax.while_loop(lambda c: c >= 0, lambda c: c + 1, 0)\n",
      .error("TimeoutError", "the evaluation took longer than its limit", line: nil)),
    Row(
      "loop.jitted_while_loop_forever",
      jnp + "jax.jit(lambda x: jax.lax.while_loop(lambda c: c >= 0, lambda c: c + 1, x))(0)\n",
      .error("TimeoutError", "the evaluation took longer than its limit", line: nil)),
    Row(
      "loop.fori_loop_bound_too_large", jnp + "jax.lax.fori_loop(0, 10**12, lambda i, c: c + 1, 0.)\n",
      .error("OverflowError", "", line: 3)),
    Row(
      "recursion.direct", "def f(x):\n    return f(x)\nf(1)\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: nil)),
    Row(
      "recursion.mutual", "def f(x):\n    return g(x)\ndef g(x):\n    return f(x)\nf(1)\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: nil)),
    Row(
      "recursion.under_grad", jnp + "def f(x):\n    return f(x * 2)\njax.grad(f)(1.0)\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: nil)),
    Row(
      "recursion.under_jit", jnp + "def f(x):\n    return f(x + 1)\njax.jit(f)(1.0)\n",
      .error("RecursionError", "maximum recursion depth exceeded", line: nil)),
    // Tracers where a value is needed, and tracers that escape.
    Row(
      "tracer.leak",
      jnp + "leaked = []\ndef f(x):\n    leaked.append(x)\n    return x\njax.jit(f)(1.0)\nleaked[0] + 1\n",
      .error("UnexpectedTracerError", "Encountered an unexpected tracer.", line: 8)),
    Row(
      "tracer.bool", jnp + "@jax.jit\ndef f(x):\n    if x > 0:\n        return x\n    return -x\nf(1.0)\n",
      .error("TracerBoolConversionError", "Attempted boolean conversion of traced array with shape bool[].", line: 5)),
    Row(
      "tracer.shape_from_a_value", jnp + "jax.jit(lambda x: jnp.ones(int(x)))(3.0)\n",
      .error("ConcretizationTypeError", "Abstract tracer value encountered where concrete value is expected", line: 3)),
    Row(
      "tracer.python_loop_in_jit",
      jnp + "def f(x):\n    while x > 0:\n        x = x + 1\n    return x\njax.jit(f)(1.0)\n",
      .error("TracerBoolConversionError", "Attempted boolean conversion of traced array with shape bool[].", line: 4)),
    // Python's own errors, with their positions.
    Row("python.unhashable_key", "{[1]: 2}\n", .error("TypeError", "unhashable type: 'list'", line: 1)),
    Row(
      "python.unpacking", "a, b = 1, 2, 3\n", .error("ValueError", "too many values to unpack (expected 2)", line: 1)),
    Row(
      "python.attribute_of_none", "None.foo\n",
      .error("AttributeError", "'NoneType' object has no attribute 'foo'", line: 1)),
    Row("python.index", "'abc'[10]\n", .error("IndexError", "string index out of range", line: 1)),
    Row("python.missing_key", "{}['a']\n", .error("KeyError", "'a'", line: 1)),
    Row("python.assert", "assert 1 == 2, 'nope'\n", .error("AssertionError", "nope", line: 1)),
    Row("python.own_exception", "class E(Exception):\n    pass\nraise E('mine')\n", .error("E", "mine", line: 3)),
  ]

  /// Runs `body` on a thread with the stack the explorer's evaluator has (512 MiB).
  static func onLargeStack(_ body: @escaping @Sendable () -> Result) -> Result {
    final class Box: Sendable { let value = Mutex<Result?>(nil) }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let r = body()
      box.value.withLock { $0 = r }
      done.signal()
    }
    thread.stackSize = 1 << 29
    thread.start()
    done.wait()
    return box.value.withLock { $0! }
  }

  /// What evaluating `source` gave, then whether the session still works.
  struct Result: Sendable {
    var kind: String?
    var message = ""
    var line: Int?
    var value = ""
    var seconds = 0.0
    var sessionStillWorks = false
  }

  static func evaluate(_ source: String) -> Result {
    onLargeStack {
      var limits = InterpreterLimits()
      limits.wallTime = 5
      let session = Session(limits: limits)
      var r = Result()
      let start = Date()
      if let e = session.evaluateWorkspace(source) {
        r.kind = e.kind
        r.message = e.message
        r.line = e.position?.line
      } else if let v = try? session.evaluate("_") {
        r.value = (try? session.interpreter.representation(v)) ?? ""
      }
      r.seconds = Date().timeIntervalSince(start)
      r.sessionStillWorks =
        session.evaluateWorkspace("after = 40 + 2\n") == nil
        && (try? session.evaluate("after")).flatMap { try? session.interpreter.representation($0) } == "42"
      return r
    }
  }

  @Test("a bad input ends as its row says, and the session goes on", arguments: rows)
  func row(_ row: Row) {
    let source = row.source()
    // The last expression's value is `_`, as a REPL has it.
    let text: String
    if case .value = row.outcome, let lastLine = source.split(separator: "\n").last {
      text = source.split(separator: "\n").dropLast().joined(separator: "\n") + "\n_ = " + lastLine + "\n"
    } else {
      text = source
    }
    let r = Self.evaluate(text)
    switch row.outcome {
    case .error(let kind, let message, let line):
      #expect(r.kind == kind, "\(row.id): \(r.kind ?? "no error") \(r.message)")
      #expect(r.message.hasPrefix(message), "\(row.id): \(r.message)")
      if let line { #expect(r.line == line, "\(row.id): line \(r.line.map(String.init) ?? "none")") }
    case .value(let prefix):
      #expect(r.kind == nil, "\(row.id): \(r.kind ?? "") \(r.message)")
      #expect(r.value.hasPrefix(prefix), "\(row.id): \(r.value.prefix(200))")
    }
    #expect(r.sessionStillWorks, "\(row.id): the session stopped working")
    // The wall-time limit is 5 s; nothing takes much longer than it.
    #expect(r.seconds < 30, "\(row.id): \(r.seconds) s")
  }

  /// Every row is in the table people read, and the table names no row that is not tested.
  @Test func theTableListsEveryRow() throws {
    let listed = try Self.tableRows()
    let elsewhere = [
      "cli.", "terminal.", "session.", "fuzz.", "concurrency.", "memory.session_", "memory.closure_", "memory.soak",
    ]
    let language = listed.filter { id in !elsewhere.contains { id.hasPrefix($0) } }
    #expect(Set(Self.rows.map(\.id)).subtracting(language).sorted() == [], "rows missing from docs/BAD-INPUT.md")
    #expect(language.subtracting(Self.rows.map(\.id)).sorted() == [], "rows of docs/BAD-INPUT.md with no test")
    let others = listed.filter { id in !id.hasPrefix("cli.") && elsewhere.contains { id.hasPrefix($0) } }
    #expect(others == Set(Self.otherTests.keys), "the rows tested elsewhere")
  }

  /// The ids in the first column of docs/BAD-INPUT.md's tables.
  static func tableRows() throws -> Set<String> {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/BAD-INPUT.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    return Set(
      text.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("| `") else { return nil }
        let rest = line.dropFirst(3)
        guard let end = rest.firstIndex(of: "`") else { return nil }
        return String(rest[..<end])
      })
  }

  /// Rows of the table tested elsewhere (the explorer, session files, the fuzzer), with the
  /// tests that cover each. The command line's rows are CommandLineMisuseTests' own.
  static let otherTests: [String: String] = [
    "terminal.dumb": "ExplorerFaultTests.terminalsThatCannotShowTheExplorerGetOneLine",
    "terminal.unknown": "ExplorerFaultTests.terminalsThatCannotShowTheExplorerGetOneLine",
    "terminal.unset": "ExplorerFaultTests.terminalsThatCannotShowTheExplorerGetOneLine",
    "terminal.no_tty": "ExplorerFaultTests.terminalsThatCannotShowTheExplorerGetOneLine",
    "terminal.closed_pipe": "ExplorerFaultTests.terminalsThatCannotShowTheExplorerGetOneLine",
    "terminal.signals": "ExplorerFaultTests.signalsRestoreTheTerminal",
    "terminal.keys_that_quit": "ExplorerEndToEndTests.quittingRestoresTheTerminal",
    "terminal.sizes": "ExplorerFaultTests.tinyHugeAndStormySizesKeepTheExplorerWorking",
    "terminal.resize_storm": "ExplorerFaultTests.tinyHugeAndStormySizesKeepTheExplorerWorking",
    "terminal.no_colour": "ExplorerEndToEndTests.noColorMeansNoColours",
    "terminal.suspend": "ExplorerEndToEndTests.ctrlZSuspendsToTheShellAndFgRedraws",
    "session.malformed": "SessionFileTests.aMalformedOrNewerFileIsRefusedAndLeftAlone",
    "session.truncated": "SessionFileTests.truncatedAndBinaryFilesAreRefused",
    "session.disk_full": "ExplorerFaultTests.aSessionThatCannotBeSavedKeepsTheOldOne",
    "session.crash_mid_save": "SessionFileTests.aSaveKilledMidwayLosesNothing",
    "fuzz.language": "make fuzz, FuzzRegressionTests",
    "fuzz.grammar": "make fuzz",
    "fuzz.ops": "make fuzz",
    "fuzz.session": "make fuzz",
    "memory.session_cycles": "MemoryTests.aSessionFreesItsInterpreterAndEverythingItsScriptMade",
    "memory.closure_cycles": "MemoryTests.aCallsLocalsAreFreedWhenItReturnsInnerFunctionsAndAll",
    "memory.soak": "SoakTests.tenThousandKeystrokesWithCancellations",
    "concurrency.tsan": "make tsan",
    "concurrency.asan": "make asan",
  ]
}

import FluxionLang
import Foundation
import Testing

/// The parser against CPython 3.11's `ast.dump` (positions included) for a corpus of snippets
/// and the seed scripts, and against CPython's SyntaxErrors for bad input.
struct ParserTests {
  @Test func fixtureIsPresent() {
    #expect(ParserFixture.shared.parse.count > 200)
    #expect(ParserFixture.shared.errors.count > 30)
    #expect(ParserFixture.shared.scripts.count == 8)
  }

  @Test(arguments: ParserFixture.shared.parse)
  func snippetParsesAsCPythonDoes(_ c: ParserFixture.ParseCase) throws {
    let module = try Parser.parse(c.source)
    #expect(module.dump(positions: true) == c.dump)
  }

  @Test(arguments: ParserFixture.shared.scripts)
  func seedScriptParsesAsCPythonDoes(_ s: ParserFixture.Script) throws {
    let source = try ParserFixture.script(s.name)
    let module = try Parser.parse(source)
    #expect(module.dump(positions: true) == s.dump)
  }

  @Test(arguments: ParserFixture.shared.errors)
  func badInputFailsAsCPythonDoes(_ c: ParserFixture.ErrorCase) {
    #expect {
      _ = try Parser.parse(c.source)
    } throws: { error in
      guard let e = error as? SyntaxError else { return false }
      #expect(e.kind.rawValue == c.type)
      #expect(e.message == c.message)
      // CPython 3.11 shows an f-string field's parse error within the field alone, `(expr)`, and
      // an error in a multi-line token under all its lines; Fluxion keeps the position in the
      // source line (as 3.12 does). Only the message is compared then.
      let shown = c.rendered.split(separator: "\n", omittingEmptySubsequences: false)
      let shownLine = shown.dropFirst().first.map { $0.dropFirst(4) } ?? ""
      if c.source.contains(shownLine), shown.count <= 4 {
        #expect(e.line == c.line)
        #expect(e.column == c.column)
        #expect(e.rendered(source: c.source, filename: "<unknown>") == c.rendered)
      }
      return true
    }
  }

  @Test func callRangeRunsFromCalleeToClosingParen() throws {
    let expr = try Parser.parseExpression("  jnp.dot(inputs, W) + b")
    guard case .binOp(let call, .add, _) = expr.kind else {
      Issue.record("not a sum: \(expr.dump())")
      return
    }
    #expect(call.range == SourceRange(line: 1, column: 3, endLine: 1, endColumn: 21, start: 2, end: 20))
    #expect(call.range.sourceSpan.description == "1:3-1:21")
  }

  @Test func unaryMinusBindsLooserThanPower() throws {
    #expect(
      try Parser.parseExpression("-x**2").dump()
        == "UnaryOp(op=USub, operand=BinOp(left=Name(id='x'), op=Pow, right=Constant(value=2)))")
    #expect(
      try Parser.parseExpression("2**-1").dump()
        == "BinOp(left=Constant(value=2), op=Pow, right=UnaryOp(op=USub, operand=Constant(value=1)))")
  }

  @Test func parseExpressionReadsATupleOrRefusesStatements() throws {
    #expect(try Parser.parseExpression("1, 2").dump() == "Tuple(elts=[Constant(value=1), Constant(value=2)])")
    #expect(throws: SyntaxError.self) { try Parser.parseExpression("x = 1") }
  }

  @Test func syntaxErrorRendersAsPython() {
    let source = "y = 1\nx = (1, 2\n"
    #expect {
      _ = try Parser.parse(source)
    } throws: { error in
      guard let e = error as? SyntaxError else { return false }
      return e.rendered(source: source, filename: "model.py") == """
          File "model.py", line 2
            x = (1, 2
                ^
        SyntaxError: '(' was never closed
        """
    }
  }

  @Test func errorCaretsSpanTheBadTarget() {
    let source = "    f(x) = 1\n"
    do {
      _ = try Parser.parse("if a:\n" + source)
    } catch {
      #expect(error.rendered(source: "if a:\n" + source).contains("    f(x) = 1\n    ^^^^\n"))
    }
  }

  /// Nesting past the limits is an error, never a stack overflow: 200 brackets (CPython's
  /// tokenizer limit), 100 indentation levels, 200 levels of anything else. (Under
  /// AddressSanitizer, whose frames are several times larger, a pool thread's stack runs out
  /// first: the stack guard's error comes instead, and these two tests do not apply.)
  @Test(
    .disabled(if: underAddressSanitizer, "sanitizer frames exhaust a pool thread's stack first"),
    arguments: [
      (String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300), "too many nested parentheses"),
      ("x = " + String(repeating: "-", count: 5000) + "1", "maximum recursion depth exceeded during compilation"),
      (String(repeating: "not ", count: 5000) + "x", "maximum recursion depth exceeded during compilation"),
      (String(repeating: "x**", count: 5000) + "x", "maximum recursion depth exceeded during compilation"),
      (String(repeating: "lambda: ", count: 5000) + "x", "maximum recursion depth exceeded during compilation"),
      (String(repeating: "a if b else ", count: 5000) + "x", "maximum recursion depth exceeded during compilation"),
      (
        (0..<150).map { String(repeating: " ", count: $0) + "if x:\n" }.joined() + String(repeating: " ", count: 150)
          + "pass",
        "too many levels of indentation"
      ),
    ])
  func deepNestingIsRefusedNotACrash(source: String, message: String) async {
    let error = await Task.detached { () -> SyntaxError? in
      do throws(SyntaxError) {
        _ = try Parser.parse(source + "\n")
        return nil
      } catch {
        return error
      }
    }.value
    #expect(error?.message == message)
  }

  /// 199 levels of each kind of nesting parse, on a concurrency pool thread (smaller stack than
  /// the main thread's), in a debug build.
  @Test(
    .disabled(if: underAddressSanitizer, "sanitizer frames exhaust a pool thread's stack first"),
    arguments: [
      ("(", "1", ")"), ("[", "", "]"), ("{1: ", "1", "}"), ("f(", "", ")"), ("x[", "x", "]"), ("lambda: ", "1", ""),
      ("-", "1", ""), ("not ", "1", ""), ("x**", "1", ""), ("a if b else ", "1", ""),
      ("(-[f(x[{lambda: ", "1", "}])])"),
    ])
  func nestingWithinTheLimitParses(open: String, middle: String, close: String) async throws {
    let count = open.count > 5 ? 28 : 199
    let source = String(repeating: open, count: count) + middle + String(repeating: close, count: count) + "\n"
    let dump = await Task.detached { try? Parser.parse(source).dump() }.value
    #expect(dump != nil)
  }

  /// Python 3.12's f-strings may reuse their quotes inside a field; 3.11's errors stay otherwise.
  @Test func fStringFieldMayReuseTheQuotesAsIn312() throws {
    let expr = try Parser.parseExpression(#"f"{", ".join(xs)}!""#)
    #expect(
      expr.dump()
        == "JoinedStr(values=[FormattedValue(value=Call(func=Attribute(value=Constant(value=', '), attr='join'), "
        + "args=[Name(id='xs')], keywords=[]), conversion=-1, format_spec=None), Constant(value='!')])")
    #expect(throws: SyntaxError.self) { try Parser.parseExpression(#"f"{x" + "#) }
  }

  /// An f-string field's expression keeps its place in the source (the explorer underlines it).
  @Test func fStringFieldExpressionsHaveSourceRanges() throws {
    let expr = try Parser.parseExpression("f'a{x + 1:>{w}}'")
    guard case .joinedStr(let values) = expr.kind, values.count == 2,
      case .formattedValue(let value, nil, let spec?) = values[1].kind,
      case .joinedStr(let specValues) = spec.kind, case .formattedValue(let width, nil, nil) = specValues.last?.kind
    else {
      Issue.record("unexpected shape: \(expr.dump())")
      return
    }
    #expect(values[1].range == SourceRange(line: 1, column: 4, endLine: 1, endColumn: 16, start: 3, end: 15))
    #expect(value.range == SourceRange(line: 1, column: 5, endLine: 1, endColumn: 10, start: 4, end: 9))
    #expect(width.range.column == 13)
    if case .name("w") = width.kind {} else { Issue.record("width is \(width.dump())") }
  }
}

/// Whether the tests run under AddressSanitizer (`make asan` sets ASAN_OPTIONS).
let underAddressSanitizer = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil

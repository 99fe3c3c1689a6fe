import FluxionLang
import Testing

/// Python's tokenizer rules: layout tokens, literal forms, f-strings, spans, line ends.
struct LexerTests {
  func kinds(_ source: String) throws -> [TokenKind] { try Lexer.tokenize(source).map(\.kind) }

  func int(_ digits: String, _ radix: Int = 10) -> TokenKind { .int(IntLiteral(digits: digits, radix: radix)) }

  func string(_ s: String, prefix: String = "") -> TokenKind {
    .string(StringLiteral(value: .string(s), prefix: prefix))
  }

  @Test func indentAndDedentFollowTheIndentationStack() throws {
    let source = "if a:\n    b\n    if c:\n        d\ne\n"
    #expect(
      try kinds(source) == [
        .keyword(.if), .name("a"), .op(.colon), .newline, .indent, .name("b"), .newline, .keyword(.if), .name("c"),
        .op(.colon), .newline, .indent, .name("d"), .newline, .dedent, .dedent, .name("e"), .newline, .endOfFile,
      ])
  }

  @Test func blankLinesAndCommentsMakeNoTokens() throws {
    #expect(try kinds("\n  # c\n\nx  # t\n\n   \n") == [.name("x"), .newline, .endOfFile])
    #expect(try kinds("") == [.endOfFile])
  }

  @Test func bracketsAndBackslashJoinLines() throws {
    #expect(
      try kinds("f(1,\n  2)\n") == [
        .name("f"), .op(.leftParen), int("1"), .op(.comma), int("2"), .op(.rightParen), .newline, .endOfFile,
      ])
    #expect(
      try kinds("x = 1 + \\\n  2\n") == [.name("x"), .op(.equal), int("1"), .op(.plus), int("2"), .newline, .endOfFile])
  }

  @Test func missingFinalNewlineAndDedentsAreAdded() throws {
    #expect(
      try kinds("if x:\n  y") == [
        .keyword(.if), .name("x"), .op(.colon), .newline, .indent, .name("y"), .newline, .dedent, .endOfFile,
      ])
  }

  @Test func integerForms() throws {
    #expect(
      try kinds("0 123 1_000 0x_fF 0o17 0b1010 00\n").dropLast(2) == [
        int("0"), int("123"), int("1000"), int("fF", 16), int("17", 8), int("1010", 2), int("00"),
      ])
    let big = try Lexer.tokenize("123456789012345678901234567890 0xFFFFFFFFFFFFFFFFFFFF")
    guard case .int(let a) = big[0].kind, case .int(let b) = big[1].kind else {
      Issue.record("not ints")
      return
    }
    #expect(a.value == nil && a.decimalDigits == "123456789012345678901234567890")
    #expect(b.decimalDigits == "1208925819614629174706175")
  }

  @Test func floatAndImaginaryForms() throws {
    #expect(
      try kinds("1. .5 1e-3 1_0.5e+2 1E5 3.14j 1J\n").dropLast(2) == [
        .float(1, text: "1."), .float(0.5, text: ".5"), .float(0.001, text: "1e-3"), .float(1050, text: "10.5e+2"),
        .float(100_000, text: "1e5"), .imaginary(3.14, text: "3.14"), .imaginary(1, text: "1"),
      ])
  }

  @Test func stringPrefixesQuotesAndEscapes() throws {
    #expect(
      try kinds("'a' \"b\" '''c\nd''' \"\"\"e\"\"\"\n").dropLast(2) == [
        string("a"), string("b"), string("c\nd"), string("e"),
      ])
    #expect(try kinds(#"'\n\t\\\'\"\x41\u00e9\U0001F600\101\N{BULLET}\q'"#).first == string("\n\t\\'\"Aé😀A•\\q"))
    #expect(
      try kinds(#"r'\n\d' R"\"" U'x'"#).dropLast(2) == [
        string(#"\n\d"#, prefix: "r"), string(#"\""#, prefix: "R"), string("x", prefix: "U"),
      ])
    #expect(
      try kinds(#"b'\x00\xffa' rB'\x' Br"q""#).dropLast(2) == [
        .string(StringLiteral(value: .bytes([0, 255, 97]), prefix: "b")),
        .string(StringLiteral(value: .bytes(Array(#"\x"#.utf8)), prefix: "rB")),
        .string(StringLiteral(value: .bytes([113]), prefix: "Br")),
      ])
    #expect(try kinds("'a\\\nb'").first == string("ab"))
    #expect(
      try kinds(#"'\N{greek small letter alpha}\N{LINE FEED}\N{CJK UNIFIED IDEOGRAPH-4E00}\N{HANGUL SYLLABLE GA}'"#)
        .first
        == string("α\n一가"))
  }

  @Test func fStringHoldsLiteralsAndTokenizedFields() throws {
    let tokens = try Lexer.tokenize("f'x{a + 1!r:>{w}} {{y}} {z=}'")
    guard case .fstring(let f) = tokens[0].kind, f.parts.count == 4 else {
      Issue.record("not an f-string: \(tokens[0].kind)")
      return
    }
    guard case .literal("x", _) = f.parts[0], case .field(let field) = f.parts[1],
      case .literal(" {y} ", _) = f.parts[2],
      case .field(let doc) = f.parts[3]
    else {
      Issue.record("parts: \(f.parts)")
      return
    }
    #expect(field.tokens.map(\.kind) == [.name("a"), .op(.plus), int("1")])
    #expect(field.conversion == "r")
    #expect(field.range.column == 4 && field.range.endColumn == 18)
    #expect(field.tokens[0].range.column == 5)
    guard case .literal(">", _) = field.formatSpec?.first, case .field(let w) = field.formatSpec?.last else {
      Issue.record("spec: \(String(describing: field.formatSpec))")
      return
    }
    #expect(w.tokens.map(\.kind) == [.name("w")])
    #expect(doc.selfDocumentingText == "z=")
  }

  @Test func operatorsTakeTheLongestMatch() throws {
    let ops: [Operator] = [
      .doubleStarEqual, .doubleSlashEqual, .atEqual, .arrow, .walrus, .ellipsis, .rightShiftEqual, .notEqual,
      .doubleStar, .less,
    ]
    #expect(try kinds("**= //= @= -> := ... >>= != ** <\n").dropLast(2) == ops.map { .op($0) })
  }

  @Test func keywordsAndUnicodeIdentifiers() throws {
    #expect(
      try kinds("lambda λ x_1 None match\n").dropLast(2) == [
        .keyword(.lambda), .name("λ"), .name("x_1"), .keyword(.None), .name("match"),
      ])
  }

  @Test func tokenSpansAreOneBasedWithExclusiveEnds() throws {
    let tokens = try Lexer.tokenize("x = 'ab'\n  \nyy")
    #expect(tokens[0].range == SourceRange(line: 1, column: 1, endLine: 1, endColumn: 2, start: 0, end: 1))
    #expect(tokens[2].range == SourceRange(line: 1, column: 5, endLine: 1, endColumn: 9, start: 4, end: 8))
    #expect(tokens[4].range == SourceRange(line: 3, column: 1, endLine: 3, endColumn: 3, start: 12, end: 14))
    let triple = try Lexer.tokenize("s = '''a\nbc'''")
    #expect(triple[2].range == SourceRange(line: 1, column: 5, endLine: 2, endColumn: 6, start: 4, end: 14))
  }

  @Test func crlfCrAndBomAreAccepted() throws {
    let expected: [TokenKind] = [.name("x"), .newline, .name("y"), .newline, .endOfFile]
    #expect(try kinds("x\r\ny\r\n") == expected)
    #expect(try kinds("x\ry\r") == expected)
    #expect(try kinds("\u{FEFF}x\ny\n") == expected)
    let tokens = try Lexer.tokenize("\u{FEFF}x\r\ny")
    #expect(tokens[0].range.column == 1)
    #expect(tokens[2].range == SourceRange(line: 2, column: 1, endLine: 2, endColumn: 2, start: 4, end: 5))
  }

  @Test func tabsCountToTheNextMultipleOfEight() throws {
    #expect(try kinds("if x:\n\ta\n\tb\n").contains(.indent))
    #expect {
      _ = try Lexer.tokenize("if x:\n        a\n\tb\n")
    } throws: { ($0 as? SyntaxError)?.kind == .tabError }
    #expect {
      _ = try Lexer.tokenize("if x:\n    a\n  b\n")
    } throws: { ($0 as? SyntaxError)?.message == "unindent does not match any outer indentation level" }
  }

  /// CPython 3.11: `ast.parse(b'x \xff\n')` and friends.
  @Test(
    arguments: [
      (
        [0x78, 0x20, 0xFF, 0x0A],
        "(unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte", 1, 3
      ),
      (
        [0x0A, 0x61, 0xC3, 0x28],
        "(unicode error) 'utf-8' codec can't decode byte 0xc3 in position 0: invalid continuation byte", 2, 2
      ),
      (
        [0x61, 0xE2, 0x82],
        "(unicode error) 'utf-8' codec can't decode byte 0xe2 in position 0: unexpected end of data", 1, 2
      ),
      ([0x78, 0x0A, 0x00, 0x0A], "source code string cannot contain null bytes", 2, 1),
    ] as [([UInt8], String, Int, Int)])
  func badBytesAreASyntaxError(bytes: [UInt8], message: String, line: Int, column: Int) {
    #expect {
      _ = try Parser.parse(bytes: bytes)
    } throws: { error in
      guard let e = error as? SyntaxError else { return false }
      return e.message == message && e.line == line && e.column == column
    }
  }

  @Test func aBOMAndCRLFInBytesAreAccepted() throws {
    let module = try Parser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("x = 1\r\ny = 2\r\n".utf8))
    #expect(module.body.count == 2)
    #expect(module.body[1].range == SourceRange(line: 2, column: 1, endLine: 2, endColumn: 6, start: 8, end: 13))
  }

  @Test func lexingA100LineScriptIsFast() throws {
    let line = "y = jnp.dot(W, x) + b * 2.5 ** -1  # comment\n"
    let source = String(repeating: line, count: 100)
    let clock = ContinuousClock()
    var best = Duration.seconds(1)
    for _ in 0..<5 {
      let t = clock.measure { _ = try? Parser.parse(source) }
      best = min(best, t)
    }
    // Debug builds are slower than release; this only guards against quadratic work.
    #expect(best < .milliseconds(50))
  }
}

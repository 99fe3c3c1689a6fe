import Foundation
import Testing

@testable import FluxionTUI

/// The explorer's update and view, driven as a person would, with the real engine behind.
@Suite struct ExplorerTests {
  @Test func startsOnTheSeedsCubeWithItsDerivative() {
    let h = ExplorerHarness()
    let results = h.state.evaluation?.results ?? []
    #expect(results.map(\.label) == ["f(x)", "grad", "jvp  v=1", "vjp  u=1"])
    #expect(results.map(\.value) == ["1", "3", "3", "(3,)"])
    #expect(h.state.function.string == "lambda x: x**3")
    #expect(h.state.range == -2...2)
    #expect(h.state.jacobian.values == [3])
    #expect(h.state.jacobian.check == "rev = fwd ✓")
  }

  @Test func typingChangesTheFunctionAndItsGradient() {
    let h = ExplorerHarness()
    h.press(.backspace)
    h.type("2")
    #expect(h.state.function.string == "lambda x: x**2")
    #expect(h.state.evaluation?.results.first { $0.label == "grad" }?.value == "2")
  }

  @Test func anErrorKeepsTheLastResultsMarkedStaleWithACaret() {
    let h = ExplorerHarness()
    h.type(" +")
    #expect(h.state.error?.source == .function)
    #expect(h.state.error?.summary.hasPrefix("SyntaxError") == true)
    #expect(h.state.stale)
    #expect(h.state.evaluation?.results.first?.value == "1")
    #expect(h.screen.contains("stale"))
    h.press(.backspace, .backspace)
    #expect(h.state.error == nil)
    #expect(!h.state.stale)
  }

  @Test func aRuntimeErrorPointsAtItsSpan() {
    let h = ExplorerHarness()
    for _ in 0..<4 { h.press(.backspace) }
    h.type("jnp.dot(jnp.ones(3), jnp.ones(4))")
    let e = h.state.error
    #expect(e?.summary.hasPrefix("TypeError: dot_general requires contracting dimensions") == true)
    #expect(e?.column == 10)
  }

  @Test func theLogisticExampleAssemblesTheSeedsJacobianRowByRow() throws {
    let logistic = try #require(Examples.all.first { $0.title.contains("logistic") })
    let h = ExplorerHarness(example: logistic)
    let j = h.state.jacobian
    #expect(j.rows == 4 && j.columns == 3)
    #expect(j.lines == 4 && j.done)
    #expect(j.check == "rev = fwd ✓")
    // The seed's rows (05_logistic_vjp_rows, as JAX prints them).
    let expected: [Double] = [
      0.05069415, 0.10918741, 0.07506634, 0.14170025, -0.17390487, 0.02415345, 0.12536363, 0.01446503,
      -0.33510664, 0.00574409, -0.0193281, 0.01078958,
    ]
    for (a, b) in zip(j.values, expected) { #expect(abs(a - b) < 1e-6) }
  }

  @Test func columnModeAgreesWithRows() throws {
    let logistic = try #require(Examples.all.first { $0.title.contains("logistic") })
    let h = ExplorerHarness(example: logistic)
    let rows = h.state.jacobian.values
    h.press(.tab, .tab, .tab)
    #expect(h.state.focus == .jacobian)
    h.press(.char("m"))
    #expect(h.state.jacobian.mode == .columns)
    // The same matrix, up to the float32 rounding of the other order of operations.
    #expect(h.state.jacobian.values.count == rows.count)
    for (a, b) in zip(h.state.jacobian.values, rows) { #expect(abs(a - b) <= 1e-6) }
    #expect(h.state.jacobian.check == "rev = fwd ✓")
  }

  @Test func aWrongCustomRuleShowsWhereRevAndFwdDiffer() throws {
    // The rule adds a constant to the tangent: not linear, so jacfwd sees it and the transposed
    // (reverse) program does not.
    let script = """
      # fn: f
      # x: jnp.array([1., 2.])
      import jax
      import jax.numpy as jnp

      @jax.custom_jvp
      def f(x):
          return jnp.sin(x)

      @f.defjvp
      def f_jvp(primals, tangents):
          (x,), (t,) = primals, tangents
          return jnp.sin(x), jnp.cos(x) * t + 1.0
      """
    let h = ExplorerHarness(example: try #require(Example(script: script, name: "wrong rule")))
    #expect(h.state.jacobian.done)
    #expect(h.state.jacobian.check == "rev and fwd differ at (0, 0)")
    #expect(h.screen.contains("rev and fwd differ at (0, 0)"))
    // Columns (jvp) against jacrev: the same entry.
    h.press(.tab, .tab, .tab)
    h.press(.char("m"))
    #expect(h.state.jacobian.mode == .columns)
    #expect(h.state.jacobian.check == "rev and fwd differ at (0, 0)")
  }

  @Test func theGradientCheckNamesAWrongRulesWorstEntryAndShowsItsHeatMap() throws {
    let example = try #require(Examples.all.first { $0.title.contains("wrong factor") })
    let h = ExplorerHarness(example: example)
    let gc = try #require(h.state.jacobian.gradient)
    #expect(!gc.passed)
    #expect(h.screen.contains("FD ✗ at ("))
    #expect(h.screen.contains("finite differences 0.5403  relative error 5.0e-01"))
    h.press(.tab, .tab, .tab)
    h.press(.char("c"))
    #expect(h.state.jacobian.showCheck)
    #expect(h.screen.contains("[relative error]"))
    #expect(h.screen.contains("gradient check fails at ("))
    Snapshot.check(h.screen, "jacobian-check-120x40")
    // A new evaluation (the plot zoomed) keeps the view.
    h.press(.tab)
    h.press(.char("+"))
    #expect(h.state.jacobian.showCheck)
    h.press(.backTab)
    h.press(.char("c"))
    #expect(!h.state.jacobian.showCheck)
  }

  @Test func theCubesGradientCheckAgrees() {
    let h = ExplorerHarness()
    #expect(h.state.jacobian.gradient?.verdict == .agree)
    #expect(h.screen.contains("rev = fwd ✓  FD ✓"))
  }

  @Test func everyExampleEvaluatesWithoutAnError() {
    #expect(Examples.all.count >= 8)
    for e in Examples.all {
      let h = ExplorerHarness(example: e)
      #expect(h.state.error == nil, "\(e.title): \(h.state.error?.summary ?? "")")
      #expect(h.state.evaluation != nil, "\(e.title)")
    }
  }

  @Test func theCursorKeysMoveTheResultsPoint() {
    let h = ExplorerHarness()
    h.press(.tab)
    #expect(h.state.focus == .plot)
    h.press(.right)
    let x = Double(h.state.fields[.x]?.string ?? "") ?? .nan
    #expect(x > 1 && x < 1.1)
    h.press(.char("+"))
    #expect(abs(h.state.range.upperBound - h.state.range.lowerBound - 2) < 1e-12)
    h.press(.char("0"))
    #expect(h.state.range == -2...2)
  }

  @Test func helpAndQuitFollowTheKeyTable() {
    let h = ExplorerHarness()
    h.press(.function(1))
    #expect(h.state.overlay == .help)
    for b in KeyTable.bindings { #expect(h.screen.contains(b.does) || h.state.height < 40, "\(b.does)") }
    h.press(.escape)
    #expect(h.state.overlay == nil)
    let (_, commands) = Explorer.update(h.state, .key(.ctrl("q")))
    #expect(commands == [.quit])
    // q types in the function entry, and quits outside a text field.
    h.type("q")
    #expect(h.state.function.string.hasSuffix("q"))
    h.press(.backspace, .escape)
    let (_, outside) = Explorer.update(h.state, .key(.char("q")))
    #expect(outside == [.quit])
  }

  @Test func lineEditingKeysWorkAsReadline() {
    var e = LineEditor("lambda x: jnp.sin(x)")
    _ = e.handle(.ctrl("w"))
    #expect(e.string == "lambda x: jnp.sin(")
    _ = e.handle(.ctrl("a"))
    _ = e.handle(.alt("f"))
    #expect(e.cursor == 6)
    _ = e.handle(.ctrl("k"))
    #expect(e.string == "lambda")
    _ = e.handle(.ctrl("_"))
    #expect(e.string == "lambda x: jnp.sin(")
    _ = e.handle(.ctrl("e"))
    _ = e.handle(.ctrl("u"))
    #expect(e.string == "")
  }

  @Test func tooSmallTerminalShowsOnlyTheNote() {
    var s = State(width: 39, height: 12)
    Explorer.load(Examples.first, into: &s)
    let text = Explorer.view(s).text
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "terminal too small (40×12 needed)")
    s.width = 10
    s.height = 3
    let narrow = Explorer.view(s).text
    #expect(narrow.contains("terminal") && narrow.contains("too small"))
  }

  @Test(arguments: [(120, 40), (80, 24), (40, 12)])
  func snapshotsOfTheCube(size: (Int, Int)) {
    let h = ExplorerHarness(width: size.0, height: size.1)
    Snapshot.check(h.screen, "cube-\(size.0)x\(size.1)")
  }

  @Test func snapshotOfAnError() {
    let h = ExplorerHarness()
    h.type(" +")
    Snapshot.check(h.screen, "error-120x40")
  }

  @Test func snapshotOfTheLogisticJacobianInASCII() throws {
    let logistic = try #require(Examples.all.first { $0.title.contains("logistic") })
    let h = ExplorerHarness(width: 100, height: 30, example: logistic)
    h.state.ascii = true
    let text = h.screen
    #expect(text.unicodeScalars.allSatisfy { $0.value < 0x80 })
    Snapshot.check(text, "logistic-ascii-100x30")
  }
}

@Suite struct GridTests {
  @Test func writesOutsideTheGridAreClipped() {
    var g = Grid(width: 4, height: 2)
    g.fill(x: -3, y: 0, width: 1, height: 1, with: Cell("x"))
    g.fill(x: 0, y: -5, width: 2, height: 2, with: Cell("x"))
    g.fill(x: 3, y: 1, width: 10, height: 10, with: Cell("y"))
    g.restyle(x: -10, y: -10, width: 3, height: 3) { $0.bold = true }
    g.put("abcdef", x: -2, y: 0)
    #expect(g.lines == ["cdef", "   y"])
    #expect(Grid(width: -1, height: 3).lines == ["", "", ""])
  }

  @Test func wideCharactersTakeTwoColumns() {
    var g = Grid(width: 5, height: 1)
    g.put("a漢b", x: 0, y: 0)
    #expect(g.lines == ["a漢b "])
    #expect(Grid.columns("漢字") == 4)
  }
}

@Suite struct SessionFileTests {
  func temporary() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-session-\(UUID().uuidString)/session.json")
      .path
  }

  @Test func aSessionRoundTripsThroughItsFile() throws {
    let h = ExplorerHarness()
    h.type(" + 1")
    h.state.range = -5...7
    h.state.x64 = true
    let path = temporary()
    try SessionFile(h.state).write(path)
    var s = State()
    try #require(try SessionFile.read(path)).apply(to: &s)
    #expect(s.function.string == "lambda x: x**3 + 1")
    #expect(s.range == -5...7)
    #expect(s.x64)
    #expect(s.workspace.string == h.state.workspace.string)
    // Written atomically: no temporary file is left beside it.
    let dir = (path as NSString).deletingLastPathComponent
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["session.json"])
  }

  @Test(arguments: [
    ("{not json", "not a JSON object"), ("{\"function\": \"f\"}", "no version field"),
    ("{\"version\": 99}", "version 99 is newer"), ("{\"version\": 1, \"function\": 3}", "malformed"),
  ])
  func aMalformedOrNewerFileIsRefusedAndLeftAlone(text: String, reason: String) throws {
    let path = temporary()
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: SessionFileError.self) { try SessionFile.read(path) }
    do {
      _ = try SessionFile.read(path)
    } catch {
      #expect(error.description.contains(reason), "\(error.description)")
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
  }

  /// A file cut short, and one of random bytes, are refused and left as they are.
  @Test func truncatedAndBinaryFilesAreRefused() throws {
    let h = ExplorerHarness()
    let path = temporary()
    try SessionFile(h.state).write(path)
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    var g = SystemRandomNumberGenerator()
    for contents in [whole.prefix(whole.count / 2), Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) })]
    {
      try contents.write(to: URL(fileURLWithPath: path))
      #expect(throws: SessionFileError.self) { try SessionFile.read(path) }
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == contents)
    }
  }

  /// A save killed after writing its temporary file and before renaming it leaves the old file
  /// whole; the next save removes the dead process's temporary.
  @Test func aSaveKilledMidwayLosesNothing() throws {
    let h = ExplorerHarness()
    let path = temporary()
    try SessionFile(h.state).write(path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    // The temporary a killed process (a pid that does not exist) left, half written.
    let dead: pid_t = 4_000_000
    let stale = path + ".tmp-\(dead)"
    try before.prefix(10).write(to: URL(fileURLWithPath: stale))
    #expect(try SessionFile.read(path) != nil)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    h.type(" + 1")
    try SessionFile(h.state).write(path)
    let dir = (path as NSString).deletingLastPathComponent
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["session.json"])
  }

  @Test func exportsThePlotAndTheJacobian() throws {
    let logistic = try #require(Examples.all.first { $0.title.contains("logistic") })
    let h = ExplorerHarness(example: logistic)
    guard case .success(let csv) = Export.contents(for: "j.csv", h.state) else {
      Issue.record("no CSV")
      return
    }
    let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n")
    #expect(lines.first == "row,x0,x1,x2")
    #expect(lines.count == 5)
    #expect(lines[1].hasPrefix("0,0.0506941"))
    guard case .success(let svg) = Export.contents(for: "p.svg", h.state) else {
      Issue.record("no SVG")
      return
    }
    #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
    guard case .failure(let e) = Export.contents(for: "p.doc", h.state) else {
      Issue.record("a .doc export should be refused")
      return
    }
    #expect(e.description.contains(".svg"))
  }

  @Test func ctrlEAsksForAFileName() {
    let h = ExplorerHarness()
    h.press(.escape)  // leave the function entry: Ctrl-E is end-of-line there
    let (s, _) = Explorer.update(h.state, .key(.ctrl("e")))
    #expect(s.prompt?.string == "fluxion-plot.svg")
    var t = s
    for k: Key in [.backspace, .backspace, .backspace, .char("t"), .char("x"), .char("t")] {
      t = Explorer.update(t, .key(k)).0
    }
    let (done, commands) = Explorer.update(t, .key(.enter))
    #expect(commands == [.export("fluxion-plot.txt")])
    #expect(done.prompt == nil)
  }

  @Test func aBracketedPasteArrivesAsOneKey() {
    var d = PasteDecoder()
    let start: [Key] = [.alt("["), .char("2"), .char("0"), .char("0"), .char("~")]
    let first = d.fold([.char("a")] + start + [.char("x"), .enter])
    #expect(first == [.char("a")])
    let second = d.fold([.char("y"), .alt("["), .char("2"), .char("0"), .char("1"), .char("~"), .char("b")])
    #expect(second == [.paste("x\ny"), .char("b")])
  }
}

/// The panes in the states that matter, as snapshots (TUI.md "How it is built and tested").
@Suite struct PaneSnapshotTests {
  @Test(arguments: [(120, 40), (80, 24)])
  func jaxprPane(size: (Int, Int)) {
    let h = ExplorerHarness(width: size.0, height: size.1)
    h.press(.function(4))
    #expect(h.state.focus == .jaxpr)
    Snapshot.check(h.screen, "jaxpr-\(size.0)x\(size.1)")
    h.press(.char("v"))
    #expect(h.screen.contains("[grad f]"))
    Snapshot.check(h.screen, "jaxpr-grad-\(size.0)x\(size.1)")
  }

  @Test func workspaceWithPrintedOutput() {
    let h = ExplorerHarness()
    h.press(.function(3))
    #expect(h.state.focus == .workspace)
    h.press(.enter)
    h.type("print('scale', 2 * 3)")
    h.press(.escape, .tab, .tab, .tab, .tab, .tab)
    #expect(h.state.output == "scale 6\n")
    Snapshot.check(h.screen, "workspace-120x40")
  }

  @Test(arguments: [(120, 40), (80, 24), (40, 12)])
  func helpOverlay(size: (Int, Int)) {
    let h = ExplorerHarness(width: size.0, height: size.1)
    h.press(.function(1))
    Snapshot.check(h.screen, "help-\(size.0)x\(size.1)")
  }

  @Test func examplesMenu() {
    let h = ExplorerHarness()
    h.press(.function(2), .down)
    Snapshot.check(h.screen, "examples-120x40")
  }

  @Test func evaluatingShowsTheElapsedTime() {
    let h = ExplorerHarness()
    var s = h.state
    s.generation += 1
    s.stale = true
    s.evaluatingSince = Date(timeIntervalSince1970: 0)
    s.now = Date(timeIntervalSince1970: 2.5)
    let text = Explorer.view(s).text
    #expect(text.contains("evaluating… 2.5 s  Esc stops"))
    Snapshot.check(text, "evaluating-120x40")
  }

  @Test func aJacobianLargerThanThePaneScrollsWithItsCursor() {
    let e = Example(
      script: """
        # Fluxion example: a 30x30 Jacobian
        # fn: lambda x: jnp.tanh(W @ x)
        # x: jnp.linspace(-1, 1, 30)
        import jax.numpy as jnp
        W = jnp.reshape(jnp.sin(jnp.arange(900.0)), (30, 30))
        """)!
    let h = ExplorerHarness(example: e)
    #expect(h.state.jacobian.rows == 30 && h.state.jacobian.columns == 30)
    #expect(h.state.jacobian.check == "rev = fwd ✓")
    h.press(.tab, .tab, .tab)
    for _ in 0..<25 { h.press(.down) }
    for _ in 0..<12 { h.press(.right) }
    #expect(h.screen.contains("row 25"))
    #expect(h.screen.contains("∂f₂₅/∂x₁₂"))
    Snapshot.check(h.screen, "jacobian-30x30-120x40")
  }

  @Test func aNaNInTheGradientIsTracedToTheEquationAndTheSourceThatMadeIt() throws {
    let e = try #require(
      Example(
        script: """
          # Fluxion example: the gradient of where(x > 0, sqrt(x), 0) at 0
          # fn: lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.)
          # x: 0.0
          import jax.numpy as jnp
          """))
    let h = ExplorerHarness(example: e)
    let note = try #require(h.state.evaluation?.nonFinite)
    #expect(note.program == "grad f")
    #expect(note.summary == "div gave inf from 0.5, 0.")
    #expect(note.line == "non-finite in grad f: div gave inf from 0.5, 0. at 1:28")
    #expect(h.screen.contains("non-finite in grad f: div gave inf"))
    // The span of jnp.sqrt(x) is underlined in the function's text (its columns 28 to 38, after
    // the border and a space).
    let grid = Explorer.view(h.state)
    let row = 1
    let underlined = (0..<grid.width).filter { grid[$0, row].style.underline }
    #expect(underlined == Array(29...39), "\(underlined)")
    // F4: the gradient's program, the equation marked.
    h.press(.function(4))
    #expect(h.state.jaxprView == 1)
    let marked = Explorer.view(h.state)
    let markedRows = (0..<marked.height).filter { y in
      (0..<marked.width).contains { marked[$0, y].style.reverse && marked[$0, y].character == "=" }
    }
    #expect(markedRows.count == 1)
    if let y = markedRows.first {
      let text = String((0..<marked.width).map { marked[$0, y].character })
      #expect(text.contains("= div 0.5:f32[] c"), "\(text)")
    }
    Snapshot.check(h.screen, "nan-origin-120x40")
    // The safe rewrite: no NaN, no note.
    h.press(.function(4))
    for _ in 0..<h.state.function.string.count { h.press(.backspace) }
    h.type("lambda x: jnp.where(x > 0, jnp.sqrt(jnp.where(x > 0, x, 1.)), 0.)")
    #expect(h.state.evaluation?.nonFinite == nil)
    #expect(h.state.evaluation?.results.first { $0.label == "grad" }?.value == "0")
  }

  static let keyReuseScript = """
    # Fluxion example: noise drawn twice from one key
    # fn: lambda w: jnp.sum((w * xs - ys) ** 2)
    # x: 0.5
    import jax.numpy as jnp
    from jax import random
    key = random.PRNGKey(0)
    xs = random.normal(key, (8,))
    ys = 2 * xs + 0.1 * random.normal(key, (8,))
    """

  @Test func aReusedKeyInTheWorkspaceIsWarnedOfWithBothPlaces() throws {
    let h = ExplorerHarness(example: try #require(Example(script: Self.keyReuseScript)))
    #expect(
      h.state.evaluation?.warnings == [
        "PRNG key reuse: random.normal at line 8, column 21 uses the key that random.normal used at line 7, "
          + "column 6; split it for each use"
      ])
    #expect(h.screen.contains("⚠ PRNG key reuse: random.normal at"))
    Snapshot.check(h.screen, "key-reuse-120x40")
  }

  @Test func theTaylorViewOverlaysTheQuadraticAtTheCursor() throws {
    let h = ExplorerHarness()
    h.press(.tab)
    h.press(.char("T"))
    #expect(h.state.taylor)
    // x³ at 1: f'' = 6.
    #expect(h.state.evaluation?.curvature == 6)
    #expect(h.screen.contains("Taylor 1, 2 (f''=6)"))
    let canvas = try #require(PlotPane.canvas(h.state))
    #expect(canvas.tangent == PlotTangent(x: 1, y: 1, slope: 3, curvature: 6))
    Snapshot.check(h.screen, "taylor-120x40")
    // It moves with the cursor: at 1.5, f'' = 9.
    for _ in 0..<5 { h.press(.right) }
    let x = try #require(h.state.evaluation?.pointX)
    #expect(abs(try #require(h.state.evaluation?.curvature) - 6 * x) < 1e-5)
    h.press(.char("T"))
    #expect(!h.state.taylor)
    #expect(!h.screen.contains("Taylor 1, 2"))
  }

  @Test func theTaylorViewOfASliceUsesTheSecondDerivativeAlongV() throws {
    let e = try #require(
      Example(script: "# fn: lambda x: jnp.sum(x**2)\n# x: jnp.array([1., 2.])\nimport jax.numpy as jnp\n"))
    let h = ExplorerHarness(example: e)
    h.press(.tab)
    h.press(.char("T"))
    // d²/dt² Σ(xᵢ + t)² = 2n.
    #expect(h.state.evaluation?.curvature == 4)
  }

  @Test func theDerivativeExplainedSideBySideWithValuesAndSourceSpans() throws {
    let e = try #require(Example(script: "# fn: lambda x: jnp.sin(x) * x**2\n# x: 1.5\nimport jax.numpy as jnp\n"))
    let h = ExplorerHarness(example: e)
    h.press(.function(4))
    // Only the view shown is traced: f's program, not the side-by-side one.
    #expect(h.state.evaluation?.jaxprs.first??.hasPrefix("{ lambda ; a:f32[]. let") == true)
    #expect(h.state.evaluation?.hasExplained == true && h.state.evaluation?.explained == nil)
    // The side-by-side view is the last (V from the first); choosing it traces it.
    h.press(.char("V"))
    #expect(h.state.jaxprView == h.state.evaluation!.jaxprs.count)
    let programs = try #require(h.state.evaluation?.explained)
    #expect(programs.map(\.title) == ["f", "linearized (jvp)", "transposed (vjp)"])
    // f = sin(x)·x²: its equations sin, integer_pow, mul; each with its value at 1.5.
    let f = programs[0].listing
    #expect(f.equations.map { $0.text.split(separator: " ")[2] } == ["sin", "integer_pow[y=2]", "mul"])
    #expect(f.equations.map(\.values) == [["0.997495"], ["2.25"], ["2.2443638"]])
    #expect(programs[1].listing.equations.count >= 3)
    #expect(programs[2].listing.equations.count >= 3)
    // n steps, w switches program, = shows values.
    h.press(.char("n"), .char("="))
    #expect(h.state.explainRow == 1)
    #expect(h.screen.contains("f: c:f32[] = integer_pow[y=2] a  ⇒ 2.25   (line 1, columns 24–27)"))
    // The selected equation's source (x**2) is underlined in the function's text.
    let grid = Explorer.view(h.state)
    let underlined = (0..<grid.width).filter { grid[$0, 1].style.underline }
    #expect(underlined == Array(25...28), "\(underlined)")
    Snapshot.check(h.screen, "explained-120x40")
    h.press(.char("w"))
    #expect(h.state.explainProgram == 1 && h.state.explainRow == 0)
    #expect(h.screen.contains("linearized (jvp): "))
  }

  @Test func theStructureViewOfRosenbrocksHessian() throws {
    let example = try #require(Examples.all.first { $0.title.contains("Rosenbrock") })
    let h = ExplorerHarness(example: example)
    h.press(.tab, .tab, .tab)
    #expect(h.state.focus == .jacobian)
    h.press(.char("s"))
    #expect(h.state.jacobian.showStructure)
    let st = try #require(h.state.jacobian.structure)
    #expect(st.rank == min(h.state.jacobian.rows, h.state.jacobian.columns))
    #expect(h.screen.contains("singular values "))
    #expect(h.screen.contains("[structure]"))
    #expect(h.screen.contains("sparsity: one cell an entry"))
    Snapshot.check(h.screen, "structure-120x40")
    h.press(.char("s"))
    #expect(!h.state.jacobian.showStructure)
  }

  @Test func theStructureOfAScalarFunctionNamesItsCriticalPoint() throws {
    let e = try #require(
      Example(
        script: """
          # fn: lambda x: (1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2
          # x: jnp.array([1., 1.])
          import jax.numpy as jnp
          """))
    let h = ExplorerHarness(example: e)
    h.press(.tab, .tab, .tab, .char("s"))
    #expect(h.state.jacobian.structure?.hessianVerdict == "minimum: the gradient is zero and H is positive definite")
    #expect(h.screen.contains("Hessian eigenvalues 0.3994, 1002: minimum"))
  }

  @Test func nanInThePlotBreaksTheCurve() {
    let e = Example(
      script: "# Fluxion example: sqrt\n# fn: lambda x: jnp.sqrt(x)\n# x: 1.0\n# range: -2 2\nimport jax.numpy as jnp\n"
    )!
    let h = ExplorerHarness(example: e)
    h.state.tangent = false
    let plot = h.screen.split(separator: "\n").dropFirst(6).prefix(16)
    // x < 0: sqrt and its derivative are NaN, so the left half of the plot has no curve marks
    // (only the axes: the y axis, its ticks and the dotted x = 0 line).
    for line in plot {
      let left = line.dropFirst(6).prefix(30)
      #expect(left.allSatisfy { $0 == " " || $0 == "│" || $0 == "┤" || $0 == "⠨" || $0 == "⠅" }, "\(line)")
    }
    Snapshot.check(h.screen, "nan-plot-120x40")
  }

  @Test func aPartlyAssembledJacobianShowsItsRowsSoFar() {
    let h = ExplorerHarness()
    let g = h.state.generation
    h.send(.jacobianStarted(generation: g, rows: 4, columns: 3, mode: .rows))
    h.send(.jacobianLine(generation: g, index: 0, values: [1, 2, 3]))
    h.send(.jacobianLine(generation: g, index: 1, values: [-4, 0.5, 6]))
    let text = h.screen
    #expect(text.contains("Jacobian 4×3  rows via vjp(eᵢ)  2/4"))
    #expect(text.contains("row 2           ·         ·         ·"))
    Snapshot.check(text, "jacobian-partial-120x40")
  }
}

/// Every row of the key table does what it says where it says.
@Suite struct KeyTableTests {
  @Test func everyBoundKeyMapsToItsRowsAction() {
    for b in KeyTable.bindings where !b.keys.isEmpty {
      for key in b.keys {
        let a = KeyTable.action(for: key, in: b.context, inTextField: b.context == .textField)
        #expect(a == b.action(for: key), "\(key.label) in \(b.context.rawValue)")
      }
    }
  }

  @Test func theStatusBarAndHelpComeFromTheTable() {
    let h = ExplorerHarness()
    for hint in KeyTable.hints.prefix(5) { #expect(h.screen.contains("\(hint.key) \(hint.does)")) }
    h.press(.function(1))
    for b in KeyTable.bindings { #expect(h.screen.contains(b.keyText.prefix(20)), "\(b.keyText)") }
  }

  @Test func tabVisitsThePanesInOrderAndShiftTabGoesBack() {
    let h = ExplorerHarness()
    var seen: [Pane] = []
    for _ in 0..<4 {
      seen.append(h.state.focus)
      h.press(.tab)
    }
    #expect(seen == [.function, .plot, .results, .jacobian])
    #expect(h.state.focus == .function)
    h.press(.backTab)
    #expect(h.state.focus == .jacobian)
  }

  @Test func plotKeysZoomPanAndToggle() {
    let h = ExplorerHarness()
    h.press(.tab)
    h.press(.char("l"))
    #expect(abs(h.state.range.lowerBound - -1.2) < 1e-12)
    h.press(.char("0"), .char("-"))
    #expect(h.state.range.upperBound - h.state.range.lowerBound > 7.9)
    h.press(.char("a"))
    #expect(!h.state.autoscale && h.state.yRange != nil)
    let y = h.state.yRange!
    h.press(.char("k"))
    #expect(h.state.yRange!.lowerBound > y.lowerBound)
    h.press(.char("t"))
    #expect(!h.state.tangent)
    h.press(.char("0"))
    #expect(h.state.autoscale && h.state.range == -2...2)
  }

  @Test func resultsFieldsEditTheDirection() {
    let h = ExplorerHarness()
    h.press(.tab, .tab)
    #expect(h.state.focus == .results)
    h.press(.down)
    #expect(h.state.field == .v)
    h.type("2.0")
    #expect(h.state.evaluation?.results.first { $0.label.hasPrefix("jvp") }?.value == "6")
  }

  @Test func ctrlXTogglesX64() {
    let h = ExplorerHarness()
    h.press(.ctrl("x"))
    #expect(h.state.x64)
    #expect(h.state.evaluation?.results.first { $0.label == "grad" }?.type == "f64[]")
  }
}

@Suite struct SeveralArgumentsTests {
  @Test func aTupleIsSeveralArgumentsAndArgnumsPicksTheGradient() {
    let e = Example(
      script: "# Fluxion example: two arguments\n# fn: lambda a, b: a * b**2\n# x: (3.0, 2.0)\nimport jax\n")!
    let h = ExplorerHarness(example: e)
    #expect(h.state.evaluation?.results.first?.value == "12")
    #expect(h.state.evaluation?.results.first { $0.label.hasPrefix("grad") }?.value == "4")
    h.press(.tab, .tab)
    h.press(.down, .down, .down)
    #expect(h.state.field == .argnums)
    h.type("0, 1")
    #expect(h.state.evaluation?.results.first { $0.label.hasPrefix("grad") }?.value == "(4, 12)")
    #expect(h.state.jacobian.message?.contains("2 arguments") == true)
  }
}

@Suite struct FieldErrorTests {
  @Test func anErrorInXShowsAboveTheFields() {
    let h = ExplorerHarness()
    h.press(.tab, .tab)
    h.press(.ctrl("u"))
    h.type("undefined_name")
    #expect(h.state.error?.source == .x)
    #expect(h.screen.contains("x: NameError: name 'undefined_name'"))
    #expect(!h.screen.contains("(x line 1)"))
    #expect(h.state.stale)
  }
}

@Suite struct JaxprScrollTests {
  @Test func theArrowsScrollTheProgram() throws {
    let mlp = try #require(Examples.all.first { $0.title.contains("MLP") })
    let h = ExplorerHarness(example: mlp)
    h.press(.function(4))
    let first = h.screen
    h.press(.down, .down)
    #expect(h.state.jaxprTop == 2)
    #expect(h.screen != first)
    h.press(.pageUp)
    #expect(h.state.jaxprTop == 0)
  }
}

@Suite struct ColumnModeTests {
  @Test func theCubesJacobianInColumnsIsItsDerivative() {
    let h = ExplorerHarness()
    h.press(.tab, .tab, .tab, .char("m"))
    #expect(h.state.jacobian.mode == .columns)
    #expect(h.state.jacobian.values == [3])
    #expect(h.state.jacobian.check == "rev = fwd ✓")
  }

  @Test func numbersKeepTheirShortForms() {
    #expect(Format.short(12345) == "12345")
    #expect(Format.short(-0.0) == "0")
    #expect(Format.short(0.050694) == "0.05069")
    #expect(Format.short(1.5e-7) == "1.5e-7")
    #expect(Format.short(.nan) == "nan")
    #expect(Format.short(-.infinity) == "-inf")
  }
}

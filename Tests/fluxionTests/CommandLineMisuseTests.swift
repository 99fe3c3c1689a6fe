import Foundation
import Testing

/// Command-line misuse (docs/BAD-INPUT.md, "The command line"): every subcommand with
/// missing, repeated, malformed and extreme option values gets one clear line on stderr, exit
/// status 2, and writes nothing — not to stdout, not to a file.
struct CommandLineMisuseTests {
  struct Row: Sendable, CustomTestStringConvertible {
    let id: String
    let arguments: [String]
    /// Part of the one line on stderr.
    let says: String
    var testDescription: String { id }
    init(_ id: String, _ arguments: [String], _ says: String) {
      (self.id, self.arguments, self.says) = (id, arguments, says)
    }
  }

  static let f = "lambda x: x**3"
  /// A file path the rows may try to write; it must not exist afterwards.
  static let unwritten = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-misuse-\(getpid()).svg")
    .path

  static let rows: [Row] = [
    Row("cli.plot_range_reversed", ["plot", f, "--range", "3", "-3"], "--range A B needs A < B (got 3 and -3)"),
    Row("cli.plot_range_empty", ["plot", f, "--range", "1", "1"], "--range A B needs A < B"),
    Row("cli.plot_range_not_finite", ["plot", f, "--range", "nan", "1"], "--range needs finite numbers"),
    Row("cli.plot_range_one_number", ["plot", f, "--range", "1"], "--range takes two numbers A B (got 1)"),
    Row(
      "cli.plot_range_repeated", ["plot", f, "--range", "0", "1", "--range", "2", "3"],
      "--range is given more than once"),
    Row("cli.plot_width_zero", ["plot", f, "--width", "0"], "--width must be between 1 and 2000 (got 0)"),
    Row("cli.plot_width_negative", ["plot", f, "--width", "-5"], "--width must be between 1 and 2000 (got -5)"),
    Row("cli.plot_width_huge", ["plot", f, "--width", "100000000"], "--width must be between 1 and 2000"),
    Row(
      "cli.plot_width_not_a_number", ["plot", f, "--width", "abc"], "The value 'abc' is invalid for '--width <width>'"),
    Row("cli.plot_height_zero", ["plot", f, "--height", "0"], "--height must be between 1 and 1000 (got 0)"),
    Row("cli.plot_at_without_value", ["plot", f, "--at"], "Missing value for '--at <at>'"),
    Row("cli.plot_at_does_not_parse", ["plot", f, "--at", "1 +"], "--at '1 +' does not parse: SyntaxError"),
    Row("cli.plot_along_without_at", ["plot", f, "--along", "1."], "--along needs --at"),
    Row("cli.plot_expr_not_callable", ["plot", "3"], "EXPR '3' is not callable (it is a int)"),
    Row(
      "cli.plot_svg_no_directory", ["plot", f, "--svg", "/nonexistent/dir/x.svg"],
      "can't write the SVG file '/nonexistent/dir/x.svg': no directory"),
    Row(
      "cli.plot_svg_is_a_directory", ["plot", f, "--svg", "/tmp"], "can't write the SVG file '/tmp': it is a directory"),
    Row(
      "cli.plot_svg_unwritable", ["plot", f, "--svg", "/proc/fluxion.svg"],
      "can't write the SVG file '/proc/fluxion.svg'"),
    Row("cli.plot_svg_with_a_bad_expr", ["plot", "3", "--svg", unwritten], "EXPR '3' is not callable"),
    Row("cli.grad_without_expr", ["grad"], "Missing expected argument '<expr>'"),
    Row("cli.grad_without_at", ["grad", f], "Missing expected argument '--at <at>'"),
    Row("cli.grad_at_repeated", ["grad", f, "--at", "1.", "--at", "2."], "--at is given more than once"),
    Row(
      "cli.grad_at_does_not_parse", ["grad", f, "--at", "import os"],
      "--at 'import os' does not parse: SyntaxError: invalid syntax"),
    Row("cli.grad_at_fails", ["grad", f, "--at", "undefined_name"], "--at 'undefined_name' fails: NameError"),
    Row("cli.grad_expr_does_not_parse", ["grad", "lambda x: x[", "--at", "1."], "EXPR 'lambda x: x[' does not parse"),
    Row("cli.grad_expr_not_callable", ["grad", "3", "--at", "1."], "EXPR '3' is not callable"),
    Row(
      "cli.grad_argnums_not_a_number", ["grad", f, "--at", "1.", "--argnums", "x"],
      "The value 'x' is invalid for '--argnums"),
    Row("cli.jacobian_mode_unknown", ["jacobian", f, "--at", "[1., 2.]", "--mode", "sideways"], "sideways"),
    Row(
      "cli.jacobian_mode_without_value", ["jacobian", f, "--at", "[1., 2.]", "--mode"],
      "Missing value for '--mode <mode>'"),
    Row(
      "cli.jacobian_flag_repeated", ["jacobian", f, "--at", "[1., 2.]", "--csv", "--csv"],
      "--csv is given more than once"),
    Row("cli.jaxpr_without_at", ["jaxpr", f], "Missing expected argument '--at <at>'"),
    Row("cli.explain_without_at", ["explain", f], "Missing expected argument '--at <at>'"),
    Row("cli.run_without_file", ["run"], "Missing expected argument '<file>'"),
    Row("cli.run_no_such_file", ["run", "/nonexistent/script.py"], "can't open file '/nonexistent/script.py'"),
    Row("cli.run_a_directory", ["run", "/tmp"], "can't open file '/tmp'"),
    Row("cli.eval_without_code", ["eval"], "Missing expected argument '<code>'"),
    Row(
      "cli.setup_no_such_file", ["grad", f, "--at", "1.", "--setup", "/nonexistent.py"],
      "can't open setup file '/nonexistent.py'"),
    Row("cli.tui_without_a_terminal", ["tui", "--fn", f], "the explorer needs a terminal"),
    Row("cli.tui_fn_without_value", ["tui", "--fn"], "Missing value for '--fn <fn>'"),
    Row("cli.unknown_subcommand", ["nonsense"], "nonsense"),
    Row("cli.unknown_option", ["grad", f, "--at", "1.", "--frobnicate"], "--frobnicate"),
  ]

  @Test("a misused command says why in one line, exits 2 and writes nothing", arguments: rows)
  func misuse(_ row: Row) throws {
    try? FileManager.default.removeItem(atPath: Self.unwritten)
    let r = try CommandLineTests.run(row.arguments)
    #expect(r.status == 2, "\(row.id): status \(r.status), \(r.stderr)")
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(row.id): \(r.stderr)")
    #expect(r.stderr.hasPrefix("fluxion: ") || r.stderr.hasPrefix("Error: "), "\(row.id): \(r.stderr)")
    #expect(r.stderr.contains(row.says), "\(row.id): \(r.stderr)")
    #expect(r.stdout.isEmpty, "\(row.id): printed \(r.stdout.prefix(200))")
    #expect(!FileManager.default.fileExists(atPath: Self.unwritten), "\(row.id): wrote \(Self.unwritten)")
    #expect(!FileManager.default.fileExists(atPath: "/proc/fluxion.svg"))
  }

  /// docs/BAD-INPUT.md lists every row, and each of its command-line rows is tested here.
  @Test func theTableListsEveryRow() throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/BAD-INPUT.md")
    let listed = try String(contentsOf: docs, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("| `cli."), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
      return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
    }
    #expect(Set(listed) == Set(Self.rows.map(\.id) + ["cli.nonfinite_exports", "cli.invalid_utf8_script"]))
  }

  /// A script that is not UTF-8 is Python's SyntaxError, naming the file and the line.
  @Test func invalidUTF8IsASyntaxError() throws {
    let path = try CommandLineTests.temporaryFile("x = 1\n")
    try Data([0x78, 0x20, 0x3D, 0x20, 0x31, 0x0A, 0x73, 0x20, 0x3D, 0x20, 0x27, 0xFF, 0x27, 0x0A]).write(
      to: URL(fileURLWithPath: path))
    let r = try CommandLineTests.run(["run", path])
    #expect(r.status == 1)
    #expect(
      r.stderr.contains(
        "SyntaxError: Non-UTF-8 code starting with '\\xff' in file \(path) on line 2, but no encoding declared"),
      "\(r.stderr)")
  }

  /// NaN and infinities reach the exports as values: the CSV writes nan/inf, the SVG leaves gaps.
  @Test func nonFiniteValuesAreExportedAsValues() throws {
    let csv = try CommandLineTests.run(["jacobian", "lambda x: 1 / x", "--at", "[0., -1.]", "--csv"])
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(csv.stdout.contains("inf"), "\(csv.stdout)")
    let svgPath = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-log-\(getpid()).svg").path
    defer { try? FileManager.default.removeItem(atPath: svgPath) }
    let setup = try CommandLineTests.temporaryFile("import jax.numpy as jnp\n")
    let plot = try CommandLineTests.run([
      "plot", "lambda x: jnp.log(x)", "--range", "-1", "1", "--setup", setup, "--svg", svgPath, "--ascii",
    ])
    #expect(plot.status == 0, "\(plot.stderr)")
    let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
    #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
    #expect(
      !svg.contains("NaN") && !svg.contains("nan") && !svg.contains("inf"), "the SVG holds a non-finite coordinate")
  }
}

import Foundation
import Testing

/// The explorer as a person meets it: the real binary in tmux, keys sent, the screen read,
/// waiting for what should appear (with a deadline, never a fixed sleep).
@Suite(.serialized) struct ExplorerEndToEndTests {
  /// One tmux server per test (its own socket), killed at the end.
  final class Tmux {
    let socket = "fluxion-e2e-\(UUID().uuidString.prefix(8))"
    let dataHome = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-e2e-\(UUID().uuidString)")
      .path

    /// Runs a tmux command and returns its output. posix_spawn and waitpid, with the output in
    /// a file: a command that starts the server must not hand it a pipe (the server keeps it
    /// open), and Foundation's Process did not reap the client here.
    @discardableResult
    func run(_ args: [String]) throws -> String {
      let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        .path
      defer { try? FileManager.default.removeItem(atPath: outPath) }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      let argv = ["tmux", "-L", socket] + args
      var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
      defer { for p in cargs { free(p) } }
      // tmux and the explorer under it start as from a shell: no signal blocked, a UTF-8 locale.
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      var none = sigset_t()
      sigemptyset(&none)
      posix_spawnattr_setsigmask(&attributes, &none)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
      var env = ProcessInfo.processInfo.environment
      env["LANG"] = "C.UTF-8"
      env["LC_ALL"] = nil
      env["NO_COLOR"] = nil
      // Each test's session file (autosaved on quit) in a folder of its own.
      env["XDG_DATA_HOME"] = dataHome
      var cenv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { for p in cenv { free(p) } }
      var pid: pid_t = 0
      guard posix_spawnp(&pid, "tmux", &actions, &attributes, &cargs, &cenv) == 0 else {
        throw CocoaError(.fileNoSuchFile)
      }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
      return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// Starts `fluxion tui …` in a detached session of `width`×`height`.
    convenience init(width: Int = 120, height: Int = 40, arguments: String = "tui", environment: String = "") throws {
      try self.init(command: "\(environment) \(Self.explorer) \(arguments)", width: width, height: height)
    }

    /// Starts `command` (a shell, say) in a detached session of `width`×`height`.
    init(command: String, width: Int = 120, height: Int = 40) throws {
      try run(["new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)", command])
      try run(["set-option", "-t", "e2e", "remain-on-exit", "on"])
    }

    static var explorer: String { CommandLineTests.binary.path }

    deinit {
      _ = try? run(["kill-server"])
      try? FileManager.default.removeItem(atPath: dataHome)
    }

    var sessionFile: String { dataHome + "/fluxion/session.json" }

    func keys(_ k: String...) throws { try run(["send-keys", "-t", "e2e"] + k) }

    func screen(colours: Bool = false) throws -> String {
      try run(["capture-pane", "-p", "-t", "e2e"] + (colours ? ["-e"] : []))
    }

    func format(_ f: String) throws -> String {
      try run(["display-message", "-p", "-t", "e2e", f]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen satisfies `condition` (up to `seconds`); returns the last screen.
    @discardableResult
    func waitFor(
      _ what: String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
      _ condition: (String) -> Bool
    ) throws -> String {
      let deadline = Date().addingTimeInterval(seconds)
      var last = ""
      while Date() < deadline {
        last = try screen()
        if condition(last) { return last }
        usleep(20_000)
      }
      Issue.record("timed out waiting for \(what); the screen:\n\(last)", sourceLocation: sourceLocation)
      return last
    }

    func waitFor(_ text: String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws {
      try waitFor("“\(text)”", seconds: seconds, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    func waitForExit(seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        if try format("#{pane_dead}") == "1" { return }
        usleep(20_000)
      }
      Issue.record("the explorer did not exit", sourceLocation: sourceLocation)
    }
  }

  static var hasTmux: Bool {
    ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/tmux")
    } ?? false
  }

  @Test func tmuxIsThere() {
    #expect(Self.hasTmux, "tmux is needed for the explorer's end-to-end tests (make test installs it)")
  }

  @Test(.enabled(if: hasTmux)) func startsOnTheCubeAndFollowsTyping() throws {
    let t = try Tmux()
    try t.waitFor("lambda x: x**3")
    try t.waitFor("grad      3")
    try t.keys("BSpace", "2")
    try t.waitFor("grad      2")
    try t.waitFor("lambda x: x**2")
    // An error keeps the results, marked stale, with a caret under the text.
    try t.keys(" +")
    let s = try t.waitFor("the syntax error") { $0.contains("SyntaxError") }
    #expect(s.contains("stale"))
    #expect(s.contains("grad      2"))
  }

  @Test(.enabled(if: hasTmux)) func theLogisticExampleShowsTheSeedsJacobianRows() throws {
    let t = try Tmux()
    try t.waitFor("grad      3")
    try t.keys("F2")
    try t.waitFor("Examples")
    try t.keys("Down", "Enter")
    let s = try t.waitFor("the logistic Jacobian, checked") {
      $0.contains("lambda W: predict(W, b, inputs)") && $0.contains("Jacobian 4×3") && $0.contains("rev = fwd ✓")
    }
    // The seed's rows (05_logistic_vjp_rows), four significant digits.
    for row in [
      "row 0     0.05069    0.1092   0.07507", "row 1      0.1417   -0.1739   0.02415",
      "row 2      0.1254   0.01447   -0.3351", "row 3    0.005744  -0.01933   0.01079",
    ] {
      #expect(s.contains(row), "\(row)")
    }
  }

  @Test(.enabled(if: hasTmux)) func resizingToAnySizeKeepsAScreenThatMakesSense() throws {
    let t = try Tmux()
    try t.waitFor("grad      3")
    for (w, h) in [(80, 24), (50, 14), (39, 11), (20, 5), (100, 30), (120, 40)] {
      try t.run(["resize-window", "-t", "e2e", "-x", "\(w)", "-y", "\(h)"])
      if w < 40 || h < 12 {
        try t.waitFor("the too-small note at \(w)×\(h)") { $0.contains("too small") && !$0.contains("lambda") }
      } else {
        try t.waitFor("the layout at \(w)×\(h)") { $0.contains("lambda x: x**3") && $0.contains("F1 help") }
      }
    }
  }

  @Test(.enabled(if: hasTmux)) func noColorMeansNoColours() throws {
    let t = try Tmux(environment: "NO_COLOR=1")
    try t.waitFor("grad      3")
    let s = try t.screen(colours: true)
    // tmux writes SGR colour codes 30–37/90–97 (foreground) and 38;5 for any colour shown.
    let colour = try Regex(#"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;5;[0-9]+)m"#)
    #expect(s.firstMatch(of: colour) == nil)
    let coloured = try Tmux()
    try coloured.waitFor("grad      3")
    #expect(try coloured.screen(colours: true).firstMatch(of: colour) != nil)
  }

  @Test(.enabled(if: hasTmux)) func quittingRestoresTheTerminal() throws {
    for key in ["C-q", "F10", "C-c"] {
      let t = try Tmux()
      try t.waitFor("grad      3")
      #expect(try t.format("#{alternate_on}") == "1")
      try t.keys(key)
      try t.waitForExit()
      #expect(try t.format("#{alternate_on}") == "0", "\(key)")
      // The exit status, once tmux has reaped the process (it sometimes leaves it a zombie).
      let status = try t.format("#{pane_dead_status}/#{pane_dead_signal}")
      #expect(status == "0/" || status == "/", "\(key): exit status/signal \(status)")
    }
  }

  @Test(.enabled(if: hasTmux)) func quittingSavesTheSessionAndTheNextStartRestoresIt() throws {
    let t = try Tmux()
    try t.waitFor("grad      3")
    try t.keys("BSpace", "2")
    try t.waitFor("grad      2")
    try t.keys("C-q")
    try t.waitForExit()
    let saved = try String(contentsOfFile: t.sessionFile, encoding: .utf8)
    #expect(saved.contains("\"function\" : \"lambda x: x**2\""))
    // The same data home, a new explorer: the function comes back.
    try t.run(["respawn-pane", "-t", "e2e", "\(CommandLineTests.binary.path) tui"])
    try t.waitFor("lambda x: x**2")
    try t.waitFor("session restored")
  }

  @Test(.enabled(if: hasTmux)) func ctrlSSavesAndCtrlOLoadsTheSession() throws {
    let t = try Tmux()
    try t.waitFor("grad      3")
    try t.keys("BSpace", "2")
    try t.waitFor("grad      2")
    try t.keys("C-s")
    try t.waitFor("saved to")
    try t.keys("BSpace", "4")
    try t.waitFor("grad      4")
    try t.keys("C-o")
    try t.waitFor("the loaded session, evaluated") { $0.contains("loaded ") && $0.contains("grad      2") }
  }

  @Test(.enabled(if: hasTmux)) func sigtermRestoresTheTerminal() throws {
    let t = try Tmux()
    try t.waitFor("grad      3")
    let pid = try t.format("#{pane_pid}")
    let kill = Process()
    kill.executableURL = URL(fileURLWithPath: "/bin/kill")
    kill.arguments = ["-TERM", pid]
    try kill.run()
    kill.waitUntilExit()
    try t.waitForExit()
    #expect(try t.format("#{alternate_on}") == "0")
  }

  @Test(.enabled(if: hasTmux)) func theGradientCheckCatchesAWrongCustomRule() throws {
    let script = CommandLineTests.example("09_wrong_rule.py")
    let t = try Tmux(arguments: "tui \(script)")
    // Every entry is off by a factor of 2: the worst is whichever rounds highest.
    try t.waitFor("FD ✗ at (")
    try t.keys("Tab", "Tab", "Tab", "c")
    try t.waitFor("[relative error]")
    try t.waitFor("the verdict") { $0.contains("gradient check fails at (") && $0.contains("(relative error 0.5)") }
  }

  @Test(.enabled(if: hasTmux)) func aNaNInTheGradientIsTracedToItsEquation() throws {
    let t = try Tmux(arguments: "tui --fn 'lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.)'")
    try t.waitFor("grad      0.5")
    // x = 0: f is 0, its gradient NaN.
    try t.keys("Tab", "Tab", "Home", "C-k")
    try t.keys("-l", "0.0")
    try t.waitFor("non-finite in grad f: div gave inf")
    try t.keys("F4")
    let s = try t.waitFor("the gradient's program") {
      $0.contains("[grad f]") && $0.contains("d:f32[] = div 0.5:f32[] c")
    }
    #expect(s.contains("from 0.5, 0. at 1:28"))
    // The marked line is drawn in reverse video.
    let coloured = try t.screen(colours: true)
    let line = coloured.split(separator: "\n").first { $0.contains("div 0.5:f32[] c") } ?? ""
    #expect(line.contains("\u{1b}[7m") || line.contains(";7m") || line.contains("[7;"), "\(line.debugDescription)")
  }

  @Test(.enabled(if: hasTmux)) func aReusedKeyIsWarnedOf() throws {
    let script = try CommandLineTests.temporaryFile(
      """
      # fn: lambda w: jnp.sum((w * xs - ys) ** 2)
      # x: 0.5
      import jax.numpy as jnp
      from jax import random
      key = random.PRNGKey(0)
      xs = random.normal(key, (8,))
      ys = 2 * xs + 0.1 * random.normal(key, (8,))
      """, name: "reuse.py")
    let t = try Tmux(arguments: "tui \(script)")
    try t.waitFor("⚠ PRNG key reuse: random.normal at")
    try t.waitFor("line 7, column 21 uses the key that")
  }

  @Test(.enabled(if: hasTmux)) func theTaylorViewFollowsTheCursor() throws {
    let t = try Tmux()
    try t.waitFor("grad      3")
    try t.keys("Tab", "T")
    try t.waitFor("Taylor 1, 2 (f''=6)")
    // Two steps right of the cursor (x = 1.05556 at this width): f'' = 6x.
    try t.keys("Right", "Right")
    try t.waitFor("Taylor 1, 2 (f''=6.333)")
  }

  @Test(.enabled(if: hasTmux)) func theDerivativeExplainedSideBySide() throws {
    let t = try Tmux(arguments: "tui --fn 'lambda x: jnp.sin(x) * x**2'")
    try t.waitFor("grad      ")
    try t.keys("F4")
    try t.waitFor("[f] grad f optimised f · jvp · vjp")
    try t.keys("v", "v", "v")
    try t.waitFor("linearized (jvp)")
    try t.keys("n", "=")
    try t.waitFor("f: c:f32[] = integer_pow[y=2] a  ⇒ 1.   (line 1, columns 24–27)")
    try t.keys("w")
    try t.waitFor("linearized (jvp): b:f32[] = ")
  }

  @Test(.enabled(if: hasTmux)) func theStructureViewNamesTheCriticalPoint() throws {
    let t = try Tmux(arguments: "tui --fn 'lambda x: (1 - x[0])**2 + 100 * (x[1] - x[0]**2)**2'")
    // x = 1.0 at first (an error: x[0] of a float); then x = [1., 1.], Rosenbrock's minimum.
    try t.waitFor("not subscriptable")
    try t.keys("Tab", "Tab", "Home", "C-k")
    try t.keys("-l", "jnp.array([1., 1.])")
    try t.waitFor("grad      [0, 0]")
    try t.keys("Tab", "s")
    try t.waitFor("[structure]")
    try t.waitFor("Hessian eigenvalues 0.3994, 1002: minimum: the gradient is zero and H is positive")
  }

  @Test(.enabled(if: hasTmux)) func theMouseWheelZoomsThePlotWhenMouseIsOn() throws {
    // xterm's terminfo names SGR mouse reports (kmous=\E[<); tmux passes the report through.
    let t = try Tmux(arguments: "tui --mouse", environment: "TERM=xterm-256color")
    // Zoom is around the evaluated point (x = 1): wait for it.
    try t.waitFor("grad      3")
    // The wheel is the plot's (Tab focuses it; keys are read in order).
    try t.keys("Tab")
    try t.keys("-l", "\u{1b}[<64;40;15M")
    try t.waitFor("on [-0.5, 1.5]")
    try t.keys("-l", "\u{1b}[<65;40;15M")
    try t.waitFor("on [-2, 2]")
  }

  @Test(.enabled(if: hasTmux)) func ctrlZSuspendsToTheShellAndFgRedraws() throws {
    // A shell with job control, as a person has (tmux itself continues a pane's own process
    // when it stops).
    let t = try Tmux(command: "env PS1='$ ' HISTFILE=/dev/null bash --norc --noprofile -i")
    // capture-pane drops trailing blanks: the prompt is a line "$".
    let prompt = { (screen: String) in screen.split(separator: "\n").contains { $0 == "$" } }
    try t.waitFor("the prompt", prompt)
    try t.keys("-l", "\(Tmux.explorer) tui")
    try t.keys("Enter")
    try t.waitFor("grad      3")
    try t.keys("C-z")
    try t.waitFor("Stopped")
    #expect(try t.format("#{alternate_on}") == "0")
    try t.keys("-l", "fg")
    try t.keys("Enter")
    try t.waitFor("the explorer again") { $0.contains("lambda x: x**3") && $0.contains("grad      3") }
    #expect(try t.format("#{alternate_on}") == "1")
    try t.keys("BSpace", "2")
    try t.waitFor("grad      2")
    try t.keys("C-q")
    try t.waitFor("the shell after quitting") { !$0.contains("lambda x") && prompt($0) }
    #expect(try t.format("#{alternate_on}") == "0")
  }
}

import Foundation
import Testing

/// Terminal faults (docs/BAD-INPUT.md, "The terminal"): terminals that cannot show the explorer,
/// signals, sizes from 1×1 to 500×200 and storms of resizes, and a disk that refuses the session
/// file. The explorer says what is wrong in one line, restores the terminal, and loses nothing.
@Suite(.serialized) struct ExplorerFaultTests {
  typealias Tmux = ExplorerEndToEndTests.Tmux
  static var hasTmux: Bool { ExplorerEndToEndTests.hasTmux }

  /// A shell in tmux, for commands whose exit status and messages are read from the screen.
  static func shell() throws -> Tmux { try Tmux(command: "bash --norc --noprofile", width: 120, height: 30) }

  @Test(.enabled(if: hasTmux)) func terminalsThatCannotShowTheExplorerGetOneLine() throws {
    let t = try Self.shell()
    let explorer = Tmux.explorer
    for (prefix, says) in [
      ("TERM=dumb", "needs a terminal that can move the cursor (TERM=dumb)"),
      ("TERM=no-such-terminal", "unknown terminal type 'no-such-terminal'"),
      ("env -u TERM", "needs a terminal that can move the cursor (TERM=unset)"),
    ] {
      try t.keys("clear; \(prefix) \(explorer) tui; echo status=$?", "Enter")
      try t.waitFor("\(prefix): its line and status 2") { $0.contains(says) && $0.contains("status=2") }
    }
    // Standard input closed, or not a terminal; output into a pipe.
    try t.keys("clear; \(explorer) tui <&-; echo status=$?", "Enter")
    try t.waitFor("stdin closed") { $0.contains("the explorer needs a terminal") && $0.contains("status=2") }
    try t.keys("clear; \(explorer) tui | cat; echo status=${PIPESTATUS[0]}", "Enter")
    try t.waitFor("output to a pipe") { $0.contains("the explorer needs a terminal") && $0.contains("status=2") }
    // A script's output into a pipe that closes: the script stops as a Unix tool does.
    try t.keys(
      "clear; \(explorer) eval 'for i in range(10**6): print(i)' | head -1; echo status=${PIPESTATUS[0]}", "Enter")
    try t.waitFor("a closed pipe") { $0.contains("status=141") }
  }

  @Test(.enabled(if: hasTmux)) func signalsRestoreTheTerminal() throws {
    for signal in ["INT", "HUP", "QUIT", "SEGV"] {
      let t = try Tmux()
      try t.waitFor("grad      3")
      #expect(try t.format("#{alternate_on}") == "1")
      let kill = Process()
      kill.executableURL = URL(fileURLWithPath: "/bin/kill")
      kill.arguments = ["-\(signal)", try t.format("#{pane_pid}")]
      try kill.run()
      kill.waitUntilExit()
      try t.waitForExit()
      #expect(try t.format("#{alternate_on}") == "0", "SIG\(signal) left the alternate screen on")
    }
  }

  @Test(.enabled(if: hasTmux)) func tinyHugeAndStormySizesKeepTheExplorerWorking() throws {
    let t = try Tmux(width: 1, height: 1)
    // At 1×1 there is nothing to show; the explorer must still be alive, and follow the sizes.
    usleep(500_000)
    #expect(try t.format("#{pane_dead}") == "0")
    try t.run(["resize-window", "-t", "e2e", "-x", "500", "-y", "200"])
    try t.waitFor("the layout at 500×200") { $0.contains("lambda x: x**3") && $0.contains("grad      3") }
    // A storm of resizes, as a window manager dragging a corner sends them.
    var g = SystemRandomNumberGenerator()
    for _ in 0..<60 {
      let (w, h) = (Int.random(in: 1...300, using: &g), Int.random(in: 1...120, using: &g))
      try t.run(["resize-window", "-t", "e2e", "-x", "\(w)", "-y", "\(h)"])
    }
    try t.run(["resize-window", "-t", "e2e", "-x", "120", "-y", "40"])
    try t.waitFor("the layout after the storm") { $0.contains("lambda x: x**3") && $0.contains("F1 help") }
    try t.keys("BSpace", "2")
    try t.waitFor("grad      2")
    #expect(try t.format("#{pane_dead}") == "0")
  }

  /// A session file that cannot be written (the file-size limit at 0, as a full disk): Ctrl-S
  /// says why, quitting says it once the terminal is back, and the saved file is the old one.
  @Test(.enabled(if: hasTmux)) func aSessionThatCannotBeSavedKeepsTheOldOne() throws {
    let t = try Self.shell()
    let home = t.dataHome
    let run = "XDG_DATA_HOME=\(home) \(Tmux.explorer) tui"
    try t.keys("clear; \(run); echo status=$?", "Enter")
    try t.waitFor("grad      3")
    try t.keys("BSpace", "2")
    try t.waitFor("grad      2")
    try t.keys("C-q")
    try t.waitFor("status=0")
    let saved = try String(contentsOfFile: t.sessionFile, encoding: .utf8)
    #expect(saved.contains("lambda x: x**2"))

    try t.keys("clear; (ulimit -f 0; \(run); echo status=$?)", "Enter")
    try t.waitFor("session restored")
    try t.keys("BSpace", "4")
    try t.waitFor("grad      4")
    try t.keys("C-s")
    try t.waitFor("cannot be written (File too large)")
    try t.keys("C-q")
    try t.waitFor("the message after quitting") {
      $0.contains("fluxion: the session was not saved") && $0.contains("status=1")
    }
    #expect(try String(contentsOfFile: t.sessionFile, encoding: .utf8) == saved)
    let dir = (t.sessionFile as NSString).deletingLastPathComponent
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["session.json"])
  }
}

import CCurses
import Foundation

/// The curses backend, the only file that touches ncurses: raw mode, keys decoded to `Key`,
/// and a grid drawn by writing only the cells that changed since the last frame, with one
/// `doupdate` a frame.
final class CursesTerminal {
  private var previous: Grid?
  private var pairs: [UInt16: Int16] = [:]
  private let color: Bool
  private let screen: OpaquePointer
  /// Whether the locale's character set is UTF-8 (else the explorer draws in ASCII).
  let unicode: Bool

  /// Why the terminal cannot be taken over: not a terminal, a terminal type terminfo does not
  /// know, or one that cannot move the cursor (TERM=dumb).
  struct Unavailable: Error {
    let reason: String
  }

  /// Takes over the terminal, or says why it cannot.
  init(color wantColor: Bool, mouse: Bool) throws(Unavailable) {
    setlocale(LC_ALL, "")
    unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
      throw Unavailable(reason: "the explorer needs a terminal (TERM=\(term))")
    }
    guard !term.isEmpty, term != "dumb" else {
      throw Unavailable(
        reason: "the explorer needs a terminal that can move the cursor (TERM=\(term.isEmpty ? "unset" : term))")
    }
    TerminalGuard.install()
    guard let s = newterm(nil, fx_stdout(), fx_stdin()) else {
      throw Unavailable(reason: "unknown terminal type '\(term)' (no terminfo entry; try TERM=xterm-256color)")
    }
    set_term(s)
    // A terminfo entry without cursor addressing cannot show the explorer.
    let cup = tigetstr("cup")
    if cup == nil || Int(bitPattern: cup) == -1 {
      endwin()
      delscreen(s)
      throw Unavailable(reason: "the explorer needs a terminal that can move the cursor (TERM=\(term))")
    }
    screen = s
    raw()
    noecho()
    nonl()
    keypad(fx_stdscr(), true)
    nodelay(fx_stdscr(), true)
    curs_set(0)
    let delay = ProcessInfo.processInfo.environment["ESCDELAY"].flatMap { Int32($0) } ?? 25
    set_escdelay(delay)
    color = wantColor && has_colors()
    if color {
      start_color()
      use_default_colors()
    }
    if mouse { mousemask(fx_wheel_mask(), nil) }
    // Bracketed paste: the terminal marks pasted text, which arrives as one key.
    writeRaw("\u{1B}[?2004h")
  }

  private func writeRaw(_ s: String) {
    _ = s.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
  }

  var size: (width: Int, height: Int) {
    (Int(fx_getmaxx(fx_stdscr())), Int(fx_getmaxy(fx_stdscr())))
  }

  /// Restores the terminal.
  func end() {
    writeRaw("\u{1B}[?2004l")
    endwin()
    delscreen(screen)
  }

  /// Leaves the screen for the shell (Ctrl-Z) and redraws everything on return.
  func suspend() {
    writeRaw("\u{1B}[?2004l")
    def_prog_mode()
    endwin()
    // SIGSTOP, not SIGTSTP: ncurses' own SIGTSTP handler did not stop the process when raised
    // from this thread. The shell sees the job stopped either way; `fg` sends SIGCONT.
    // raise, not kill(getpid()): a signal to the process may be taken by another thread while
    // this one runs on and takes the screen back before the stop (seen in tmux); a signal to
    // this thread stops it on the way out of the call.
    raise(SIGSTOP)
    reset_prog_mode()
    writeRaw("\u{1B}[?2004h")
    clearok(fx_stdscr(), true)
    refresh()
    previous = nil
  }

  /// Shows `grid`, writing the cells that differ from the last frame.
  func draw(_ grid: Grid) {
    let old = previous.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
    if old == nil { clearok(fx_stdscr(), true) }
    var buffer: [wchar_t] = Array(repeating: 0, count: 6)
    let width = grid.width
    // The cells compared in place, a row and then a cell at a time: equal bytes are equal cells
    // (unequal bytes may still be, and `==` decides then), with no copies of cells to compare.
    let empty: [Cell] = []
    (old?.cells ?? empty).withUnsafeBufferPointer { before in
      grid.cells.withUnsafeBufferPointer { cells in
        guard let now = cells.baseAddress, width > 0 else { return }
        let was = before.count == cells.count ? before.baseAddress : nil
        for start in stride(from: 0, to: cells.count, by: width) {
          if let was, memcmp(was + start, now + start, width * MemoryLayout<Cell>.stride) == 0 { continue }
          for i in start..<(start + width) {
            if let was, memcmp(was + i, now + i, MemoryLayout<Cell>.size) == 0 || was[i] == now[i] { continue }
            let cell = now[i]
            if cell.character == Cell.continuation.character { continue }
            var k = 0
            for scalar in cell.character.unicodeScalars where k < 4 {
              buffer[k] = wchar_t(bitPattern: scalar.value)
              k += 1
            }
            buffer[k] = 0
            _ = fx_put_cell(Int32(i / width), Int32(i % width), buffer, attributes(cell.style), pair(cell.style))
          }
        }
      }
    }
    wnoutrefresh(fx_stdscr())
    doupdate()
    previous = grid
  }

  /// Writes `text` to the terminal as it is, after what ncurses has written (an invisible
  /// escape sequence: the trace's frame marker).
  func passThrough(_ text: String) {
    fflush(fx_stdout())
    let bytes = Array(text.utf8)
    var off = 0
    while off < bytes.count {
      let n = bytes[off...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      off += n
    }
  }

  /// Forgets the last frame (the next one is drawn whole).
  func invalidate() { previous = nil }

  private func attributes(_ s: Style) -> attr_t {
    var a: attr_t = 0
    if s.bold { a |= fx_a_bold() }
    if s.dim && color { a |= fx_a_dim() }
    if s.reverse { a |= fx_a_reverse() }
    if s.underline { a |= fx_a_underline() }
    return a
  }

  private func pair(_ s: Style) -> Int16 {
    guard color, s.foreground != .default || s.background != .default else { return 0 }
    let key = UInt16(s.foreground.rawValue) << 8 | UInt16(s.background.rawValue)
    if let p = pairs[key] { return p }
    let n = Int16(pairs.count + 1)
    guard Int32(n) < fx_color_pairs() else { return 0 }
    init_pair(n, code(s.foreground), code(s.background))
    pairs[key] = n
    return n
  }

  private func code(_ c: Color) -> Int16 {
    switch c {
    case .default: -1
    case .black: Int16(COLOR_BLACK)
    case .red: Int16(COLOR_RED)
    case .green: Int16(COLOR_GREEN)
    case .yellow: Int16(COLOR_YELLOW)
    case .blue: Int16(COLOR_BLUE)
    case .magenta: Int16(COLOR_MAGENTA)
    case .cyan: Int16(COLOR_CYAN)
    case .white: Int16(COLOR_WHITE)
    case .gray: fx_colors() >= 16 ? 8 : Int16(COLOR_WHITE)
    }
  }

  /// The keys waiting (without blocking), and whether the terminal was resized.
  func readKeys() -> (keys: [Key], resized: Bool) {
    var keys: [Key] = []
    var resized = false
    var pendingEscape = false
    while true {
      var ch: wint_t = 0
      let r = get_wch(&ch)
      if r == ERR { break }
      if r == KEY_CODE_YES {
        let code = Int32(ch)
        if code == KEY_RESIZE {
          resized = true
          continue
        }
        if code == KEY_MOUSE {
          var event = MEVENT()
          if getmouse(&event) == OK {
            if fx_wheel_up(event.bstate) != 0 { keys.append(.wheelUp) }
            if fx_wheel_down(event.bstate) != 0 { keys.append(.wheelDown) }
          }
          continue
        }
        if pendingEscape {
          keys.append(.escape)
          pendingEscape = false
        }
        if let k = Self.functionKey(code) { keys.append(k) }
        continue
      }
      let v = UInt32(ch)
      if pendingEscape {
        pendingEscape = false
        if let s = Unicode.Scalar(v), v >= 0x20, v != 0x7F {
          keys.append(.alt(Character(s)))
          continue
        }
        keys.append(.escape)
      }
      if v == 27 {
        pendingEscape = true
        continue
      }
      if let k = Self.controlKey(v) {
        keys.append(k)
      } else if let s = Unicode.Scalar(v) {
        keys.append(.char(Character(s)))
      }
    }
    if pendingEscape { keys.append(.escape) }
    return (paste.fold(keys), resized)
  }

  private var paste = PasteDecoder()

  static func controlKey(_ v: UInt32) -> Key? {
    switch v {
    case 9: .tab
    case 10, 13: .enter
    case 8, 127: .backspace
    case 31: .ctrl("_")
    case 1...26: .ctrl(Character(Unicode.Scalar(v + 96)!))  // invariant: 97...122 are letters
    case 0..<32: nil
    default: nil
    }
  }

  static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_DC: return .delete
    case KEY_BACKSPACE: return .backspace
    case KEY_ENTER: return .enter
    case KEY_BTAB: return .backTab
    case KEY_SLEFT: return .shiftLeft
    case KEY_SRIGHT: return .shiftRight
    case KEY_SR: return .shiftUp
    case KEY_SF: return .shiftDown
    default:
      for n in 1...12 where code == fx_key_f(Int32(n)) { return .function(n) }
      return nil
    }
  }
}

/// The terminal as it was before the explorer started, restored by a fatal signal's handler
/// (tcsetattr and write only, which are async-signal-safe), which then re-raises the signal.
enum TerminalGuard {
  static let reset: StaticString = "\u{1B}[?1000l\u{1B}[?2004l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"

  /// Saves the terminal's modes and installs the handler for SIGTERM, SIGHUP, SIGINT (from
  /// outside: in raw mode Ctrl-C is a key), SIGQUIT and the crash signals.
  static func install() {
    fx_save_terminal_modes()
    _ = reset.utf8Start
    // A parent may have left signals blocked (a test runner does); the explorer's thread takes
    // the ones it needs: resize, stop and continue, and those that restore the terminal.
    var wanted = sigset_t()
    sigemptyset(&wanted)
    for sig in [SIGWINCH, SIGTSTP, SIGCONT, SIGTERM, SIGHUP, SIGINT, SIGQUIT] { sigaddset(&wanted, sig) }
    pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
    // A file past the size limit (a full quota, `ulimit -f`) is a failed write the explorer
    // reports, not a signal that kills it mid-save.
    signal(SIGXFSZ, SIG_IGN)
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = restoreAndReraise
      sigemptyset(&action.sa_mask)
      action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
      sigaction(sig, &action, nil)
    }
  }
}

private func restoreAndReraise(_ sig: Int32) {
  fx_restore_terminal_modes()
  _ = write(STDOUT_FILENO, TerminalGuard.reset.utf8Start, TerminalGuard.reset.utf8CodeUnitCount)
  signal(sig, SIG_DFL)
  raise(sig)
}

/// Folds a bracketed paste (`ESC [ 200 ~` … `ESC [ 201 ~`, which the key decoder sees as Alt-[
/// and characters) into one `.paste` key; a paste may span several reads.
struct PasteDecoder {
  /// The pasted text so far, while inside a paste.
  private var text: String?

  static let start: [Key] = [.alt("["), .char("2"), .char("0"), .char("0"), .char("~")]
  static let endMark = "\u{1B}[201~"

  mutating func fold(_ keys: [Key]) -> [Key] {
    var out: [Key] = []
    for k in keys {
      guard var t = text else {
        out.append(k)
        if out.count >= 5, Array(out.suffix(5)) == Self.start {
          out.removeLast(5)
          text = ""
        }
        continue
      }
      switch k {
      case .char(let c): t.append(c)
      case .enter: t.append("\n")
      case .tab: t.append("\t")
      case .alt(let c): t += "\u{1B}" + String(c)
      case .escape: t.append("\u{1B}")
      default: break
      }
      if t.hasSuffix(Self.endMark) {
        out.append(.paste(String(t.dropLast(Self.endMark.count))))
        text = nil
      } else {
        text = t
      }
    }
    return out
  }
}

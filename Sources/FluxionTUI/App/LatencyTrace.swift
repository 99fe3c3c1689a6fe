import Foundation

/// Keystroke latency tracing (TUI.md "Latency, defined"), off unless `FLUXION_TUI_TRACE=<path>`
/// is set: for every key, when it was read, when the echo frame (the first frame after it) was
/// shown, and when the first complete frame was (its generation's evaluation and Jacobian, or
/// its failure, all in). One JSON line a key, written to the path (buffered; flushed at exit).
///
/// After each complete frame that completes keys, `marker` is the invisible OSC sequence
/// `ESC ] 777 ; fluxion-frame ; <generation> ; <keys> BEL` (keys: how many keys have been read,
/// all of them complete now), for a harness reading the terminal to wait for.
final class LatencyTrace {
  private struct Pending {
    var index: Int
    var key: String
    var generation: Int
    var read: UInt64
    var echo: UInt64?
  }

  private let fd: Int32
  private var buffer: [UInt8] = []
  private var pending: [Pending] = []
  private var keys = 0
  private var markedGeneration = -1

  /// The trace `FLUXION_TUI_TRACE` asks for, or nil (unset, empty, or the file cannot be made).
  static func fromEnvironment() -> LatencyTrace? {
    guard let path = ProcessInfo.processInfo.environment["FLUXION_TUI_TRACE"], !path.isEmpty else { return nil }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    return fd < 0 ? nil : LatencyTrace(fd: fd)
  }

  private init(fd: Int32) { self.fd = fd }

  deinit {
    flush()
    close(fd)
  }

  /// Monotonic nanoseconds (CLOCK_MONOTONIC, the clock of Python's time.monotonic).
  static func now() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
  }

  /// A key was read at `at` and folded in; `generation` is the state's generation after it.
  func read(_ key: Key, at: UInt64, generation: Int) {
    keys += 1
    pending.append(Pending(index: keys, key: key.label, generation: generation, read: at))
  }

  /// An evaluator's message arrived (read at `at`): evaluations and Jacobians are traced too,
  /// one line each (`evaluation`: the steps' milliseconds; `jacobian`: when it ended).
  func received(_ m: Message, at: UInt64) {
    switch m {
    case .evaluated(let e):
      let steps = e.steps.map { "\"\($0.step)\": \(String(format: "%.4f", $0.milliseconds))" }.joined(separator: ", ")
      append(
        "{\"evaluation\": \(e.generation), \"at_ns\": \(at), \"ms\": \(String(format: "%.4f", e.milliseconds)), "
          + "\"steps\": {\(steps)}}\n")
    case .jacobianFinished(let g, _, _, _), .jacobianUnavailable(let g, _):
      append("{\"jacobian\": \(g), \"at_ns\": \(at)}\n")
    case .failed(let g, _, _):
      append("{\"failed\": \(g), \"at_ns\": \(at)}\n")
    default: break
    }
  }

  /// A frame's `doupdate` returned; returns the marker to write when the frame is complete and
  /// completes keys (or is the first complete frame of its generation).
  func frameShown(_ state: State) -> String? {
    let t = LatencyTrace.now()
    for i in pending.indices where pending[i].echo == nil { pending[i].echo = t }
    guard state.isComplete else { return nil }
    let done = pending.filter { $0.generation <= state.generation }
    guard !done.isEmpty || markedGeneration != state.generation else { return nil }
    pending.removeAll { $0.generation <= state.generation }
    for p in done { record(p, complete: t) }
    markedGeneration = state.generation
    return "\u{1B}]777;fluxion-frame;\(state.generation);\(keys - pending.count)\u{07}"
  }

  /// Writes what is buffered, with the keys never completed (their complete time null).
  func finish() {
    for p in pending { record(p, complete: nil) }
    pending = []
    flush()
  }

  private func record(_ p: Pending, complete: UInt64?) {
    func ms(_ t: UInt64?) -> String {
      guard let t, t >= p.read else { return "null" }
      return String(format: "%.4f", Double(t - p.read) / 1e6)
    }
    let key = p.key.unicodeScalars.map { s -> String in
      s == "\"" || s == "\\" ? "\\\(s)" : s.value < 0x20 ? String(format: "\\u%04x", s.value) : String(s)
    }.joined()
    let line =
      "{\"key\": \(p.index), \"name\": \"\(key)\", \"generation\": \(p.generation), \"read_ns\": \(p.read), "
      + "\"echo_ms\": \(ms(p.echo)), \"complete_ms\": \(ms(complete))}\n"
    append(line)
  }

  private func append(_ line: String) {
    buffer += Array(line.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  private func flush() {
    var off = 0
    while off < buffer.count {
      let n = buffer[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      off += n
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

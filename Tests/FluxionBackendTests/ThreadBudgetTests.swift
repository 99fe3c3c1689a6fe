#if os(Linux)
  import CKernels
  import Foundation
  import Synchronization
  import Testing

  @testable import FluxionBackend

  /// Concurrent callers share one budget of kernel threads: while more callers than cores run
  /// large elementwise ops, reductions and matmuls at once, the other threads that are runnable
  /// (Fluxion's helpers, OpenBLAS's threads, anything else) are never more than the cores.
  ///
  /// The count runs in a child process (an exit test), so no other test's threads are in
  /// `/proc/self/task` while it samples. It runs twice there: as OpenBLAS starts, and after
  /// OpenBLAS has been asked for twice the cores (as `OPENBLAS_NUM_THREADS` or another library in
  /// the process may ask), which Fluxion's own calls must not use.
  struct ThreadBudgetTests {
    // Its samples of /proc come too slowly under a sanitizer (make test runs it).
    @Test(.disabled(if: ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil, "too slow under the sanitizer"))
    func concurrentKernelsDoNotOversubscribeTheCores() async {
      let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
        let callers = 3 * Parallel.cores
        let first = ThreadSampler.measure(callers: callers, seconds: 1.5)
        fx_blas_set_num_threads(Int32(2 * Parallel.cores))
        let second = ThreadSampler.measure(callers: callers, seconds: 1.5)
        print(ThreadSampler.marker + first.line + " " + second.line)
      }
      guard let result else { return }
      let text = String(decoding: result.standardOutputContent, as: UTF8.self)
      guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(ThreadSampler.marker) }) else {
        Issue.record("the child printed no measurement: \(text)")
        return
      }
      let fields = line.dropFirst(ThreadSampler.marker.count).split(separator: " ")
      for (phase, name) in ["as OpenBLAS starts", "with OpenBLAS asked for more threads"].enumerated() {
        let (maximum, samples) = (Int(fields[3 * phase]) ?? .max, Int(fields[3 * phase + 1]) ?? 0)
        let histogram = fields[3 * phase + 2]
        #expect(samples >= 100, "\(name): too few samples of /proc/self/task (\(line))")
        #expect(
          maximum <= Parallel.cores,
          "\(name): \(maximum) runnable threads besides the callers on \(Parallel.cores) cores (count:samples \(histogram))"
        )
      }
    }
  }

  /// Runs kernels from several threads and samples the scheduler state of every other thread.
  enum ThreadSampler {
    static let marker = "runnable-besides-callers: "

    /// What the sampler and the callers share: the threads not to count, and when to stop.
    final class Shared: Sendable {
      let excluded = Mutex<Set<Int>>([])
      let stop = Atomic<Bool>(false)
    }

    struct Sample {
      var maximum = 0
      var samples = 0
      /// How many samples saw each count of runnable threads.
      var histogram: [Int: Int] = [:]

      /// "maximum samples count:samples,count:samples".
      var line: String {
        "\(maximum) \(samples) "
          + histogram.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
      }
    }

    /// This thread's kernel id, from the `/proc/thread-self` link ("<pid>/task/<tid>").
    static func currentTID() -> Int {
      var buffer = [CChar](repeating: 0, count: 64)
      let n = readlink("/proc/thread-self", &buffer, buffer.count - 1)
      guard n > 0 else { return -1 }
      let path = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      return Int(path.split(separator: "/").last ?? "") ?? -1
    }

    /// Every thread of the process with its state letter (R running or runnable, S sleeping, ...).
    static func threadStates() -> [(tid: Int, state: UInt8)] {
      guard let dir = opendir("/proc/self/task") else { return [] }
      defer { closedir(dir) }
      var out: [(Int, UInt8)] = []
      var buffer = [UInt8](repeating: 0, count: 512)
      while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let tid = Int(name) else { continue }
        let fd = open("/proc/self/task/\(tid)/stat", O_RDONLY)
        guard fd >= 0 else { continue }
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        close(fd)
        // "tid (comm) S ...": the state follows the last ')' (comm may hold spaces and parens).
        guard n > 0, let close = buffer[..<n].lastIndex(of: UInt8(ascii: ")")), close + 2 < n else { continue }
        out.append((tid, buffer[close + 2]))
      }
      return out
    }

    /// Starts `callers` threads that run kernels until `seconds` have passed, and meanwhile
    /// counts, over and over, the runnable threads that are neither a caller nor this one.
    static func measure(callers: Int, seconds: Double) -> Sample {
      // OpenBLAS's threads spin for about 0.1 s after they start; let them settle first.
      Thread.sleep(forTimeInterval: 0.5)
      let shared = Shared()
      shared.excluded.withLock { _ = $0.insert(currentTID()) }
      let started = DispatchSemaphore(value: 0)
      let finished = DispatchSemaphore(value: 0)
      for i in 0..<callers {
        Thread {
          shared.excluded.withLock { _ = $0.insert(currentTID()) }
          let a = DenseArray.filled(.float(0.5), shape: [4 * Parallel.threshold], dtype: .float32)
          let rows = DenseArray.filled(.float(0.5), shape: [256, 1024], dtype: .float32)
          let m = DenseArray.filled(.float(0.25), shape: [384, 384], dtype: .float32)
          started.signal()
          var round = i
          while !shared.stop.load(ordering: .relaxed) {
            switch round % 3 {
            case 0: _ = Elementwise.unary(.exp, Elementwise.binary(.add, a, a))
            case 1: _ = Reduction.reduce(.sum, Elementwise.binary(.mul, rows, rows), axes: [1])
            default: _ = Linalg.dotGeneral(m, m, contracting: ([1], [0]), batch: ([], []))
            }
            round += 1
          }
          finished.signal()
        }.start()
      }
      for _ in 0..<callers { started.wait() }
      let skip = shared.excluded.withLock { $0 }
      var sample = Sample()
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        let runnable = threadStates().filter { $0.state == UInt8(ascii: "R") && !skip.contains($0.tid) }.count
        sample.maximum = max(sample.maximum, runnable)
        sample.samples += 1
        sample.histogram[runnable, default: 0] += 1
      }
      shared.stop.store(true, ordering: .relaxed)
      for _ in 0..<callers { finished.wait() }
      return sample
    }
  }
#endif

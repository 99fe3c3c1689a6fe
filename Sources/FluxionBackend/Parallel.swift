import Dispatch
import Foundation

/// Splits `n` elements into chunks across the cores when `n` is large enough to pay for it.
public enum Parallel {
  /// Element count above which elementwise kernels split their work.
  public static let threshold = 1 << 18
  public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// Calls `body(start, count)` over `0..<n`, on several threads when `n >= threshold`.
  @inlinable public static func forChunks(_ n: Int, _ body: (Int, Int) -> Void) {
    if n < threshold || cores == 1 {
      body(0, n)
      return
    }
    let chunks = cores
    let size = (n + chunks - 1) / chunks
    withoutActuallyEscaping(body) { body in
      let box = UncheckedBox(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let start = c * size
        if start < n { box.value(start, min(size, n - start)) }
      }
    }
  }
}

/// Carries a value across the threads of one synchronous parallel loop. Sendable without
/// checking: the loop's chunks touch disjoint parts of it, and the caller waits for all of them.
public struct UncheckedBox<T>: @unchecked Sendable {
  public let value: T
  @inlinable public init(_ value: T) { self.value = value }
}

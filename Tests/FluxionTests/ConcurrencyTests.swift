import Dispatch
import Foundation
import Testing

@testable import Fluxion

/// Eager operations and transformations from several threads and tasks at once, each with its
/// own x64 setting: results stay right and (under `swift test --sanitize=thread`) race-free.
struct ConcurrencyTests {
  /// A small program whose result's dtype and value tell the mode it ran in.
  static func work(_ i: Int, x64: Bool) -> (DType, Double) {
    Config.withX64(x64) {
      let x = arange(Double(i % 7 + 3)) * 0.5
      let g = grad { (v: Tensor) in (sin(v) * v.pow(2)).sum() }(x)
      let y = vmap { (r: Tensor) in r * 2 + 1 }(reshape(g, [g.count, 1]))
      let total = y.sum() + Tensor(Double(i))
      return (total.dtype, (try? total.item()) ?? .nan)
    }
  }

  static func expected(_ i: Int) -> Double {
    let n = i % 7 + 3
    var s = 0.0
    for k in 0..<n {
      let v = Double(k) * 0.5
      s += 2 * (cos(v) * v * v + 2 * v * sin(v)) + 1
    }
    return s + Double(i)
  }

  @Test func threadsWithDifferentX64Settings() {
    let results = UnsafeMutableBufferPointer<(DType, Double)>.allocate(capacity: 64)
    defer { results.deallocate() }
    let box = UncheckedResults(results)
    DispatchQueue.concurrentPerform(iterations: 64) { i in
      box.buffer[i] = Self.work(i, x64: i % 2 == 0)
    }
    for i in 0..<64 {
      #expect(results[i].0 == (i % 2 == 0 ? .float64 : .float32), "thread \(i)")
      #expect(
        Swift.abs(results[i].1 - Self.expected(i)) < 1e-3 * Swift.max(1, Swift.abs(Self.expected(i))), "thread \(i)")
    }
  }

  @Test func tasksWithDifferentX64Settings() async {
    let results = await withTaskGroup(of: (Int, DType, Double).self) { group in
      for i in 0..<32 {
        group.addTask {
          let (d, v) = Self.work(i, x64: i % 3 == 0); return (i, d, v)
        }
      }
      var out: [(Int, DType, Double)] = []
      for await r in group { out.append(r) }
      return out
    }
    #expect(results.count == 32)
    for (i, d, v) in results {
      #expect(d == (i % 3 == 0 ? .float64 : .float32), "task \(i)")
      #expect(Swift.abs(v - Self.expected(i)) < 1e-3 * Swift.max(1, Swift.abs(Self.expected(i))), "task \(i)")
    }
  }

  @Test func largeOperationsFromSeveralThreads() {
    // Big enough for the kernels' own parallel split and for BLAS threads.
    let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: 8)
    defer { sums.deallocate() }
    let box = UncheckedResults(sums)
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      let a = full([512, 512], Double(i + 1))
      let m = matmul(a, ones([512, 512]))
      box.buffer[i] = (try? (exp(m * 0) * m).mean().item()) ?? .nan
    }
    for i in 0..<8 { #expect(sums[i] == Double(512 * (i + 1)), "thread \(i)") }
  }
}

/// Each concurrent iteration writes its own slot.
struct UncheckedResults<T>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<T>
  init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

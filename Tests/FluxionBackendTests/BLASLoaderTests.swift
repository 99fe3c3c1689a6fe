import CKernels
import Foundation
import Testing

@testable import FluxionBackend

/// OpenBLAS is loaded on first use with the kernel the CPU supports (its own detection falls
/// back to SSE3 kernels on models it does not know), and OPENBLAS_CORETYPE, when set, is obeyed.
struct BLASLoaderTests {
  @Test func openBLASRunsTheKernelThisCPUSupports() {
    let core = Linalg.blasCoreName
    if let asked = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
      #expect(Linalg.blasRequestedCore == nil)
      #expect(core.lowercased() == asked.lowercased())
    } else if let kernel = fx_blas_kernel_for_cpu() {
      #expect(Linalg.blasRequestedCore == String(cString: kernel))
      #expect(core == String(cString: kernel))
    }
    // The variable set for the load is gone again.
    #expect(
      ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil || Linalg.blasRequestedCore == nil)
  }

  @Test func productsRunOnTheLoadedLibrary() {
    let a = DenseArray.from((0..<6).map { Float($0) }, shape: [2, 3])
    let b = DenseArray.from((0..<12).map { Float($0) - 4 }, shape: [3, 4])
    let c = Linalg.dotGeneral(a, b, contracting: ([1], [0]), batch: ([], []))
    var expected = [Float](repeating: 0, count: 8)
    for i in 0..<2 {
      for j in 0..<4 { for k in 0..<3 { expected[i * 4 + j] += Float(i * 3 + k) * (Float(k * 4 + j) - 4) } }
    }
    #expect(c.elements(Float.self) == expected)
  }
}

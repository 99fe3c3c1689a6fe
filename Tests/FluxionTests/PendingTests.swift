import Foundation
import Testing

@testable import Fluxion

/// A tensor whose result is still being computed: every read of its data waits at the one
/// wait point, and tracing captures it without waiting.
struct PendingTests {
  /// A pending float32[3] that another thread fulfills after `delay`.
  static func later(_ values: [Float], after delay: Double = 0.02) -> (Tensor, PendingArray) {
    let (t, p) = Tensor.pending(ShapedArray(shape: [values.count], dtype: .float32))
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: delay)
      p.fulfill(.success(DenseArray.from(values, shape: [values.count])))
    }
    return (t, p)
  }

  @Test func readsWaitForTheResult() throws {
    let (x, _) = Self.later([1, 2, 3])
    #expect(x.shape == [3])
    #expect(x.dtype == .float32)
    #expect(try (x * 2 + 1).value().doubles == [3, 5, 7])
    #expect("\(x)" == "[1. 2. 3.]")
    #expect(try grad { (v: Tensor) in (v * v).sum() }(x).value().doubles == [2, 4, 6])
  }

  @Test func aFailedResultSurfacesAsItsError() {
    let (x, p) = Tensor.pending(ShapedArray(shape: [2], dtype: .float32))
    p.fulfill(.failure(.valueError("the kernel failed")))
    p.fulfill(.success(DenseArray.from([Float(1), 2], shape: [2])))  // ignored: results are written once
    #expect(x.error?.message == "the kernel failed")
    #expect((x + 1).error?.message == "the kernel failed")
  }

  /// make_jaxpr captures a pending value as a constant without waiting for it.
  @Test func tracingCapturesWithoutWaiting() throws {
    let (c, p) = Tensor.pending(ShapedArray(shape: [3], dtype: .float32))
    let j = try makeJaxpr({ (x: Tensor) in x * c }, ones([3])).get()
    #expect(j.constVars.count == 1)
    #expect(j.equations.map(\.primitive.name) == ["mul"])
    p.fulfill(.success(DenseArray.from([Float(4), 5, 6], shape: [3])))
    #expect(try j.eval([ones([3])])[0].value().doubles == [4, 5, 6])
  }

  /// Values made for the caller (zeros, ones, eye) are computed by bound operations, so they
  /// are equations under a trace and kernels eagerly, not memory the caller fills.
  @Test func creationGoesThroughOperations() throws {
    let j = try makeJaxpr({ (x: Tensor) in x + zerosLike(x) + eye(2, 3)[0] }, ones([3])).get()
    #expect(j.equations.map(\.primitive.name).contains("broadcast_in_dim"))
    #expect(j.equations.map(\.primitive.name).contains("iota"))
    #expect(try eye(2, 3, k: 1).value().doubles == [0, 1, 0, 0, 0, 1])
    #expect(try eye(3, k: -2).value().doubles == [0, 0, 0, 0, 0, 0, 1, 0, 0])
    #expect(try eye(2, k: Int.max).value().doubles == [0, 0, 0, 0])
    #expect(try eye(2, k: Int.min).value().doubles == [0, 0, 0, 0])
    #expect(try onesLike(Tensor([1.0, 2.0])).value().doubles == [1, 1])
  }
}

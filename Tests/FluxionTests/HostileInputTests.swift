import Foundation
import Testing

@testable import Fluxion

/// Bad input never traps: every call below must return (a value or an error), never crash.
struct HostileInputTests {
  @Test func impossibleShapesAreErrors() throws {
    #expect(zeros([-1]).error?.kind == .typeError)
    #expect(zeros([1 << 40, 1 << 40]).error?.kind == .resourceExhausted)
    #expect(ones([Int.max, 2]).error != nil)
    #expect(eye(-3).error != nil)
    #expect(eye(1 << 40).error?.kind == .resourceExhausted)
    #expect(linspace(0, 1, Int.max).error != nil)
    #expect(arange(0.0, 1e300).error != nil)
    #expect(arange(0.0, .infinity).error != nil)
    #expect(arange(Int.min, Int.max).error != nil)
    #expect(try arange(0, 10, step: Int.min).doubles == [])
    #expect(iota(.int32, [-4]).error != nil)
    #expect(iota(.int32, [3], dimension: 5).error != nil)
    #expect(Tensor(shape: [Int.max, Int.max], scalars: [], dtype: .float32).error != nil)
    #expect(reshape(arange(6), [Int.max, 2]).error != nil)
    #expect(reshape(arange(6), [-1, -1]).error != nil)
    #expect(broadcastTo(Tensor(1.0), [1 << 62, 8]).error != nil)
    #expect(pad(arange(3.0), [(Int.max, Int.max)]).error != nil)
    #expect(laxPad(arange(3.0), Tensor(0.0), [(0, 0, Int.max)]).error != nil)
    #expect(try slice(arange(5.0), start: [0], limit: [5], strides: [Int.max]).doubles == [0])
    #expect(slice(arange(5.0), start: [3], limit: [1], strides: [1]).error != nil)
  }

  @Test func extremeIndicesClampOrFail() throws {
    let x = arange(5.0)
    #expect(try x[Int.max].doubles == [4])
    #expect(try x[Int.min].doubles == [0])
    #expect(try x[.slice(start: Int.min, stop: Int.max, step: Int.max)].doubles == [0])
    #expect(try x[.slice(start: Int.max, stop: Int.min, step: Int.min)].doubles == [4])
    #expect(x[.slice(start: nil, stop: nil, step: 0)].error?.kind == .valueError)
    #expect(try x[Tensor([Int(Int32.max), Int(Int32.min)] as [Int])].doubles == [4, 0])
    #expect(x[0, 0].error?.kind == .indexError)
    #expect(try x.at[Int.max].set(1.0).doubles == [0, 1, 2, 3, 4])
    #expect(Tensor(3.0)[0].error != nil)
  }

  @Test func numericEdgesDoNotTrap() throws {
    #expect(
      try Tensor([Double.nan, .infinity, -.infinity, 1e30]).astype(.int32).doubles == [
        0, 2_147_483_647, -2_147_483_648, 2_147_483_647,
      ])
    #expect((Tensor([Int(Int32.min)], dtype: .int32) / Tensor([-1], dtype: .int32)).error == nil)
    #expect(floorDivide(Tensor([Int(Int32.min), 5], dtype: .int32), Tensor([-1, 0], dtype: .int32)).error == nil)
    #expect(try remainder(Tensor([Int(Int32.min)], dtype: .int32), Tensor([-1], dtype: .int32)).doubles == [0])
    #expect(Tensor([2.0]).pow(Int.min).error == nil)
    #expect(Tensor([2], dtype: .int32).pow(-1).error?.kind == .typeError)
    #expect(try (Tensor([1], dtype: .uint32) << Tensor([-1], dtype: .uint32)).doubles == [0])
    #expect(Tensor.weak(Int.max).error?.kind == .overflowError)
    #expect(try Config.withX64(true) { try Tensor.weak(Int.max).doubles.count } == 1)
  }

  @Test func randomWithBadArgumentsFails() {
    let key = Random.PRNGKey(0)
    #expect(Random.normal(key, [-3]).error != nil)
    #expect(Random.split(key, -1).error != nil)
    #expect(Random.split(key, shape: [1 << 40, 1 << 40]).error != nil)
    #expect(Random.choice(key, 0, [2]).error?.kind == .valueError)
    #expect(Random.choice(key, Tensor(Double.nan), [2]).error != nil)
    #expect(Random.randint(key, [3], minval: Int.min, maxval: Int.max).error?.kind == .overflowError)
    #expect(Random.foldIn(key, Int.max).error?.kind == .overflowError)
    #expect(Random.permutation(key, Tensor(1.0)).error != nil)
  }

  @Test func misusedTransformationsReturnErrors() {
    #expect(vmap({ (x: Tensor) in x }, inAxes: 5)(arange(3.0)).error != nil)
    #expect(vmap({ (x: Tensor) in x }, inAxes: .list([0, 0]))(arange(3.0)).error != nil)
    #expect(vmap({ (x: Tensor) in x }, outAxes: 7)(arange(3.0)).error != nil)
    #expect(vmap({ (x: Tensor) in x * 2 }, inAxes: nil, axisSize: -2)(Tensor(1.0)).error != nil)
    #expect(vmap({ (x: Tensor) in x * 2 }, inAxes: nil, axisSize: 1 << 62)(Tensor(1.0)).error != nil)
    #expect(transpose(arange(6.0).reshaped(2, 3), [-9, 0]).error != nil)
    #expect(softmax(arange(3.0), axis: 9).error != nil)
    #expect(concatenate([]).error != nil)
    #expect(grad { (x: Tensor) in x }(Tensor(failed: .valueError("bad"))).error?.message == "bad")
    #expect(jacrev { (x: Tensor) in x[Int.max] }(arange(3.0)).error == nil)
    #expect(hessian { (x: Tensor) in x.sum() }(zeros([0])).shape == [0, 0])
    #expect(grad(argnums: [Int.min]) { $0[0] }([Tensor(1.0)])[0].error != nil)
  }
}

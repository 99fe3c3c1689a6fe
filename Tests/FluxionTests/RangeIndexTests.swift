import Testing

@testable import Fluxion

/// Swift's range forms index as NumPy's slices (the JAX program is in each comment; x =
/// jnp.arange(6.), m = jnp.arange(12.).reshape(3, 4)).
struct RangeIndexTests {
  let x = arange(6.0)
  let m = reshape(arange(12.0), [3, 4])

  @Test func rangesAreSlices() throws {
    #expect(try x[1...].doubles == [1, 2, 3, 4, 5])  // x[1:]
    #expect(try x[(-2)...].doubles == [4, 5])  // x[-2:]
    #expect(try x[..<3].doubles == [0, 1, 2])  // x[:3]
    #expect(try x[...2].doubles == [0, 1, 2])  // x[:3]
    #expect(try x[1...3].doubles == [1, 2, 3])  // x[1:4]
    #expect(try x[1..<3].doubles == [1, 2])  // x[1:3]
    #expect(try x[...(-1)].doubles == [0, 1, 2, 3, 4, 5])  // x[:] (through the last)
    #expect(try x[...(-2)].doubles == [0, 1, 2, 3, 4])  // x[:-1]
    #expect(try x[...].doubles == [0, 1, 2, 3, 4, 5])  // x[:]
    #expect(try x[4...9].doubles == [4, 5])  // x[4:10] clips
    #expect(try x[7...].doubles == [])  // x[7:]
    #expect(try x[...Int.max].doubles == [0, 1, 2, 3, 4, 5])  // no overflow
  }

  @Test func rangesMixWithOtherIndices() throws {
    #expect(try m[.range(1...), .range(..<2)].doubles == [4, 5, 8, 9])  // m[1:, :2]
    #expect(try m[.range(0...2, step: 2), 3].doubles == [3, 11])  // m[0:3:2, 3]
    #expect(m[1...].shape == [2, 4])  // m[1:]
  }

  @Test func rangesUpdate() throws {
    #expect(try x.at[2...].set(Tensor(0.0)).doubles == [0, 1, 0, 0, 0, 0])  // x.at[2:].set(0.)
    #expect(try x.at[...1].add(Tensor(10.0)).doubles == [10, 11, 2, 3, 4, 5])  // x.at[:2].add(10.)
    #expect(try x.at[...].multiply(Tensor(2.0)).doubles == [0, 2, 4, 6, 8, 10])  // x.at[:].multiply(2.)
    // Gradients flow through range slices: grad(lambda x: (x[1:4] ** 2).sum())(x)
    let g = grad { (x: Tensor) in x[1...3].pow(2).sum() }(x)
    #expect(try g.doubles == [0, 2, 4, 6, 0, 0])
  }
}

import Testing

@testable import Fluxion

/// Creation functions computed on the spot give what their staged programs give.
struct CreationOnTheSpotTests {
  /// `eye` is filled directly outside a recorded program and staged as iotas, eq and convert
  /// inside one (as JAX stages it): both give the same array for every diagonal and dtype.
  @Test(arguments: [(3, 3, 0), (2, 5, 1), (5, 2, -1), (4, 4, 3), (4, 4, -3), (1, 1, 0), (3, 6, 5), (6, 3, -5)])
  func eyeOnTheSpotMatchesItsStagedProgram(n: Int, m: Int, k: Int) throws {
    for dtype in [DType.float32, .int32, .bool] {
      let direct = eye(n, m, k: k, dtype: dtype)
      let staged = jit { (_: Tensor) in eye(n, m, k: k, dtype: dtype) }(Tensor(0))
      let jaxpr = try makeJaxpr({ (_: Tensor) in eye(n, m, k: k, dtype: dtype) }, Tensor(0)).get()
      #expect(jaxpr.equations.map(\.primitive.name).contains("iota"))
      #expect(direct.dtype == dtype && staged.dtype == dtype && direct.shape == [n, m])
      let expected = (0..<(n * m)).map { i in Double(i % m - i / m == k ? 1 : 0) }
      #expect(try direct.doubles == expected, "eye(\(n), \(m), k: \(k), \(dtype))")
      #expect(try staged.doubles == expected, "staged eye(\(n), \(m), k: \(k), \(dtype))")
    }
  }

  /// Indexing by a data array wraps and clamps its entries on the spot outside a recorded
  /// program; inside one (jit) it stages JAX's lt/add/select_n/clamp. Both read the same
  /// elements: x[jnp.array([5, -1, -7, 9, 0, 2])] on x = jnp.arange(6.) is [5, 5, 0, 5, 0, 2].
  @Test func indexPositionsOnTheSpotMatchTheirStagedProgram() throws {
    let x = reshape(arange(12.0), [6, 2])
    for dtype in [DType.int32, .uint32] {
      let raw = dtype == .uint32 ? [5, 1, 0, 9, 4_294_967_295, 2] : [5, -1, -7, 9, 0, 2]
      let idx = Tensor(raw, dtype: dtype)
      let direct = x[idx]
      let staged = jit { (x: Tensor) in x[idx] }(x)
      let jaxpr = try makeJaxpr({ (x: Tensor) in x[idx] }, x).get()
      #expect(jaxpr.equations.map(\.primitive.name).contains("select_n"))
      let rows = dtype == .uint32 ? [5, 1, 0, 5, 5, 2] : [5, 5, 0, 5, 0, 2]
      let expected = rows.flatMap { [Double(2 * $0), Double(2 * $0 + 1)] }
      #expect(try direct.doubles == expected, "\(dtype)")
      #expect(try staged.doubles == expected, "staged \(dtype)")
    }
    // Two index arrays: positions combine the same way on both paths.
    let m = reshape(arange(12.0), [3, 4])
    let (r, c) = (Tensor([2, -1, 0]), Tensor([-1, 3, 9]))
    #expect(try m[.array(r), .array(c)].doubles == [11, 11, 3])
    #expect(try jit { (m: Tensor) in m[.array(r), .array(c)] }(m).doubles == [11, 11, 3])
  }

  /// lax.broadcasted_iota along each dimension of a rank-3 shape, and of shapes with a zero.
  @Test func iotaCountsAlongEachDimension() throws {
    let shape = [2, 3, 4]
    for dimension in 0..<3 {
      let got = try iota(.int32, shape, dimension: dimension).doubles
      let expected = (0..<24).map { i -> Double in
        let index = [i / 12, (i / 4) % 3, i % 4]
        return Double(index[dimension])
      }
      #expect(got == expected, "dimension \(dimension)")
    }
    #expect(try iota(.uint32, [5]).doubles == [0, 1, 2, 3, 4])
    #expect(try iota(.int32, [0, 3], dimension: 1).doubles == [])
    #expect(try iota(.int32, [3, 0], dimension: 0).doubles == [])
    #expect(try iota(.float32, [2, 2], dimension: 1).doubles == [0, 1, 0, 1])
  }
}

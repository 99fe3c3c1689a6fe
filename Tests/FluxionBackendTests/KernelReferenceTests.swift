import Foundation
import Testing

@testable import FluxionBackend

/// The typed, in-place kernels (scatter, take, select_n, convert, reductions without a
/// transpose) against plain loops over `Scalar`s, on every dtype, with duplicates, out-of-range
/// positions, NaNs and the sizes where the kernels split across threads.
struct KernelReferenceTests {
  static let dtypes: [DType] = [.float32, .float64, .int32, .uint32, .int64, .uint64, .bool]

  /// Deterministic values of every dtype, with NaNs and infinities among the floats.
  static func values(_ dtype: DType, _ shape: [Int], seed: UInt64) -> DenseArray {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    let n = shape.reduce(1, *)
    let scalars: [Scalar] = (0..<n).map { _ in
      let r = next()
      switch dtype {
      case .float32, .float64:
        switch r % 23 {
        case 0: return .float(.nan)
        case 1: return .float(.infinity)
        case 2: return .float(-.infinity)
        default: return .float((Double(r % 2001) - 1000) / 7)
        }
      case .bool: return .bool(r % 2 == 0)
      case .uint32, .uint64: return .uint(r % 50)
      default: return .int(Int64(r % 61) - 30)
      }
    }
    return DenseArray.from(scalars, shape: shape, dtype: dtype)
  }

  static func same(_ a: Scalar, _ b: Scalar) -> Bool {
    if case .float(let x) = a, case .float(let y) = b { return x == y || (x.isNaN && y.isNaN) }
    return a == b
  }

  static func elements(_ a: DenseArray) -> [Scalar] { (0..<a.count).map { a.scalar(at: $0) } }

  /// Applies one binary op to two scalars with the elementwise kernel (the reference combine).
  static func combine(_ op: BinaryOp, _ a: Scalar, _ b: Scalar, _ dtype: DType) -> Scalar {
    Elementwise.binary(op, DenseArray.from([a], shape: [], dtype: dtype), DenseArray.from([b], shape: [], dtype: dtype))
      .scalar(at: 0)
  }

  @Test(arguments: [Layout.ScatterMode.set, .add, .mul, .min, .max])
  func scatterMatchesUpdatesAppliedInOrder(_ mode: Layout.ScatterMode) {
    for dtype in Self.dtypes {
      for (shape, rows) in [([7], 1), ([5, 3], 3)] {
        let x = Self.values(dtype, shape, seed: 1)
        // Duplicates, a negative and a too-large position (both dropped).
        let positions = DenseArray.from([Int32(2), 0, 2, -1, 6, 9, 4, 2], shape: [8])
        let updates = Self.values(dtype, [8] + shape.dropFirst(), seed: 2)
        var expected = Self.elements(x)
        for i in 0..<8 {
          let p = Int(positions.scalar(at: i).asInt)
          guard p >= 0 && p < shape[0] else { continue }
          for k in 0..<rows {
            let u = updates.scalar(at: i * rows + k)
            let op: BinaryOp = mode == .add ? .add : mode == .mul ? .mul : mode == .min ? .min : .max
            expected[p * rows + k] = mode == .set ? u : Self.combine(op, expected[p * rows + k], u, dtype)
          }
        }
        for positionType in [DType.int32, .int64, .uint32] {
          let got = Layout.scatter(
            x, positions: Elementwise.convert(positions, to: positionType), updates: updates, mode: mode)
          let ok = zip(Self.elements(got), expected).allSatisfy(Self.same)
          #expect(ok, "\(mode) \(dtype) \(shape) positions \(positionType)")
        }
      }
    }
  }

  /// Large float32 scatter-adds split by destination across the threads: every row's updates
  /// still apply in input order, so the sums are bit for bit the sequential loop's (many
  /// duplicates per row, values whose sums round differently in another order).
  @Test(arguments: [3, 1000, 600_001])
  func largeScatterAddMatchesTheSequentialLoop(rows n: Int) {
    let count = 400_000
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    // A few positions out of range (dropped), the rest anywhere in 0..<n.
    let positions = (0..<count).map { _ -> Int32 in
      let r = next()
      return r % 50 == 0 ? (r % 100 == 0 ? -3 : Int32(n + 2)) : Int32(r % UInt64(n))
    }
    let updates = (0..<count).map { _ in Float(Int(next() % 2_000_001) - 1_000_000) * 1e-3 + 0.1 }
    let x = (0..<n).map { Float($0 % 13) * 0.37 }
    var expected = x
    for (p, u) in zip(positions, updates) where p >= 0 && Int(p) < n { expected[Int(p)] += u }
    let got = Layout.scatter(
      DenseArray.from(x, shape: [n]), positions: DenseArray.from(positions, shape: [count]),
      updates: DenseArray.from(updates, shape: [count]), mode: .add
    ).elements(Float.self)
    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
  }

  /// Float row sums add in one order everywhere (32 double lanes, halved, then the tail; float32
  /// rows of up to 4095 values in XLA's order): the float32 C kernel, the
  /// Swift loop (float64) and `sumGroups`/`sumFinish` or `BlockKernels.rowSum`, which compiled
  /// plans use block by block, agree bit for bit on values whose sums depend on the order.
  @Test(arguments: [1, 7, 31, 32, 33, 100, 1000, 1025, 4095, 4097])
  func rowSumsAddInTheSharedOrder(length: Int) {
    let rows = 3
    let values = (0..<(rows * length)).map { i -> Double in
      let m = Double((i &* 2_654_435_761) % 1_000_003) / 1_000_003
      return (i % 3 == 0 ? 1e7 : 1e-3) * (m - 0.5)
    }
    /// XLA's order (rows of float32 up to 4095): pad to a multiple of 32 with half the zeros in
    /// front, sum each 32 in order, repeat while more than 32 remain, then sum in order.
    func xlaOrder(_ row: [Float]) -> Float {
      var v = row
      while v.count > 32 {
        let pad = (32 - v.count % 32) % 32
        v = [Float](repeating: 0, count: pad / 2) + v + [Float](repeating: 0, count: pad - pad / 2)
        v = stride(from: 0, to: v.count, by: 32).map { v[$0..<($0 + 32)].reduce(0, +) }
      }
      return v.reduce(0, +)
    }
    func reference<T: BinaryFloatingPoint>(_ row: [T]) -> T {
      if let r = row as? [Float], r.count <= 4095 { return T(xlaOrder(r)) }
      var lanes = [Double](repeating: 0, count: 32)
      let full = row.count / 32 * 32
      for k in 0..<full { lanes[k % 32] += Double(row[k]) }
      var w = 16
      while w >= 1 {
        for j in 0..<w { lanes[j] += lanes[j + w] }
        w /= 2
      }
      var total = lanes[0]
      for k in full..<row.count { total += Double(row[k]) }
      return T(total)
    }
    let f32 = values.map { Float($0) }
    let got32 = Reduction.reduce(.sum, DenseArray.from(f32, shape: [rows, length]), axes: [1]).elements(Float.self)
    let got64 = Reduction.reduce(.sum, DenseArray.from(values, shape: [rows, length]), axes: [1]).elements(Double.self)
    for r in 0..<rows {
      let row32 = Array(f32[(r * length)..<((r + 1) * length)])
      let row64 = Array(values[(r * length)..<((r + 1) * length)])
      #expect(got32[r].bitPattern == reference(row32).bitPattern, "float32 row \(r) of \(length)")
      #expect(got64[r].bitPattern == reference(row64).bitPattern, "float64 row \(r) of \(length)")
      let shared = row32.withUnsafeBufferPointer { p -> Float in
        var acc = SIMD32<Double>()
        if length <= 4095 {
          // Compiled plans' path for these rows, in two pieces (split at a multiple of 32).
          var out: Float = .nan
          let half = length <= 32 ? length / 2 : length / 64 * 32
          BlockKernels.rowSum(.float32, p.baseAddress!, half, offset: 0, length: length, &acc, &out)
          BlockKernels.rowSum(.float32, p.baseAddress! + half, length - half, offset: half, length: length, &acc, &out)
          return out
        }
        Reduction.sumGroups(p.baseAddress!, length / 32, &acc)
        return Reduction.sumFinish(acc, p.baseAddress! + length / 32 * 32, length % 32)
      }
      #expect(shared.bitPattern == got32[r].bitPattern, "plans' row sum, row \(r) of \(length)")
    }
  }

  /// Large gathers (the prefetching C loop, split across threads) against a plain loop.
  @Test func largeTakeMatchesAPlainLoop() {
    let n = 300_007
    let x = (0..<n).map { Float($0) * 0.5 - 7 }
    let positions = (0..<500_000).map { i -> Int32 in i % 97 == 0 ? -1 : Int32((i &* 7919) % (n + 5)) }
    let expected = positions.map { p in p >= 0 && Int(p) < n ? x[Int(p)] : 0 }
    for positionType in [DType.int32, .int64] {
      let got = Layout.take(
        DenseArray.from(x, shape: [n]),
        positions: Elementwise.convert(DenseArray.from(positions, shape: [positions.count]), to: positionType))
      #expect(got.elements(Float.self) == expected, "positions \(positionType)")
    }
  }

  @Test func takeReadsRowsAndZerosForNegativePositions() {
    for dtype in Self.dtypes {
      let x = Self.values(dtype, [6, 2], seed: 3)
      let positions = DenseArray.from([Int32(5), -1, 0, 5, 2], shape: [5])
      let got = Layout.take(x, positions: positions)
      #expect(got.shape == [5, 2])
      let expected = [5, -1, 0, 5, 2].flatMap { p in
        (0..<2).map { k in
          p < 0 ? DenseArray.filled(.int(0), shape: [], dtype: dtype).scalar(at: 0) : x.scalar(at: p * 2 + k)
        }
      }
      #expect(zip(Self.elements(got), expected).allSatisfy(Self.same), "\(dtype)")
      let flat = Layout.take(Self.values(dtype, [9], seed: 4), positions: Elementwise.convert(positions, to: .int64))
      #expect(flat.shape == [5])
    }
    // Split across threads: a gather larger than the parallel threshold.
    let n = 2 * Parallel.threshold
    let x = DenseArray.from((0..<n).map { Float($0) }, shape: [n])
    let positions = DenseArray.from((0..<n).map { Int32(($0 * 7919) % n) }, shape: [n])
    let got = Layout.take(x, positions: positions).elements(Float.self)
    #expect(got == (0..<n).map { Float(($0 * 7919) % n) })
  }

  @Test func selectNPicksTheCaseNamedByEachElement() {
    for dtype in Self.dtypes {
      let a = Self.values(dtype, [6], seed: 5)
      let b = Self.values(dtype, [6], seed: 6)
      let c = Self.values(dtype, [], seed: 7)
      let pred = DenseArray.from([true, false, false, true, true, false], shape: [6])
      let two = Layout.selectNReference(pred, [a, b])
      #expect(zip(Self.elements(Elementwise.selectN(pred, [a, b])), two).allSatisfy(Self.same), "\(dtype) bool")
      // int32 selectors out of range clamp; a scalar case broadcasts.
      let which = DenseArray.from([Int32(0), 2, 1, 5, -3, 2], shape: [6])
      let three = Layout.selectNReference(which, [a, b, c])
      #expect(zip(Self.elements(Elementwise.selectN(which, [a, b, c])), three).allSatisfy(Self.same), "\(dtype) int")
      let scalarPred = DenseArray.from([true], shape: [])
      #expect(zip(Self.elements(Elementwise.selectN(scalarPred, [a, b])), Self.elements(b)).allSatisfy(Self.same))
    }
  }

  @Test func convertMatchesXLAOnEveryPair() {
    let specials: [Double] = [
      .nan, .infinity, -.infinity, 0, -0.0, 0.5, -0.5, 1.5, -1.5, 255.9, 3e9, -3e9, 1e19, -1e19, 2e20,
    ]
    let floats = DenseArray.from(specials, shape: [specials.count])
    func expect<I: FixedWidthInteger>(_: I.Type, _ dtype: DType) {
      let got = Elementwise.convert(floats, to: dtype)
      for (i, d) in specials.enumerated() {
        let want: I = d.isNaN ? 0 : d <= Double(I.min) ? I.min : d >= Double(I.max) ? I.max : I(d)
        #expect(got.scalar(at: i) == (I.isSigned ? Scalar.int(Int64(want)) : .uint(UInt64(want))), "\(d) → \(dtype)")
      }
    }
    expect(Int32.self, .int32)
    // float32 → int32 has a kernel of its own: the same edges as float32, around 2^31 too, and
    // past the vector width so both its loop and its tail run.
    let edges: [Float] = [
      .nan, .infinity, -.infinity, 0, -0.0, 0.5, -0.5, 1.5, -1.5, 2_147_483_520, 2_147_483_648, -2_147_483_648,
      -2_147_483_904, 3e9, -3e9, 16_777_217, -7.9, 1e30,
    ]
    let single = DenseArray.from(edges + edges, shape: [2 * edges.count])
    let converted = Elementwise.convert(single, to: .int32).elements(Int32.self)
    #expect(converted == (edges + edges).map { Int32.saturating(Double($0)) })
    #expect(
      Array(converted.prefix(edges.count)) == [
        0, .max, .min, 0, 0, 0, 0, 1, -1, 2_147_483_520, .max, .min, .min, .max, .min, 16_777_216, -7, .max,
      ])
    expect(UInt32.self, .uint32)
    expect(Int64.self, .int64)
    expect(UInt64.self, .uint64)
    #expect(Elementwise.convert(floats, to: .bool).elements(UInt8.self) == specials.map { $0 != 0 ? 1 : 0 })
    // Every other pair against the scalar conversion (ints wrap, floats round to nearest).
    for from in Self.dtypes {
      let x = Self.values(from, [40], seed: 8)
      for to in Self.dtypes {
        let got = Elementwise.convert(x, to: to)
        let expected = DenseArray.from(Self.elements(x), shape: [40], dtype: to)
        #expect(zip(Self.elements(got), Self.elements(expected)).allSatisfy(Self.same), "\(from) → \(to)")
      }
    }
    let big = DenseArray.from([Int64(1 << 53) + 1, Int64.max, Int64.min], shape: [3])
    #expect(
      Elementwise.convert(big, to: .float32).elements(Float.self) == [
        Float(Int64(1 << 53) + 1), Float(Int64.max), Float(Int64.min),
      ])
  }

  /// Broadcasting read in place (row and column runs) gives what materialising both operands
  /// to the output shape first gives, for every arithmetic and comparison kernel path.
  @Test func broadcastRunsMatchMaterialisedOperands() {
    let pairs: [([Int], [Int])] = [
      ([40, 33], [33]), ([40, 33], [40, 1]), ([40, 1], [1, 33]), ([3, 40, 20], [40, 20]), ([3, 40, 20], [3, 1, 20]),
      ([3, 1, 20], [3, 40, 1]), ([2, 3, 40], [3, 1]), ([5, 64], [5, 64]), ([5, 64], []), ([70, 3], [3]),
    ]
    let ops: [BinaryOp] = [.add, .sub, .mul, .div, .rem, .max, .min, .pow, .atan2, .and, .shiftLeft]
    for dtype in [DType.float32, .float64, .int32, .uint64, .bool] {
      for (sa, sb) in pairs {
        let a = Self.values(dtype, sa, seed: 11)
        let b = Self.values(dtype, sb, seed: 12)
        guard let shape = broadcastShapes(sa, sb) else { continue }
        let (fa, fb) = (Layout.broadcast(a, to: shape), Layout.broadcast(b, to: shape))
        for op in ops {
          // A float division by a broadcast divisor is a product with its reciprocal (XLA's).
          let broadcastDivisor = b.count < shape.reduce(1, *) || (b.count == 1 && (sb != shape || sb.isEmpty))
          let want =
            op == .div && dtype.isFloatingPoint && broadcastDivisor
            ? Elementwise.binary(.mul, fa, Layout.broadcast(Elementwise.reciprocal(b), to: shape))
            : Elementwise.binary(op, fa, fb)
          let got = Elementwise.binary(op, a, b)
          #expect(got.shape == shape)
          #expect(zip(Self.elements(got), Self.elements(want)).allSatisfy(Self.same), "\(op) \(dtype) \(sa) \(sb)")
        }
        for op in [CompareOp.lt, .eq, .ge] {
          let got = Elementwise.compare(op, a, b), want = Elementwise.compare(op, fa, fb)
          #expect(got.elements(UInt8.self) == want.elements(UInt8.self), "\(op) \(dtype) \(sa) \(sb)")
        }
      }
    }
    // Runs split across threads.
    let big = DenseArray.from((0..<(1024 * 512)).map { Float($0 % 13) }, shape: [1024, 512])
    let row = DenseArray.from((0..<512).map { Float($0) }, shape: [512])
    let sum = Elementwise.binary(.add, big, row).elements(Float.self)
    let expected: [Float] = (0..<(1024 * 512)).map { i in Float(i % 13) + Float(i % 512) }
    #expect(sum == expected)
  }

  /// Every reduction over every set of axes of a rank-3 array (adjacent ones take the in-place
  /// row and column paths, others the transpose) against a loop over the reduced elements.
  @Test(arguments: [ReduceOp.sum, .prod, .max, .min, .argmax, .argmin])
  func reductionsMatchALoopOverTheReducedElements(_ op: ReduceOp) {
    let shape = [3, 4, 5]
    let axisSets: [[Int]] = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]]
    for dtype in Self.dtypes {
      let x = Self.values(dtype, shape, seed: 9)
      for axes in axisSets where !((op == .argmax || op == .argmin) && axes.count > 1) {
        let got = Reduction.reduce(op, x, axes: axes)
        let kept = (0..<3).filter { !axes.contains($0) }
        let strides = [20, 5, 1]
        var ok = true
        for o in 0..<got.count {
          // The kept coordinates of result o, then every reduced coordinate in row-major order.
          var coord = [0, 0, 0]
          var rest = o
          for k in kept.reversed() {
            coord[k] = rest % shape[k]
            rest /= shape[k]
          }
          var items: [Scalar] = []
          let reducedShape = axes.map { shape[$0] }
          for r in 0..<reducedShape.reduce(1, *) {
            var rr = r
            for (j, a) in axes.enumerated().reversed() {
              coord[a] = rr % reducedShape[j]
              rr /= reducedShape[j]
            }
            items.append(x.scalar(at: zip(coord, strides).map(*).reduce(0, +)))
          }
          let column = DenseArray.from(items, shape: [items.count], dtype: dtype)
          let want = Reduction.reduceReference(op, column)
          // Float sums may add in another order (in Double; short float32 rows in float32, as
          // XLA adds them): equal to rounding.
          if op == .sum, dtype.isFloatingPoint, case .float(let g) = got.scalar(at: o), case .float(let w) = want,
            g.isFinite, w.isFinite
          {
            let magnitude = items.reduce(0.0) { if case .float(let v) = $1 { $0 + abs(v) } else { $0 } }
            let bound = dtype == .float32 ? Double(items.count) * 6e-8 * magnitude : 1e-12 * Swift.max(1, abs(w))
            if abs(g - w) > bound { ok = false }
          } else if !Self.same(got.scalar(at: o), want) {
            ok = false
          }
        }
        #expect(ok, "\(op) \(dtype) axes \(axes)")
      }
    }
    // Large enough to split across threads, on both paths.
    let big = DenseArray.from((0..<(640 * 1024)).map { Float($0 % 97) - 48 }, shape: [640, 1024])
    let rows = Reduction.reduce(.sum, big, axes: [1]).elements(Float.self)
    let columns = Reduction.reduce(.sum, big, axes: [0]).elements(Float.self)
    func element(_ r: Int, _ c: Int) -> Double { Double((r * 1024 + c) % 97 - 48) }
    var rowSums = [Float](repeating: 0, count: 640)
    var columnSums = [Double](repeating: 0, count: 1024)
    for r in 0..<640 {
      var total = 0.0
      for c in 0..<1024 {
        total += element(r, c)
        columnSums[c] += element(r, c)
      }
      rowSums[r] = Float(total)
    }
    #expect(rows == rowSums)
    #expect(columns == columnSums.map { Float($0) })
  }
}

extension Layout {
  /// select_n element by element over scalars.
  static func selectNReference(_ which: DenseArray, _ cases: [DenseArray]) -> [Scalar] {
    let n = cases[0].count
    return (0..<n).map { i in
      let w = which.scalar(at: which.count == 1 ? 0 : i)
      let k = Swift.min(Swift.max(which.dtype == .bool ? (w.isTrue ? 1 : 0) : w.asInt, 0), cases.count - 1)
      let c = cases[k]
      return c.scalar(at: c.count == 1 ? 0 : i)
    }
  }
}

extension Reduction {
  /// One reduction of a vector, by the row path on a 1×n array (the reference the in-place
  /// paths must agree with).
  static func reduceReference(_ op: ReduceOp, _ v: DenseArray) -> Scalar {
    reduce(op, Layout.transpose(v.reshaped([1, v.count]), [0, 1]), axes: [1]).scalar(at: 0)
  }
}

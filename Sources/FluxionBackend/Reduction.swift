import CKernels
import Foundation

/// Reductions over axes.
public enum ReduceOp: Sendable, Hashable { case sum, prod, max, min, argmax, argmin }

public enum Reduction {
  /// Reduces `x` over `axes` (the result drops them). argmax/argmin take one axis and give int32.
  ///
  /// When the reduced axes are adjacent — `x` seen as `[outer, reduced, inner]` — no copy is
  /// made: rows are reduced in place (inner = 1) or whole rows are combined column-wise; large
  /// reductions split across the cores. Other axis sets are transposed first.
  public static func reduce(_ op: ReduceOp, _ x: DenseArray, axes: [Int], indexType: DType = .int32) -> DenseArray {
    let axisSet = Set(axes)
    let kept = (0..<x.rank).filter { !axisSet.contains($0) }
    let outShape = kept.map { x.shape[$0] }
    let isArg = op == .argmax || op == .argmin
    let out = DenseArray(uninitializedShape: outShape, dtype: isArg ? indexType : x.dtype)
    let sorted = axes.sorted()
    let len = axes.reduce(1) { $0 * x.shape[$1] }
    if let lo = sorted.first, let hi = sorted.last, hi - lo + 1 == sorted.count, len > 0 {
      let inner = x.shape[(hi + 1)...].reduce(1, *)
      let outer = x.shape[..<lo].reduce(1, *)
      if inner == 1 {
        reduceRows(op, x, outer, len, out)
      } else {
        reduceColumns(op, x, outer, len, inner, out)
      }
      return out
    }
    reduceRows(op, Layout.transpose(x, kept + sorted), outShape.reduce(1, *), len, out)
    return out
  }

  /// Reduces each of `rows` contiguous rows of `len` elements of `x` into `out`.
  static func reduceRows(_ op: ReduceOp, _ x: DenseArray, _ rows: Int, _ len: Int, _ out: DenseArray) {
    Parallel.forChunks(rows, splitting: rows * len >= Parallel.threshold) { s, c in
      switch x.dtype {
      case .float32 where op == .sum:
        fx_sum_rows_f32(x.pointer(Float.self) + s * len, c, len, out.mutablePointer(Float.self) + s)
      case .float32: reduceFloat(op, x.pointer(Float.self) + s * len, c, len, out, at: s)
      case .float64: reduceFloat(op, x.pointer(Double.self) + s * len, c, len, out, at: s)
      case .int32: reduceInt(op, x.pointer(Int32.self) + s * len, c, len, out, at: s)
      case .uint32: reduceInt(op, x.pointer(UInt32.self) + s * len, c, len, out, at: s)
      case .int64: reduceInt(op, x.pointer(Int64.self) + s * len, c, len, out, at: s)
      case .uint64: reduceInt(op, x.pointer(UInt64.self) + s * len, c, len, out, at: s)
      case .bool:
        let src = x.pointer(UInt8.self) + s * len
        if op == .argmax || op == .argmin {
          reduceInt(op, src, c, len, out, at: s)
        } else {
          let dst = out.mutablePointer(UInt8.self) + s
          let all = op == .prod || op == .min
          for r in 0..<c {
            var acc: UInt8 = all ? 1 : 0
            for k in 0..<len { acc = all ? (acc & src[r * len + k]) : (acc | src[r * len + k]) }
            dst[r] = acc
          }
        }
      }
    }
  }

  /// Reduces the middle axis of `x` seen as `[outer, len, inner]` (inner > 1, len ≥ 1): each
  /// result is a column, accumulated a row of a block of columns at a time (in Double for float
  /// sums, as the row reductions do).
  static func reduceColumns(_ op: ReduceOp, _ x: DenseArray, _ outer: Int, _ len: Int, _ inner: Int, _ out: DenseArray)
  {
    func run<S: ColumnStep>(_: S.Type) {
      columns(S.self, x.pointer(S.Element.self), outer, len, inner, x.count, out)
    }
    func float<T: BinaryFloatingPoint & NumericElement>(_: T.Type) {
      switch op {
      case .sum: sumColumns(x.pointer(T.self), outer, len, inner, out.mutablePointer(T.self))
      case .prod: run(ColumnProduct<T>.self)
      case .max: run(FloatColumnMax<T>.self)
      case .min: run(FloatColumnMin<T>.self)
      case .argmax: run(FloatColumnArgMax<T>.self)
      case .argmin: run(FloatColumnArgMin<T>.self)
      }
    }
    func integer<T: FixedWidthInteger>(_: T.Type) {
      switch op {
      case .sum: run(ColumnWrappingSum<T>.self)
      case .prod: run(ColumnWrappingProduct<T>.self)
      case .max: run(ColumnMax<T>.self)
      case .min: run(ColumnMin<T>.self)
      case .argmax: run(ColumnArgMax<T>.self)
      case .argmin: run(ColumnArgMin<T>.self)
      }
    }
    switch x.dtype {
    case .float32: float(Float.self)
    case .float64: float(Double.self)
    case .int32: integer(Int32.self)
    case .uint32: integer(UInt32.self)
    case .int64: integer(Int64.self)
    case .uint64: integer(UInt64.self)
    case .bool:
      switch op {
      case .argmax, .argmin: integer(UInt8.self)
      case .prod, .min: run(ColumnAnd.self)
      case .sum, .max: run(ColumnOr.self)
      }
    }
  }

  /// Float sums of columns, written out so that the row loop vectorises (the most common
  /// column reduction: `sum(axis: 0)`). Each job sums a block of columns over every row, in
  /// order, into doubles held in L1 (so each column adds in row order, as a compiled plan's
  /// column sums do); with fewer blocks than cores the blocks are narrowed to give each core one.
  static func sumColumns<T: BinaryFloatingPoint>(
    _ src: UnsafePointer<T>, _ outer: Int, _ len: Int, _ inner: Int, _ dst: UnsafeMutablePointer<T>
  ) {
    // 2048 doubles (16 KiB) of sums: a row's block is then an 8 KiB run for float32, long
    // enough for the hardware prefetcher.
    let big = outer * len * inner >= Parallel.threshold
    var width = 2048
    if big && outer * ((inner + width - 1) / width) < Parallel.cores {
      width = Swift.max(16, (inner + Parallel.cores - 1) / Parallel.cores)
    }
    let blocks = (inner + width - 1) / width
    Parallel.forChunks(outer * blocks, splitting: big) { s, c in
      let acc = UnsafeMutablePointer<Double>.allocate(capacity: width)
      defer { acc.deallocate() }
      for job in s..<(s + c) {
        let (slab, j0) = (job / blocks, (job % blocks) * width)
        let w = Swift.min(width, inner - j0)
        let base = src + slab * len * inner + j0
        acc.update(repeating: 0, count: w)
        for k in 0..<len {
          let row = base + k * inner
          for j in 0..<w { acc[j] += Double(row[j]) }
        }
        for j in 0..<w { dst[slab * inner + j0 + j] = T(acc[j]) }
      }
    }
  }

  /// The column loop of `reduceColumns`: for each of `outer` slabs and each block of columns,
  /// start the accumulators from the first row, step them through the others (with the row's
  /// index) and store each. The step is a type, so the loop is specialised for it and the step
  /// inlined (a closure was called once per element).
  static func columns<S: ColumnStep>(
    _: S.Type, _ src: UnsafePointer<S.Element>, _ outer: Int, _ len: Int, _ inner: Int, _ total: Int,
    _ out: DenseArray
  ) {
    let width = 512
    let blocks = (inner + width - 1) / width
    Parallel.forChunks(outer * blocks, splitting: total >= Parallel.threshold) { s, c in
      let acc = UnsafeMutablePointer<S.Accumulator>.allocate(capacity: width)
      defer { acc.deallocate() }
      for job in s..<(s + c) {
        let (slab, j0) = (job / blocks, (job % blocks) * width)
        let w = Swift.min(width, inner - j0)
        let base = src + slab * len * inner + j0
        for j in 0..<w { (acc + j).initialize(to: S.start(base[j])) }
        for k in 1..<Swift.max(len, 1) {
          let row = base + k * inner
          for j in 0..<w { acc[j] = S.step(acc[j], row[j], k) }
        }
        for j in 0..<w { S.store((acc + j).move(), out, slab * inner + j0 + j) }
      }
    }
  }

  static func writeIndex(_ out: DenseArray, _ r: Int, _ k: Int) {
    out.set(r, .int(Int64(k)))
  }

  /// A float row maximum (or minimum) continued over `n` more elements: a NaN, once met, stays.
  @inline(__always)
  package static func extremum<T: BinaryFloatingPoint>(
    _ p: UnsafePointer<T>, _ n: Int, _ isMax: Bool, _ acc: inout T
  ) {
    for k in 0..<n {
      let v = p[k]
      if v.isNaN || acc.isNaN {
        acc = .nan
      } else if isMax ? v > acc : v < acc {
        acc = v
      }
    }
  }

  @inline(__always)
  static func reduceFloat<T: BinaryFloatingPoint & NumericElement>(
    _ op: ReduceOp, _ src: UnsafePointer<T>, _ rows: Int, _ len: Int, _ out: DenseArray, at first: Int
  ) {
    switch op {
    case .sum:
      let dst = out.mutablePointer(T.self) + first
      for r in 0..<rows {
        let row = src + r * len
        var acc = SIMD32<Double>()
        sumGroups(row, len / 32, &acc)
        dst[r] = sumFinish(acc, row + len / 32 * 32, len % 32)
      }
    case .prod:
      let dst = out.mutablePointer(T.self) + first
      for r in 0..<rows {
        var acc: T = 1
        for k in 0..<len { acc *= src[r * len + k] }
        dst[r] = acc
      }
    case .max, .min:
      let dst = out.mutablePointer(T.self) + first
      let isMax = op == .max
      for r in 0..<rows {
        var acc: T = isMax ? -.infinity : .infinity
        extremum(src + r * len, len, isMax, &acc)
        dst[r] = acc
      }
    case .argmax, .argmin:
      let isMax = op == .argmax
      for r in 0..<rows {
        var best = 0
        for k in 0..<len {
          let v = src[r * len + k]
          let b = src[r * len + best]
          if b.isNaN { break }
          if v.isNaN || (isMax ? v > b : v < b) { best = k }
        }
        writeIndex(out, first + r, best)
      }
    }
  }

  /// A float row sum's first part: `groups` groups of 32 elements from `p` added into 32
  /// double partial sums (element k of a row goes to lane k mod 32; 32 lanes keep four vector
  /// additions in flight). Every float row sum adds in this order (except float32 rows of up to
  /// FX_XLA_SUM_MAX elements, added in XLA's order: fx_xla_row_sum_f32) — this loop, the float32 C
  /// kernel (fx_sum_rows_f32) and compiled plans that sum a row block by block — so all agree
  /// bit for bit.
  @inline(__always)
  package static func sumGroups<T: BinaryFloatingPoint>(
    _ p: UnsafePointer<T>, _ groups: Int, _ acc: inout SIMD32<Double>
  ) {
    for g in 0..<groups {
      var v = SIMD32<Double>()
      for j in 0..<32 { v[j] = Double(p[g * 32 + j]) }
      acc += v
    }
  }

  /// A float row sum's end: the 32 partial sums combined by halving (lane j + lane j+16, then
  /// j+8, j+4, j+2, j+1), then the last `count` (< 32) elements in order, rounded to `T`.
  @inline(__always)
  package static func sumFinish<T: BinaryFloatingPoint>(_ acc: SIMD32<Double>, _ tail: UnsafePointer<T>, _ count: Int)
    -> T
  {
    let h16 = acc.lowHalf + acc.highHalf
    let h8 = h16.lowHalf + h16.highHalf
    let h4 = h8.lowHalf + h8.highHalf
    let h2 = h4.lowHalf + h4.highHalf
    var total = h2[0] + h2[1]
    for k in 0..<count { total += Double(tail[k]) }
    return T(total)
  }

  @inline(__always)
  static func reduceInt<T: FixedWidthInteger>(
    _ op: ReduceOp, _ src: UnsafePointer<T>, _ rows: Int, _ len: Int, _ out: DenseArray, at first: Int
  ) {
    switch op {
    case .sum, .prod, .max, .min:
      let dst = out.mutablePointer(T.self) + first
      for r in 0..<rows {
        var acc: T = op == .sum ? 0 : op == .prod ? 1 : op == .max ? .min : .max
        for k in 0..<len {
          let v = src[r * len + k]
          switch op {
          case .sum: acc = acc &+ v
          case .prod: acc = acc &* v
          case .max: acc = Swift.max(acc, v)
          default: acc = Swift.min(acc, v)
          }
        }
        dst[r] = acc
      }
    case .argmax, .argmin:
      for r in 0..<rows {
        var best = 0
        for k in 0..<len {
          let v = src[r * len + k]
          if op == .argmax ? v > src[r * len + best] : v < src[r * len + best] { best = k }
        }
        writeIndex(out, first + r, best)
      }
    }
  }

  /// Running sum along `axis` (from the end when `reverse`).
  public static func cumsum(_ x: DenseArray, axis: Int, reverse: Bool) -> DenseArray {
    if x.dtype == .bool { return cumsum(Elementwise.convert(x, to: .int32), axis: axis, reverse: reverse) }
    let out = DenseArray(uninitializedShape: x.shape, dtype: x.dtype)
    let outer = x.shape[..<axis].reduce(1, *)
    let len = x.shape[axis]
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    func run<T: NumericElement>(_: T.Type) {
      let (s, d) = (x.pointer(T.self), out.mutablePointer(T.self))
      for o in 0..<outer {
        for i in 0..<inner {
          var acc: T = 0
          for k in 0..<len {
            let kk = reverse ? len - 1 - k : k
            let idx = (o * len + kk) * inner + i
            acc = T.wrappingAdd(acc, s[idx])
            d[idx] = acc
          }
        }
      }
    }
    switch x.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    case .int32: run(Int32.self)
    case .uint32: run(UInt32.self)
    case .int64: run(Int64.self)
    case .uint64: run(UInt64.self)
    case .bool: break
    }
    return out
  }
}

extension Reduction {
  /// Sorts rows along `axis`: every operand is permuted by the stable ascending order of
  /// `operands[0]` (floats: NaN last, as XLA's comparator).
  public static func sort(_ operands: [DenseArray], axis: Int) -> [DenseArray] {
    let keys = operands[0]
    let rank = keys.rank
    let perm = Array(0..<axis) + Array((axis + 1)..<rank) + [axis]
    var inverse = perm
    for (i, p) in perm.enumerated() { inverse[p] = i }
    let moved = operands.map { Layout.transpose($0, perm) }
    let n = keys.shape[axis]
    let rows = n == 0 ? 0 : keys.count / n
    let order = sortOrder(moved[0], rows: rows, n: n)
    return moved.map { x in
      let out = DenseArray(uninitializedShape: x.shape, dtype: x.dtype)
      let size = x.dtype.size
      for r in 0..<rows {
        for k in 0..<n {
          let src = (r * n + order[r * n + k]) * size
          (out.buffer.raw + (r * n + k) * size).copyMemory(from: x.buffer.raw + src, byteCount: size)
        }
      }
      return Layout.transpose(out, inverse)
    }
  }

  /// Per row, the indices that sort the row stably.
  static func sortOrder(_ keys: DenseArray, rows: Int, n: Int) -> [Int] {
    func order<T>(_: T.Type, _ less: (T, T) -> Bool) -> [Int] {
      let p = keys.pointer(T.self)
      var out: [Int] = []
      out.reserveCapacity(rows * n)
      for r in 0..<rows {
        let base = r * n
        let idx = (0..<n).sorted { a, b in
          let (x, y) = (p[base + a], p[base + b])
          if less(x, y) { return true }
          if less(y, x) { return false }
          return a < b
        }
        out.append(contentsOf: idx)
      }
      return out
    }
    func floatLess<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> Bool { x.isNaN ? false : (y.isNaN ? true : x < y) }
    switch keys.dtype {
    case .bool: return order(UInt8.self, <)
    case .int32: return order(Int32.self, <)
    case .uint32: return order(UInt32.self, <)
    case .int64: return order(Int64.self, <)
    case .uint64: return order(UInt64.self, <)
    case .float32: return order(Float.self, floatLess)
    case .float64: return order(Double.self, floatLess)
    }
  }
}

/// One column reduction, as a type (see `Reduction.columns`).
protocol ColumnStep {
  associatedtype Element
  associatedtype Accumulator
  static func start(_ v: Element) -> Accumulator
  static func step(_ a: Accumulator, _ v: Element, _ k: Int) -> Accumulator
  static func store(_ a: Accumulator, _ out: DenseArray, _ i: Int)
}

/// A step whose accumulator is the element itself, stored as it is.
protocol ValueColumnStep: ColumnStep where Accumulator == Element {}
extension ValueColumnStep {
  @inline(__always) static func start(_ v: Element) -> Element { v }
  @inline(__always) static func store(_ a: Element, _ out: DenseArray, _ i: Int) {
    out.mutablePointer(Element.self)[i] = a
  }
}

/// A step that tracks (best value, its row), storing the row.
protocol IndexColumnStep: ColumnStep where Accumulator == (Element, Int) {}
extension IndexColumnStep {
  @inline(__always) static func start(_ v: Element) -> (Element, Int) { (v, 0) }
  @inline(__always) static func store(_ a: (Element, Int), _ out: DenseArray, _ i: Int) {
    Reduction.writeIndex(out, i, a.1)
  }
}

enum ColumnProduct<Element: BinaryFloatingPoint>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element { a * v }
}
/// NaN-propagating, as the row reductions.
enum FloatColumnMax<Element: BinaryFloatingPoint>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element {
    v.isNaN || a.isNaN ? .nan : (v > a ? v : a)
  }
}
enum FloatColumnMin<Element: BinaryFloatingPoint>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element {
    v.isNaN || a.isNaN ? .nan : (v < a ? v : a)
  }
}
/// A NaN, once found, stays the answer.
enum FloatColumnArgMax<Element: BinaryFloatingPoint>: IndexColumnStep {
  @inline(__always) static func step(_ a: (Element, Int), _ v: Element, _ k: Int) -> (Element, Int) {
    a.0.isNaN ? a : ((v.isNaN || v > a.0) ? (v, k) : a)
  }
}
enum FloatColumnArgMin<Element: BinaryFloatingPoint>: IndexColumnStep {
  @inline(__always) static func step(_ a: (Element, Int), _ v: Element, _ k: Int) -> (Element, Int) {
    a.0.isNaN ? a : ((v.isNaN || v < a.0) ? (v, k) : a)
  }
}
enum ColumnWrappingSum<Element: FixedWidthInteger>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element { a &+ v }
}
enum ColumnWrappingProduct<Element: FixedWidthInteger>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element { a &* v }
}
enum ColumnMax<Element: FixedWidthInteger>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element { Swift.max(a, v) }
}
enum ColumnMin<Element: FixedWidthInteger>: ValueColumnStep {
  @inline(__always) static func step(_ a: Element, _ v: Element, _: Int) -> Element { Swift.min(a, v) }
}
enum ColumnArgMax<Element: FixedWidthInteger>: IndexColumnStep {
  @inline(__always) static func step(_ a: (Element, Int), _ v: Element, _ k: Int) -> (Element, Int) {
    v > a.0 ? (v, k) : a
  }
}
enum ColumnArgMin<Element: FixedWidthInteger>: IndexColumnStep {
  @inline(__always) static func step(_ a: (Element, Int), _ v: Element, _ k: Int) -> (Element, Int) {
    v < a.0 ? (v, k) : a
  }
}
/// Bools (bytes 0 or 1): all and any.
enum ColumnAnd: ValueColumnStep {
  @inline(__always) static func step(_ a: UInt8, _ v: UInt8, _: Int) -> UInt8 { a & v }
}
enum ColumnOr: ValueColumnStep {
  @inline(__always) static func step(_ a: UInt8, _ v: UInt8, _: Int) -> UInt8 { a | v }
}

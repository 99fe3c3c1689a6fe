import Foundation

/// Reductions over axes.
public enum ReduceOp: Sendable, Hashable { case sum, prod, max, min, argmax, argmin }

public enum Reduction {
  /// Reduces `x` over `axes` (the result drops them). argmax/argmin take one axis and give int32.
  public static func reduce(_ op: ReduceOp, _ x: DenseArray, axes: [Int], indexType: DType = .int32) -> DenseArray {
    let axisSet = Set(axes)
    let kept = (0..<x.rank).filter { !axisSet.contains($0) }
    let outShape = kept.map { x.shape[$0] }
    let perm = kept + axes.sorted()
    let moved = Layout.transpose(x, perm)
    let rows = outShape.reduce(1, *)
    let len = axes.reduce(1) { $0 * x.shape[$1] }
    let isArg = op == .argmax || op == .argmin
    let out = DenseArray(uninitializedShape: outShape, dtype: isArg ? indexType : x.dtype)
    switch x.dtype {
    case .float32: reduceFloat(op, moved.pointer(Float.self), rows, len, out)
    case .float64: reduceFloat(op, moved.pointer(Double.self), rows, len, out)
    case .int32: reduceInt(op, moved.pointer(Int32.self), rows, len, out)
    case .uint32: reduceInt(op, moved.pointer(UInt32.self), rows, len, out)
    case .int64: reduceInt(op, moved.pointer(Int64.self), rows, len, out)
    case .uint64: reduceInt(op, moved.pointer(UInt64.self), rows, len, out)
    case .bool:
      let src = moved.pointer(UInt8.self)
      if isArg {
        reduceInt(op, src, rows, len, out)
      } else {
        let dst = out.mutablePointer(UInt8.self)
        for r in 0..<rows {
          var acc: UInt8 = (op == .prod || op == .min) ? 1 : 0
          for k in 0..<len {
            let v = src[r * len + k]
            acc = (op == .prod || op == .min) ? (acc & v) : (acc | v)
          }
          dst[r] = acc
        }
      }
    }
    return out
  }

  static func writeIndex(_ out: DenseArray, _ r: Int, _ k: Int) {
    out.set(r, .int(Int64(k)))
  }

  @inline(__always)
  static func reduceFloat<T: BinaryFloatingPoint & NumericElement>(
    _ op: ReduceOp, _ src: UnsafePointer<T>, _ rows: Int, _ len: Int, _ out: DenseArray
  ) {
    switch op {
    case .sum:
      let dst = out.mutablePointer(T.self)
      for r in 0..<rows {
        // Eight partial sums in double keep float32 sums accurate and vectorise.
        var acc = SIMD8<Double>()
        let row = src + r * len
        var k = 0
        while k + 8 <= len {
          var v = SIMD8<Double>()
          for j in 0..<8 { v[j] = Double(row[k + j]) }
          acc += v
          k += 8
        }
        var total = acc.sum()
        while k < len {
          total += Double(row[k])
          k += 1
        }
        dst[r] = T(total)
      }
    case .prod:
      let dst = out.mutablePointer(T.self)
      for r in 0..<rows {
        var acc: T = 1
        for k in 0..<len { acc *= src[r * len + k] }
        dst[r] = acc
      }
    case .max, .min:
      let dst = out.mutablePointer(T.self)
      let isMax = op == .max
      for r in 0..<rows {
        var acc: T = isMax ? -.infinity : .infinity
        for k in 0..<len {
          let v = src[r * len + k]
          if v.isNaN || acc.isNaN {
            acc = .nan
          } else if isMax ? v > acc : v < acc {
            acc = v
          }
        }
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
        writeIndex(out, r, best)
      }
    }
  }

  @inline(__always)
  static func reduceInt<T: FixedWidthInteger>(
    _ op: ReduceOp, _ src: UnsafePointer<T>, _ rows: Int, _ len: Int, _ out: DenseArray
  ) {
    switch op {
    case .sum, .prod, .max, .min:
      let dst = out.mutablePointer(T.self)
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
        writeIndex(out, r, best)
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

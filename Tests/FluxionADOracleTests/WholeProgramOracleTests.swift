/// Whole programs against Swift's compiler AD: functions of a vector that close over a constant
/// and over views of it (reshape, transpose, expand_dims, broadcast, slices, strides, flips,
/// bitcasts and converts), use one constant several times, index with repeated indices, take
/// pytree inputs or run a transformation inside. Fluxion computes each with its views and
/// transformations; the Swift mirror spells out the same arithmetic with plain indices over
/// `[Double]`, and the compiler differentiates it. Nothing is shared but the numbers.
///
/// Second-order results (jvp of grad, jacrev of jvp, hessian) are checked against a central
/// finite difference of the Swift-AD gradient.

import Fluxion
import Foundation
import Testing
import _Differentiation

/// The closed-over constant, exact in float32, and the views the programs use. Every view is
/// made eagerly, outside any transformation, so it shares `w`'s buffer as a user's would.
let w: [Double] = [1.5, -2.0, 0.5, 3.0, -1.0, 0.25]
let wT = Tensor(w.map(Float.init))
let w23 = reshape(wT, [2, 3])
let w32 = reshape(wT, [3, 2])
let w23T = w23.T
let wColumn = reshape(wT, [6, 1])
let wRow = expandDims(wT, 0)
let wBroadcast = broadcastTo(wRow, [1, 6])
let wTail = wT[.from(2)]
let wEven = wT[.stride(by: 2)]
let wFlipped = flip(wT)
let wBits = bitcastConvertType(bitcastConvertType(wT, .int32), .float32)
let wConverted = wT.astype(.float32)
let repeatedIndex = Tensor(shape: [5], scalars: [0, 2, 2, 5, -6].map { .int(Int64($0)) }, dtype: .int32)
let repeatedIndexSwift = [0, 2, 2, 5, 0]

/// A scalar function of a vector, written for both differentiators.
struct ProgramCase: @unchecked Sendable, CustomTestStringConvertible {
  let name: String
  let points: [[Double]]
  let swift: @differentiable(reverse) ([Double]) -> Double
  let fluxion: (Tensor) -> Tensor

  init(
    _ name: String, at points: [[Double]], swift: @escaping @differentiable(reverse) ([Double]) -> Double,
    fluxion: @escaping (Tensor) -> Tensor
  ) {
    self.name = name
    self.points = points.map { $0.map(float32Point) }
    self.swift = swift
    self.fluxion = fluxion
  }

  var testDescription: String { name }

  /// Swift AD's gradient (an all-zero tangent of an array may come back empty).
  func swiftGradient(_ x: [Double]) -> [Double] {
    let g = gradient(at: x, of: swift).base
    return g.isEmpty ? Array(repeating: 0, count: x.count) : g
  }
}

let p6: [[Double]] = [[0.3, -0.7, 1.1, 0.25, -1.4, 0.9], [-1.2, 0.45, 0.6, -0.35, 0.8, 1.7]]

let programCases: [ProgramCase] = [
  ProgramCase(
    "a constant beside its reshape (the wrong-gradient program)", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + 2 * x[i] * w[i] }
      return s
    },
    fluxion: { x in (x * wT).sum() + (reshape(x, [6, 1]) * wColumn).sum() }),
  ProgramCase(
    "matmul of two reshape views", at: p6,
    swift: { x in
      var total = 0.0
      for i in 0..<2 {
        for j in 0..<2 {
          var s = 0.0
          for k in 0..<3 { s = s + w[i * 3 + k] * x[k * 2 + j] }
          total = total + tanh(s)
        }
      }
      return total
    },
    fluxion: { x in tanh(matmul(w23, reshape(x, [3, 2]))).sum() }),
  ProgramCase(
    "a transposed constant times a reshaped input", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<3 {
        for j in 0..<2 { s = s + sin(w[j * 3 + i] * x[i * 2 + j]) }
      }
      return s
    },
    fluxion: { x in sin(w23T * reshape(x, [3, 2])).sum() }),
  ProgramCase(
    "an outer product by broadcasting a column against a row", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 {
        for j in 0..<6 { s = s + tanh(w[i] * x[j] / 4) }
      }
      return s
    },
    fluxion: { x in tanh(wColumn * expandDims(x, 0) / 4).sum() }),
  ProgramCase(
    "slices and strides of input and constant", at: p6,
    swift: { x in
      var s = 0.0
      for i in 2..<6 { s = s + cos(x[i] * w[i]) }
      for k in 0..<3 { s = s + x[2 * k] * w[2 * k] * x[2 * k] }
      return s
    },
    fluxion: { x in cos(x[.from(2)] * wTail).sum() + (x[.stride(by: 2)] * wEven * x[.stride(by: 2)]).sum() }),
  ProgramCase(
    "a flipped constant", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + x[i] * x[i] * w[5 - i] }
      return s
    },
    fluxion: { x in (x * wFlipped * x).sum() }),
  ProgramCase(
    "one constant used through three views", at: p6,
    swift: { x in
      var a = 0.0
      var b = 0.0
      for i in 0..<6 {
        a = a + x[i] * w[i]
        b = b + x[i] * w[i] * w[i]
      }
      var c = 0.0
      for i in 0..<3 {
        for j in 0..<2 { c = c + x[i * 2 + j] * w[j * 3 + i] }
      }
      return a * b + sin(c)
    },
    fluxion: { x in
      (x * wT).sum() * (reshape(x, [2, 3]) * w23 * w23).sum() + sin((reshape(x, [3, 2]) * w23T).sum())
    }),
  ProgramCase(
    "a bitcast view beside the constant", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + sin(x[i] * w[i]) + x[i] * w[i] }
      return s
    },
    fluxion: { x in (sin(x * wBits) + x * wT).sum() }),
  ProgramCase(
    "a converted view and a broadcast view", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + x[i] * w[i] * w[i] * exp(-x[i] * x[i]) }
      return s
    },
    fluxion: { x in (x * wConverted * reshape(wBroadcast, [6]) * exp(-x * x)).sum() }),
  ProgramCase(
    "max over an axis of a reshaped product", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<2 {
        var m = x[i * 3] * w[i * 3]
        for k in 1..<3 { m = maxD(m, x[i * 3 + k] * w[i * 3 + k]) }
        s = s + m
      }
      return s
    },
    fluxion: { x in (reshape(x, [2, 3]) * w23).max(axis: 1).sum() }),
  ProgramCase(
    "mean over axis 0 of a transpose", at: p6,
    swift: { x in
      var s = 0.0
      for j in 0..<2 {
        var m = 0.0
        for i in 0..<3 { m = m + x[j * 3 + i] * w[i * 2 + j] }
        s = s + sin(m / 3)
      }
      return s
    },
    fluxion: { x in sin((transpose(reshape(x, [2, 3])) * w32).mean(axis: 0)).sum() }),
  ProgramCase(
    "a gather with repeated and negative indices", at: p6,
    swift: { x in
      var s = 0.0
      for k in 0..<5 {
        let i = repeatedIndexSwift[k]
        s = s + x[i] * w[i] * sin(x[i])
      }
      return s
    },
    fluxion: { x in (x[repeatedIndex] * wT[repeatedIndex] * sin(x[repeatedIndex])).sum() }),
  ProgramCase(
    "scatter-add with repeated indices, then a square", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 {
        var y = x[i]
        for k in 0..<5 where repeatedIndexSwift[k] == i { y = y + w[k + 1] }
        s = s + y * y
      }
      return s
    },
    fluxion: { x in x.at[repeatedIndex].add(wT[.from(1)]).pow(2).sum() }),
  ProgramCase(
    "concatenating the input with a constant slice", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + tanh(x[i] * w[i]) }
      for i in 0..<4 { s = s + tanh(w[i + 2] * x[i]) }
      return s
    },
    fluxion: { x in
      tanh(concatenate([x, wTail]) * concatenate([wT, x[0..<4]])).sum()
    }),
  ProgramCase(
    "where with a constant mask", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + (w[i] > 0 ? x[i] * w[i] : sin(x[i])) }
      return s
    },
    fluxion: { x in `where`(wT .> 0, x * wT, sin(x)).sum() }),
  ProgramCase(
    "set one row of a reshaped input to a constant row", at: p6,
    swift: { x in
      var s = 0.0
      for k in 0..<3 { s = s + sin(x[k]) * w[3 + k] }
      for k in 0..<3 { s = s + sin(w[k]) * w[3 + k] }
      return s
    },
    fluxion: { x in (sin(reshape(x, [2, 3]).at[1].set(w23[0])) * w23[1]).sum() }),
  ProgramCase(
    "an inner grad closing over the outer input", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 {
        let g = x[i] * cos(w[i] * x[i])
        s = s + g * g
      }
      return s
    },
    fluxion: { x in grad { (z: Tensor) in sin(z * x).sum() }(wT).pow(2).sum() }),
  ProgramCase(
    "an inner jvp closing over the outer input", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 {
        let t = tanh(w[i] * x[i])
        s = s + x[i] * (1 - t * t) * w[i]
      }
      return s
    },
    fluxion: { x in (jvp({ (z: Tensor) in tanh(z * x) }, primals: wT, tangents: onesLike(wT)).1 * wT).sum() }),
  ProgramCase(
    "an inner vmap over constant rows", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<2 {
        var d = 0.0
        for k in 0..<3 { d = d + w[i * 3 + k] * x[k] }
        s = s + tanh(d) * x[3 + i]
      }
      return s
    },
    fluxion: { x in
      (vmap { (r: Tensor) in tanh((r * x[0..<3]).sum()) }(w23) * x[3..<5]).sum()
    }),
  ProgramCase(
    "grad of a vmap over rows of the input", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<2 {
        var d = 0.0
        for k in 0..<3 { d = d + x[i * 3 + k] * w[k + 2] }
        s = s + sin(d)
      }
      return s
    },
    fluxion: { x in sin(vmap { (r: Tensor) in (r * wTail[0..<3]).sum() }(reshape(x, [2, 3]))).sum() }),
  // Structured control flow, each closing over the constant (an explicit operand of its body).
  ProgramCase(
    "a scan RNN over the input's rows with a view of the constant as its weight", at: p6,
    swift: { x in
      var h0 = 0.0
      var h1 = 0.0
      var s = 0.0
      for t in 0..<3 {
        s = s + h0 * h0 + h1 * h1
        let a = tanh(w[0] * h0 + w[1] * h1 + x[2 * t])
        let b = tanh(w[2] * h0 + w[3] * h1 + x[2 * t + 1])
        h0 = a
        h1 = b
      }
      return s + h0 + h1
    },
    fluxion: { x in
      // Made here, not as a global: Swift computes a global on first use, which would be inside
      // the scan body's trace.
      let wSquare = reshape(wT[.upTo(4)], [2, 2])
      let (h, hs) = scan(
        { (h: Tensor, xt: Tensor) in (tanh(matmul(wSquare, h) + xt), h) }, initial: zeros([2]), xs: reshape(x, [3, 2]))
      return h.sum() + (hs * hs).sum()
    }),
  ProgramCase(
    "a cond on the sign of the input against the constant", at: p6,
    swift: { x in
      var d = 0.0
      for i in 0..<6 { d = d + x[i] * w[i] }
      var s = 0.0
      if d > 0 {
        for i in 0..<6 { s = s + sin(x[i]) * w[i] }
      } else {
        for i in 0..<6 { s = s + x[i] * x[i] - w[i] }
      }
      return s
    },
    fluxion: { x in cond((x * wT).sum() .> 0, { sin($0) * wT }, { $0 * $0 - wT }, x).sum() }),
  ProgramCase(
    "a fori_loop of three steps", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 {
        var c = x[i]
        for _ in 0..<3 { c = sin(c) * w[i] + c * 0.5 }
        s = s + c
      }
      return s
    },
    fluxion: { x in foriLoop(0, 3, body: { _, c in sin(c) * wT + c * 0.5 }, initial: x).sum() }),
  ProgramCase(
    "a checkpointed body", at: p6,
    swift: { x in
      var s = 0.0
      for i in 0..<6 { s = s + tanh(x[i] * w[i]) * x[i] }
      return s
    },
    fluxion: { x in checkpoint { (z: Tensor) in tanh(z * wT) * z }(x).sum() }),
]

/// A pytree input: a dict of two vectors (its gradient is a dict of the same keys).
func dictProgram(_ p: [String: Tensor]) -> Tensor {
  let (a, b) = (p["a"] ?? Tensor(0.0), p["b"] ?? Tensor(0.0))
  return (a * b * wT[0..<3]).sum() + (sin(b) * wT[3..<6]).sum()
}

func close(_ got: [Double], _ want: [Double], tolerance: Double) -> Bool {
  got.count == want.count && zip(got, want).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}

/// A central finite difference of Swift AD's gradient along `v`: the Hessian times `v`.
func hessianTimes(_ c: ProgramCase, _ x: [Double], _ v: [Double]) -> [Double] {
  let h = finiteDifferenceStep
  let plus = c.swiftGradient(zip(x, v).map { $0 + h * $1 })
  let minus = c.swiftGradient(zip(x, v).map { $0 - h * $1 })
  return zip(plus, minus).map { ($0 - $1) / (2 * h) }
}

@Suite("Whole programs: Fluxion agrees with Swift's compiler AD")
struct WholeProgramOracleTests {
  @Test("value and gradient", arguments: programCases)
  func gradientMatchesSwiftAD(_ c: ProgramCase) throws {
    for x in c.points {
      let (value, g) = valueWithGradient(at: x, of: c.swift)
      let want = g.base.isEmpty ? Array(repeating: 0, count: x.count) : g.base
      let (fValue, fGrad) = valueAndGrad(c.fluxion)(Tensor(x.map(Float.init)))
      let got = try fGrad.value().doubles
      #expect(isClose(try fValue.item(), value, tolerance: gradientTolerance), "\(c.name): value at \(x)")
      #expect(close(got, want, tolerance: gradientTolerance), "\(c.name) at \(x): Fluxion \(got), Swift AD \(want)")
    }
  }

  @Test("jvp of grad and jacrev of jvp: the Hessian times a vector", arguments: programCases)
  func hessianVectorProductsMatch(_ c: ProgramCase) throws {
    let v: [Double] = [0.5, -1, 0.25, 2, -0.75, 1]
    let vT = Tensor(v.map(Float.init))
    for x in c.points {
      let want = hessianTimes(c, x, v)
      let xT = Tensor(x.map(Float.init))
      let forwardOverReverse = try jvp(grad(c.fluxion), primals: xT, tangents: vT).1.value().doubles
      let reverseOverForward = try grad { (y: Tensor) in jvp(c.fluxion, primals: y, tangents: vT).1 }(xT).value()
        .doubles
      #expect(close(forwardOverReverse, want, tolerance: secondDerivativeTolerance), "\(c.name): jvp of grad")
      #expect(close(reverseOverForward, want, tolerance: secondDerivativeTolerance), "\(c.name): grad of jvp")
      let jacobianOfJVP = try jacrev { (y: Tensor) in jvp(c.fluxion, primals: y, tangents: vT).1 }(xT).value()
        .doubles
      #expect(close(jacobianOfJVP, want, tolerance: secondDerivativeTolerance), "\(c.name): jacrev of jvp")
    }
  }

  @Test("hessian, column by column", arguments: programCases.prefix(8))
  func hessianMatches(_ c: ProgramCase) throws {
    let x = c.points[0]
    let hess = try hessian(c.fluxion)(Tensor(x.map(Float.init))).value().doubles
    for j in 0..<6 {
      var e = Array(repeating: 0.0, count: 6)
      e[j] = 1
      let column = hessianTimes(c, x, e)
      let got = (0..<6).map { hess[$0 * 6 + j] }
      #expect(close(got, column, tolerance: secondDerivativeTolerance), "\(c.name): hessian column \(j)")
    }
  }

  @Test func vmapOfGradMatchesSwiftADPerRow() throws {
    // Each row of a reshaped batch is its own point; vmap(grad) must give each row's gradient.
    let rowSwift: @differentiable(reverse) ([Double]) -> Double = { r in
      var s = 0.0
      for k in 0..<3 { s = s + sin(r[k] * w[k]) * r[k] + r[k] * w[k + 3] }
      return s
    }
    let rowFluxion = { (r: Tensor) in (sin(r * w23[0]) * r + r * w23[1]).sum() }
    let batch = p6[0] + p6[1]
    let got = try vmap(grad(rowFluxion))(reshape(Tensor(batch.map(Float.init)), [4, 3])).value().doubles
    for i in 0..<4 {
      let row = Array(batch[(i * 3)..<(i * 3 + 3)]).map(float32Point)
      let want = gradient(at: row, of: rowSwift).base
      #expect(close(Array(got[(i * 3)..<(i * 3 + 3)]), want, tolerance: gradientTolerance), "row \(i)")
    }
  }

  @Test func gradOverADictMatchesSwiftAD() throws {
    let swift: @differentiable(reverse) ([Double]) -> Double = { x in
      var s = 0.0
      for i in 0..<3 { s = s + x[i] * x[3 + i] * w[i] + sin(x[3 + i]) * w[3 + i] }
      return s
    }
    for x in p6.map({ $0.map(float32Point) }) {
      let want = gradient(at: x, of: swift).base
      let input = ["a": Tensor(x[0..<3].map(Float.init)), "b": Tensor(x[3..<6].map(Float.init))]
      let g = grad(dictProgram)(input)
      let got = try (g["a"]?.value().doubles ?? []) + (g["b"]?.value().doubles ?? [])
      #expect(close(got, want, tolerance: gradientTolerance), "dict gradient at \(x)")
    }
  }
}

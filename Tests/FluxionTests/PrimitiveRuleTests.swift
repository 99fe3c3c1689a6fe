import FluxionBackend
import Foundation
import Testing

@_spi(FluxionLang) @testable import Fluxion

/// The rule checker: every primitive, applied to random inputs in float64, has
/// - a JVP equal to a central finite difference,
/// - reverse mode consistent with forward mode: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ (this runs the transpose
///   rules of everything the JVP rules emit),
/// - a batching rule equal to a loop over the batch, for each argument batched alone (at the
///   first and at the last axis) and for all arguments batched together.
struct PrimitiveRuleTests {
  /// How one argument is drawn.
  enum Arg {
    /// Uniform floats in the range (differentiable).
    case float([Int], ClosedRange<Double>)
    /// Floats whose magnitude is in the range, either sign (away from a kink at 0).
    case signed([Int], ClosedRange<Double>)
    /// Integers in the range (not differentiable).
    case int([Int], ClosedRange<Int>, DType)
    case bool([Int])
    /// A fixed value, batched by repeating it.
    case fixed(Tensor)

    var differentiable: Bool {
      switch self {
      case .float, .signed: true
      default: false
      }
    }
  }

  struct Case: CustomTestStringConvertible, @unchecked Sendable {
    let name: String
    let args: [Arg]
    let f: ([Tensor]) -> Tensor
    /// False for primitives whose derivative is zero or undefined (checked as zero instead).
    var smooth = true
    /// False for primitives with no reverse mode (a while loop: JAX's error instead).
    var reversible = true
    var testDescription: String { name }
  }

  /// A deterministic generator (so failures reproduce).
  struct Generator {
    var state: UInt64
    mutating func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }

    mutating func draw(_ arg: Arg) -> Tensor {
      switch arg {
      case .float(let shape, let r):
        let n = shape.reduce(1, *)
        return Tensor(
          shape: shape, scalars: (0..<n).map { _ in .float(r.lowerBound + (r.upperBound - r.lowerBound) * next()) },
          dtype: .float64)
      case .signed(let shape, let r):
        let n = shape.reduce(1, *)
        return Tensor(
          shape: shape,
          scalars: (0..<n).map { _ in
            let m = r.lowerBound + (r.upperBound - r.lowerBound) * next()
            return .float(next() < 0.5 ? -m : m)
          }, dtype: .float64)
      case .int(let shape, let r, let dtype):
        let n = shape.reduce(1, *)
        let span = Double(r.upperBound - r.lowerBound + 1)
        return Tensor(
          shape: shape, scalars: (0..<n).map { _ in .int(Int64(r.lowerBound + Int(next() * span))) }, dtype: dtype)
      case .bool(let shape):
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { _ in .bool(next() < 0.5) }, dtype: .bool)
      case .fixed(let t):
        return t
      }
    }
  }

  static func u(_ op: UnaryOp, _ r: ClosedRange<Double>, shape: [Int] = [2, 3], smooth: Bool = true) -> Case {
    Case(
      name: "\(UnaryPrimitive(op: op).name)", args: [.float(shape, r)], f: { bind1(UnaryPrimitive(op: op), $0) },
      smooth: smooth)
  }

  static func b(
    _ op: BinaryOp, _ ra: ClosedRange<Double>, _ rb: ClosedRange<Double>, _ sa: [Int] = [2, 3], _ sb: [Int] = [2, 3]
  ) -> Case {
    Case(
      name: "\(BinaryPrimitive(op: op).name) \(sa)×\(sb)", args: [.float(sa, ra), .float(sb, rb)],
      f: { bind1(BinaryPrimitive(op: op), $0) })
  }

  static func ints(_ name: String, _ p: any Primitive, _ dtype: DType, _ r: ClosedRange<Int>, count: Int = 2) -> Case {
    Case(name: name, args: Array(repeating: .int([2, 3], r, dtype), count: count), f: { bind1(p, $0) }, smooth: false)
  }

  static let cases: [Case] = {
    var c: [Case] = [
      u(.neg, -3...3), u(.exp, -3...3), u(.expm1, -3...3), u(.log, 0.1...5), u(.log1p, -0.5...5),
      u(.sin, -3...3), u(.cos, -3...3), u(.tan, -1.2...1.2), u(.asin, -0.9...0.9), u(.acos, -0.9...0.9),
      u(.atan, -3...3), u(.sinh, -3...3), u(.cosh, -3...3), u(.tanh, -3...3), u(.logistic, -4...4),
      u(.erf, -2...2), u(.erfInv, -0.9...0.9), u(.sqrt, 0.1...5), u(.rsqrt, 0.1...5), u(.cbrt, 0.1...5),
      u(.floor, 0.1...0.9, smooth: false), u(.ceil, 0.1...0.9, smooth: false),
      u(.roundHalfEven, 0.1...0.4, smooth: false), u(.sign, 0.1...2, smooth: false),
      Case(name: "abs", args: [.signed([2, 3], 0.2...3)], f: { bind1(UnaryPrimitive(op: .abs), $0) }),
      b(.add, -3...3, -3...3), b(.sub, -3...3, -3...3), b(.mul, -3...3, -3...3), b(.div, -3...3, 0.5...3),
      b(.add, -3...3, -3...3, [3, 1], [1, 4]), b(.mul, -3...3, -3...3, [4], [3, 4]),
      b(.div, -3...3, 0.5...3, [], [2, 3]),
      b(.rem, 3.1...3.4, 1.2...1.4), b(.pow, 0.5...2, -1.5...1.5), b(.atan2, -2...2, 0.5...2),
      Case(
        name: "max", args: [.float([2, 3], -3...3), .float([2, 3], -3...3)], f: { bind1(BinaryPrimitive(op: .max), $0) }
      ),
      Case(
        name: "min", args: [.float([2, 3], -3...3), .float([2, 3], -3...3)], f: { bind1(BinaryPrimitive(op: .min), $0) }
      ),
      Case(
        name: "nextafter", args: [.float([2, 3], -3...3), .float([2, 3], -3...3)],
        f: { bind1(BinaryPrimitive(op: .nextAfter), $0) }, smooth: false),
      Case(
        name: "add_any", args: [.float([2, 3], -2...2), .float([2, 3], -2...2)],
        f: { bind1(AddAnyPrimitive(), $0) }),
      Case(
        name: "fma", args: [.float([2, 3], -2...2), .float([3], -2...2), .float([2, 3], -2...2)],
        f: { bind1(FusedMulAdd(), $0) }),
      Case(name: "integer_pow y=3", args: [.float([2, 3], -2...2)], f: { bind1(IntegerPow(y: 3), $0) }),
      Case(name: "integer_pow y=-2", args: [.signed([2, 3], 0.5...2)], f: { bind1(IntegerPow(y: -2), $0) }),
      Case(name: "integer_pow y=0", args: [.float([2, 3], -2...2)], f: { bind1(IntegerPow(y: 0), $0) }),
      Case(
        name: "select_n", args: [.bool([2, 3]), .float([2, 3], -2...2), .float([2, 3], -2...2)],
        f: { bind1(SelectNPrimitive(), $0) }),
      Case(
        name: "select_n scalar predicate", args: [.bool([]), .float([2, 3], -2...2), .float([2, 3], -2...2)],
        f: { bind1(SelectNPrimitive(), $0) }),
      Case(
        name: "convert_element_type", args: [.float([2, 3], -2...2)],
        f: { bind1(ConvertElementType(newDtype: .float64, weakType: true), $0) }),
      Case(
        name: "convert int to float", args: [.int([2, 3], -5...5, .int32)],
        f: { bind1(ConvertElementType(newDtype: .float64, weakType: false), $0) }, smooth: false),
      Case(name: "stop_gradient", args: [.float([2, 3], -2...2)], f: { bind1(StopGradient(), $0) }, smooth: false),
      Case(
        name: "reduce_sum", args: [.float([2, 3, 4], -2...2)],
        f: { bind1(ReducePrimitive(op: .sum, axes: [0, 2]), $0) }),
      Case(
        name: "reduce_prod", args: [.signed([2, 3], 0.5...2)], f: { bind1(ReducePrimitive(op: .prod, axes: [1]), $0) }),
      Case(
        name: "reduce_max", args: [.float([2, 3, 4], -2...2)], f: { bind1(ReducePrimitive(op: .max, axes: [1]), $0) }),
      Case(
        name: "reduce_min", args: [.float([2, 3, 4], -2...2)],
        f: { bind1(ReducePrimitive(op: .min, axes: [0, 1]), $0) }),
      Case(
        name: "argmax", args: [.float([2, 3, 4], -2...2)], f: { bind1(ReducePrimitive(op: .argmax, axes: [2]), $0) },
        smooth: false),
      Case(
        name: "argmin", args: [.float([2, 3, 4], -2...2)], f: { bind1(ReducePrimitive(op: .argmin, axes: [0]), $0) },
        smooth: false),
      Case(name: "cumsum", args: [.float([3, 4], -2...2)], f: { bind1(CumsumPrimitive(axis: 1, reverse: false), $0) }),
      Case(
        name: "cumsum reverse", args: [.float([3, 4], -2...2)],
        f: { bind1(CumsumPrimitive(axis: 0, reverse: true), $0) }),
      Case(name: "reshape", args: [.float([2, 3, 2], -2...2)], f: { bind1(ReshapePrimitive(newShape: [3, 4]), $0) }),
      Case(
        name: "squeeze", args: [.float([2, 1, 3], -2...2)],
        f: { bind1(ReshapePrimitive(newShape: [2, 3], squeezed: [1]), $0) }),
      Case(
        name: "transpose", args: [.float([2, 3, 4], -2...2)],
        f: { bind1(TransposePrimitive(permutation: [2, 0, 1]), $0) }),
      Case(
        name: "broadcast_in_dim", args: [.float([3, 1], -2...2)],
        f: { bind1(BroadcastInDim(shape: [2, 3, 4], dims: [1, 2]), $0) }),
      Case(name: "rev", args: [.float([3, 4], -2...2)], f: { bind1(RevPrimitive(dimensions: [0, 1]), $0) }),
      Case(
        name: "slice", args: [.float([5, 6], -2...2)],
        f: { bind1(SlicePrimitive(start: [1, 0], limit: [5, 5], strides: [2, 2]), $0) }),
      Case(
        name: "pad", args: [.float([3, 4], -2...2), .float([], -1...1)],
        f: { bind1(PadPrimitive(lo: [1, -1], hi: [2, 0], interior: [1, 0]), $0) }),
      Case(
        name: "concatenate", args: [.float([2, 3], -2...2), .float([2, 1], -2...2), .float([2, 2], -2...2)],
        f: { bind1(ConcatenatePrimitive(dimension: 1), $0) }),
      Case(
        name: "gather (take)",
        args: [.float([4, 3], -2...2), .fixed(Tensor([3, 0, 0, 2], dtype: .int32).reshaped(2, 2))],
        f: { bind1(TakePrimitive(), $0) }),
      Case(
        name: "gather with drawn positions", args: [.float([5, 2], -2...2), .int([3], 0...4, .int32)],
        f: { bind1(TakePrimitive(), $0) }),
      Case(
        name: "dot_general matvec", args: [.float([3, 4], -2...2), .float([4], -2...2)],
        f: { bind1(DotGeneralPrimitive(contracting: ([1], [0]), batchDims: ([], []), preferred: .float64), $0) }),
      Case(
        name: "dot_general matmul", args: [.float([3, 4], -2...2), .float([4, 2], -2...2)],
        f: { bind1(DotGeneralPrimitive(contracting: ([1], [0]), batchDims: ([], []), preferred: .float64), $0) }),
      Case(
        name: "dot_general transposed operands", args: [.float([4, 3], -2...2), .float([2, 4], -2...2)],
        f: { bind1(DotGeneralPrimitive(contracting: ([0], [1]), batchDims: ([], []), preferred: .float64), $0) }),
      Case(
        name: "dot_general batch", args: [.float([2, 3, 4], -2...2), .float([2, 4, 5], -2...2)],
        f: { bind1(DotGeneralPrimitive(contracting: ([2], [1]), batchDims: ([0], [0]), preferred: .float64), $0) }),
      Case(
        name: "dot_general two contractions", args: [.float([2, 3, 4], -2...2), .float([3, 2], -2...2)],
        f: { bind1(DotGeneralPrimitive(contracting: ([0, 1], [1, 0]), batchDims: ([], []), preferred: .float64), $0) }),
      Case(
        name: "sort values by keys", args: [.float([3, 4], -2...2), .float([3, 4], -2...2)],
        f: { bind(SortPrimitive(dimension: 1, count: 2), $0)[1] }),
      Case(name: "sort keys", args: [.float([5], -2...2)], f: { bind(SortPrimitive(dimension: 0, count: 1), $0)[0] }),
      ints("div int32", BinaryPrimitive(op: .div), .int32, -9...9),
      ints("rem int32", BinaryPrimitive(op: .rem), .int32, -9...9),
      ints("and int32", BinaryPrimitive(op: .and), .int32, 0...100),
      ints("xor uint32", BinaryPrimitive(op: .xor), .uint32, 0...1000),
      ints("shift_left", BinaryPrimitive(op: .shiftLeft), .uint32, 0...40),
      ints("shift_right_logical", BinaryPrimitive(op: .shiftRightLogical), .uint32, 0...40),
      ints("shift_right_arithmetic", BinaryPrimitive(op: .shiftRightArithmetic), .int32, -40...40),
      ints("integer power array", IntegerPowArray(), .int32, -3...3),
      ints("lt", ComparePrimitive(op: .lt), .int32, -3...3),
      ints("threefry2x32", Threefry2x32(), .uint32, 0...1_000_000, count: 4),
      ints("not", UnaryPrimitive(op: .not), .int32, -5...5, count: 1),
      Case(
        name: "bitcast_convert_type", args: [.float([2, 3], -2...2)],
        f: { bind1(BitcastConvertType(newDtype: .int64), $0) }, smooth: false),
    ]
    // The batched rule hashes counters with broadcasting; the kernel makes them in registers.
    for dtype in [DType.uint32, .uint64] {
      c.append(
        Case(
          name: "random_bits \(dtype)", args: [.int([2], 0...1_000_000, .uint32)],
          f: { bind1(RandomBitsPrimitive(shape: [3, 40], dtype: dtype), $0) }, smooth: false))
    }
    for mode in [Layout.ScatterMode.add, .set, .mul, .min, .max] {
      c.append(
        Case(
          name: "scatter-\(mode.rawValue)",
          args: [.float([4, 2], 0.5...2), .fixed(Tensor([3, 1], dtype: .int32)), .float([2, 2], 0.5...2)],
          f: { bind1(ScatterPrimitive(mode: mode), $0) }))
    }
    // Control flow: each primitive through its Swift API, which closes over a drawn value (an
    // explicit operand after closure conversion) where it can.
    c += [
      Case(
        name: "cond", args: [.bool([]), .float([2, 3], -2...2), .float([3], -2...2)],
        f: { xs in cond(xs[0], { o in sin(o[0]) * o[1] }, { o in o[0] * o[0] + o[1] }, [xs[1], xs[2]]) }),
      Case(
        name: "cond switch", args: [.int([], -1...3, .int32), .float([2, 3], -2...2), .float([3], -2...2)],
        f: { xs in
          switchCase(xs[0], [{ $0 * xs[2] }, { sin($0) + xs[2] }, { $0 * $0 * xs[2] }], xs[1])
        }),
      Case(
        name: "scan", args: [.float([3], -1...1), .float([4, 3], -1...1), .float([3], -1...1)],
        f: { xs in
          let (c, ys) = scan(
            { (c: Tensor, x: Tensor) in (sin(c * xs[2]) + x, c * x) }, initial: xs[0], xs: xs[1])
          return c + ys.sum(axis: 0)
        }),
      Case(
        name: "scan reverse", args: [.float([2], -1...1), .float([3, 2], -1...1)],
        f: { xs in
          let (c, ys) = scan(
            { (c: Tensor, x: Tensor) in (tanh(c + x), c * x) }, initial: xs[0], xs: xs[1], reverse: true)
          return ys * c
        }),
      Case(
        name: "scan fori_loop", args: [.float([2, 2], -1...1), .float([2], -1...1)],
        f: { xs in foriLoop(0, 3, body: { i, c in matmul(xs[0], c) + sin(c) * i.astype(.float64) }, initial: xs[1]) }),
      Case(
        name: "while", args: [.float([2, 3], -1...1), .float([3], 0.5...1)],
        f: { xs in
          whileLoop(
            cond: { (c: [Tensor]) in c[0] .< 3 }, body: { c in [c[0] + 1, sin(c[1]) * xs[1] + c[1]] },
            initial: [Tensor(0), xs[0]])[1]
        }, reversible: false),
      Case(
        name: "while batched predicate", args: [.float([3], 0.1...1)],
        f: { xs in whileLoop(cond: { $0.sum() .< 5 }, body: { $0 * 1.5 + 0.1 }, initial: xs[0]) }, reversible: false),
      Case(
        name: "remat2", args: [.float([2, 3], -2...2), .float([3], -2...2)],
        f: { xs in checkpoint { (o: [Tensor]) in [sin(o[0]) * o[1]] }([xs[0], xs[1]])[0] }),
      Case(
        name: "clamp", args: [.float([], -2...(-1)), .float([2, 3], -3...3), .float([], 1...2)],
        f: { bind1(ClampPrimitive(), $0) }),
    ]
    // Matrix primitives (LAPACK), on well-conditioned matrices built from the drawn ones; the
    // results of a decomposition are checked together, flattened into one vector.
    func shifted(_ x: Tensor) -> Tensor { x + eye(x.shape[x.rank - 1], dtype: .float64) * Tensor(3.0, dtype: .float64) }
    func flat(_ outs: [Tensor]) -> Tensor { concatenate(outs.map { reshape($0, [$0.count]) }) }
    func gram(_ x: Tensor) -> Tensor { matmul(x, matrixTranspose(x)) + eye(x.shape[x.rank - 1], dtype: .float64) }
    for (left, lower, transposed, unit) in [
      (true, true, false, false), (false, false, true, true), (true, false, true, false),
    ] {
      let p = TriangularSolvePrimitive(leftSide: left, lower: lower, transposeA: transposed, unitDiagonal: unit)
      c.append(
        Case(
          name: "triangular_solve left=\(left) lower=\(lower) transpose=\(transposed) unit=\(unit)",
          args: [.float([3, 3], -1...1), .float(left ? [3, 2] : [2, 3], -2...2)],
          f: { xs in bind1(p, [shifted(xs[0]), xs[1]]) }))
    }
    c += [
      Case(name: "lu", args: [.float([3, 3], -1...1)], f: { xs in bind(LUPrimitive(), [shifted(xs[0])])[0] }),
      Case(name: "lu tall", args: [.float([4, 3], -2...2)], f: { xs in bind(LUPrimitive(), xs)[0] }),
      Case(name: "lu wide", args: [.float([2, 4], -2...2)], f: { xs in bind(LUPrimitive(), xs)[0] }),
      Case(
        name: "linear_solve", args: [.float([3, 3], -1...1), .float([3, 2], -2...2)],
        f: { xs in bind1(LinearSolvePrimitive(), [shifted(xs[0]), xs[1]]) }),
      Case(
        name: "linear_solve transposed", args: [.float([2, 2], -1...1), .float([2, 3], -2...2)],
        f: { xs in bind1(LinearSolvePrimitive(transposeA: true), [shifted(xs[0]), xs[1]]) }),
      Case(name: "cholesky", args: [.float([3, 3], -1...1)], f: { xs in bind1(CholeskyPrimitive(), [gram(xs[0])]) }),
      Case(
        name: "eigh", args: [.float([3, 3], -2...2)],
        f: { xs in flat(bind(EighPrimitive(), [symmetrize(xs[0])])) }),
      Case(
        name: "eigh upper", args: [.float([3, 3], -2...2)],
        f: { xs in flat(bind(EighPrimitive(lower: false), [symmetrize(xs[0])])) }),
      Case(
        name: "svd square", args: [.float([3, 3], -2...2)],
        f: { xs in flat(bind(SVDPrimitive(fullMatrices: true), xs)) }),
      Case(name: "svd tall", args: [.float([4, 2], -2...2)], f: { xs in flat(bind(SVDPrimitive(), xs)) }),
      Case(name: "svd wide", args: [.float([2, 4], -2...2)], f: { xs in flat(bind(SVDPrimitive(), xs)) }),
      Case(
        name: "svd values", args: [.float([3, 4], -2...2)],
        f: { xs in bind1(SVDPrimitive(fullMatrices: true, computeUV: false), xs) }),
      Case(name: "qr square", args: [.float([3, 3], -2...2)], f: { xs in flat(bind(QRPrimitive(), xs)) }),
      Case(name: "qr tall", args: [.float([4, 2], -2...2)], f: { xs in flat(bind(QRPrimitive(), xs)) }),
      Case(
        name: "qr complete tall", args: [.float([4, 2], -2...2)],
        f: { xs in flat(bind(QRPrimitive(fullMatrices: true), xs)) }),
      Case(name: "qr wide", args: [.float([2, 4], -2...2)], f: { xs in flat(bind(QRPrimitive(), xs)) }),
      Case(name: "det 4×4", args: [.float([4, 4], -1...1)], f: { xs in Linalg.det(shifted(xs[0])) }),
      Case(name: "slogdet 3×3", args: [.float([3, 3], -1...1)], f: { xs in Linalg.slogdet(shifted(xs[0])).logabsdet }),
      Case(name: "slogdet 2×2", args: [.float([2, 2], -1...1)], f: { xs in Linalg.slogdet(shifted(xs[0])).logabsdet }),
      Case(name: "inv", args: [.float([3, 3], -1...1)], f: { xs in Linalg.inv(shifted(xs[0])) }),
    ]
    return c
  }()

  static func dot(_ a: Tensor, _ b: Tensor) -> Double {
    (try? (a.astype(.float64) * b.astype(.float64)).sum().item()) ?? .nan
  }

  static func close(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in x == y || Swift.abs(x - y) <= tolerance * (1 + Swift.abs(y)) }
  }

  @Test("JVP agrees with central finite differences", arguments: cases)
  func jvpMatchesFiniteDifferences(_ c: Case) throws {
    try Config.withX64(true) {
      var g = Generator(state: UInt64(c.name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
      let xs = c.args.map { g.draw($0) }
      let ts = c.args.map { a -> Tensor in
        a.differentiable ? g.draw(.float(g.draw(a).shape, -1...1)) : zerosLike(tangentAval(g.draw(a).aval))
      }
      let (y, t) = jvpFlat({ [c.f($0)] }, primals: xs, tangents: ts)
      #expect(y[0].error == nil, "\(c.name): \(y[0])")
      guard y[0].dtype.isFloatingPoint else {
        #expect(try t[0].doubles.allSatisfy { $0 == 0 }, "\(c.name): tangent of a non-float output")
        return
      }
      let h = 1e-6
      let plus = c.f(zip(xs, ts).map { x, v in x.dtype.isFloatingPoint ? x + v * Tensor(h, dtype: .float64) : x })
      let minus = c.f(zip(xs, ts).map { x, v in x.dtype.isFloatingPoint ? x - v * Tensor(h, dtype: .float64) : x })
      let fd = try zip(plus.doubles, minus.doubles).map { ($0 - $1) / (2 * h) }
      let expected = c.smooth ? fd : fd.map { _ in 0.0 }
      let jv = try t[0].doubles
      #expect(Self.close(jv, expected, tolerance: 1e-6), "\(c.name): jvp \(jv) vs fd \(fd)")
    }
  }

  @Test("reverse mode is the transpose of forward mode", arguments: cases.filter { $0.smooth && $0.reversible })
  func vjpIsTransposeOfJVP(_ c: Case) {
    Config.withX64(true) {
      var g = Generator(state: UInt64(c.name.utf8.reduce(11) { $0 &* 31 &+ UInt64($1) }))
      let xs = c.args.map { g.draw($0) }
      let vs = xs.enumerated().map { i, x in
        c.args[i].differentiable ? g.draw(.float(x.shape, -1...1)) : zerosLike(tangentAval(x.aval))
      }
      let (ys, pullback) = vjpFlat({ [c.f($0)] }, primals: xs)
      let u = g.draw(.float(ys[0].shape, -1...1))
      let jv = jvpFlat({ [c.f($0)] }, primals: xs, tangents: vs).1[0]
      let jtu = pullback([u])
      let lhs = Self.dot(u, jv)
      let rhs = zip(jtu, vs).enumerated().reduce(0.0) { acc, e in
        c.args[e.offset].differentiable ? acc + Self.dot(e.element.0, e.element.1) : acc
      }
      #expect(jtu.allSatisfy { $0.error == nil }, "\(c.name): \(jtu)")
      #expect(Swift.abs(lhs - rhs) <= 1e-9 * (1 + Swift.abs(lhs)), "\(c.name): ⟨u, Jv⟩ = \(lhs), ⟨Jᵀu, v⟩ = \(rhs)")
    }
  }

  @Test("batching rule equals a loop over the batch", arguments: cases)
  func batchingMatchesLoop(_ c: Case) throws {
    try Config.withX64(true) { () throws in
      var g = Generator(state: UInt64(c.name.utf8.reduce(13) { $0 &* 31 &+ UInt64($1) }))
      let size = 3
      let examples = (0..<size).map { _ in c.args.map { g.draw($0) } }
      let expected = stack(examples.map { c.f($0) }, axis: 0)
      // Each argument batched alone (first and last axis), then all of them.
      var plans: [[Int?]] = []
      for i in c.args.indices {
        let rank = examples[0][i].rank
        for axis in Set([0, rank]) {
          plans.append(c.args.indices.map { $0 == i ? axis : nil })
        }
      }
      plans.append(c.args.map { _ in 0 })
      for plan in plans {
        let args = c.args.indices.map { i in
          plan[i].map { stack(examples.map { $0[i] }, axis: $0) } ?? examples[0][i]
        }
        let got = vmapFlat({ [c.f($0)] }, args, inAxes: plan, outAxes: { _ in 0 })[0]
        // Unbatched arguments are the first example's, so compare with that mixture.
        let want =
          plan.allSatisfy({ $0 != nil })
          ? expected
          : stack(
            (0..<size).map { k in c.f(c.args.indices.map { i in plan[i] == nil ? examples[0][i] : examples[k][i] }) },
            axis: 0)
        #expect(got.error == nil, "\(c.name) in_axes \(plan): \(got)")
        #expect(got.shape == want.shape, "\(c.name) in_axes \(plan): shape \(got.shape) vs \(want.shape)")
        #expect(try Self.close(got.doubles, want.doubles, tolerance: 1e-12), "\(c.name) in_axes \(plan)")
      }
    }
  }

  @Test func everyPrimitiveIsChecked() {
    let names = Set(Self.cases.map { $0.name.split(separator: " ").first.map(String.init) ?? $0.name })
    for required in [
      "neg", "exp", "log", "sin", "tanh", "logistic", "erf_inv", "add", "mul", "div", "rem", "pow", "max", "min",
      "atan2",
      "fma", "add_any", "select_n", "convert_element_type", "reduce_sum", "reduce_max", "argmax", "cumsum", "reshape",
      "squeeze",
      "transpose", "broadcast_in_dim", "rev", "slice", "pad", "concatenate", "gather", "dot_general", "sort",
      "scatter-add", "scatter-set", "scatter-mul", "scatter-min", "scatter-max", "threefry2x32", "integer_pow",
      "stop_gradient", "bitcast_convert_type", "shift_left", "nextafter", "cond", "scan", "while", "remat2", "clamp",
      "lu", "triangular_solve", "linear_solve", "cholesky", "eigh", "svd", "qr",
    ] {
      #expect(names.contains(required), "no rule check for \(required)")
    }
  }
}

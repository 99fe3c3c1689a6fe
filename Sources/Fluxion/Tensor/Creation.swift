import FluxionBackend

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
  /// A Swift literal is weakly typed, like a Python scalar: `x * 2` keeps `x`'s dtype.
  public init(floatLiteral value: Double) { self = .weak(value) }
  public init(integerLiteral value: Int) { self = .weak(value) }
  public init(booleanLiteral value: Bool) { self.init(DenseArray.from([value], shape: [])) }

  /// A weakly typed float scalar (a Python float): float32, or float64 in x64 mode.
  public static func weak(_ value: Double) -> Tensor {
    Tensor(DenseArray.filled(.float(value), shape: [], dtype: Config.defaultFloat), weakType: true)
  }

  /// A weakly typed integer scalar (a Python int): int32, or int64 in x64 mode.
  public static func weak(_ value: Int) -> Tensor {
    if !Config.x64 && (value < Int(Int32.min) || value > Int(Int32.max)) {
      return Tensor(
        failed: FluxionError(
          .overflowError,
          "An overflow was encountered while parsing an argument: Python int \(value) does not fit in int32"))
    }
    return Tensor(DenseArray.filled(.int(Int64(value)), shape: [], dtype: Config.defaultInt), weakType: true)
  }

  /// A float scalar of the default float dtype (not weakly typed, like `jnp.float32(2.0)`).
  public init(_ value: Double, dtype: DType? = nil) {
    self.init(DenseArray.filled(.float(value), shape: [], dtype: Config.canonical(dtype ?? Config.defaultFloat)))
  }

  public init(_ value: Float) { self.init(DenseArray.filled(.float(Double(value)), shape: [], dtype: .float32)) }

  /// An integer scalar (int32 by default).
  public init(_ value: Int, dtype: DType? = nil) {
    self.init(DenseArray.filled(.int(Int64(value)), shape: [], dtype: Config.canonical(dtype ?? Config.defaultInt)))
  }

  public init(_ value: Bool) { self.init(DenseArray.from([value], shape: [])) }

  /// Values of the given shape, converted to `dtype`.
  public init(shape: [Int], scalars: [Scalar], dtype: DType) {
    if elementCount(shape) != scalars.count {
      self.init(failed: .valueError("cannot make an array of shape \(pyShape(shape)) from \(scalars.count) values"))
      return
    }
    self.init(DenseArray.from(scalars, shape: shape, dtype: Config.canonical(dtype)))
  }

  /// A float vector (float32 by default).
  public init(_ values: [Double], dtype: DType? = nil) {
    self.init(shape: [values.count], scalars: values.map { .float($0) }, dtype: dtype ?? Config.defaultFloat)
  }
  public init(_ values: [Float]) { self.init(DenseArray.from(values, shape: [values.count])) }
  /// A float matrix from rows (all rows of one length).
  public init(_ rows: [[Double]], dtype: DType? = nil) {
    let n = rows.first?.count ?? 0
    if rows.contains(where: { $0.count != n }) {
      self.init(
        failed: .valueError(
          "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (\(rows.count),) + inhomogeneous part."
        ))
      return
    }
    self.init(
      shape: [rows.count, n], scalars: rows.flatMap { $0.map { .float($0) } }, dtype: dtype ?? Config.defaultFloat)
  }
  /// An integer vector (int32 by default).
  public init(_ values: [Int], dtype: DType? = nil) {
    self.init(shape: [values.count], scalars: values.map { .int(Int64($0)) }, dtype: dtype ?? Config.defaultInt)
  }
  public init(_ values: [Bool]) { self.init(DenseArray.from(values, shape: [values.count])) }
}

/// An array of `shape` filled with `value`.
public func full(_ shape: [Int], _ value: Double, dtype: DType? = nil) -> Tensor {
  guard !shape.contains(where: { $0 < 0 }) else {
    return Tensor(
      failed: .typeError("broadcast_in_dim shape must have every element be nonnegative, got \(pyShape(shape))."))
  }
  let d = Config.canonical(dtype ?? Config.defaultFloat)
  if let e = shapeError(shape, d) { return Tensor(failed: e) }
  return filled(.float(value), ShapedArray(shape: shape, dtype: d))
}

/// An array of `shape` holding `value`, with its dtype (a weak literal stays weak, as `jnp.full`).
public func full(_ shape: [Int], fill value: Tensor, dtype: DType? = nil) -> Tensor {
  guard !shape.contains(where: { $0 < 0 }) else {
    return Tensor(
      failed: .typeError("broadcast_in_dim shape must have every element be nonnegative, got \(pyShape(shape))."))
  }
  let v = dtype.map { convertElementType(value, Config.canonical($0)) } ?? value
  return broadcastTo(v, shape)
}

public func zeros(_ shape: [Int], dtype: DType? = nil) -> Tensor { full(shape, 0, dtype: dtype) }
public func ones(_ shape: [Int], dtype: DType? = nil) -> Tensor { full(shape, 1, dtype: dtype) }

/// `value` with the shape and dtype of `a`: a scalar is data (a literal in a jaxpr); a larger
/// array is a broadcast of it bound in the current trace (JAX's `broadcast_in_dim 0.0`), so its
/// memory is filled by a kernel, not by the caller.
func filled(_ value: Scalar, _ a: ShapedArray) -> Tensor {
  let scalar = Tensor(DenseArray.filled(value, shape: [], dtype: a.dtype), weakType: a.weakType)
  return a.rank == 0 ? scalar : broadcastInDim(scalar, shape: a.shape, dims: [])
}

/// Zeros with the shape and dtype of an abstract value.
func zerosLike(_ a: ShapedArray) -> Tensor { filled(.int(0), a) }

public func zerosLike(_ x: Tensor) -> Tensor { zerosLike(x.aval) }
public func onesLike(_ x: Tensor) -> Tensor { filled(.int(1), x.aval) }
/// An array like `x` filled with `value`.
public func fullLike(_ x: Tensor, _ value: Double) -> Tensor { filled(.float(value), x.aval) }

/// The identity-like matrix with ones on diagonal `k`.
public func eye(_ n: Int, _ m: Int? = nil, k: Int = 0, dtype: DType? = nil) -> Tensor {
  let m = m ?? n
  let d = Config.canonical(dtype ?? Config.defaultFloat)
  if let e = shapeError([n, m], d) { return Tensor(failed: e) }
  // A diagonal outside the matrix leaves it zero (and keeps k's arithmetic in range).
  guard k < m && k > -n else { return zeros([n, m], dtype: d) }
  // Made on the spot unless a program is being recorded: there it is staged as JAX stages it.
  if !currentTrace.recordsProgram { return Tensor(DenseArray.eye(n, m, k: k, dtype: d)) }
  // column − row == k, with JAX's iotas; wide enough for the dimensions.
  let index: DType = Swift.max(n, m) <= Int(Int32.max) ? .int32 : Config.canonical(.int64)
  let offset = iota(index, [n, m], dimension: 1) - iota(index, [n, m], dimension: 0)
  return convertElementType(offset .== Tensor(k, dtype: index), d)
}

/// 0, 1, 2, … along `dimension` of `shape` (lax.iota / broadcasted_iota).
public func iota(_ dtype: DType, _ shape: [Int], dimension: Int = 0) -> Tensor {
  bind1(IotaPrimitive(dtype: Config.canonical(dtype), shape: shape, dimension: dimension), [])
}

/// `start, start + step, …` below `stop` (jnp.arange with float arguments): the default float dtype.
public func arange(_ start: Double, _ stop: Double? = nil, step: Double = 1, dtype: DType? = nil) -> Tensor {
  let (a, b) = stop.map { (start, $0) } ?? (0, start)
  guard step != 0 else { return Tensor(failed: FluxionError(.zeroDivisionError, "division by zero")) }
  let d = Config.canonical(dtype ?? Config.defaultFloat)
  let count = ((b - a) / step).rounded(.up)
  guard count.isFinite else { return Tensor(failed: .valueError("arange: the number of elements is not finite")) }
  let n = max(0, clampedInt(count))
  if let e = shapeError([n], d) { return Tensor(failed: e) }
  guard d.isFloatingPoint else {
    // Float bounds with an integer dtype: the count comes from the floats, the values from start
    // and step converted to the dtype as XLA converts (truncated, saturating at its bounds), then
    // start + i·step wrapping in the dtype's width (JAX's behaviour).
    let ends = DenseArray.from([Scalar.float(a), .float(step)], shape: [2], dtype: d)
    let (first, delta) = (ends.scalar(at: 0), ends.scalar(at: 1))
    let out = DenseArray(uninitializedShape: [n], dtype: d)
    for i in 0..<n {
      switch (first, delta) {
      case (.uint(let f), .uint(let s)): out.set(i, .uint(f &+ UInt64(i) &* s))
      default: out.set(i, .int(Int64(first.asInt) &+ Int64(i) &* Int64(delta.asInt)))
      }
    }
    return Tensor(out)
  }
  // JAX computes start + i * step in the target dtype.
  let out = DenseArray(uninitializedShape: [n], dtype: d)
  for i in 0..<n {
    let v: Double = d == .float32 ? Double(Float(a) + Float(i) * Float(step)) : a + Double(i) * step
    out.set(i, .float(v))
  }
  return Tensor(out)
}

/// An integer range (jnp.arange with integer arguments): the default int dtype.
public func arange(_ start: Int, _ stop: Int? = nil, step: Int = 1, dtype: DType? = nil) -> Tensor {
  let step = max(step, -Int.max)
  let (a, b) = stop.map { (start, $0) } ?? (0, start)
  guard step != 0 else { return Tensor(failed: FluxionError(.zeroDivisionError, "division by zero")) }
  let d = Config.canonical(dtype ?? Config.defaultInt)
  // Counted without overflow: elements a, a + step, … before b.
  let span = b.subtractingReportingOverflow(a)
  guard !span.overflow else { return Tensor(failed: .valueError("arange: the range does not fit in an Int")) }
  let n =
    step > 0
    ? (span.partialValue > 0 ? (span.partialValue - 1) / step + 1 : 0)
    : (span.partialValue < 0 ? (-(span.partialValue + 1)) / (-step) + 1 : 0)
  if d.isFloatingPoint { return arange(Double(a), Double(b), step: Double(step), dtype: d) }
  if let e = shapeError([n], d) { return Tensor(failed: e) }
  let out = DenseArray(uninitializedShape: [n], dtype: d)
  for i in 0..<n { out.set(i, .int(Int64(a + i * step))) }
  return Tensor(out)
}

/// `num` evenly spaced values from `start` to `stop` (inclusive unless `endpoint` is false).
public func linspace(_ start: Double, _ stop: Double, _ num: Int = 50, endpoint: Bool = true, dtype: DType? = nil)
  -> Tensor
{
  guard num >= 0 else { return Tensor(failed: .valueError("Number of samples, \(num), must be non-negative.")) }
  let d = Config.canonical(dtype ?? Config.defaultFloat)
  if let e = shapeError([num], d) { return Tensor(failed: e) }
  let div = Double(endpoint ? max(num - 1, 1) : max(num, 1))
  let step = (stop - start) / div
  var values: [Scalar] = []
  for i in 0..<num {
    var v = start + Double(i) * step
    if d == .float32 {
      let fstep = (Float(stop) - Float(start)) / Float(div)
      v = Double(Float(start) + Float(i) * fstep)
    }
    if endpoint && i == num - 1 && num > 1 { v = stop }
    if d.isInteger { v = v.rounded(.down) }
    values.append(.float(v))
  }
  return Tensor(shape: [num], scalars: values, dtype: d)
}

import Fluxion
import Foundation

/// A NumPy array, or a NumPy scalar (`np.float64(2.0)`, what NumPy's reductions and indexing
/// give): a concrete engine array of NumPy's dtype (float64 and int64 by default, whatever the
/// x64 mode), computed eagerly. Passed to jnp or jax functions, or mixed with a JAX array, it
/// converts as JAX converts NumPy data (float64 to float32 and int64 to int32 unless x64).
/// NumPy arrays are mutable: item assignment replaces `tensor`.
public final class NPArray: PyObject {
  public var tensor: Tensor
  /// A NumPy scalar (a 0-d value that prints as `np.float64(2.0)`), not a 0-d array.
  public let isScalar: Bool
  public init(_ tensor: Tensor, scalar: Bool) {
    self.tensor = tensor
    self.isScalar = scalar && tensor.rank == 0
  }
  override public var typeName: String { isScalar ? "\(tensor.dtype)" : "ndarray" }
}

extension Interpreter {
  /// Runs NumPy's computation: in 64-bit mode, so float64 and int64 stay what they are.
  func numpy<R>(_ body: () throws(PyError) -> R) throws(PyError) -> R {
    try Config.withX64(true) { () throws(PyError) -> R in try body() }
  }

  /// A result of the jnp layer as NumPy's: arrays (strongly typed) become NumPy arrays, 0-d
  /// ones NumPy scalars when `scalars`; tuples and lists of them likewise.
  func npWrap(_ v: Value, scalars: Bool = true) throws(PyError) -> Value {
    switch v {
    case .array(var t):
      if t.isWeaklyTyped { t = try checkedTensor(convertElementType(t, t.dtype)) }
      return .object(NPArray(t, scalar: scalars))
    case .tuple(let items): return .tuple(try items.map { x throws(PyError) in try npWrap(x, scalars: scalars) })
    case .list(let l): return .list(PyList(try l.items.map { x throws(PyError) in try npWrap(x, scalars: scalars) }))
    default: return v
    }
  }

  /// An argument of a NumPy function as the jnp layer takes it: NumPy arrays as their data,
  /// JAX arrays as they are (NumPy reads them), tracers refused as JAX refuses them.
  func npUnwrap(_ v: Value) throws(PyError) -> Value {
    switch v {
    case .object(let a as NPArray): return .array(a.tensor)
    case .array(let t) where t.isTracer:
      throw PyError(
        "TracerArrayConversionError",
        "The numpy.ndarray conversion method __array__() was called on traced array with shape \(t.aval.longDescription)"
          + tracerOriginText(t)
          + "\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerArrayConversionError")
    case .tuple(let items): return .tuple(try items.map { x throws(PyError) in try npUnwrap(x) })
    case .list(let l): return .list(PyList(try l.items.map { x throws(PyError) in try npUnwrap(x) }))
    case .object(let r as PyRange): return .list(PyList((0..<r.count).map { .int(r[$0]) }))
    default: return v
    }
  }

  func npUnwrap(_ args: CallArgs) throws(PyError) -> CallArgs {
    CallArgs(
      try args.positional.map { x throws(PyError) in try npUnwrap(x) },
      try args.keywords.map { k throws(PyError) in (k.0, try npUnwrap(k.1)) })
  }

  /// `f` of each element of float64 data (a NumPy array or a Python float) as a NumPy value;
  /// nil for anything else (the jnp layer computes it).
  func npMap(_ v: Value, _ f: (Double) -> Double) throws(PyError) -> Value? {
    let t: Tensor
    var scalar = true
    switch v {
    case .float(let d): t = Config.withX64(true) { Tensor(d) }
    case .object(let a as NPArray) where a.tensor.dtype == .float64:
      t = a.tensor
      scalar = a.isScalar || a.tensor.rank == 0
    default: return nil
    }
    let values: [Double]
    do throws(FluxionError) { values = try t.doubles } catch { throw PyError(error) }
    let out = Config.withX64(true) { Tensor(shape: t.shape, scalars: values.map { .float(f($0)) }, dtype: .float64) }
    return .object(NPArray(out, scalar: scalar))
  }

  /// An integer or bool NumPy array as float64 (what NumPy's float functions compute in).
  func npFloat(_ v: Value) throws(PyError) -> Value {
    guard case .object(let a as NPArray) = v, !a.tensor.dtype.isFloatingPoint else { return v }
    let t = try checkedTensor(Config.withX64(true) { convertElementType(a.tensor, .float64) })
    return .object(NPArray(t, scalar: a.isScalar))
  }

  /// A NumPy array as JAX reads it: its dtype narrowed to 32 bits unless x64, strongly typed.
  func jaxView(_ a: NPArray) throws(PyError) -> Tensor {
    let d = Config.canonical(a.tensor.dtype)
    return d == a.tensor.dtype ? a.tensor : try checkedTensor(convertElementType(a.tensor, d))
  }

  /// Calls `f` (a function of the jnp layer or an array method) NumPy's way: arguments
  /// unwrapped, run in 64-bit mode, results wrapped.
  func npCall(_ f: Value, _ args: CallArgs, scalars: Bool = true) throws(PyError) -> Value {
    let a = try npUnwrap(args)
    return try numpy { () throws(PyError) -> Value in try npWrap(try call(f, a), scalars: scalars) }
  }

  /// `a op b` where one side is a NumPy array or scalar and neither a JAX array: NumPy's
  /// arithmetic, with NumPy's promotion where it differs from JAX's (an integer array of 32 or
  /// more bits with a float32 one computes in float64).
  func npBinary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    // float64 ** a Python number (but 2, which both square exactly) as the C library's pow.
    if op == .pow, case .object = a, isNumber(b), !b.isTwo,
      let r = try npMap(a, { Foundation.pow($0, numericValue(b)) })
    {
      return r
    }
    var (x, y) = (try npSequence(try npUnwrap(a)), try npSequence(try npUnwrap(b)))
    if case .array(let s) = x, case .array(let t) = y, let wide = npWidened(s, t) {
      (x, y) = (.array(wide.0), .array(wide.1))
    }
    return try numpy { () throws(PyError) -> Value in try npWrap(try arrayOp(op, x, y)) }
  }

  private func npWidened(_ s: Tensor, _ t: Tensor) -> (Tensor, Tensor)? {
    guard !s.isWeaklyTyped, !t.isWeaklyTyped else { return nil }
    let d = npResultType(s.dtype, t.dtype)
    return Config.withX64(true) { () -> (Tensor, Tensor)? in
      guard resultType(s, t) != d else { return nil }
      return (convertElementType(s, d), convertElementType(t, d))
    }
  }

  /// A list or tuple operand as the NumPy array it stands for (`np.ones(2) + [1, 2]`).
  private func npSequence(_ v: Value) throws(PyError) -> Value {
    switch v {
    case .list, .tuple: return .array(try numpy { () throws(PyError) -> Tensor in try asTensor(v) })
    default: return v
    }
  }

  func npCompare(_ op: CompareOperator, _ a: Value, _ b: Value) throws(PyError) -> Value {
    let (x, y) = (try npSequence(try npUnwrap(a)), try npSequence(try npUnwrap(b)))
    return try numpy { () throws(PyError) -> Value in try npWrap(try compare(op, x, y)) }
  }

  func npUnary(_ op: UnaryOperator, _ a: NPArray) throws(PyError) -> Value {
    try numpy { () throws(PyError) -> Value in try npWrap(try unary(op, .array(a.tensor)), scalars: a.isScalar) }
  }

  /// `repr` of a NumPy array or scalar (`array([1., 2.])`, `np.float64(2.0)`).
  func npRepr(_ a: NPArray) throws(PyError) -> String {
    if let e = a.tensor.blockUntilReady().error { throw PyError(e) }
    return a.tensor.numpyDescription(scalar: a.isScalar)
  }

  /// Attributes and methods of a NumPy array: those of the array, computed NumPy's way.
  func npAttribute(_ a: NPArray, _ obj: Value, _ name: String) throws(PyError) -> Value {
    switch name {
    case "copy":
      return .builtin("ndarray.copy") { _, _ throws(PyError) in .object(NPArray(a.tensor, scalar: a.isScalar)) }
    case "sum", "mean", "var", "std":
      let f = try importModule("numpy").attribute(name)
      return .object(PyBoundMethod(f, obj))
    case "at", "weak_type", "block_until_ready":
      throw PyError.attribute("'numpy.\(obj.typeName)' object has no attribute '\(name)'")
    default: break
    }
    let v: Value
    do throws(PyError) {
      v = try numpy { () throws(PyError) -> Value in try arrayAttribute(a.tensor, .array(a.tensor), name) }
    } catch {
      if error.kind == "AttributeError" {
        throw PyError.attribute("'numpy.\(obj.typeName)' object has no attribute '\(name)'")
      }
      throw error
    }
    let keepsArrays: Set<String> = ["astype", "reshape", "transpose", "T", "mT", "flatten", "ravel", "squeeze"]
    switch v {
    case .object(is PyBuiltin), .object(is PyBoundMethod):
      return .builtin("ndarray.\(name)") { i, args throws(PyError) in
        try i.npCall(v, args, scalars: !keepsArrays.contains(name))
      }
    default:
      return try npWrap(v, scalars: !keepsArrays.contains(name))
    }
  }

  /// `x[idx]` of a NumPy array: an element is a NumPy scalar.
  func npGetItem(_ a: NPArray, _ index: Value) throws(PyError) -> Value {
    let idx = try npUnwrap(index)
    try npCheckBounds(a.tensor.shape, idx)
    return try numpy { () throws(PyError) -> Value in try npWrap(try getItem(.array(a.tensor), idx)) }
  }

  /// `x[idx] = v`: NumPy arrays are mutable; the value is cast to the array's dtype.
  func npSetItem(_ a: NPArray, _ index: Value, _ value: Value) throws(PyError) {
    guard !a.isScalar else { throw PyError.type("'numpy.\(a.typeName)' object does not support item assignment") }
    let (idx, v) = (try npUnwrap(index), try npUnwrap(value))
    try npCheckBounds(a.tensor.shape, idx)
    a.tensor = try numpy { () throws(PyError) -> Tensor in
      let indices = try tensorIndices(idx)
      let update = try checkedTensor(convertElementType(try asTensor(v), a.tensor.dtype))
      return try checkedTensor(a.tensor.at(indices).set(update))
    }
  }

  /// NumPy's IndexErrors for integer indices out of range and for too many indices (JAX
  /// clamps reads and drops writes instead).
  private func npCheckBounds(_ shape: [Int], _ index: Value) throws(PyError) {
    let parts: [Value]
    if case .tuple(let t) = index { parts = t } else { parts = [index] }
    func consumes(_ v: Value) -> Int {
      switch v {
      case .none, .ellipsis: return 0
      case .array(let t) where t.dtype == .bool: return Swift.max(t.rank, 1)
      default: return 1
      }
    }
    let used = parts.reduce(0) { $0 + consumes($1) }
    guard used <= shape.count else {
      throw PyError.index(
        "too many indices for array: array is \(shape.count)-dimensional, but \(used) were indexed")
    }
    var axis = 0
    func check(_ i: Int) throws(PyError) {
      let n = shape[axis]
      guard i >= -n && i < n else { throw PyError.index("index \(i) is out of bounds for axis \(axis) with size \(n)") }
    }
    for p in parts {
      switch p {
      case .ellipsis: axis = shape.count - (used - axis)
      case .none: continue
      case .int(let i): try check(i)
      case .array(let t) where t.dtype.isInteger:
        let values: [Double]
        do throws(FluxionError) { values = try t.doubles } catch { throw PyError(error) }
        for d in values { try check(Int(d)) }
      case .list, .tuple:
        for x in try materialize(p) { if case .int(let i) = x { try check(i) } }
      default: break
      }
      axis += consumes(p)
    }
  }

  /// The text after a tracer's shape in JAX's conversion errors: where the traced value came
  /// from (the engine's `int(x)` error names it).
  func tracerOriginText(_ t: Tensor) -> String {
    do throws(FluxionError) { _ = try Int(tensor: t) } catch {
      let m = error.message
      if let start = m.range(of: "\nThe error occurred while tracing") {
        let end = m.range(of: "\n\nSee https://", range: start.upperBound..<m.endIndex)?.lowerBound ?? m.endIndex
        return String(m[start.lowerBound..<end])
      }
    }
    return ""
  }
}

extension Value {
  fileprivate var isTwo: Bool {
    switch self {
    case .int(2): true
    case .float(2.0): true
    default: false
    }
  }
}

import FluxionBackend

/// convert_element_type: a new dtype (and weak type).
struct ConvertElementType: Primitive {
  let newDtype: DType
  let weakType: Bool

  var name: String { "convert_element_type" }
  var params: [(String, Param)] {
    [("new_dtype", .dtype(newDtype)), ("weak_type", .bool(weakType))]
  }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    [ShapedArray(shape: inputs[0].shape, dtype: newDtype, weakType: weakType)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.convert(inputs[0], to: newDtype)] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    guard let t = tangents[0], primals[0].dtype.isFloatingPoint, newDtype.isFloatingPoint else {
      return ([y], [nil])
    }
    return ([y], [bind1(self, [t])])
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    guard let ct = cts[0] else { return [nil] }
    let a = avals[0]
    return [bind1(ConvertElementType(newDtype: a.dtype, weakType: a.weakType), [ct])]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    ([bind1(self, args)], dims)
  }
}

/// bitcast_convert_type between dtypes of one width.
struct BitcastConvertType: Primitive {
  let newDtype: DType
  var name: String { "bitcast_convert_type" }
  var params: [(String, Param)] { [("new_dtype", .dtype(newDtype))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    guard inputs[0].dtype.size == newDtype.size else {
      throw .typeError(
        "bitcast_convert_type between dtypes of different widths (\(inputs[0].dtype) to \(newDtype)) is not supported")
    }
    return [ShapedArray(shape: inputs[0].shape, dtype: newDtype)]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.bitcast(inputs[0], to: newDtype)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([bind1(self, primals)], [nil]) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { ([bind1(self, args)], dims) }
}

/// integer_pow: `x ** y` for a constant integer `y`.
struct IntegerPow: Primitive {
  let y: Int
  var name: String { "integer_pow" }
  var params: [(String, Param)] { [("y", .int(y))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    if inputs[0].dtype == .bool { throw .typeError("integer_pow does not accept dtype bool.") }
    if y < 0 && !inputs[0].dtype.isFloatingPoint {
      throw .typeError(
        "Integers cannot be raised to negative powers, got integer_pow(\(inputs[0].longDescription), \(y))")
    }
    return [inputs[0]]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.integerPow(inputs[0], y)] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let x = primals[0]
    let out = bind1(self, [x])
    guard let t = tangents[0], y != 0 else { return ([out], [nil]) }
    // y · x^(y-1); y - 1 does not exist for the smallest Int, where x^y / x stands in.
    let lower = y == Int.min ? bind1(IntegerPow(y: y), [x]) / x : bind1(IntegerPow(y: y - 1), [x])
    let d = y == 1 ? onesLike(x) : Tensor.weak(Double(y)) * lower
    return ([out], [t * d])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { ([bind1(self, args)], dims) }
}

/// stop_gradient: the identity, with a zero derivative.
struct StopGradient: Primitive {
  var name: String { "stop_gradient" }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { inputs }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { inputs }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([bind1(self, primals)], [nil]) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { ([bind1(self, args)], dims) }
}

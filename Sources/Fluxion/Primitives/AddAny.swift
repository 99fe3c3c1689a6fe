import FluxionBackend

/// add_any: the sum of two cotangents (or tangents) of one type, as reverse mode accumulates
/// them. Linear in both operands; shapes and dtypes are equal.
struct AddAnyPrimitive: Primitive {
  var name: String { "add_any" }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    guard inputs[0].shape == inputs[1].shape, inputs[0].dtype == inputs[1].dtype else {
      throw .typeError(
        "add_any requires operands of one type, got \(inputs[0].longDescription) and \(inputs[1].longDescription)")
    }
    return [
      ShapedArray(shape: inputs[0].shape, dtype: inputs[0].dtype, weakType: inputs[0].weakType && inputs[1].weakType)
    ]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Elementwise.binary(.add, inputs[0], inputs[1])] }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let y = bind1(self, primals)
    switch (tangents[0], tangents[1]) {
    case (nil, nil): return ([y], [nil])
    case (let t?, nil), (nil, let t?): return ([y], [t])
    case (let a?, let b?): return ([y], [bind1(self, [a, b])])
    }
  }

  func transpose(_ cts: [Tensor?], _ args: [Tensor?], _ avals: [ShapedArray]) throws(FluxionError) -> [Tensor?] {
    [args[0] == nil ? cts[0] : nil, args[1] == nil ? cts[0] : nil]
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let a = moveBatchAxis(args[0], from: dims[0], to: 0, size: axisSize)
    let b = moveBatchAxis(args[1], from: dims[1], to: 0, size: axisSize)
    return ([bind1(self, [a, b])], [0])
  }
}

/// Adds two values of one type with add_any, converting the second when dtypes differ.
func addAny(_ a: Tensor, _ b: Tensor) -> Tensor {
  if a.shape != b.shape || a.dtype != b.dtype { return bind1(BinaryPrimitive(op: .add), promote([a, b])) }
  return bind1(AddAnyPrimitive(), [a, b])
}

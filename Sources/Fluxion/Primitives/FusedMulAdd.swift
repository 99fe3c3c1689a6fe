import FluxionBackend

/// fma(a, b, c) = a·b + c with one rounding (XLA fuses the PRNG's scale-and-shift into one).
struct FusedMulAdd: Primitive {
  var name: String { "fma" }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    try sameDtypes("fma", inputs)
    guard inputs[0].dtype.isFloatingPoint else { throw .typeError("fma does not accept dtype \(inputs[0].dtype).") }
    return [
      ShapedArray(
        shape: try elementwiseShape("fma", inputs), dtype: inputs[0].dtype, weakType: inputs.allSatisfy(\.weakType))
    ]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    [Elementwise.fusedMultiplyAdd(inputs[0], inputs[1], inputs[2])]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) {
    let (a, b) = (primals[0], primals[1])
    let y = bind1(self, primals)
    let shape = y.shape
    let dt = addTangents(
      addTangents(tangents[0].map { $0 * b }, tangents[1].map { a * $0 }),
      tangents[2].map { broadcastTo($0, shape) })
    return ([y], [dt.map { broadcastTo($0, shape) }])
  }

  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let (xs, d) = alignBatched(args, dims)
    return ([bind1(self, xs)], [d])
  }
}

/// a·b + c with a single rounding.
public func fma(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> Tensor {
  if let e = checkBroadcast("fma", [a, b, c]) { return Tensor(failed: e) }
  return bind1(FusedMulAdd(), promote([a, b, c]))
}

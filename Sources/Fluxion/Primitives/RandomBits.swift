import FluxionBackend

/// random_bits: JAX's partitionable random words of `shape` from one uint32[2] key, made in one
/// pass (the counters never exist as arrays).
struct RandomBitsPrimitive: Primitive {
  let shape: [Int]
  let dtype: DType

  var name: String { "random_bits" }
  var params: [(String, Param)] { [("bit_width", .int(dtype.size * 8)), ("shape", .ints(shape))] }

  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    guard inputs[0].shape == [2], inputs[0].dtype == .uint32 else {
      throw .typeError("random_bits takes one uint32[2] key, got \(inputs[0].longDescription)")
    }
    if let e = shapeError(shape, dtype) { throw e }
    return [ShapedArray(shape: shape, dtype: dtype)]
  }

  func impl(_ inputs: [DenseArray]) -> [DenseArray] {
    let key = inputs[0].pointer(UInt32.self)
    return [Threefry.randomBits(k0: key[0], k1: key[1], shape: shape, dtype: dtype)]
  }

  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([bind1(self, primals)], [nil]) }

  /// A batch of keys: the same hash written out with broadcasting over the batch.
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    let keys = moveaxis(args[0], dims[0] ?? 0, 0)
    let ones = Array(repeating: 1, count: shape.count)
    let k0 = reshape(keys[.all, 0], [axisSize] + ones), k1 = reshape(keys[.all, 1], [axisSize] + ones)
    let n = elementCount(shape) ?? 0
    let lo = reshape(iota(.uint32, [n]), [1] + shape)
    let hi = zeros([1] + shape, dtype: .uint32)
    let words = bind(Threefry2x32(), [k0, k1, hi, lo])
    if dtype == .uint32 { return ([words[0] ^ words[1]], [0]) }
    return ([(words[0].astype(.uint64) << Tensor(32, dtype: .uint64)) | words[1].astype(.uint64)], [0])
  }
}

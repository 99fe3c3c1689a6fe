import FluxionBackend

/// iota: 0, 1, 2, … along one dimension of a shape.
struct IotaPrimitive: Primitive {
  let dtype: DType
  let shape: [Int]
  let dimension: Int
  var name: String { "iota" }
  var params: [(String, Param)] {
    [("dimension", .int(dimension)), ("dtype", .dtype(dtype)), ("shape", .ints(shape)), ("sharding", .none)]
  }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    if let e = shapeError(shape, dtype) { throw e }
    guard dimension >= 0 && dimension < shape.count else {
      throw .valueError("iota dimension must be in range [0, \(shape.count)), got dimension=\(dimension).")
    }
    guard dtype.isInteger || dtype.isFloatingPoint else { throw .typeError("iota does not accept dtype \(dtype)") }
    return [ShapedArray(shape: shape, dtype: dtype)]
  }
  func impl(_ inputs: [DenseArray]) -> [DenseArray] { [Layout.iota(dtype, shape: shape, dimension: dimension)] }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([bind1(self, [])], [nil]) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { ([bind1(self, [])], [nil]) }
}

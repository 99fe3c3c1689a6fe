import FluxionBackend

/// Constructors named for dtypes, as `jnp.float32(2.0)` or `jnp.int32([1, 2])`: the values
/// converted to the dtype, strongly typed (a 64-bit dtype is narrowed unless x64 is on, as in
/// JAX). Where a `Tensor` is expected the type can be left out: `x * .float32(2)`.
///
/// ```swift
/// Tensor.float32(2.0)          // Array(2., dtype=float32)
/// Tensor.int32([[1, 2], [3, 4]])
/// Tensor.float32(x)            // x.astype(.float32)
/// ```
///
/// `Tensor(2.0, dtype: .float32)` is the same as `Tensor.float32(2.0)`.
extension Tensor {
  public static func float32<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .float32) }
  public static func float64<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .float64) }
  public static func int32<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .int32) }
  public static func int64<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .int64) }
  public static func uint32<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .uint32) }
  public static func uint64<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .uint64) }
  public static func bool<T: TensorLiteral>(_ values: T) -> Tensor { Tensor(nested: values, dtype: .bool) }

  public static func float32(_ x: Tensor) -> Tensor { x.astype(.float32) }
  public static func float64(_ x: Tensor) -> Tensor { x.astype(.float64) }
  public static func int32(_ x: Tensor) -> Tensor { x.astype(.int32) }
  public static func int64(_ x: Tensor) -> Tensor { x.astype(.int64) }
  public static func uint32(_ x: Tensor) -> Tensor { x.astype(.uint32) }
  public static func uint64(_ x: Tensor) -> Tensor { x.astype(.uint64) }
  public static func bool(_ x: Tensor) -> Tensor { x.astype(.bool) }
}

import FluxionBackend

/// Element types, as the backend defines them (`.float32`, `.int32`, …).
public typealias DType = FluxionBackend.DType
/// One element's value.
public typealias Scalar = FluxionBackend.Scalar
/// A computed array: shape, dtype and buffer (what `Tensor.value()` returns).
public typealias DenseArray = FluxionBackend.DenseArray
/// The loops an elementwise operation of one operand computes with (what a `UnaryOp` is given).
public typealias UnaryKernel = FluxionBackend.UnaryKernel
/// Linear algebra (`Linalg.norm`, as `jnp.linalg`); the backend's namespace of the same name,
/// extended with tensor functions.
public typealias Linalg = FluxionBackend.Linalg

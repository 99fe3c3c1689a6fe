import CKernels

/// The threefry-2x32 block cipher, the core of JAX's default PRNG.
public enum Threefry {
  /// Elementwise threefry over uint32 arrays of one shape; `k0`/`k1` may also be scalars.
  public static func hash(
    k0: DenseArray, k1: DenseArray, x0: DenseArray, x1: DenseArray
  ) -> (DenseArray, DenseArray) {
    let shape = x0.shape
    let n = x0.count
    let y0 = DenseArray(uninitializedShape: shape, dtype: .uint32)
    let y1 = DenseArray(uninitializedShape: shape, dtype: .uint32)
    let keyStride = k0.count == 1 && n != 1 ? 0 : 1
    let (a, b, c, d) = (
      k0.pointer(UInt32.self), k1.pointer(UInt32.self), x0.pointer(UInt32.self), x1.pointer(UInt32.self)
    )
    let (o0, o1) = (y0.mutablePointer(UInt32.self), y1.mutablePointer(UInt32.self))
    Parallel.forChunks(n) { s, count in
      fx_threefry2x32(a + s * keyStride, b + s * keyStride, keyStride, c + s, d + s, o0 + s, o1 + s, count)
    }
    return (y0, y1)
  }

  /// JAX's partitionable random words for one key: element i hashes its row-major index
  /// (uint32: the two outputs xor-ed; uint64: joined, first output high).
  public static func randomBits(k0: UInt32, k1: UInt32, shape: [Int], dtype: DType) -> DenseArray {
    let out = DenseArray(uninitializedShape: shape, dtype: dtype)
    let n = out.count
    if dtype == .uint64 {
      let p = out.mutablePointer(UInt64.self)
      Parallel.forChunks(n) { s, k in fx_random_bits64(k0, k1, UInt64(s), p + s, k) }
    } else {
      let p = out.mutablePointer(UInt32.self)
      Parallel.forChunks(n) { s, k in fx_random_bits32(k0, k1, UInt64(s), p + s, k) }
    }
    return out
  }

  /// The vector width of the math kernels on this CPU: 16 (AVX-512), 8 (AVX2) or 1.
  public static var vectorWidth: Int { Int(fx_vector_width()) }
}

import FluxionBackend

/// lax.dot_general: contracting and batch dimension pairs; result dims batch, lhs free, rhs free.
public func dotGeneral(
  _ a: Tensor, _ b: Tensor, contracting: ([Int], [Int]), batch: ([Int], [Int]) = ([], [])
) -> Tensor {
  let xs = promote([a, b])
  return bind1(DotGeneralPrimitive(contracting: contracting, batchDims: batch, preferred: xs[0].dtype), xs)
}

/// jnp.dot: vector·vector, matrix·vector, matrix·matrix, and N-d (last axis of a with the
/// second-to-last of b); scalars multiply.
public func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
  if a.rank == 0 || b.rank == 0 { return a * b }
  let bAxis = b.rank == 1 ? 0 : b.rank - 2
  return dotGeneral(a, b, contracting: ([a.rank - 1], [bAxis]))
}

/// jnp.matmul (`@`): batched over leading dims with broadcasting; 1-d operands are promoted.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = a.error ?? b.error { return Tensor(failed: e) }
  if a.rank == 0 || b.rank == 0 {
    return Tensor(
      failed: .valueError("matmul input operand \(a.rank == 0 ? 0 : 1) must have ndim at least 1, but it has ndim 0"))
  }
  if a.rank <= 2 && b.rank <= 2 {
    if a.shape.last != (b.rank == 1 ? b.shape[0] : b.shape[0]) {
      return Tensor(
        failed: .typeError(
          "dot_general requires contracting dimensions to have the same shape, got \(pyTuple([a.shape.last ?? 0])) and \(pyTuple([b.shape[0]]))."
        ))
    }
    return dotGeneral(a, b, contracting: ([a.rank - 1], [0]))
  }
  // Batched: bring both to [batch..., n, k] and [batch..., k, m] with broadcast batch dims.
  let a2 = a.rank == 1 ? reshape(a, [1, a.shape[0]]) : a
  let b2 = b.rank == 1 ? reshape(b, [b.shape[0], 1]) : b
  let ba = Array(a2.shape.dropLast(2)), bb = Array(b2.shape.dropLast(2))
  guard let batch = broadcastShapes(ba, bb), a2.shape.last == b2.shape[b2.rank - 2] else {
    return Tensor(
      failed: .valueError(
        "Incompatible types for matmul arguments: \(a.aval.longDescription) and \(b.aval.longDescription)"))
  }
  let fa = broadcastTo(a2, batch + a2.shape.suffix(2))
  let fb = broadcastTo(b2, batch + b2.shape.suffix(2))
  let nb = batch.count
  var out = dotGeneral(fa, fb, contracting: ([nb + 1], [nb]), batch: (Array(0..<nb), Array(0..<nb)))
  if a.rank == 1 { out = squeeze(out, axes: [nb]) }
  if b.rank == 1 { out = squeeze(out, axes: [out.rank - 1]) }
  return out
}

/// Flattened inner product.
public func vdot(_ a: Tensor, _ b: Tensor) -> Tensor {
  dot(reshape(a, [a.count]), reshape(b, [b.count]))
}

/// Outer product of the flattened operands.
public func outer(_ a: Tensor, _ b: Tensor) -> Tensor {
  let x = reshape(a, [a.count, 1]), y = reshape(b, [1, b.count])
  return x * y
}

/// Contraction over the last `axes` of a and the first of b.
public func tensordot(_ a: Tensor, _ b: Tensor, axes: Int = 2) -> Tensor {
  guard axes >= 0, axes <= a.rank, axes <= b.rank else {
    return Tensor(
      failed: .valueError("Number of tensordot axes (axes=\(axes)) exceeds input ranks (\(a.rank) and \(b.rank))"))
  }
  return tensordot(a, b, axes: (Array((a.rank - axes)..<a.rank), Array(0..<axes)))
}

/// Contraction over explicit axis lists.
public func tensordot(_ a: Tensor, _ b: Tensor, axes: ([Int], [Int])) -> Tensor {
  let la = axes.0.map { $0 < 0 ? $0 + a.rank : $0 }
  let lb = axes.1.map { $0 < 0 ? $0 + b.rank : $0 }
  return dotGeneral(a, b, contracting: (la, lb))
}

extension Tensor {
  /// Matrix product, as `@`.
  public func matmul(_ other: Tensor) -> Tensor { Fluxion.matmul(self, other) }
  public func dot(_ other: Tensor) -> Tensor { Fluxion.dot(self, other) }
}

/// Inner product over the last axes (jnp.inner): `a[..., k] · b[..., k]`, shaped
/// `a.shape.dropLast() + b.shape.dropLast()`; a scalar operand multiplies.
public func inner(_ a: Tensor, _ b: Tensor) -> Tensor {
  if let e = a.error ?? b.error { return Tensor(failed: e) }
  if a.rank == 0 || b.rank == 0 { return a * b }
  return dotGeneral(a, b, contracting: ([a.rank - 1], [b.rank - 1]))
}

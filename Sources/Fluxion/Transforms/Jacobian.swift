import FluxionBackend

/// Rows of an identity matrix of size `n`, shaped `[n] + shape` (the basis vmap maps over).
func basis(_ aval: ShapedArray) -> Tensor {
  let n = aval.count
  let dtype = aval.dtype.isFloatingPoint ? aval.dtype : Config.defaultFloat
  return reshape(eye(n, dtype: dtype), [n] + aval.shape)
}

/// Jacobian blocks `[output leaf][input leaf]`, each shaped `out.shape + in.shape`, by
/// reverse mode: one vjp per output element, batched with vmap (rows of the Jacobian).
public func jacrevFlat(_ f: ([Tensor]) -> [Tensor], _ args: [Tensor]) -> [[Tensor]] {
  let (outs, pullback) = vjpFlat(f, primals: args)
  var blocks: [[Tensor]] = []
  for (j, y) in outs.enumerated() {
    if let e = y.error {
      blocks.append(args.map { _ in Tensor(failed: e) })
      continue
    }
    let rows = vmapFlat(
      { us in
        var cts = outs.map { zerosLike(tangentAval($0.aval)) }
        cts[j] = us[0]
        return pullback(cts)
      }, [basis(tangentAval(y.aval))], inAxes: [0], outAxes: { _ in 0 })
    blocks.append(zip(rows, args).map { r, x in reshape(r, y.shape + x.shape) })
  }
  return blocks
}

/// Jacobian blocks by forward mode: one jvp per input element, batched with vmap (columns).
public func jacfwdFlat(_ f: ([Tensor]) -> [Tensor], _ args: [Tensor]) -> [[Tensor]] {
  var columns: [[Tensor]] = []  // [input][output]
  for (i, x) in args.enumerated() {
    let cols = vmapFlat(
      { vs in
        var tangents = args.map { zerosLike(tangentAval($0.aval)) }
        tangents[i] = vs[0]
        return jvpFlat(f, primals: args, tangents: tangents).1
      }, [basis(tangentAval(x.aval))], inAxes: [0], outAxes: { _ in -1 })
    columns.append(
      cols.map { c in
        // c: out.shape + [n] → out.shape + x.shape
        reshape(c, Array(c.shape.dropLast()) + x.shape)
      })
  }
  guard let first = columns.first else { return [] }
  return first.indices.map { j in columns.map { $0[j] } }
}

/// The Jacobian of a tensor function by reverse mode (jax.jacrev): shape `out.shape + in.shape`.
public func jacrev(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  { x in jacrevFlat({ [f($0[0])] }, [x])[0][0] }
}

/// The Jacobian by forward mode (jax.jacfwd).
public func jacfwd(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  { x in jacfwdFlat({ [f($0[0])] }, [x])[0][0] }
}

/// The Jacobian with respect to both arguments of a two-argument function, by reverse mode.
public func jacrev(_ f: @escaping (Tensor, Tensor) -> Tensor) -> (Tensor, Tensor) -> (Tensor, Tensor) {
  { a, b in
    let blocks = jacrevFlat({ [f($0[0], $0[1])] }, [a, b])[0]
    return (blocks[0], blocks[1])
  }
}

/// The Hessian: forward over reverse (jax.hessian).
public func hessian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
  jacfwd(jacrev(f))
}

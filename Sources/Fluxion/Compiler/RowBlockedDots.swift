import FluxionBackend

/// `d = X·w`, an elementwise region from `d` to `z`, then `g = Xᵀ·z` (a linear model's forward
/// product, its loss's derivative, its gradient), run over blocks of X's rows so that each block
/// of X is read from memory once for both products: d's rows of the block, the region on them,
/// the block's part of g added in. Each core sums the blocks it ran; the partial sums are added
/// in a fixed order at the end.
///
/// d and z are computed as the separate steps would (every row's dot product is BLAS's, the
/// region runs the same kernels); g adds the same products in another order (by blocks of rows
/// instead of BLAS's own), so it can differ from eager in the last bits. float32 only.
struct RowBlockedDots {
  let x: Int
  let w: Int
  let d: Int
  let region: FusedRegion
  let z: Int
  let g: Int
  let rows: Int
  let columns: Int
  /// The three steps it stands for (for tests: the dots' equations).
  let equations: [Int]
  /// Whether d and z are read by nothing but this step (nor returned): the products then run on
  /// the backend's own loops instead of BLAS (only g's bits depend on them, and g's order is
  /// this step's anyway), whatever kernel OpenBLAS picked for the machine.
  let ownKernels: Bool

  /// Rows per block: a block of X (rows × columns floats) stays in L2 between its two products.
  var rowsPerBlock: Int { max(16, min(2048, (192 * 1024 / 4) / max(1, columns)) / 16 * 16) }

  func run(_ env: UnsafeMutableBufferPointer<DenseArray?>) {
    let (xa, wa) = (env[x]!, env[w]!)
    let da = DenseArray(uninitializedShape: [rows], dtype: .float32)
    env[d] = da
    let ga = DenseArray(uninitializedShape: [columns], dtype: .float32)
    let (xp, wp, dp, gp) = (
      UnsafeRawPointer(xa.buffer.raw), UnsafeRawPointer(wa.buffer.raw), da.buffer.raw, ga.buffer.raw
    )
    region.withTables(env) { bases, outBases in
      let zp = UnsafeRawPointer(env[z]!.buffer.raw)
      let r = rowsPerBlock
      let blocks = (rows + r - 1) / r
      let chunks = min(Parallel.cores, blocks)
      withUnsafeTemporaryAllocation(of: Float.self, capacity: chunks * columns) { partial in
        partial.initialize(repeating: 0)
        let splitting = chunks > 1 && rows * columns >= Parallel.threshold
        // One chunk of blocks per core, so that which blocks a partial sum holds is fixed.
        let per = (blocks + chunks - 1) / chunks
        Parallel.forChunks(chunks, splitting: splitting) { s, c in
          for chunk in s..<(s + c) {
            let acc = partial.baseAddress! + chunk * columns
            for b in (chunk * per)..<min(blocks, (chunk + 1) * per) {
              let r0 = b * r
              let n = min(r, rows - r0)
              let xb = xp + r0 * columns * 4
              if ownKernels {
                BlockKernels.rowsDot(xb, rows: n, columns: columns, wp, dp + r0 * 4)
                region.runRange(r0, n, bases, outBases)
                BlockKernels.rowsAxpy(xb, rows: n, columns: columns, zp + r0 * 4, acc)
              } else {
                BlockKernels.gemv(transposed: false, xb, rows: n, columns: columns, wp, beta: 0, dp + r0 * 4)
                region.runRange(r0, n, bases, outBases)
                BlockKernels.gemv(transposed: true, xb, rows: n, columns: columns, zp + r0 * 4, beta: 1, acc)
              }
            }
          }
        }
        let out = gp.assumingMemoryBound(to: Float.self)
        for j in 0..<columns { out[j] = partial[j] }
        for k in 1..<chunks { for j in 0..<columns { out[j] += partial[k * columns + j] } }
      }
    }
    env[g] = ga
  }
}

import FluxionBackend

/// A jitted body lowered for execution: a list of steps over numbered value slots. A step is a
/// fused region (elementwise operations, the broadcasts that feed them and the reductions that
/// end them, run block by block so that intermediates stay in cache) or one equation run with
/// its own kernel (dot_general on BLAS, layout operations, anything the regions do not cover,
/// nested jit and control flow). A slot is dropped once its last reader has run, so a large
/// buffer goes back to the pool for the next step to take.
///
/// Built once per traced body (`ExecutionPlan.lower`), in microseconds; running it allocates
/// only the arrays it produces and a few small tables.
final class ExecutionPlan: @unchecked Sendable {
  /// Elements of one block of a fused region.
  /// A multiple of 32, so that blocks split a long row where its sums' lane groups end.
  static let blockSize = 2048

  enum Output {
    case slot(Int)
    case constant(DenseArray)
  }

  let slotCount: Int
  /// The body's inputs are slots `0 ..< inputCount`.
  let inputCount: Int
  let steps: [PlanStep]
  /// Per step, the slots whose last reader it is.
  let releases: [[Int]]
  let outputs: [Output]
  /// The most bytes the plan holds at once beyond its inputs: live arrays it made (outputs
  /// included) and the scratch blocks of the step running.
  let peakBytes: Int
  /// Whether each output is weakly typed.
  let weakOutputs: [Bool]
  /// The size of a run, in elements: those of the inputs and of the arrays the plan holds at
  /// its peak (4-byte elements); what decides whether a call is dispatched to the executor.
  let workElements: Int
  /// Whether a step has effects (a debug callback): the plan then runs on its caller's thread.
  let hasEffects: Bool

  init(
    slotCount: Int, inputCount: Int, steps: [PlanStep], releases: [[Int]], outputs: [Output], peakBytes: Int,
    weakOutputs: [Bool], inputElements: Int = 0
  ) {
    (self.slotCount, self.inputCount, self.steps, self.releases, self.outputs, self.peakBytes) =
      (slotCount, inputCount, steps, releases, outputs, peakBytes)
    self.weakOutputs = weakOutputs
    let (sum, overflow) = inputElements.addingReportingOverflow(peakBytes / 4)
    workElements = overflow ? Int.max : sum
    hasEffects = steps.contains { if case .call(let c) = $0 { Fluxion.hasEffects(c.primitive) } else { false } }
  }

  func run(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    try run(inputs) { a, _ in a }
  }

  /// Runs the plan and wraps its results as tensors of the body's output types.
  func runTensors(_ inputs: [DenseArray]) throws(FluxionError) -> [Tensor] {
    try run(inputs) { a, i in Tensor(a, weakType: weakOutputs[i]) }
  }

  /// Runs the plan on the arrays of `captured` then `args` (a cached jit call's operands),
  /// read in place; nil when one of them is not an array already there (pending, failed, a
  /// tracer), for the caller to take the general path.
  func runTensors(_ captured: [Tensor], _ args: [Tensor]) throws(FluxionError) -> [Tensor]? {
    for list in 0..<2 {
      for x in list == 0 ? captured : args {
        guard case .array = x.payload else { return nil }
      }
    }
    return try run(
      { env in
        var k = 0
        for list in 0..<2 {
          for x in list == 0 ? captured : args {
            if case .array(let a, _) = x.payload, k < inputCount { env[k] = a }
            k += 1
          }
        }
      }, { a, i in Tensor(a, weakType: weakOutputs[i]) })
  }

  @inline(__always) private func run<R>(_ inputs: [DenseArray], _ wrap: (DenseArray, Int) -> R) throws(FluxionError)
    -> [R]
  {
    try run({ env in for i in 0..<min(inputCount, inputs.count) { env[i] = inputs[i] } }, wrap)
  }

  @inline(__always) private func run<R>(
    _ fill: (UnsafeMutableBufferPointer<DenseArray?>) -> Void, _ wrap: (DenseArray, Int) -> R
  ) throws(FluxionError) -> [R] {
    // Cancelled work stops between steps, and a region's between its blocks; what a cancelled
    // run wrote is dropped with its slots.
    let token = FluxionContext.cancellation
    // The slots live on the stack: a call of a small plan allocates only what it produces.
    return try withUnsafeTemporaryAllocation(of: DenseArray?.self, capacity: slotCount) { (env) throws(FluxionError) in
      env.initialize(repeating: nil)
      defer { _ = env.deinitialize() }
      fill(env)
      for (i, step) in steps.enumerated() {
        switch step {
        case .region(let r): r.run(env, cancellation: token)
        case .call(let c): try c.run(env)
        case .rowBlocked(let b): b.run(env)
        }
        for s in releases[i] { env[s] = nil }
        if let token, token.isCancelled { throw FluxionError(.cancelled) }
      }
      var outs: [R] = []
      outs.reserveCapacity(outputs.count)
      for (i, o) in outputs.enumerated() {
        switch o {
        case .slot(let s):
          guard let a = env[s] else { throw .valueError("internal error: a jit plan left an output unset") }
          outs.append(wrap(a, i))
        case .constant(let a): outs.append(wrap(a, i))
        }
      }
      return outs
    }
  }

  /// The regions, for tests and tools.
  var regions: [FusedRegion] {
    steps.compactMap {
      if case .region(let r) = $0 { return r }
      if case .rowBlocked(let b) = $0 { return b.region }
      return nil
    }
  }
}

enum PlanStep {
  case region(FusedRegion)
  case call(CallStep)
  case rowBlocked(RowBlockedDots)
}

/// One equation run with its primitive's kernels.
struct CallStep {
  enum Arg {
    case slot(Int)
    case constant(DenseArray)
  }
  let primitive: any Primitive
  let args: [Arg]
  let outs: [Int]
  /// The equation's index in the lowered body, for tests.
  let equation: Int

  func run(_ env: UnsafeMutableBufferPointer<DenseArray?>) throws(FluxionError) {
    var arrays: [DenseArray] = []
    arrays.reserveCapacity(args.count)
    for a in args {
      switch a {
      case .slot(let s):
        guard let x = env[s] else { throw .valueError("internal error: a jit plan read an unset value") }
        arrays.append(x)
      case .constant(let x): arrays.append(x)
      }
    }
    let results = try primitive.impl(arrays)
    if results.count != outs.count { throw outputCountError(primitive, results.count) }
    for (s, r) in zip(outs, results) { env[s] = r }
  }
}

/// A fused region: instructions over operands, run on blocks of its `count` elements.
///
/// Every instruction produces `count` elements (one per element of the iteration space, in
/// row-major order of its own shape, which has that count); operands are read at stride 1
/// (arrays of that count, gathered broadcasts, computed blocks) or 0 (one value).
final class FusedRegion: @unchecked Sendable {
  enum Operand {
    /// A slot's array read in place (stride 1: `count` elements; 0: one element).
    case slot(Int, stride: Int)
    case constant(DenseArray)
    /// A slot's array broadcast to `shape`, read with `strides`, gathered into scratch block `scratch`.
    case gather(Int, shape: [Int], strides: [Int], scratch: Int)
    /// A computed block in scratch block `scratch`.
    case scratch(Int)
    /// A computed block written into output `index`'s array, at the block's position.
    case output(Int)
  }

  enum Kind {
    case unary(UnaryKernel.Erased)
    case binary(BinaryOp)
    case compare(CompareOp)
    /// select_n of two cases with a bool predicate: args (which, false case, true case).
    case select
    case integerPow(Int)
    case fma
    case convert(DType)
    case copy
    /// a · fl(1/b), b's reciprocal flushed to zero when subnormal: a float division by a
    /// broadcast divisor, as XLA:CPU rewrites it (XLA-NUMERICS.md §2) and eager computes it.
    case reciprocalTimes
    /// Writes the operand's block into output `index` at transposed positions (`shape` is the
    /// operand's, `strides` the output's offsets along its axes).
    case scatter(index: Int, shape: [Int], strides: [Int])
  }

  struct Instruction {
    let kind: Kind
    /// The operand dtype the kernel runs on.
    let dtype: DType
    let args: [Int]
    let out: Int
  }

  enum ReductionKind {
    case rowSum, rowMax, rowMin, columnSum
  }

  struct Reduction {
    let kind: ReductionKind
    let dtype: DType
    let input: Int
    /// Output array index (into `outputs`).
    let output: Int
    /// Row length (rows), or columns (column sums).
    let length: Int
  }

  struct OutputArray {
    let slot: Int
    let shape: [Int]
    let dtype: DType
  }

  let count: Int
  let operands: [Operand]
  let elementSizes: [Int]
  let strides: [Int]
  let instructions: [Instruction]
  let reductions: [Reduction]
  let outputs: [OutputArray]
  /// Further names for outputs' arrays (reshaped views): (slot, shape, output index), and for
  /// slot arrays read in place: (slot, shape, source slot).
  let views: [(slot: Int, shape: [Int], output: Int)]
  let slotViews: [(slot: Int, shape: [Int], source: Int)]
  let scratchCount: Int
  let scratchElementSize: Int
  /// The row length every row reduction shares (blocks then never cross a row in the middle of
  /// a group of 32, the row sums' lanes), nil without row reductions.
  let rowLength: Int?
  /// The equations (indices in the lowered body) computed here, for tests.
  let equations: [Int]
  /// Per operand, whether it is a gather every block reads alike (`gatherPeriod` divides the
  /// blocks); such gathers run once per thread.
  let invariantGathers: [Bool]
  let gatherPeriod: Int
  /// Whether the region computes 1-d arrays only (no reduction), as XLA's exp and log by
  /// length need.
  let isOneDimensional: Bool

  /// The period of a gather whose operand is read in order along trailing axes and repeated
  /// along the others (strides 0 then row-major), nil otherwise.
  static func repeatPeriod(_ shape: [Int], _ strides: [Int]) -> Int? {
    var k = shape.count
    var step = 1
    while k > 0 && (strides[k - 1] == step || shape[k - 1] == 1) {
      step *= shape[k - 1]
      k -= 1
    }
    guard (0..<k).allSatisfy({ strides[$0] == 0 || shape[$0] == 1 }) else { return nil }
    return step
  }

  static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

  init(
    count: Int, operands: [Operand], elementSizes: [Int], instructions: [Instruction], reductions: [Reduction],
    outputs: [OutputArray], views: [(slot: Int, shape: [Int], output: Int)],
    slotViews: [(slot: Int, shape: [Int], source: Int)], scratchCount: Int, scratchElementSize: Int,
    rowLength: Int?, equations: [Int]
  ) {
    self.count = count
    isOneDimensional = reductions.isEmpty && !outputs.isEmpty && outputs.allSatisfy { $0.shape.count == 1 }
    self.operands = operands
    self.elementSizes = elementSizes
    self.strides = operands.map {
      if case .slot(_, let s) = $0 { return s }
      if case .constant = $0 { return 0 }
      return 1
    }
    // A float division whose divisor is a broadcast (a gathered operand repeated along some
    // axis) multiplies by the divisor's reciprocal instead.
    self.instructions = instructions.map { ins in
      guard case .binary(.div) = ins.kind, ins.dtype.isFloatingPoint, ins.args.count == 2,
        case .gather(_, let shape, let strides, _) = operands[ins.args[1]],
        zip(shape, strides).contains(where: { $0.0 > 1 && $0.1 == 0 })
      else { return ins }
      return Instruction(kind: .reciprocalTimes, dtype: ins.dtype, args: ins.args, out: ins.out)
    }
    self.reductions = reductions
    self.outputs = outputs
    self.views = views
    self.slotViews = slotViews
    self.scratchCount = scratchCount
    self.scratchElementSize = scratchElementSize
    self.rowLength = rowLength
    self.equations = equations
    // Gathers that read a row repeated along the leading axes (a [n] operand of a [m, n]
    // result): with blocks of whole periods every block gathers the same values, once.
    var period = 1
    var invariant = [Bool](repeating: false, count: operands.count)
    if rowLength == nil {
      for (i, op) in operands.enumerated() {
        guard case .gather(_, let shape, let strides, _) = op, let p = Self.repeatPeriod(shape, strides) else {
          continue
        }
        let l = period / Self.gcd(period, p) * p
        if l > ExecutionPlan.blockSize { continue }
        period = l
        invariant[i] = true
      }
    }
    self.invariantGathers = invariant
    self.gatherPeriod = period
  }

  var blockSize: Int { ExecutionPlan.blockSize }
  /// Element operations (elements × instructions) from which a region splits across the cores.
  static let parallelWork: Int = Parallel.threshold

  /// Bytes of scratch one thread uses.
  var scratchBytes: Int { scratchCount * min(count, blockSize) * scratchElementSize }

  /// How the iteration space is cut: `units` pieces, split across threads; unit u holds
  /// `blocksPerUnit` consecutive blocks.
  private var blocking: (units: Int, blocksPerUnit: Int, elementsPerBlock: Int) {
    let b = blockSize
    guard let l = rowLength, l > 0 else {
      let perBlock = (b / gatherPeriod) * gatherPeriod
      return ((count + perBlock - 1) / perBlock, 1, perBlock)
    }
    if l <= b {
      let perBlock = (b / l) * l
      return ((count + perBlock - 1) / perBlock, 1, perBlock)
    }
    return (count / l, (l + b - 1) / b, b)
  }

  /// The element range of block `k` of unit `u`.
  @inline(__always) private func block(
    _ u: Int, _ k: Int, _ blocking: (units: Int, blocksPerUnit: Int, elementsPerBlock: Int)
  )
    -> (start: Int, count: Int)
  {
    if blocking.blocksPerUnit == 1 {
      let s = u * blocking.elementsPerBlock
      return (s, min(blocking.elementsPerBlock, count - s))
    }
    let l = rowLength!
    let offset = k * blockSize
    return (u * l + offset, min(blockSize, l - offset))
  }

  /// Runs the region into its output arrays; once `cancellation` is cancelled the blocks not
  /// yet started are skipped (the caller then drops the outputs).
  func run(_ env: UnsafeMutableBufferPointer<DenseArray?>, cancellation: CancellationToken? = nil) {
    withTables(env) { bases, outBases in
      let b = blocking
      let hasColumns = reductions.contains { $0.kind == .columnSum }
      let work = count * max(1, instructions.count)
      let splitting = !hasColumns && b.units > 1 && work >= FusedRegion.parallelWork
      if hasColumns {
        // One thread, in order: column sums add each column's elements row by row.
        let columnTotal = reductions.reduce(0) { $0 + ($1.kind == .columnSum ? $1.length : 0) }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: columnTotal) { acc in
          acc.initialize(repeating: 0)
          runUnits(0, b.units, b, bases, outBases, acc.baseAddress!, cancellation: cancellation)
          var at = 0
          for r in reductions where r.kind == .columnSum {
            BlockKernels.finishColumnSums(r.dtype, acc.baseAddress! + at, r.length, outBases[r.output])
            at += r.length
          }
        }
      } else {
        Parallel.forChunks(b.units, splitting: splitting) { s, c in
          runUnits(s, c, b, bases, outBases, nil, cancellation: cancellation)
        }
      }
    }
  }

  /// Makes the arrays this region writes (into their slots) and calls `body` with every
  /// operand's base address and the output arrays' (valid while it runs).
  func withTables(
    _ env: UnsafeMutableBufferPointer<DenseArray?>,
    _ body: (UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>, UnsafeMutableBufferPointer<UnsafeMutableRawPointer>)
      -> Void
  ) {
    let n = operands.count
    withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: outputs.count) { outBases in
      for (k, o) in outputs.enumerated() {
        let a = DenseArray(uninitializedShape: o.shape, dtype: o.dtype)
        outBases[k] = a.buffer.raw
        env[o.slot] = a
      }
      for v in views { env[v.slot] = env[outputs[v.output].slot]!.reshaped(v.shape) }
      for v in slotViews { env[v.slot] = env[v.source]!.reshaped(v.shape) }
      withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: n) { bases in
        for (i, op) in operands.enumerated() {
          switch op {
          case .slot(let s, _), .gather(let s, _, _, _): bases[i] = env[s]!.buffer.raw
          case .constant(let a): bases[i] = a.buffer.raw
          case .output(let o): bases[i] = outBases[o]
          case .scratch: bases[i] = nil
          }
        }
        body(bases, outBases)
      }
    }
  }

  /// Runs elements `start ..< start + n` on this thread (a region without reductions), in
  /// blocks from `start`.
  func runRange(
    _ start: Int, _ n: Int, _ bases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>,
    _ outBases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer>
  ) {
    runUnits(0, 1, (1, 1, blockSize), bases, outBases, nil, range: (start, n))
  }

  /// Runs units `first ..< first + c` on this thread, with scratch of its own.
  private func runUnits(
    _ first: Int, _ c: Int, _ b: (units: Int, blocksPerUnit: Int, elementsPerBlock: Int),
    _ bases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>,
    _ outBases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer>,
    _ columnAcc: UnsafeMutablePointer<Double>?, range: (start: Int, count: Int)? = nil,
    cancellation: CancellationToken? = nil
  ) {
    let blockElements = min(count, max(b.elementsPerBlock, blockSize))
    let scratchStride = blockElements * scratchElementSize
    let n = operands.count
    withUnsafeTemporaryAllocation(byteCount: max(1, scratchCount * scratchStride), alignment: 64) { scratch in
      withUnsafeTemporaryAllocation(of: UnsafeRawPointer.self, capacity: n) { ptr in
        withUnsafeTemporaryAllocation(of: SIMD32<Double>.self, capacity: max(1, reductions.count)) { sums in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, reductions.count)) { extremes in
            sums.initialize(repeating: SIMD32<Double>())
            extremes.initialize(repeating: 0)
            let scratchBase = scratch.baseAddress!
            var gathered = false
            units: for u in first..<(first + c) {
              let blocks = range.map { ($0.count + blockSize - 1) / blockSize } ?? b.blocksPerUnit
              for k in 0..<blocks {
                let (start, len) =
                  range.map { ($0.start + k * blockSize, min(blockSize, $0.count - k * blockSize)) } ?? block(u, k, b)
                if len <= 0 { continue }
                if let cancellation, cancellation.isCancelled { break units }
                // Operand pointers for this block.
                for i in 0..<n {
                  switch operands[i] {
                  case .slot(_, let stride):
                    ptr[i] = UnsafeRawPointer(bases[i]! + start * stride * elementSizes[i])
                  case .constant: ptr[i] = UnsafeRawPointer(bases[i]!)
                  case .output: ptr[i] = UnsafeRawPointer(bases[i]! + start * elementSizes[i])
                  case .scratch(let s): ptr[i] = UnsafeRawPointer(scratchBase + s * scratchStride)
                  case .gather(_, let shape, let strides, let s):
                    let dst = scratchBase + s * scratchStride
                    // A block of whole periods after the first gathered: the same values are there.
                    if range == nil && invariantGathers[i] && gathered && len % gatherPeriod == 0 {
                      ptr[i] = UnsafeRawPointer(dst)
                      continue
                    }
                    BlockKernels.gather(
                      bases[i]!, size: elementSizes[i], shape: shape, strides: strides, start: start, len, dst)
                    ptr[i] = UnsafeRawPointer(dst)
                  }
                }
                gathered = true
                execute(ptr, start, len, outBases)
                reduce(ptr, start, len, outBases, sums, extremes, columnAcc)
              }
            }
          }
        }
      }
    }
  }

  @inline(__always) private func execute(
    _ ptr: UnsafeMutableBufferPointer<UnsafeRawPointer>, _ start: Int, _ len: Int,
    _ outBases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer>
  ) {
    for ins in instructions {
      let y = UnsafeMutableRawPointer(mutating: ptr[ins.out])
      let a = ins.args
      switch ins.kind {
      case .unary(let loop):
        // A region of one block is the whole array, for loops whose results depend on the
        // length of a 1-d array.
        if len == count, isOneDimensional, let whole = loop.whole {
          whole(ptr[a[0]], y, len)
        } else {
          loop.run(ptr[a[0]], y, len)
        }
      case .binary(let op):
        BlockKernels.binary(op, ins.dtype, ptr[a[0]], strides[a[0]], ptr[a[1]], strides[a[1]], y, len)
      case .compare(let op):
        BlockKernels.compare(op, ins.dtype, ptr[a[0]], strides[a[0]], ptr[a[1]], strides[a[1]], y, len)
      case .select:
        BlockKernels.select(
          ptr[a[0]], strides[a[0]], ptr[a[1]], strides[a[1]], ptr[a[2]], strides[a[2]], y, len, size: ins.dtype.size)
      case .integerPow(let e): BlockKernels.integerPow(ins.dtype, ptr[a[0]], y, len, e)
      case .fma:
        BlockKernels.fma(
          ins.dtype, ptr[a[0]], strides[a[0]], ptr[a[1]], strides[a[1]], ptr[a[2]], strides[a[2]], y, len)
      case .convert(let to): BlockKernels.convert(ins.dtype, ptr[a[0]], to: to, y, len)
      case .copy: BlockKernels.copy(ptr[a[0]], strides[a[0]], y, len, size: ins.dtype.size)
      case .reciprocalTimes:
        BlockKernels.reciprocalTimes(ins.dtype, ptr[a[0]], strides[a[0]], ptr[a[1]], strides[a[1]], y, len)
      case .scatter(let o, let shape, let st):
        BlockKernels.scatter(ptr[a[0]], size: ins.dtype.size, shape: shape, strides: st, start: start, len, outBases[o])
      }
    }
  }

  @inline(__always) private func reduce(
    _ ptr: UnsafeMutableBufferPointer<UnsafeRawPointer>, _ start: Int, _ len: Int,
    _ outBases: UnsafeMutableBufferPointer<UnsafeMutableRawPointer>, _ sums: UnsafeMutableBufferPointer<SIMD32<Double>>,
    _ extremes: UnsafeMutableBufferPointer<Double>, _ columnAcc: UnsafeMutablePointer<Double>?
  ) {
    var columnAt = 0
    for (ri, r) in reductions.enumerated() {
      let x = ptr[r.input]
      let size = r.dtype.size
      switch r.kind {
      case .columnSum:
        BlockKernels.columnSums(r.dtype, x, start: start, len, columns: r.length, columnAcc! + columnAt)
        columnAt += r.length
      case .rowSum, .rowMax, .rowMin:
        // The rows (or the part of one row) this block covers.
        let l = r.length
        var done = 0
        while done < len {
          let at = start + done
          let (row, offset) = (at / l, at % l)
          let c = min(l - offset, len - done)
          let out = outBases[r.output] + row * size
          if r.kind == .rowSum {
            BlockKernels.rowSum(r.dtype, x + done * size, c, offset: offset, length: l, &sums[ri], out)
          } else {
            BlockKernels.rowExtremum(
              r.dtype, x + done * size, c, offset: offset, length: l, isMax: r.kind == .rowMax, &extremes[ri], out)
          }
          done += c
        }
      }
    }
  }
}

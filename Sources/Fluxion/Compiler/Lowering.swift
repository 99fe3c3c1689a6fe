import FluxionBackend

extension ExecutionPlan {
  /// Lowers a jitted body (its inputs, then no constants, or constants bound to values) to a
  /// plan; nil when something in it cannot be planned (the caller then interprets the body).
  static func lower(_ body: ClosedJaxpr) -> ExecutionPlan? {
    var l = Lowering(body)
    return l.run()
  }
}

/// Builds an `ExecutionPlan` in one pass over the equations: dead equations are dropped, each
/// elementwise equation joins the first region of its element count that runs after all of
/// its operands exist (so independent chains over one array share a region), and every other
/// equation becomes a step of its own at the end.
struct Lowering {
  /// The smallest X (bytes) that X·w → region → Xᵀ·z runs row-blocked (see `rowBlockedDots`):
  /// twice the largest L2 of common CPUs, where a second read of X comes from memory.
  static let rowBlockedMinimumBytes: Int = 4 << 20

  let body: ClosedJaxpr
  let jaxpr: Jaxpr

  /// Where each variable comes from: a step (its index), or -1 for the body's inputs and
  /// constants.
  var definedAt: [Var: Int] = [:]
  /// Variables whose value a region computes elementwise (readable inside that region).
  var regionOperand: [Var: Int] = [:]
  var steps: [StepBuilder] = []
  /// Variables some reader outside their region needs as an array.
  var needsSlot: Set<Var> = []
  var constants: [Var: DenseArray] = [:]
  /// Results computed while lowering (`fold`), in order.
  var folded: Set<Var> = []
  var foldedOrder: [Var] = []
  /// Which equations some output depends on.
  var live: [Bool] = []

  init(_ body: ClosedJaxpr) {
    self.body = body
    self.jaxpr = body.jaxpr
  }

  final class RegionBuilder {
    let count: Int
    var rowLength: Int?
    var operands: [OperandB] = []
    var dtypes: [DType] = []
    var shapes: [[Int]] = []
    var instructions: [(kind: FusedRegion.Kind, dtype: DType, args: [Int], out: Int)] = []
    var reductions: [(kind: FusedRegion.ReductionKind, dtype: DType, input: Int, out: Var, length: Int)] = []
    /// Transposes written out permuted: (operand, result, operand shape, output strides).
    var scatters: [(input: Int, out: Var, shape: [Int], strides: [Int])] = []
    /// Variables defined here, each by an operand.
    var defined: [(Var, Int)] = []
    var equations: [Int] = []
    /// External operands already made, to share them.
    var externalIndex: [ExternalKey: Int] = [:]

    init(count: Int) { self.count = count }

    func add(_ op: OperandB, _ dtype: DType, _ shape: [Int]) -> Int {
      operands.append(op)
      dtypes.append(dtype)
      shapes.append(shape)
      return operands.count - 1
    }
  }

  struct ExternalKey: Hashable {
    let v: Var?
    let literal: ObjectIdentifier?
    let strides: [Int]
    let shape: [Int]
  }

  enum OperandB {
    case external(Var, stride: Int)
    case literal(DenseArray)
    case gather(Var, shape: [Int], strides: [Int])
    case computed
  }

  enum StepBuilder {
    case region(RegionBuilder)
    case call(any Primitive, [Atom], [Var], Int)
  }

  /// What an equation is to a region.
  enum Fusion {
    case elementwise(FusedRegion.Kind, dtype: DType)
    /// The result is the operand under another shape (reshape, stop_gradient, a broadcast that
    /// adds only axes of size 1).
    case alias
    /// broadcast_in_dim: strides of the operand along each output axis.
    case broadcast(strides: [Int])
    case reduction(FusedRegion.ReductionKind, length: Int)
    /// A transpose of a value computed in a region: written out permuted by that region
    /// (`strides`: the output's offsets along the operand's axes).
    case scatter(strides: [Int])
  }

  mutating func run() -> ExecutionPlan? {
    for (v, c) in zip(jaxpr.constVars, body.consts) {
      guard let a = c.concrete else { return nil }
      constants[v] = a
      definedAt[v] = -1
    }
    for v in jaxpr.inVars { definedAt[v] = -1 }
    live = liveEquations()
    for (i, e) in jaxpr.equations.enumerated() where live[i] {
      if !place(e, i) { return nil }
    }
    for case .variable(let v)? in jaxpr.outputs { needsSlot.insert(v) }
    return finish()
  }

  /// Which equations some output depends on, and those with effects (a debug callback).
  func liveEquations() -> [Bool] {
    var used = Set<Var>()
    for case .variable(let v)? in jaxpr.outputs { used.insert(v) }
    var live = [Bool](repeating: false, count: jaxpr.equations.count)
    for (i, e) in jaxpr.equations.enumerated().reversed()
    where e.outputs.contains(where: used.contains) || hasEffects(e.primitive) {
      live[i] = true
      for case .variable(let v) in e.inputs { used.insert(v) }
    }
    return live
  }

  // MARK: placing equations

  /// Places equation `e` (index `i`): in a region when it fuses, else as a step of its own.
  mutating func place(_ e: Equation, _ i: Int) -> Bool {
    // An effect runs when the plan does, never while it is built.
    if !hasEffects(e.primitive), fold(e) { return true }
    if e.outputs.count == 1, let fusion = classify(e), placeFused(e, i, fusion) { return true }
    for case .literal(let t) in e.inputs where t.concrete == nil { return false }
    for case .variable(let v) in e.inputs { needsSlot.insert(v) }
    var p = e.primitive
    if let dot = p as? DotGeneralPrimitive, let d = DiagonalAwareDot(dot, e.inputs.map(\.aval)) { p = d }
    steps.append(.call(p, e.inputs, e.outputs, i))
    for v in e.outputs { definedAt[v] = steps.count - 1 }
    return true
  }

  /// Runs now an equation whose operands are all literals or values folded before (an identity
  /// matrix from iotas, `-1.0 / n`), with the eager kernels, so its results are constants of the
  /// plan: true when it did. Results are kept small (one value, or at most 2^16 elements made by
  /// something other than a broadcast, which regions read in place anyway).
  mutating func fold(_ e: Equation) -> Bool {
    var args: [Tensor] = []
    for a in e.inputs {
      switch a {
      case .literal(let t): args.append(t)
      case .variable(let v):
        guard folded.contains(v), let c = constants[v] else { return false }
        args.append(Tensor(c, weakType: v.aval.weakType))
      }
    }
    for v in e.outputs {
      let n = Self.count(v.aval.shape)
      guard n <= 1 || (n <= 1 << 16 && !(e.primitive is BroadcastInDim)) else { return false }
    }
    guard e.primitive.aliasedBody == nil, !e.primitive.params.contains(where: { $0.1.isJaxpr }) else { return false }
    let outs = withTrace(EvalTrace.shared) { bind(e.primitive, args) }
    guard outs.count == e.outputs.count else { return false }
    var values: [DenseArray] = []
    for o in outs {
      guard case .array(let a, _) = o.payload else { return false }
      values.append(a)
    }
    for (v, a) in zip(e.outputs, values) {
      constants[v] = a
      folded.insert(v)
      foldedOrder.append(v)
      definedAt[v] = -1
    }
    return true
  }

  /// A shape and strides with size-1 axes dropped (at least one axis kept).
  static func collapse(_ shape: [Int], _ strides: [Int]) -> (shape: [Int], strides: [Int]) {
    let keep = shape.indices.filter { shape[$0] != 1 }
    if keep.isEmpty { return ([1], [0]) }
    return (keep.map { shape[$0] }, keep.map { strides[$0] })
  }

  /// Element count of a shape.
  static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// Strides (in elements) of an operand of `shape` broadcast NumPy-style (aligned right) to
  /// `out`.
  static func numpyStrides(_ shape: [Int], to out: [Int]) -> [Int] {
    var strides = [Int](repeating: 0, count: out.count)
    var step = 1
    for k in stride(from: shape.count - 1, through: 0, by: -1) {
      let d = out.count - shape.count + k
      if shape[k] != 1, d >= 0 { strides[d] = step }
      step *= shape[k]
    }
    return strides
  }

  /// What equation `e` is to a region, or nil when it runs on its own.
  func classify(_ e: Equation) -> Fusion? {
    let p = e.primitive
    let out = e.outputs[0].aval
    let ins = e.inputs.map(\.aval)
    switch p {
    case let u as UnaryPrimitive:
      guard let loop = u.op.kernel.loop(for: ins[0].dtype), loop.result == out.dtype else { return nil }
      return .elementwise(.unary(loop), dtype: ins[0].dtype)
    case let b as BinaryPrimitive:
      guard ins[0].dtype == ins[1].dtype, ins[0].dtype == out.dtype else { return nil }
      return .elementwise(.binary(b.op), dtype: out.dtype)
    case is AddAnyPrimitive:
      return .elementwise(.binary(.add), dtype: out.dtype)
    case let c as ComparePrimitive:
      guard BlockKernels.comparable(ins[0].dtype), ins[0].dtype == ins[1].dtype else { return nil }
      return .elementwise(.compare(c.op), dtype: ins[0].dtype)
    case is SelectNPrimitive:
      guard ins.count == 3, ins[0].dtype == .bool else { return nil }
      return .elementwise(.select, dtype: out.dtype)
    case let ip as IntegerPow:
      guard out.dtype == .float32 || out.dtype == .float64 else { return nil }
      return .elementwise(.integerPow(ip.y), dtype: out.dtype)
    case is FusedMulAdd:
      guard out.dtype == .float32 || out.dtype == .float64 else { return nil }
      return .elementwise(.fma, dtype: out.dtype)
    case let c as ConvertElementType:
      return .elementwise(.convert(c.newDtype), dtype: ins[0].dtype)
    case is StopGradient, is ReshapePrimitive:
      return .alias
    case let b as BroadcastInDim:
      if Self.count(ins[0].shape) == Self.count(out.shape) { return .alias }
      var strides = [Int](repeating: 0, count: b.shape.count)
      var step = 1
      for k in stride(from: b.dims.count - 1, through: 0, by: -1) {
        if ins[0].shape[k] != 1 { strides[b.dims[k]] = step }
        step *= ins[0].shape[k]
      }
      return .broadcast(strides: strides)
    case let t as TransposePrimitive:
      // A transpose of an array some other step made is read in place, permuted, by the
      // region that uses it; one of a region's own values is written out permuted by its region.
      guard case .variable(let v) = e.inputs[0], ins[0].rank >= 2 else { return nil }
      if regionOperand[v] != nil {
        // Strided writes beat a blocked transpose only while the result stays in L1.
        guard Self.count(out.shape) <= 1 << 14 else { return nil }
        var outStrides = [Int](repeating: 1, count: out.rank)
        for k in stride(from: out.rank - 2, through: 0, by: -1) { outStrides[k] = outStrides[k + 1] * out.shape[k + 1] }
        var strides = [Int](repeating: 0, count: out.rank)
        for (i, k) in t.permutation.enumerated() { strides[k] = outStrides[i] }
        return .scatter(strides: strides)
      }
      var inStrides = [Int](repeating: 1, count: ins[0].rank)
      for k in stride(from: ins[0].rank - 2, through: 0, by: -1) {
        inStrides[k] = inStrides[k + 1] * ins[0].shape[k + 1]
      }
      return .broadcast(strides: t.permutation.map { inStrides[$0] })
    case let r as ReducePrimitive:
      let x = ins[0]
      guard x.dtype == .float32 || x.dtype == .float64, !r.axes.isEmpty else { return nil }
      let sorted = r.axes.sorted()
      guard let lo = sorted.first, let hi = sorted.last, hi - lo + 1 == sorted.count else { return nil }
      let len = sorted.reduce(1) { $0 * x.shape[$1] }
      let inner = Self.count(Array(x.shape[(hi + 1)...]))
      let outer = Self.count(Array(x.shape[..<lo]))
      guard len > 0 else { return nil }
      switch r.op {
      case .sum:
        if inner == 1 { return .reduction(.rowSum, length: len) }
        if outer == 1 { return .reduction(.columnSum, length: inner) }
        return nil
      case .max: return inner == 1 ? .reduction(.rowMax, length: len) : nil
      case .min: return inner == 1 ? .reduction(.rowMin, length: len) : nil
      default: return nil
      }
    default:
      return nil
    }
  }

  /// Places a fusible equation in a region; false when it cannot be (it then runs on its own).
  mutating func placeFused(_ e: Equation, _ i: Int, _ fusion: Fusion) -> Bool {
    let outVar = e.outputs[0]
    var n = Self.count(outVar.aval.shape)
    if case .reduction = fusion { n = Self.count(e.inputs[0].aval.shape) }
    // Aliases and broadcasts of values outside every region run on their own (a view, or a
    // copy that later regions read), except broadcasts, which a region can read in place.
    switch fusion {
    case .alias:
      guard case .variable(let v) = e.inputs[0], regionOperand[v] != nil else { return false }
    case .reduction, .scatter:
      guard case .variable(let v) = e.inputs[0], regionOperand[v] != nil else { return false }
    default: break
    }
    if n == 0 { return false }
    for case .literal(let t) in e.inputs where t.concrete == nil || t.concrete!.count != 1 { return false }
    // The first step this equation may join: after every operand's, or at it when the operand
    // is computed elementwise there (over the same count).
    var lo = 0
    for case .variable(let v) in e.inputs {
      let d = definedAt[v] ?? -1
      let inside: Bool
      if case .broadcast = fusion {
        inside = false
      } else {
        inside = regionOperand[v] != nil && Self.count(v.aval.shape) == n
      }
      lo = max(lo, inside ? d : d + 1)
    }
    var target: RegionBuilder?
    var targetIndex = steps.count
    for k in lo..<steps.count {
      guard case .region(let r) = steps[k], r.count == n else { continue }
      if case .reduction(let kind, let length) = fusion, kind != .columnSum {
        if let l = r.rowLength, l != length { continue }
      }
      target = r
      targetIndex = k
      break
    }
    if case .scatter = fusion, case .variable(let v) = e.inputs[0], definedAt[v] != targetIndex { return false }
    if target == nil {
      // A reduction needs its operand computed in the region it ends.
      if case .reduction = fusion { return false }
      let r = RegionBuilder(count: n)
      steps.append(.region(r))
      target = r
      targetIndex = steps.count - 1
    }
    let r = target!
    // Operands: computed here, or read from outside.
    func operand(_ a: Atom, strides: [Int]? = nil, shape: [Int]) -> Int {
      switch a {
      case .variable(let v):
        if strides == nil, Self.count(v.aval.shape) == n, definedAt[v] == targetIndex, let k = regionOperand[v] {
          return k
        }
        needsSlot.insert(v)
        let c = Self.count(v.aval.shape)
        let key: ExternalKey
        let op: OperandB
        if c == n && strides == nil {
          (key, op) = (ExternalKey(v: v, literal: nil, strides: [1], shape: []), .external(v, stride: 1))
        } else if c == 1 {
          (key, op) = (ExternalKey(v: v, literal: nil, strides: [0], shape: []), .external(v, stride: 0))
        } else {
          let s = strides ?? Self.numpyStrides(v.aval.shape, to: shape)
          (key, op) = (ExternalKey(v: v, literal: nil, strides: s, shape: shape), .gather(v, shape: shape, strides: s))
        }
        if let k = r.externalIndex[key] { return k }
        let k = r.add(op, v.aval.dtype, v.aval.shape)
        r.externalIndex[key] = k
        return k
      case .literal(let t):
        let a = t.concrete!
        let key = ExternalKey(v: nil, literal: ObjectIdentifier(a.buffer), strides: [0], shape: [])
        if let k = r.externalIndex[key] { return k }
        let k = r.add(.literal(a), a.dtype, [])
        r.externalIndex[key] = k
        return k
      }
    }
    let outShape = outVar.aval.shape
    /// Kernels that read their operand contiguously get a block of copies of a single value.
    func contiguous(_ k: Int) -> Int {
      guard n > 1 else { return k }
      switch r.operands[k] {
      case .external(_, stride: 0), .literal:
        let c = r.add(.computed, r.dtypes[k], outShape)
        r.instructions.append((.copy, r.dtypes[k], [k], c))
        return c
      default: return k
      }
    }
    switch fusion {
    case .elementwise(let kind, let dtype):
      var args = e.inputs.map { operand($0, shape: outShape) }
      switch kind {
      case .unary, .integerPow, .convert: args = args.map(contiguous)
      default: break
      }
      let out = r.add(.computed, outVar.aval.dtype, outShape)
      r.instructions.append((kind, dtype, args, out))
      regionOperand[outVar] = out
    case .alias:
      let k = operand(e.inputs[0], shape: outShape)
      regionOperand[outVar] = k
      r.defined.append((outVar, k))
      r.equations.append(i)
      definedAt[outVar] = targetIndex
      return true
    case .broadcast(let strides):
      let k = operand(e.inputs[0], strides: strides, shape: outShape)
      // A broadcast of one value reads it at stride 0: give it the output's shape for copies.
      regionOperand[outVar] = k
    case .scatter(let strides):
      let k = contiguous(operand(e.inputs[0], shape: e.inputs[0].aval.shape))
      r.scatters.append((k, outVar, e.inputs[0].aval.shape, strides))
      r.equations.append(i)
      definedAt[outVar] = targetIndex
      return true
    case .reduction(let kind, let length):
      let k = contiguous(operand(e.inputs[0], shape: e.inputs[0].aval.shape))
      r.reductions.append((kind, e.inputs[0].aval.dtype, k, outVar, length))
      if kind != .columnSum { r.rowLength = length }
      r.equations.append(i)
      definedAt[outVar] = targetIndex
      return true
    }
    r.defined.append((outVar, regionOperand[outVar]!))
    r.equations.append(i)
    definedAt[outVar] = targetIndex
    return true
  }

  // MARK: finishing

  mutating func finish() -> ExecutionPlan? {
    var slotOf: [Var: Int] = [:]
    var slotCount = 0
    var slotBytes: [Int] = []
    func newSlot(_ v: Var) -> Int {
      let s = slotCount
      slotCount += 1
      slotOf[v] = s
      slotBytes.append(Self.count(v.aval.shape) * v.aval.dtype.size)
      return s
    }
    for v in jaxpr.inVars { _ = newSlot(v) }
    let inputCount = slotCount
    var constantSlots: [(Int, DenseArray)] = []
    for v in jaxpr.constVars + foldedOrder {
      let s = newSlot(v)
      constantSlots.append((s, constants[v]!))
    }
    var planSteps: [PlanStep] = []
    var reads: [[Int]] = []
    var writes: [[Int]] = []
    var scratchBytes: [Int] = []
    func slot(_ v: Var) -> Int { slotOf[v] ?? newSlot(v) }
    var index = 0
    while index < steps.count {
      let step = steps[index]
      index += 1
      if let (x, w, d, rb, z, g, eqs) = rowBlockedDots(at: index - 1) {
        index += 2
        let (xs, ws, ds) = (slot(x), slot(w), slot(d))
        let region = finishRegion(rb, slot)
        let (zs, gs) = (slot(z), slot(g))
        planSteps.append(
          .rowBlocked(
            RowBlockedDots(
              x: xs, w: ws, d: ds, region: region.region, z: zs, g: gs, rows: x.aval.shape[0], columns: x.aval.shape[1],
              equations: eqs, ownKernels: readOnlyHere(d: d, z: z, rb, eqs[1]))))
        reads.append([xs, ws, zs] + region.reads)
        writes.append([ds] + region.writes + [gs])
        scratchBytes.append(Parallel.cores * region.region.scratchBytes)
        continue
      }
      switch step {
      case .call(let p, let ins, let outs, let eq):
        var args: [CallStep.Arg] = []
        var r: [Int] = []
        for a in ins {
          switch a {
          case .variable(let v):
            let s = slot(v)
            args.append(.slot(s))
            r.append(s)
          case .literal(let t): args.append(.constant(t.concrete!))
          }
        }
        let w = outs.map { slot($0) }
        planSteps.append(.call(CallStep(primitive: p, args: args, outs: w, equation: eq)))
        reads.append(r)
        writes.append(w)
        scratchBytes.append(0)
      case .region(let rb):
        let region = finishRegion(rb, slot)
        planSteps.append(.region(region.region))
        reads.append(region.reads)
        writes.append(region.writes)
        scratchBytes.append(region.region.scratchBytes)
      }
    }
    // Constant slots are read as inputs: put them in the environment by a first step.
    if !constantSlots.isEmpty {
      planSteps.insert(
        .call(
          CallStep(
            primitive: ConstantsStep(values: constantSlots.map(\.1)),
            args: [], outs: constantSlots.map(\.0), equation: -1)), at: 0)
      reads.insert([], at: 0)
      writes.insert(constantSlots.map(\.0), at: 0)
      scratchBytes.insert(0, at: 0)
    }
    var outputs: [ExecutionPlan.Output] = []
    var outputSlots = Set<Int>()
    for (k, a) in jaxpr.outputs.enumerated() {
      switch a {
      case .variable(let v)?:
        let s = slot(v)
        outputs.append(.slot(s))
        outputSlots.insert(s)
      case .literal(let t)?:
        guard let c = t.concrete else { return nil }
        outputs.append(.constant(c))
      case nil:
        let zero = withTrace(EvalTrace.shared) { try? zerosLike(jaxpr.outAval(k)).value() }
        guard let zero else { return nil }
        outputs.append(.constant(zero))
      }
    }
    // Each slot is released after its last reader (outputs never).
    var lastRead = [Int](repeating: -1, count: slotCount)
    for (i, r) in reads.enumerated() { for s in r { lastRead[s] = i } }
    var releases = [[Int]](repeating: [], count: planSteps.count)
    for s in 0..<slotCount where lastRead[s] >= 0 && !outputSlots.contains(s) { releases[lastRead[s]].append(s) }
    // Peak bytes held beyond the inputs: arrays made and alive, plus the step's scratch.
    var live = 0
    var peak = 0
    var alive = Set<Int>()
    for i in 0..<planSteps.count {
      for s in writes[i] where s >= inputCount && !alive.contains(s) {
        alive.insert(s)
        live += slotBytes[s]
      }
      peak = max(peak, live + scratchBytes[i])
      for s in releases[i] where alive.contains(s) {
        alive.remove(s)
        live -= slotBytes[s]
      }
    }
    return ExecutionPlan(
      slotCount: slotCount, inputCount: inputCount, steps: planSteps, releases: releases, outputs: outputs,
      peakBytes: peak, weakOutputs: jaxpr.outAvals.map(\.weakType),
      inputElements: jaxpr.inAvals.reduce(0) { $0 &+ min($1.count, Int.max / 4) })
  }

  /// Steps `i`, `i + 1` and `i + 2` as `RowBlockedDots`: `d = X·w` (X float32 [rows, columns],
  /// w [columns]), a region without reductions reading d and computing z [rows], and
  /// `g = Xᵀ·z` (either operand order) of the same X.
  ///
  /// Only for an X of at least `rowBlockedMinimumBytes`, which reading twice costs memory
  /// bandwidth: g then adds its products by blocks of rows, which can differ from eager's BLAS
  /// order in the last bits; every smaller program keeps eager's bits.
  func rowBlockedDots(at i: Int) -> (Var, Var, Var, RegionBuilder, Var, Var, [Int])? {
    guard i + 2 < steps.count, case .call(let pa, let ia, let oa, let ea) = steps[i],
      let a = pa as? DotGeneralPrimitive, a.contracting.0 == [1], a.contracting.1 == [0], a.batchDims.0.isEmpty,
      a.batchDims.1.isEmpty, ia.count == 2, case .variable(let x) = ia[0], case .variable(let w) = ia[1],
      x.aval.rank == 2, w.aval.rank == 1, x.aval.dtype == .float32, w.aval.dtype == .float32,
      a.preferred == .float32, oa.count == 1,
      case .region(let r) = steps[i + 1], r.count == x.aval.shape[0], r.reductions.isEmpty, r.count > 0,
      case .call(let pb, let ib, let ob, let eb) = steps[i + 2], let b = pb as? DotGeneralPrimitive,
      b.contracting.0 == [0], b.contracting.1 == [0], b.batchDims.0.isEmpty, b.batchDims.1.isEmpty,
      b.preferred == .float32, ib.count == 2, ob.count == 1
    else { return nil }
    guard 4 * x.aval.shape[0] * x.aval.shape[1] >= Lowering.rowBlockedMinimumBytes else { return nil }
    let z: Var
    switch (ib[0], ib[1]) {
    case (.variable(let l), .variable(let rr)) where rr == x && l != x: z = l
    case (.variable(let l), .variable(let rr)) where l == x && rr != x: z = rr
    default: return nil
    }
    guard z.aval.shape == [x.aval.shape[0]], z.aval.dtype == .float32, r.defined.contains(where: { $0.0 == z }),
      x.aval.shape[1] > 0
    else { return nil }
    return (x, w, oa[0], r, z, ob[0], [ea, eb])
  }

  /// Whether d is read only by region `rb`, and the region returns only z, read only by
  /// equation `last` (none of them a plan output).
  func readOnlyHere(d: Var, z: Var, _ rb: RegionBuilder, _ last: Int) -> Bool {
    var outputs = Set<Var>()
    for case .variable(let v)? in jaxpr.outputs { outputs.insert(v) }
    if outputs.contains(d) || outputs.contains(z) { return false }
    let inRegion = Set(rb.equations)
    for (i, e) in jaxpr.equations.enumerated() where live[i] {
      for case .variable(let v) in e.inputs {
        if v == d && !inRegion.contains(i) { return false }
        if v == z && i != last { return false }
      }
    }
    return rb.defined.allSatisfy { v, _ in v == z || !needsSlot.contains(v) }
  }

  /// A region's final form: operands placed in scratch blocks or output arrays.
  func finishRegion(_ rb: RegionBuilder, _ slot: (Var) -> Int) -> (region: FusedRegion, reads: [Int], writes: [Int]) {
    var operands: [FusedRegion.Operand] = []
    var sizes: [Int] = []
    var reads: [Int] = []
    var writes: [Int] = []
    var outputs: [FusedRegion.OutputArray] = []
    var views: [(slot: Int, shape: [Int], output: Int)] = []
    var slotViews: [(slot: Int, shape: [Int], source: Int)] = []
    var instructions = rb.instructions
    var dtypes = rb.dtypes
    var ops = rb.operands
    // Output arrays: each defined variable read outside, once per operand (further variables of
    // that operand are views of its array).
    var outputOf: [Int: Int] = [:]
    var viewed: [(Var, Int)] = []
    for (v, k) in rb.defined where needsSlot.contains(v) {
      if case .external(let src, stride: 1) = ops[k] {
        // A reshape of an array read in place: a view of that array.
        slotViews.append((slot(v), v.aval.shape, slot(src)))
        writes.append(slot(v))
        continue
      }
      if outputOf[k] != nil {
        viewed.append((v, k))
        continue
      }
      var target = k
      if case .computed = ops[k] {
      } else {
        // A value read from outside (a broadcast one, a literal): copied into the output.
        ops.append(.computed)
        dtypes.append(v.aval.dtype)
        target = ops.count - 1
        instructions.append((.copy, v.aval.dtype, [k], target))
      }
      let s = slot(v)
      outputs.append(FusedRegion.OutputArray(slot: s, shape: v.aval.shape, dtype: v.aval.dtype))
      outputOf[target] = outputs.count - 1
      if target != k { outputOf[k] = outputs.count - 1 }
      writes.append(s)
    }
    for (v, k) in viewed {
      let s = slot(v)
      views.append((s, v.aval.shape, outputOf[k]!))
      writes.append(s)
    }
    for red in rb.reductions {
      let s = slot(red.out)
      outputs.append(FusedRegion.OutputArray(slot: s, shape: red.out.aval.shape, dtype: red.out.aval.dtype))
      writes.append(s)
    }
    for sc in rb.scatters {
      let s = slot(sc.out)
      outputs.append(FusedRegion.OutputArray(slot: s, shape: sc.out.aval.shape, dtype: sc.out.aval.dtype))
      writes.append(s)
      let shape = Self.collapse(sc.shape, sc.strides)
      instructions.append(
        (
          .scatter(index: outputs.count - 1, shape: shape.shape, strides: shape.strides), sc.out.aval.dtype, [sc.input],
          sc.input
        ))
    }
    // Scratch blocks: gathers hold one for the whole block; computed values from their
    // instruction to their last reader.
    var lastUse = [Int](repeating: -1, count: ops.count)
    for (j, ins) in instructions.enumerated() { for a in ins.args { lastUse[a] = max(lastUse[a], j) } }
    for red in rb.reductions { lastUse[red.input] = instructions.count }
    var free: [Int] = []
    var scratchCount = 0
    func take() -> Int {
      if let s = free.popLast() { return s }
      scratchCount += 1
      return scratchCount - 1
    }
    var placed = [FusedRegion.Operand?](repeating: nil, count: ops.count)
    for (k, op) in ops.enumerated() {
      switch op {
      case .external(let v, let stride):
        let s = slot(v)
        reads.append(s)
        placed[k] = .slot(s, stride: stride)
      case .literal(let a): placed[k] = .constant(a)
      case .gather(let v, let shape, let strides):
        let s = slot(v)
        reads.append(s)
        placed[k] = .gather(s, shape: shape, strides: strides, scratch: take())
      case .computed:
        if let o = outputOf[k] { placed[k] = .output(o) }
      }
    }
    for (j, ins) in instructions.enumerated() {
      if placed[ins.out] == nil { placed[ins.out] = .scratch(take()) }
      // Blocks whose last reader this is are free for later instructions.
      for a in Set(ins.args) where lastUse[a] == j {
        if case .scratch(let s)? = placed[a], case .computed = ops[a] { free.append(s) }
      }
    }
    // A computed operand nobody reads (its variable is only an output of a view) still needs a home.
    for k in ops.indices where placed[k] == nil { placed[k] = .scratch(take()) }
    for (k, p) in placed.enumerated() {
      operands.append(p!)
      sizes.append(dtypes[k].size)
    }
    let region = FusedRegion(
      count: rb.count, operands: operands, elementSizes: sizes,
      instructions: instructions.map {
        FusedRegion.Instruction(kind: $0.kind, dtype: $0.dtype, args: $0.args, out: $0.out)
      },
      reductions: rb.reductions.map { red in
        FusedRegion.Reduction(
          kind: red.kind, dtype: red.dtype, input: red.input, output: outputs.firstIndex { $0.slot == slot(red.out) }!,
          length: red.length)
      }, outputs: outputs, views: views, slotViews: slotViews, scratchCount: scratchCount,
      scratchElementSize: max(1, dtypes.map(\.size).max() ?? 1), rowLength: rb.rowLength, equations: rb.equations)
    return (region, reads, writes)
  }
}

/// The first step of a plan with constants: puts them in their slots.
struct ConstantsStep: Primitive {
  let values: [DenseArray]
  var name: String { "plan_constants" }
  var outputCount: Int { values.count }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] {
    values.map { ShapedArray(shape: $0.shape, dtype: $0.dtype) }
  }
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] { values }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { ([], []) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) { ([], []) }
}

/// A large float32 matrix product that first checks whether an operand is diagonal (a
/// Jacobian's identity basis, or a diagonal made from it): then its result is the scaling,
/// exactly BLAS's, without the product (`DiagonalProduct`); else BLAS as always.
struct DiagonalAwareDot: Primitive {
  let base: DotGeneralPrimitive

  init?(_ base: DotGeneralPrimitive, _ inputs: [ShapedArray]) {
    guard inputs.count == 2, inputs.allSatisfy({ $0.rank == 2 && $0.dtype == .float32 }),
      base.contracting.0.count == 1, base.contracting.1.count == 1, base.batchDims.0.isEmpty,
      base.batchDims.1.isEmpty, base.preferred == .float32,
      inputs[0].shape[0] == inputs[0].shape[1] || inputs[1].shape[0] == inputs[1].shape[1],
      inputs[0].count * inputs[1].count >= 1 << 24
    else { return nil }
    self.base = base
  }

  var name: String { base.name }
  var params: [(String, Param)] { base.params }
  func abstractEval(_ inputs: [ShapedArray]) throws(FluxionError) -> [ShapedArray] { try base.abstractEval(inputs) }
  func impl(_ inputs: [DenseArray]) throws(FluxionError) -> [DenseArray] {
    if let r = DiagonalProduct.product(
      inputs[0], inputs[1], contracting: (base.contracting.0[0], base.contracting.1[0]))
    {
      return [r]
    }
    return try base.impl(inputs)
  }
  func jvp(_ primals: [Tensor], _ tangents: [Tensor?]) -> ([Tensor], [Tensor?]) { base.jvp(primals, tangents) }
  func batch(_ args: [Tensor], _ dims: [Int?], axisSize: Int) -> ([Tensor], [Int?]) {
    base.batch(args, dims, axisSize: axisSize)
  }
}

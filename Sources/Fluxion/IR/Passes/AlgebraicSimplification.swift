import FluxionBackend

/// Algebraic simplification that keeps IEEE results bit for bit. Each rule replaces an equation
/// by an operand (or a cheaper equation) only where the two are equal for every input,
/// including signed zeros, infinities and NaN, and where the abstract values (shape, dtype and
/// weak type) agree:
///
/// - `x · 1 → x`, `x / 1 → x` (a literal, a constant, or a broadcast of one whose elements are
///   all 1); when the 1 is larger than `x`, `x` broadcast to the result's shape;
/// - `x + (−0.0) → x` and `x − (+0.0) → x` (but not `x + 0.0`: `−0.0 + 0.0` is `+0.0`); for
///   integers `x + 0` and `x − 0`;
/// - `neg(neg(x)) → x`; `integer_pow[y=1] x → x`; `integer_pow[y=b](integer_pow[y=a] x) →
///   integer_pow[y=a·b] x` for integers, and for floats when `a` is a power of two (the
///   kernel's square-and-multiply then does the very same multiplications);
/// - `broadcast_in_dim`, `reshape`, `transpose` and `convert_element_type` that change nothing
///   are dropped, and two in a row of the first three become one;
/// - `select_n(p, x, x) → x`;
/// - in `add`, `sub`, `mul`, `div`, `max`, `min` and the comparisons, an operand that is a
///   broadcast of a scalar is replaced by the scalar when the other operand already has the
///   result's shape (the grad seed `broadcast_in_dim 1.0` then meets `x · 1`).
///
/// The identity and one-hot bases jacfwd, jacrev and hessian build (`eq(iota − iota, 0)`
/// converted to float) are products only where they are all ones (a Jacobian of a scalar):
/// after constant folding those are constants of ones and `x · 1` removes them. A product with
/// a basis of more than one element is not the operand in IEEE arithmetic (`0 · x` is −0.0 for
/// negative x and NaN for infinite x), so it is kept.
public struct AlgebraicSimplification: JaxprPass {
  /// Constants of up to this many elements are inspected for being all ones or all zeros.
  public var maxInspectedElements: Int

  public init(maxInspectedElements: Int = 1 << 16) { self.maxInspectedElements = maxInspectedElements }
  public var name: String { "algebraic-simplification" }

  private enum Outcome {
    case keep
    /// The single result is this operand.
    case forward(Atom)
    /// The equation is replaced by this one (same results).
    case replace(Equation)
  }

  public func rewrite(_ program: inout PassProgram) -> Bool {
    var state = State(uses: useCounts(program.jaxpr))
    for (v, c) in zip(program.jaxpr.constVars, program.consts) {
      if let u = uniformElement(c, limit: maxInspectedElements) { state.uniformConsts[v] = u }
    }
    var kept: [Equation] = []
    var changed = false
    for e in program.jaxpr.equations {
      var e = state.subst.apply(e)
      switch simplify(e, &state) {
      case .keep: break
      case .forward(let a):
        state.subst.replace(e.outputs[0], with: a)
        changed = true
        continue
      case .replace(let n):
        e = n
        changed = true
      }
      for v in e.outputs { state.producer[v] = e }
      kept.append(e)
    }
    guard changed else { return false }
    program.jaxpr.equations = kept
    program.jaxpr.outputs = state.subst.apply(program.jaxpr.outputs)
    return true
  }

  private struct State {
    var uses: [Var: Int]
    /// The constants whose elements are all one value (each inspected once), with that value.
    var uniformConsts: [Var: Scalar] = [:]
    var producer: [Var: Equation] = [:]
    var subst = Substitution()

    /// The value every element of `a` has, when that is known now.
    func uniformValue(_ a: Atom) -> Scalar? {
      switch a {
      case .literal(let t): return t.concrete?.scalar(at: 0)
      case .variable(let v):
        if let u = uniformConsts[v] { return u }
        guard let e = producer[v] else { return nil }
        if e.primitive is BroadcastInDim { return uniformValue(e.inputs[0]) }
        if e.primitive is ConvertElementType, let s = uniformValue(e.inputs[0]) {
          return converted(s, to: v.aval.dtype)
        }
        return nil
      }
    }

    /// The equation that computes `a`, when it is a variable computed by one.
    func producerOf(_ a: Atom) -> Equation? {
      guard case .variable(let v) = a else { return nil }
      return producer[v]
    }
  }

  private func simplify(_ e: Equation, _ s: inout State) -> Outcome {
    guard e.outputs.count == 1, !hasEffects(e.primitive) else { return .keep }
    let out = e.outputs[0]
    let ins = e.inputs
    switch e.primitive.name {
    case "mul" where ins.count == 2:
      if isOne(s.uniformValue(ins[1]), ins[1].aval.dtype) { return operand(ins[0], as: e) }
      if isOne(s.uniformValue(ins[0]), ins[0].aval.dtype) { return operand(ins[1], as: e) }
    case "div" where ins.count == 2:
      if isOne(s.uniformValue(ins[1]), ins[1].aval.dtype) { return operand(ins[0], as: e) }
    case "add", "add_any":
      guard ins.count == 2 else { break }
      if isIdentityZero(s.uniformValue(ins[1]), floatSign: .minus) { return operand(ins[0], as: e) }
      if isIdentityZero(s.uniformValue(ins[0]), floatSign: .minus) { return operand(ins[1], as: e) }
    case "sub" where ins.count == 2:
      if isIdentityZero(s.uniformValue(ins[1]), floatSign: .plus) { return operand(ins[0], as: e) }
    case "neg":
      if let inner = s.producerOf(ins[0]), inner.primitive.name == "neg" { return operand(inner.inputs[0], as: e) }
    case "integer_pow":
      return integerPow(e, &s)
    case "convert_element_type":
      if let c = e.primitive as? ConvertElementType, c.newDtype == ins[0].aval.dtype,
        c.weakType == ins[0].aval.weakType
      {
        return operand(ins[0], as: e)
      }
    case "broadcast_in_dim":
      return broadcast(e, s)
    case "reshape":
      if ins[0].aval.shape == out.aval.shape { return operand(ins[0], as: e) }
      if let inner = s.producerOf(ins[0]), inner.primitive is ReshapePrimitive {
        return replacement(e, ReshapePrimitive(newShape: out.aval.shape), [inner.inputs[0]])
      }
    case "squeeze":
      if ins[0].aval.shape == out.aval.shape { return operand(ins[0], as: e) }
    case "transpose":
      return transpose(e, s)
    case "select_n" where ins.count >= 2:
      let cases = ins.dropFirst().map(AtomKey.init)
      if cases.allSatisfy({ $0 == cases[0] }) { return operand(ins[1], as: e) }
    default: break
    }
    return scalarOperand(e, s)
  }

  // MARK: rules

  /// The equation's result is `x`: forwarded when the abstract values agree, or `x` broadcast to
  /// the result's shape when only the shape differs (a product with a larger array of ones).
  private func operand(_ x: Atom, as e: Equation) -> Outcome {
    let out = e.outputs[0].aval
    if x.aval == out { return .forward(x) }
    guard x.aval.dtype == out.dtype, x.aval.weakType == out.weakType, x.aval.rank <= out.rank,
      broadcastShapes(x.aval.shape, out.shape) == out.shape
    else { return .keep }
    let dims = Array((out.rank - x.aval.rank)..<out.rank)
    return replacement(e, BroadcastInDim(shape: out.shape, dims: dims), [x])
  }

  /// `p` applied to `inputs` in place of `e`, when it gives the same abstract results.
  private func replacement(_ e: Equation, _ p: any Primitive, _ inputs: [Atom]) -> Outcome {
    guard let avals = try? p.abstractEval(inputs.map(\.aval)), avals == e.outputs.map(\.aval) else { return .keep }
    return .replace(Equation(primitive: p, inputs: inputs, outputs: e.outputs, span: e.span))
  }

  private func integerPow(_ e: Equation, _ s: inout State) -> Outcome {
    guard let p = e.primitive as? IntegerPow else { return .keep }
    if p.y == 1 { return operand(e.inputs[0], as: e) }
    guard p.y >= 1, let inner = s.producerOf(e.inputs[0]), let q = inner.primitive as? IntegerPow, q.y >= 1,
      case .variable(let mid) = e.inputs[0], s.uses[mid, default: 0] == 1
    else { return .keep }
    let dtype = e.inputs[0].aval.dtype
    let (y, overflow) = p.y.multipliedReportingOverflow(by: q.y)
    guard !overflow, y <= Int(Int32.max), dtype.isInteger || q.y & (q.y - 1) == 0 else { return .keep }
    let outcome = replacement(e, IntegerPow(y: y), [inner.inputs[0]])
    if case .replace = outcome { s.uses[mid] = 0 }
    return outcome
  }

  private func broadcast(_ e: Equation, _ s: State) -> Outcome {
    guard let b = e.primitive as? BroadcastInDim else { return .keep }
    let x = e.inputs[0]
    if x.aval.shape == b.shape && b.dims == Array(0..<x.aval.rank) { return operand(x, as: e) }
    if let inner = s.producerOf(x), let a = inner.primitive as? BroadcastInDim {
      return replacement(e, BroadcastInDim(shape: b.shape, dims: a.dims.map { b.dims[$0] }), [inner.inputs[0]])
    }
    return .keep
  }

  private func transpose(_ e: Equation, _ s: State) -> Outcome {
    guard let t = e.primitive as? TransposePrimitive else { return .keep }
    if t.permutation == Array(0..<t.permutation.count) { return operand(e.inputs[0], as: e) }
    if let inner = s.producerOf(e.inputs[0]), let u = inner.primitive as? TransposePrimitive {
      let composed = t.permutation.map { u.permutation[$0] }
      if composed == Array(0..<composed.count) { return operand(inner.inputs[0], as: e) }
      return replacement(e, TransposePrimitive(permutation: composed), [inner.inputs[0]])
    }
    return .keep
  }

  /// Operations that are correctly rounded (or exact) elementwise, so their kernels give the same
  /// bits whether an operand is a scalar or an array.
  private static let exactElementwise: Set<String> = [
    "add", "sub", "mul", "div", "max", "min", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor",
  ]

  /// `op(x, broadcast_in_dim s) → op(x, s)` for a scalar `s`, when `x` has the result's shape.
  private func scalarOperand(_ e: Equation, _ s: State) -> Outcome {
    guard Self.exactElementwise.contains(e.primitive.name), e.inputs.count == 2 else { return .keep }
    let shape = e.outputs[0].aval.shape
    for k in 0..<2 {
      guard let b = s.producerOf(e.inputs[k]), b.primitive is BroadcastInDim, b.inputs[0].aval.rank == 0,
        e.inputs[1 - k].aval.shape == shape
      else { continue }
      var inputs = e.inputs
      inputs[k] = b.inputs[0]
      let outcome = replacement(e, e.primitive, inputs)
      if case .replace = outcome { return outcome }
    }
    return .keep
  }
}

/// The value every element of `t` has (bit for bit), for a concrete array of at most `limit`
/// elements.
func uniformElement(_ t: Tensor, limit: Int) -> Scalar? {
  guard t.count <= limit, !t.isTracer, let d = t.concrete, d.count > 0 else { return nil }
  let first = d.scalar(at: 0)
  let bits = scalarBits(first)
  for i in 1..<d.count where scalarBits(d.scalar(at: i)) != bits { return nil }
  return first
}

/// `s` converted to `dtype`, as far as the identities need it: exact for 1, 0 and −0.0 (a value
/// that rounds to one of those under the conversion is not recognised, which is only a missed
/// simplification).
func converted(_ s: Scalar, to dtype: DType) -> Scalar? {
  if dtype == .bool { return .bool(s.isTrue) }
  if dtype.isFloatingPoint {
    if case .float(let d) = s { return .float(d) }
    return .float(s.asDouble)
  }
  let d = s.asDouble
  guard d.rounded(.towardZero) == d, Swift.abs(d) < 1e18 else { return nil }
  return dtype.isSignedInteger ? .int(Int64(d)) : (d >= 0 ? .uint(UInt64(d)) : nil)
}

/// Whether `s` is the multiplicative identity of `dtype`.
func isOne(_ s: Scalar?, _ dtype: DType) -> Bool {
  switch s {
  case .float(let d)?: d == 1
  case .int(let i)?: i == 1
  case .uint(let u)?: u == 1
  case .bool(let b)?: b && dtype == .bool
  case nil: false
  }
}

/// Whether `s` is a zero that leaves every `x` as it is: for floats the zero of sign `floatSign`
/// (−0.0 in `x + s`, +0.0 in `x − s`), for integers 0.
func isIdentityZero(_ s: Scalar?, floatSign: FloatingPointSign) -> Bool {
  switch s {
  case .float(let d)?: d == 0 && d.sign == floatSign
  case .int(let i)?: i == 0
  case .uint(let u)?: u == 0
  default: false
  }
}

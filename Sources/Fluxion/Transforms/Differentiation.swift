import FluxionBackend

// MARK: - flat cores (lists of tensors in and out)
//
// The `*Flat` functions take and return flat lists of tensors, one per leaf. They are the
// language layer's interface (FluxionLang flattens its dynamic values itself and names
// arguments for vmap's errors), kept out of the Swift API as the SPI `FluxionLang`:
// `@_spi(FluxionLang) import Fluxion` sees them. Swift code uses `jvp`, `vjp`, `grad`, `vmap`,
// `jacrev` and `jacfwd` on pytrees (`Tree`, arrays, dictionaries, its own node types).

func checkJVPArguments(_ primals: [Tensor], _ tangents: [Tensor]) -> FluxionError? {
  if primals.count != tangents.count {
    return .typeError(
      "jvp primal and tangent arguments must have equal tree structure; got \(primals.count) primals and \(tangents.count) tangents."
    )
  }
  for (p, t) in zip(primals, tangents) {
    let expected = tangentAval(p.aval).dtype
    if p.dtype.isFloatingPoint && t.dtype != expected {
      return .typeError(
        "primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool primal dtype the tangent dtype must be float0.Got primal dtype \(p.dtype) and so expected tangent dtype \(expected), but got tangent dtype \(t.dtype) instead."
      )
    }
    if p.shape != t.shape {
      return .valueError(
        "jvp called with different primal and tangent shapes;Got primal shape \(pyShape(p.shape)) and tangent shape as \(pyShape(t.shape))"
      )
    }
  }
  return nil
}

/// Forward mode on flat lists: the outputs and their tangents.
///
/// What `f` throws is rethrown as it is (as a Python exception raised inside a transformed
/// function propagates as itself).
@_spi(FluxionLang) public func jvpFlat<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], primals: [Tensor], tangents: [Tensor]
) throws(E) -> (outputs: [Tensor], tangents: [Tensor]) {
  if let e = checkJVPArguments(primals, tangents) { return ([Tensor(failed: e)], [Tensor(failed: e)]) }
  let (ys, ts) = try jvpCore(f, primals: primals, tangents: tangents)
  return (ys, zip(ys, ts).map { y, t in t ?? y.error.map { Tensor(failed: $0) } ?? zerosLike(tangentAval(y.aval)) })
}

/// Forward mode with symbolic zeros: nil tangents in and out are zeros.
func jvpCore<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], primals: [Tensor], tangents: [Tensor?]
) throws(E) -> ([Tensor], [Tensor?]) {
  let parent = currentTrace
  let trace = JVPTrace(parent: parent, ruleTrace: parent)
  let inputs = zip(primals, tangents).map { trace.wrap($0, $1) }
  let outs = try withUserTrace(trace) { () throws(E) in try f(inputs) }
  var ys: [Tensor] = []
  var ts: [Tensor?] = []
  for o in outs {
    if case .tracer(let t) = o.payload, let j = t as? JVPTracer, j.trace === trace {
      ys.append(j.primal)
      ts.append(j.tangent)
    } else {
      ys.append(o)
      ts.append(nil)
    }
  }
  return (ys, ts)
}

/// The linear map `tangents ↦ J·tangents` of a function at a point, held as a jaxpr.
@_spi(FluxionLang) public struct LinearMap: Sendable {
  /// The recorded tangent program (inputs: tangents; outputs: output tangents).
  public let jaxpr: ClosedJaxpr
  let inAvals: [ShapedArray]
  let outAvals: [ShapedArray]

  /// Pushes tangents forward (the jvp at the linearisation point).
  public func callAsFunction(_ tangents: [Tensor]) -> [Tensor] {
    if tangents.count != inAvals.count {
      return inAvals.map { _ in
        Tensor(failed: .typeError("linearized function takes \(inAvals.count) tangents, got \(tangents.count)"))
      }
    }
    return jaxpr.eval(tangents)
  }

  /// Pulls cotangents back (the transpose, `u ↦ uᵀJ`): one cotangent per input.
  public func transpose(_ cts: [Tensor]) -> [Tensor] {
    for (c, a) in zip(cts, outAvals)
    where c.error == nil && (c.shape != a.shape || c.dtype != a.dtype && a.dtype.isFloatingPoint) {
      let e = FluxionError.valueError(
        "unexpected JAX type (e.g. shape/dtype) for argument to VJP function: got \(c.aval.longDescription), but expected \(a.longDescription) because the corresponding output of the differentiated function had JAX type \(a.longDescription)"
      )
      return inAvals.map { _ in Tensor(failed: e) }
    }
    if let e = cts.lazy.compactMap(\.error).first { return inAvals.map { _ in Tensor(failed: e) } }
    do {
      let grads = try backwardPass(jaxpr, args: inAvals.map { _ in nil }, cts)
      return zip(grads, inAvals).map { g, a in
        guard let g else { return zerosLike(a) }
        return g.dtype == a.dtype ? g : convertElementType(g, a.dtype, weakType: a.weakType)
      }
    } catch {
      return inAvals.map { _ in Tensor(failed: error) }
    }
  }
}

/// Evaluates `f` and records its linear part: `(outputs, linear map)` (jax.linearize).
@_spi(FluxionLang) public func linearizeFlat<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], primals: [Tensor]
) throws(E) -> (outputs: [Tensor], linear: LinearMap) {
  let parent = currentTrace
  let tangentTrace = JaxprTrace(parent: parent, foldConstants: true)
  let trace = JVPTrace(parent: parent, ruleTrace: tangentTrace)
  let inAvals = primals.map { tangentAval($0.aval) }
  let inputs = zip(primals, inAvals).map { p, a in trace.wrap(p, tangentTrace.newArg(a)) }
  let outs = try withUserTrace(trace) { () throws(E) in try f(inputs) }
  var ys: [Tensor] = []
  var ts: [Tensor?] = []
  for o in outs {
    if case .tracer(let t) = o.payload, let j = t as? JVPTracer, j.trace === trace {
      ys.append(j.primal)
      ts.append(j.tangent)
    } else {
      ys.append(o)
      ts.append(nil)
    }
  }
  let outAvals = ys.map { tangentAval($0.aval) }
  let jaxpr = tangentTrace.finish(ts, zeroAvals: outAvals)
  return (ys, LinearMap(jaxpr: jaxpr, inAvals: inAvals, outAvals: outAvals))
}

/// Runs a jaxpr backwards with transpose rules: the cotangent of each linear input (nil = zero).
///
/// `args[i]` is the value of input i when it is known (a residual: jit's tangent body takes the
/// values its primal part saved) and nil when it is linear. Equations none of whose inputs is
/// linear run forward first; the rest are transposed in reverse order. `seeds` are cotangents
/// linear inputs start with, by input index (scan's transpose accumulates the consts'
/// cotangents over iterations so, in JAX's order).
func backwardPass(
  _ jaxpr: ClosedJaxpr, args: [Tensor?], _ cts: [Tensor?], seeds: [Int: Tensor] = [:]
) throws(FluxionError) -> [Tensor?] {
  var known: [Var: Tensor] = [:]
  for (v, c) in zip(jaxpr.constVars, jaxpr.consts) { known[v] = c }
  for (v, a) in zip(jaxpr.inVars, args) { known[v] = a }
  func isKnown(_ a: Atom) -> Bool {
    if case .variable(let v) = a { return known[v] != nil }
    return true
  }
  func knownValue(_ a: Atom) -> Tensor? {
    switch a {
    case .literal(let t): t
    case .variable(let v): known[v]
    }
  }
  var linear: [Equation] = []
  for eqn in jaxpr.equations {
    guard eqn.inputs.allSatisfy(isKnown) else {
      linear.append(eqn)
      continue
    }
    let outs = withSourceSpan(eqn.span) { bind(eqn.primitive, eqn.inputs.map { knownValue($0)! }) }
    for (v, o) in zip(eqn.outputs, outs) { known[v] = o }
  }
  var ctEnv: [Var: Tensor] = [:]
  for (i, ct) in seeds where args[i] == nil { ctEnv[jaxpr.inVars[i]] = ct }
  func accumulate(_ v: Var, _ ct: Tensor) {
    if let old = ctEnv[v] {
      ctEnv[v] = addAny(old, ct)
    } else {
      ctEnv[v] = ct
    }
  }
  for (out, ct) in zip(jaxpr.outputs, cts) {
    if case .variable(let v)? = out, known[v] == nil, let ct { accumulate(v, ct) }
  }
  for eqn in linear.reversed() {
    let outCts = eqn.outputs.map { ctEnv.removeValue(forKey: $0) }
    if outCts.allSatisfy({ $0 == nil }) { continue }
    let inCts = try withSourceSpan(eqn.span) { () throws(FluxionError) in
      try eqn.primitive.transpose(outCts, eqn.inputs.map(knownValue), eqn.inputs.map(\.aval))
    }
    for (atom, ct) in zip(eqn.inputs, inCts) {
      if case .variable(let v) = atom, known[v] == nil, let ct {
        if let e = ct.error { throw e }
        accumulate(v, ct)
      }
    }
  }
  return zip(jaxpr.inVars, args).map { v, a in a == nil ? ctEnv[v] : nil }
}

/// Reverse mode on flat lists: the outputs and a pullback from output cotangents to one
/// cotangent per input.
@_spi(FluxionLang) public func vjpFlat<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], primals: [Tensor]
) throws(E) -> (outputs: [Tensor], pullback: ([Tensor]) -> [Tensor]) {
  let (outs, linear) = try linearizeFlat(f, primals: primals)
  return (
    outs,
    { cts in
      if cts.count != outs.count {
        let e = FluxionError.typeError(
          "The function returned by `jax.vjp` applied to \(outs.count) outputs must be called with a single argument corresponding to the single value returned by the function being differentiated (even if that returned value is a tuple or other container)."
        )
        return primals.map { _ in Tensor(failed: e) }
      }
      return linear.transpose(cts)
    }
  )
}

/// Checks grad's argument and output rules; nil when fine.
func gradInputError(_ x: Tensor) -> FluxionError? {
  if let e = x.error { return e }
  if !x.dtype.isFloatingPoint {
    return .typeError(
      "grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got \(x.dtype). If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True."
    )
  }
  return nil
}

func gradOutputError(_ y: Tensor) -> FluxionError? {
  if let e = y.error { return e }
  if y.rank != 0 {
    return .typeError("Gradient only defined for scalar-output functions. Output had shape: \(pyShape(y.shape)).")
  }
  if !y.dtype.isFloatingPoint {
    return .typeError(
      "grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got \(y.dtype). For differentiation of functions with integer outputs, use jax.vjp directly."
    )
  }
  return nil
}

/// The value of a scalar function and its gradient with respect to the inputs at `argnums`
/// (flat: one tensor per argument). `f` returns the scalar first; any further outputs are
/// auxiliary values, returned undifferentiated (JAX's `has_aux`).
@_spi(FluxionLang) public func valueAndGradFlat<E: Error>(
  _ f: ([Tensor]) throws(E) -> [Tensor], _ args: [Tensor], argnums: [Int]
) throws(E) -> (value: Tensor, grads: [Tensor], aux: [Tensor]) {
  func failure(_ e: FluxionError) -> (Tensor, [Tensor], [Tensor]) {
    (Tensor(failed: e), argnums.map { _ in Tensor(failed: e) }, [])
  }
  for i in argnums where i < 0 || i >= args.count {
    return failure(
      .typeError(
        "differentiating with respect to argnums=\(i) requires at least \(i + 1) positional arguments to be passed by the caller, but got only \(args.count) positional arguments."
      ))
  }
  for i in argnums {
    if let e = gradInputError(args[i]) { return failure(e) }
  }
  let (outs, pullback) = try vjpFlat(
    { xs throws(E) in
      var full = args
      for (k, i) in argnums.enumerated() { full[i] = xs[k] }
      return try f(full)
    }, primals: argnums.map { args[$0] })
  guard let y = outs.first else { return failure(.typeError("grad of a function with no output")) }
  if let e = gradOutputError(y) { return failure(e) }
  let aux = Array(outs.dropFirst())
  let one = Tensor(DenseArray.filled(.float(1), shape: [], dtype: y.dtype), weakType: y.isWeaklyTyped)
  return (y, pullback([one] + aux.map { zerosLike(tangentAval($0.aval)) }), aux)
}

import Fluxion

/// `jax.custom_jvp` and `jax.custom_vjp` over Python functions, bound to the engine's CustomJVP
/// and CustomVJP.
///
/// The engine calls the function and its rules synchronously, while the call that binds them
/// runs, on the interpreter's thread; so the state of one call (`CustomCall`) may be captured
/// by the rules' `@Sendable` closures (`nonisolated(unsafe)` below) although it holds the
/// interpreter. An error a Python rule raises is kept and raised again when the call returns.
final class CustomCall {
  let interp: Interpreter
  let fun: Value
  let rules: [Value]
  /// The structure of the call's arguments, and how many there are.
  let def: TreeDef
  let argCount: Int
  var outDef: TreeDef = .leaf
  var resDef: TreeDef = .leaf
  var error: PyError?

  init(_ interp: Interpreter, _ fun: Value, _ rules: [Value], _ def: TreeDef, argCount: Int) {
    (self.interp, self.fun, self.rules, self.def, self.argCount) = (interp, fun, rules, def, argCount)
  }

  /// Failed placeholders for `count` results, keeping the first Python error.
  private func fail(_ e: PyError, count: Int) -> [Tensor] {
    if error == nil { error = e }
    return Array(repeating: Tensor(failed: FluxionError(.valueError, e.summary)), count: max(count, 1))
  }

  private func flatten(_ v: Value) throws(PyError) -> ([Tensor], TreeDef) { treeFlatten(try interp.toTree(v)) }

  private func pair(_ v: Value, _ what: String) throws(PyError) -> (Value, Value) {
    guard case .tuple(let p) = v, p.count == 2 else { throw PyError.type("\(what) must return a pair") }
    return (p[0], p[1])
  }

  func function(_ xs: [Tensor]) -> [Tensor] {
    do throws(PyError) {
      let (l, d) = try flatten(try interp.call(fun, try interp.rebuildArguments(def, xs)))
      outDef = d
      return l
    } catch {
      return fail(error, count: outDef.leafCount)
    }
  }

  /// custom_jvp's rule: `rule(primals, tangents) -> (primal_out, tangent_out)`.
  func jvp(_ primals: [Tensor], _ tangents: [Tensor]) -> ([Tensor], [Tensor]) {
    do throws(PyError) {
      let p = Value.tuple(try interp.rebuildArguments(def, primals))
      let t = Value.tuple(try interp.rebuildArguments(def, tangents))
      let (po, to) = try pair(try interp.call(rules[0], [p, t]), "a custom_jvp rule")
      let (pl, d) = try flatten(po)
      outDef = d
      return (pl, try flatten(to).0)
    } catch {
      let failed = fail(error, count: outDef.leafCount)
      return (failed, failed)
    }
  }

  /// custom_vjp's forward: `fwd(*args) -> (output, residuals)`.
  func forward(_ xs: [Tensor]) -> ([Tensor], [Tensor]) {
    do throws(PyError) {
      let (o, r) = try pair(
        try interp.call(rules[0], try interp.rebuildArguments(def, xs)), "a custom_vjp fwd function")
      let (ol, od) = try flatten(o)
      let (rl, rd) = try flatten(r)
      (outDef, resDef) = (od, rd)
      return (ol, rl)
    } catch {
      return (fail(error, count: outDef.leafCount), [])
    }
  }

  /// custom_vjp's backward: `bwd(residuals, cotangent) -> one cotangent per argument`.
  func backward(_ residuals: [Tensor], _ cts: [Tensor]) -> [Tensor] {
    do throws(PyError) {
      let res = try interp.fromTree(try interp.unflattenTree(resDef, residuals))
      let ct = try interp.fromTree(try interp.unflattenTree(outDef, cts))
      let r = try interp.call(rules[1], [res, ct])
      guard case .tuple(let perArg) = r, perArg.count == argCount else {
        throw PyError.type(
          "Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, but got bwd output structure \(try interp.repr(r)) for \(argCount) arguments."
        )
      }
      return treeLeaves(Tree.tuple(try perArg.map { v throws(PyError) in try interp.toTree(v) }))
    } catch {
      return fail(error, count: def.leafCount)
    }
  }

  /// The Python value of the engine's outputs, or the rule's error.
  func result(_ outs: [Tensor]) throws(PyError) -> Value {
    if let error { throw error }
    return try interp.fromTree(try interp.checkedTree(try interp.unflattenTree(outDef, outs)))
  }
}

extension Interpreter {
  func unflattenTree(_ def: TreeDef, _ leaves: [Tensor]) throws(PyError) -> Tree {
    do { return try treeUnflatten(Tree.self, def, leaves) } catch { throw PyError(error) }
  }

  /// Python arguments flattened to tensors, with the structure to rebuild them.
  func flatArguments(_ args: [Value]) throws(PyError) -> ([Tensor], TreeDef) {
    treeFlatten(Tree.tuple(try args.map { a throws(PyError) in try toTree(a) }))
  }

  func rebuildArguments(_ def: TreeDef, _ leaves: [Tensor]) throws(PyError) -> [Value] {
    guard case .tuple(let items) = try fromTree(try unflattenTree(def, leaves)) else { return [] }
    return items
  }

  /// A custom_jvp or custom_vjp function called outside every transformation, as JAX calls
  /// it: the function itself on the arguments as given, but for NumPy arrays brought to JAX's
  /// dtypes (float32 unless x64) — so Python scalars stay Python scalars and NumPy arrays are
  /// computed on by NumPy, and what it returns is returned as it is. nil under a transformation.
  func eagerCustomCall(_ fun: Value, _ args: CallArgs) throws(PyError) -> Value? {
    guard runsEagerly else { return nil }
    var positional: [Value] = []
    for a in args.positional {
      var tracer = false
      let canonical = try toNested(a).flatMap { (leaf) throws(PyError) -> Nested<Value> in
        switch leaf {
        case .array(let t):
          if t.isTracer { tracer = true }
        case .object(let n as NPArray) where Config.canonical(n.tensor.dtype) != n.tensor.dtype:
          let target = Config.canonical(n.tensor.dtype)
          let t = try numpy { () throws(PyError) -> Tensor in
            let c = convertElementType(n.tensor, target)
            if let e = c.error { throw PyError(e) }
            return c
          }
          return .leaf(.object(NPArray(t, scalar: n.isScalar)))
        default: break
        }
        return .leaf(leaf)
      }
      if tracer { return nil }
      positional.append(try fromNested(canonical))
    }
    return try call(fun, CallArgs(positional, args.keywords))
  }

  func makeCustomJVP(_ fun: Value) -> Value {
    final class Rule { var jvp: Value? }
    let rule = Rule()
    let name = (try? callableName(fun)) ?? "<lambda>"
    let b = PyBuiltin("custom_jvp(\(name))") { interp, args throws(PyError) in
      guard let jvpRule = rule.jvp else {
        throw PyError("AttributeError", "No JVP defined for custom_jvp function \(name) using defjvp.")
      }
      if let eager = try interp.eagerCustomCall(fun, args) { return eager }
      let (leaves, def) = try interp.flatArguments(args.positional)
      nonisolated(unsafe) let call = CustomCall(interp, fun, [jvpRule], def, argCount: args.positional.count)
      let custom = CustomJVP(
        name: name, jvpName: (try? interp.callableName(jvpRule)) ?? "<lambda>", { call.function($0) },
        jvp: { call.jvp($0, $1) })
      return try call.result(custom(leaves))
    }
    b.attributes["defjvp"] = Value.builtin("custom_jvp.defjvp") { _, args throws(PyError) in
      guard let f = args.positional.first else {
        throw PyError.type("defjvp() missing 1 required positional argument: 'jvp'")
      }
      rule.jvp = f
      return f
    }
    return .object(b)
  }

  func makeCustomVJP(_ fun: Value) -> Value {
    final class Rules { var fwd: Value?, bwd: Value? }
    let rules = Rules()
    let name = (try? callableName(fun)) ?? "<lambda>"
    let b = PyBuiltin("custom_vjp(\(name))") { interp, args throws(PyError) in
      guard let fwd = rules.fwd, let bwd = rules.bwd else {
        throw PyError("AttributeError", "No VJP defined for custom_vjp function \(name) using defvjp.")
      }
      if let eager = try interp.eagerCustomCall(fun, args) { return eager }
      let (leaves, def) = try interp.flatArguments(args.positional)
      nonisolated(unsafe) let call = CustomCall(interp, fun, [fwd, bwd], def, argCount: args.positional.count)
      let custom = CustomVJP(
        name: name, fwdName: (try? interp.callableName(fwd)) ?? "<lambda>",
        bwdName: (try? interp.callableName(bwd)) ?? "<lambda>", { call.function($0) }, fwd: { call.forward($0) },
        bwd: { call.backward($0, $1) })
      return try call.result(custom(leaves))
    }
    b.attributes["defvjp"] = Value.builtin("custom_vjp.defvjp") { _, args throws(PyError) in
      guard args.positional.count == 2 else {
        throw PyError.type("defvjp() takes 2 positional arguments: 'fwd' and 'bwd'")
      }
      rules.fwd = args.positional[0]
      rules.bwd = args.positional[1]
      return .none
    }
    return .object(b)
  }
}

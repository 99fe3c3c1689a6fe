import Fluxion

/// jax's transformations over Python functions: each packs the Python arguments into the
/// engine's Tree, runs the engine's transformation on a Swift closure that calls the Python
/// function, and unpacks the result.
extension Interpreter {
  /// Runs engine code that may rethrow a PyError from the Python function inside it.
  func engine<R>(_ body: () throws -> R) throws(PyError) -> R {
    let r: R
    do { r = try body() } catch let e as PyError { throw e } catch let e as FluxionError {
      throw PyError(e)
    } catch { throw PyError.runtime("\(error)") }
    if let e = callbackError {
      callbackError = nil
      throw e
    }
    return r
  }

  /// Raises the first error a result tree carries.
  func checkedTree(_ t: Tree) throws(PyError) -> Tree {
    for leaf in t.leaves { if let e = leaf.error { throw PyError(e) } }
    return t
  }

  /// `argnums` as a list, and whether it was a single int (the result is then not a tuple).
  func argnumList(_ v: Value?, count: Int, _ fname: String) throws(PyError) -> (nums: [Int], single: Bool) {
    let spec = v ?? .int(0)
    var nums: [Int]
    var single = false
    switch spec {
    case .int(let i):
      nums = [i]
      single = true
    case .tuple, .list:
      nums = try materialize(spec).map { x throws(PyError) in try int(x, "argnums") }
    default:
      throw PyError.type("argnums must be an int or a tuple of ints, got \(spec.typeName)")
    }
    for (k, n) in nums.enumerated() {
      let m = n < 0 ? n + count : n
      if n >= count {
        throw PyError.type(
          "differentiating with respect to argnums=\(n) requires at least \(n + 1) positional arguments to be passed by the caller, but got only \(count) positional argument\(count == 1 ? "" : "s")."
        )
      }
      guard m >= 0 && m < count else {
        throw PyError.value(
          "argnums \(n) is out of bounds for a function of \(count) positional argument\(count == 1 ? "" : "s")")
      }
      nums[k] = m
    }
    return (nums, single)
  }

  /// The differentiated arguments as one tree, and a way to put traced values back in place.
  func diffArguments(_ args: [Value], _ nums: [Int], single: Bool) throws(PyError) -> Tree {
    if single { return try toTree(args[nums[0]]) }
    return .tuple(try nums.map { i throws(PyError) in try toTree(args[i]) })
  }

  func substitute(_ args: [Value], _ nums: [Int], single: Bool, _ t: Tree) throws(PyError) -> [Value] {
    var a = args
    let v = try fromTree(t)
    if single {
      a[nums[0]] = v
    } else if case .tuple(let items) = v {
      for (k, i) in nums.enumerated() { a[i] = items[k] }
    }
    return a
  }

  /// The scalar a differentiated function returned, as an array (JAX's check of its kind).
  func scalarOutput(_ v: Value, _ fname: String) throws(PyError) -> Tensor {
    switch v {
    case .array(let t):
      guard t.rank == 0 else {
        throw PyError.type(
          "Gradient only defined for scalar-output functions. Output had shape: \(shapeText(t.shape)).")
      }
      return t
    case .float, .int, .bool: return try asTensor(v)
    default:
      throw PyError.type("Gradient only defined for scalar-output functions. Output was \(try repr(v)).")
    }
  }

  // MARK: - grad and value_and_grad

  /// An aux output with the Python scalars the function returned put back: JAX passes aux
  /// through untouched, so `2` stays an int and does not become an array.
  func keepingPythonScalars(_ computed: Value, as returned: Value) throws(PyError) -> Value {
    let originals = try toNested(returned).leaves
    var k = 0
    let merged = try toNested(computed).map { (x: Value) -> Value in
      defer { k += 1 }
      guard k < originals.count else { return x }
      switch originals[k] {
      case .int, .float, .bool: return originals[k]
      default: return x
      }
    }
    return try fromNested(merged)
  }

  func makeGrad(_ f: Value, argnums: Value?, hasAux: Bool, withValue: Bool, name: String) -> Value {
    .builtin(name) { interp, call throws(PyError) in
      let args = call.positional
      let (nums, single) = try interp.argnumList(argnums, count: args.count, name)
      let x = try interp.diffArguments(args, nums, single: single)
      let keywords = call.keywords
      var auxReturned: Value = .none
      func body(_ t: Tree) throws -> (Tensor, Tree) {
        let a = try interp.substitute(args, nums, single: single, t)
        let out = try interp.call(f, CallArgs(a, keywords))
        if hasAux {
          guard case .tuple(let pair) = out, pair.count == 2 else {
            throw PyError.type("has_aux=True requires the function to return a pair (output, aux)")
          }
          auxReturned = pair[1]
          return (try interp.scalarOutput(pair[0], name), try interp.toTree(pair[1]))
        }
        return (try interp.scalarOutput(out, name), .none)
      }
      let result: ((value: Tensor, aux: Tree), gradient: Tree) = try interp.engine {
        try valueAndGrad(hasAux: body)(x)
      }
      let (value, aux) = result.0
      let g = result.gradient
      if let e = value.error { throw PyError(e) }
      let gradient = try interp.fromTree(try interp.checkedTree(g))
      let auxValue = try interp.keepingPythonScalars(
        try interp.fromTree(try interp.checkedTree(aux)), as: auxReturned)
      let valueOut: Value = hasAux ? .tuple([.array(value), auxValue]) : .array(value)
      if withValue { return .tuple([valueOut, gradient]) }
      return hasAux ? .tuple([gradient, auxValue]) : gradient
    }
  }

  // MARK: - jvp, vjp, linearize

  func jvpCall(_ f: Value, _ primals: Value, _ tangents: Value, hasAux: Bool) throws(PyError) -> Value {
    guard case .tuple(let p) = primals.asTupleOrList, case .tuple(let t) = tangents.asTupleOrList else {
      throw PyError.type(
        "primal and tangent arguments to jax.jvp must be tuples or lists; found \(primals.typeName) and \(tangents.typeName)."
      )
    }
    guard p.count == t.count else {
      throw PyError.type(
        "jvp() function got \(p.count) primal arguments and \(t.count) tangent arguments, which must match"
      )
    }
    let px = Tree.tuple(try p.map { x throws(PyError) in try toTree(x) })
    let tx = Tree.tuple(try t.map { x throws(PyError) in try toTree(x) })
    var auxBox: Tree = .none
    let (out, tan) = try engine { () throws -> (Tree, Tree) in
      try jvp(
        { (x: Tree) throws -> Tree in
          guard case .tuple(let items) = try self.fromTree(x) else { return .none }
          let r = try self.call(f, items)
          if hasAux {
            guard case .tuple(let pair) = r, pair.count == 2 else {
              throw PyError.type("has_aux=True requires the function to return a pair (output, aux)")
            }
            auxBox = try self.toTree(pair[1])
            return try self.toTree(pair[0])
          }
          return try self.toTree(r)
        }, primals: px, tangents: tx)
    }
    let o = try fromTree(try checkedTree(out))
    let d = try fromTree(try checkedTree(tan))
    if hasAux { return .tuple([o, d, try fromTree(auxBox)]) }
    return .tuple([o, d])
  }

  func vjpCall(_ f: Value, _ primals: [Value], hasAux: Bool) throws(PyError) -> Value {
    let x = Tree.tuple(try primals.map { p throws(PyError) in try toTree(p) })
    let (out, pullback, aux) = try engine { () throws -> (Tree, (Tree) -> Tree, Tree) in
      try vjp(
        hasAux: { (x: Tree) throws -> (Tree, Tree) in
          guard case .tuple(let items) = try self.fromTree(x) else { return (.none, .none) }
          let r = try self.call(f, items)
          if hasAux {
            guard case .tuple(let pair) = r, pair.count == 2 else {
              throw PyError.type("has_aux=True requires the function to return a pair (output, aux)")
            }
            return (try self.toTree(pair[0]), try self.toTree(pair[1]))
          }
          return (try self.toTree(r), .none)
        }, x)
    }
    let outTree = try checkedTree(out)
    let outStructure = outTree.structure
    let pull = Value.builtin("vjp_fun") { interp, args throws(PyError) in
      guard args.positional.count == 1 else {
        throw PyError.type(
          "The function returned by `jax.vjp` applied to \(args.positional.count) arguments, but it should be applied to a single argument (the cotangent)"
        )
      }
      let ct = try interp.toTree(args.positional[0])
      guard ct.structure == outStructure else {
        throw PyError.type(
          "Tree structure of cotangent input \(ct.structure), does not match structure of primal output \(outStructure)."
        )
      }
      for (c, o) in zip(ct.leaves, outTree.leaves) where c.shape != o.shape {
        throw PyError.value(
          "unexpected JAX type (e.g. shape/dtype) for argument to vjp function: got \(c.aval.longDescription), but expected \(o.aval.longDescription) because the corresponding output of the function had JAX type \(o.aval.longDescription)"
        )
      }
      return try interp.fromTree(try interp.checkedTree(pullback(ct)))
    }
    let o = try fromTree(outTree)
    if hasAux { return .tuple([o, pull, try fromTree(try checkedTree(aux))]) }
    return .tuple([o, pull])
  }

  // MARK: - vmap

  func axisSpec(_ v: Value) throws(PyError) -> AxisSpec {
    switch v {
    case .none: return .axis(nil)
    case .int(let i): return .axis(i)
    case .tuple(let items): return .list(try items.map { x throws(PyError) in try axisSpec(x) })
    case .list(let l): return .list(try l.items.map { x throws(PyError) in try axisSpec(x) })
    case .dict(let d):
      var out: [String: AxisSpec] = [:]
      for (k, x) in d.pairs {
        guard case .str(let s) = k else { throw PyError.value("vmap in_axes dict keys must be strings") }
        out[s] = try axisSpec(x)
      }
      return .dict(out)
    default:
      throw PyError.type(
        "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got \(try repr(v))."
      )
    }
  }

  func makeVmap(_ f: Value, inAxes: Value, outAxes: Value, axisSize: Int?) -> Value {
    .builtin("vmap(\((try? callableName(f)) ?? "f"))") { interp, call throws(PyError) in
      let args = call.positional
      guard !args.isEmpty || axisSize != nil else {
        throw PyError.value(
          "vmap wrapped function must be passed at least one argument containing an array, got empty *args=() and **kwargs={}"
        )
      }
      var spec = try interp.axisSpec(inAxes)
      if case .list(let specs) = spec {
        if case .list = inAxes {
          throw PyError.type(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got \(try interp.repr(inAxes))."
          )
        }
        guard specs.count == args.count else {
          throw PyError.value(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=\(specs.count), len(args)=\(args.count)"
          )
        }
      } else {
        spec = .list(Array(repeating: spec, count: args.count))
      }
      let x = Tree.tuple(try args.map { a throws(PyError) in try interp.toTree(a) })
      let keywords = call.keywords
      let maps = interp.mapsSomeAxis(spec)
      do throws(PyError) {
        let out = try interp.engine { () throws -> Tree in
          try vmap(
            { (t: Tree) throws -> Tree in
              // When vmap cannot map the arguments (inconsistent sizes), the engine calls the
              // function once on the unbatched arguments only to learn the output's structure,
              // and then fails every leaf. The script's function must not run then (JAX raises
              // before calling it): any structure does, as the error is raised right after.
              if maps, !t.leaves.contains(where: \.isTracer) { return .leaf(Tensor.weak(0.0)) }
              guard case .tuple(let items) = try interp.fromTree(t) else { return .none }
              return try interp.toTree(try interp.call(f, CallArgs(items, keywords)))
            }, inAxes: spec, outAxes: try interp.axisSpec(outAxes), axisSize: axisSize)(x)
        }
        return try interp.fromTree(try interp.checkedTree(out))
      } catch {
        throw interp.withVmapArgumentNames(error, f, count: args.count)
      }
    }
  }

  /// Whether an in_axes spec maps some leaf (else every leaf is passed unbatched).
  func mapsSomeAxis(_ s: AxisSpec) -> Bool {
    switch s {
    case .axis(let a): a != nil
    case .list(let items): items.contains { mapsSomeAxis($0) }
    case .dict(let d): d.values.contains { mapsSomeAxis($0) }
    }
  }

  /// vmap's size error names the function's parameters (`argument x`, `argument p['w']`);
  /// the engine names the leaves of the argument tuple it mapped (`args[0][1]['w']`).
  func withVmapArgumentNames(_ error: PyError, _ f: Value, count: Int) -> PyError {
    guard error.message.hasPrefix("vmap got inconsistent sizes") else { return error }
    var params: [String] = []
    if case .object(let fn as PyFunction) = f {
      params = (fn.code.parameters.posonlyargs + fn.code.parameters.args).map(\.name)
    }
    var e = error
    for k in stride(from: count - 1, through: 0, by: -1) {
      let name = k < params.count ? "argument \(params[k])" : "args[\(k)]"
      e.message = e.message.replacingOccurrences(of: " of args[0][\(k)]", with: " of \(name)")
    }
    return e
  }

  // MARK: - jit

  func makeJit(_ f: Value, staticArgnums: [Int], staticArgnames: Set<String> = [], name: String) -> Value {
    // The static arguments of the call being traced (the engine traces synchronously, inside it),
    // and its keyword arguments: static ones by value, traced ones by name (their values follow
    // the positional ones in the traced tuple).
    final class Statics {
      var values: [Value] = []
      var keywords: [(String, Value)] = []
      var tracedKeywords: [String] = []
    }
    let statics = Statics()
    let jitted = jit(
      name: name,
      static: { (t: Tree, _: [HashKey]) throws -> Tree in
        guard case .tuple(var traced) = try self.fromTree(t) else { return .none }
        let named = traced.suffix(statics.tracedKeywords.count)
        traced.removeLast(named.count)
        let keywords = statics.keywords + Array(zip(statics.tracedKeywords, named))
        var args: [Value] = []
        var ti = 0
        var si = 0
        for i in 0..<(traced.count + statics.values.count) {
          if staticArgnums.contains(i), si < statics.values.count {
            args.append(statics.values[si])
            si += 1
          } else if ti < traced.count {
            args.append(traced[ti])
            ti += 1
          }
        }
        return try self.toTree(try self.call(f, CallArgs(args, keywords)))
      })
    return .builtin(name) { interp, call throws(PyError) in
      let args = call.positional
      var traced: [Value] = []
      var staticValues: [Value] = []
      var staticKeywords: [(String, Value)] = []
      var tracedKeywords: [String] = []
      var keys: [HashKey] = []
      func staticKey(_ a: Value) throws(PyError) -> HashKey {
        do { return try interp.hashKey(a) } catch {
          throw PyError.value(
            "Non-hashable static arguments are not supported. An error occurred while trying to hash an object of type <class '\(a.typeName)'>, \(try interp.repr(a)). The error was:\nTypeError: unhashable type: '\(a.typeName)'\n"
          )
        }
      }
      for (i, a) in args.enumerated() {
        if staticArgnums.contains(i) {
          staticValues.append(a)
          keys.append(try staticKey(a))
        } else {
          traced.append(a)
        }
      }
      var tracedNamed: [Value] = []
      for (k, a) in call.keywords {
        if staticArgnames.contains(k) {
          staticKeywords.append((k, a))
          keys.append(.tuple([.str(k), try staticKey(a)]))
        } else {
          tracedKeywords.append(k)
          tracedNamed.append(a)
          keys.append(.tuple([.str(k)]))
        }
      }
      let x = Tree.tuple(try (traced + tracedNamed).map { a throws(PyError) in try interp.toTree(a) })
      let saved = (statics.values, statics.keywords, statics.tracedKeywords)
      (statics.values, statics.keywords, statics.tracedKeywords) = (staticValues, staticKeywords, tracedKeywords)
      defer { (statics.values, statics.keywords, statics.tracedKeywords) = saved }
      do throws(PyError) {
        let out = try interp.engine { try jitted(x, keys) }
        return try interp.fromTree(try interp.checkedTree(out))
      } catch {
        var params: [String] = []
        if case .object(let fn as PyFunction) = f {
          params = (fn.code.parameters.posonlyargs + fn.code.parameters.args).map(\.name)
        }
        let positional = args.indices.filter { !staticArgnums.contains($0) }.map { k in
          k < params.count ? params[k] : "args[\(k)]"
        }
        throw interp.withJitOrigin(error, f, name: name, argumentNames: positional + tracedKeywords)
      }
    }
  }

  /// `f at file.py:4`, as JAX names a Python function in its errors (nil for builtins).
  func sourceInfo(_ f: Value) -> String? {
    guard case .object(let fn as PyFunction) = f else { return nil }
    return "\(fn.name) at \(fn.code.filename):\(fn.code.firstLine)"
  }

  /// The name of a Python function's first parameter (nil for builtins).
  func firstParameterName(_ f: Value) -> String? {
    guard case .object(let fn as PyFunction) = f else { return nil }
    return (fn.code.parameters.posonlyargs + fn.code.parameters.args).first?.name
  }

  /// JAX's tracer errors name where the jitted function was defined and its parameters
  /// (`relu_branch at model.py:4`, `argument x`); the engine knows neither, and names the
  /// arguments by position in the tuple it traced (`x[0]`, `x[1]['w']`).
  func withJitOrigin(_ error: PyError, _ f: Value, name: String, argumentNames: [String]) -> PyError {
    let head = "The error occurred while tracing the function \(name) for jit."
    guard let source = sourceInfo(f), error.message.contains(head) else { return error }
    var e = error
    e.message = e.message.replacingOccurrences(
      of: head, with: "The error occurred while tracing the function \(source) for jit.")
    let marker = "because it depends on the "
    guard let r = e.message.range(of: marker) else { return e }
    let lineEnd = e.message[r.upperBound...].firstIndex(of: "\n") ?? e.message.endIndex
    // One pass over the sentence: each `x[k]` becomes the k-th traced argument's name.
    let chars = Array(e.message[r.upperBound..<lineEnd])
    var sentence = ""
    var p = 0
    while p < chars.count {
      if chars[p] == "x", p + 2 < chars.count, chars[p + 1] == "[",
        p == 0 || !(chars[p - 1].isLetter || chars[p - 1].isNumber || chars[p - 1] == "_")
      {
        var q = p + 2
        while q < chars.count, chars[q].isASCII, chars[q].isNumber { q += 1 }
        if q > p + 2, q < chars.count, chars[q] == "]", let k = Int(String(chars[(p + 2)..<q])), k < argumentNames.count
        {
          sentence += argumentNames[k]
          p = q + 1
          continue
        }
      }
      sentence.append(chars[p])
      p += 1
    }
    e.message.replaceSubrange(r.upperBound..<lineEnd, with: sentence)
    return e
  }

  // MARK: - Jacobians

  func makeJacobian(_ f: Value, argnums: Value?, forward: Bool, hessian: Bool, name: String) -> Value {
    .builtin(name) { interp, call throws(PyError) in
      let args = call.positional
      let (nums, single) = try interp.argnumList(argnums, count: args.count, name)
      let x = try interp.diffArguments(args, nums, single: single)
      let keywords = call.keywords
      let body = { (t: Tree) throws -> Tree in
        let a = try interp.substitute(args, nums, single: single, t)
        return try interp.toTree(try interp.call(f, CallArgs(a, keywords)))
      }
      let out: Tree = try interp.engine { () throws -> Tree in
        if hessian {
          return try Fluxion.hessian({ (t: Tree) throws -> Tensor in
            guard case .leaf(let y) = try body(t) else {
              throw PyError.type("hessian requires a function with one array output")
            }
            return y
          })(x)
        }
        return forward ? try jacfwd(body)(x) : try jacrev(body)(x)
      }
      return try interp.fromTree(try interp.checkedTree(out))
    }
  }

  // MARK: - make_jaxpr

  func makeJaxprCall(_ f: Value, _ args: [Value], optimized: Bool) throws(PyError) -> Value {
    let x = Tree.tuple(try args.map { a throws(PyError) in try toTree(a) })
    let (leaves, def) = treeFlatten(x)
    let result = try engine { () throws -> Result<ClosedJaxpr, FluxionError> in
      try makeJaxpr(
        { (xs: [Tensor]) throws -> [Tensor] in
          let t = try treeUnflatten(Tree.self, def, xs)
          guard case .tuple(let items) = try self.fromTree(t) else { return [] }
          return treeLeaves(try self.toTree(try self.call(f, items)))
        }, leaves, optimized: optimized)
    }
    switch result {
    case .success(let jaxpr): return .object(PyOpaque("ClosedJaxpr", jaxpr, repr: jaxpr.description))
    case .failure(let e): throw PyError(e)
    }
  }
}

extension Value {
  /// Lists read as tuples (where JAX accepts either).
  var asTupleOrList: Value {
    if case .list(let l) = self { return .tuple(l.items) }
    return self
  }
}

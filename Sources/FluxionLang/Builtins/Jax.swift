import Fluxion

extension Interpreter {
  /// The function a transformation is given (its first argument): JAX's error when it is
  /// not callable, raised where the transformation is made.
  func transformed(_ b: BoundArgs) throws(PyError) -> Value {
    let f = try b.required(0)
    guard callable(f) else { throw PyError.type("Expected a callable value, got \(try str(f))") }
    return f
  }

  /// The `jax` package: transformations and its submodules.
  func makeJax() -> PyModule {
    let jax = PyModule("jax")
    jax.def("grad", ["fun", "argnums", "has_aux", "holomorphic", "allow_int"], required: 1) { i, b throws(PyError) in
      i.makeGrad(
        try i.transformed(b), argnums: b[1], hasAux: try i.boolArg(b, "has_aux"), withValue: false, name: "grad")
    }
    jax.def("value_and_grad", ["fun", "argnums", "has_aux", "holomorphic", "allow_int"], required: 1) {
      i, b throws(PyError) in
      i.makeGrad(
        try i.transformed(b), argnums: b[1], hasAux: try i.boolArg(b, "has_aux"), withValue: true,
        name: "value_and_grad")
    }
    jax.def("jvp", ["fun", "primals", "tangents", "has_aux"], required: 3) { i, b throws(PyError) in
      try i.jvpCall(try b.required(0), try b.required(1), try b.required(2), hasAux: try i.boolArg(b, "has_aux"))
    }
    jax.attributes["vjp"] = .builtin("jax.vjp") { i, args throws(PyError) in
      guard let f = args.positional.first else {
        throw PyError.type("vjp() missing 1 required positional argument: 'fun'")
      }
      var hasAux = false
      for (k, v) in args.keywords {
        guard k == "has_aux" else { throw PyError.type("vjp() got an unexpected keyword argument '\(k)'") }
        hasAux = try i.truthy(v)
      }
      return try i.vjpCall(f, Array(args.positional.dropFirst()), hasAux: hasAux)
    }
    jax.def("linearize", ["fun"], required: 1, variadic: true) { i, b throws(PyError) in
      let f = try b.required(0)
      let primals = b.rest
      let x = Tree.tuple(try primals.map { p throws(PyError) in try i.toTree(p) })
      let (out, lin) = try i.engine { () throws -> (Tree, (Tree) -> Tree) in
        try linearize(
          { (t: Tree) throws -> Tree in
            guard case .tuple(let items) = try i.fromTree(t) else { return .none }
            return try i.toTree(try i.call(f, items))
          }, x)
      }
      let fjvp = Value.builtin("linearize_jvp") { i2, args throws(PyError) in
        let t = Tree.tuple(try args.positional.map { v throws(PyError) in try i2.toTree(v) })
        return try i2.fromTree(try i2.checkedTree(lin(t)))
      }
      return .tuple([try i.fromTree(try i.checkedTree(out)), fjvp])
    }
    jax.def("vmap", ["fun", "in_axes", "out_axes", "axis_name", "axis_size", "spmd_axis_name"], required: 1) {
      i, b throws(PyError) in
      let size = try b[4].map { v throws(PyError) in try i.int(v, "axis_size") }
      return i.makeVmap(
        try i.transformed(b), inAxes: b.values[1] ?? .int(0), outAxes: b.values[2] ?? .int(0), axisSize: size)
    }
    jax.def(
      "jit", ["fun", "in_shardings", "out_shardings", "static_argnums", "static_argnames", "donate_argnums"],
      required: 1
    ) { i, b throws(PyError) in
      let f = try i.transformed(b)
      var statics: [Int] = []
      if let s = b[3] {
        if case .int(let n) = s { statics = [n] } else { statics = try i.shape(s) }
      }
      var names: [String] = []
      if let s = b[4] {
        if case .str(let n) = s {
          names = [n]
        } else {
          for v in try i.materialize(s) {
            guard case .str(let n) = v else {
              throw PyError.type("static_argnames must be a string or a sequence of strings")
            }
            names.append(n)
          }
        }
      }
      // Static names and numbers name the same parameters (JAX resolves each through the signature).
      var params: [String] = []
      if case .object(let fn as PyFunction) = f {
        params = (fn.code.parameters.posonlyargs + fn.code.parameters.args).map(\.name)
      }
      for n in names { if let k = params.firstIndex(of: n), !statics.contains(k) { statics.append(k) } }
      for k in statics where k >= 0 && k < params.count && !names.contains(params[k]) { names.append(params[k]) }
      return i.makeJit(f, staticArgnums: statics, staticArgnames: Set(names), name: try i.callableName(f))
    }
    for (name, forward) in [("jacfwd", true), ("jacrev", false), ("jacobian", false)] {
      jax.def(name, ["fun", "argnums", "has_aux", "holomorphic", "allow_int"], required: 1) { i, b throws(PyError) in
        i.makeJacobian(try i.transformed(b), argnums: b[1], forward: forward, hessian: false, name: name)
      }
    }
    jax.def("hessian", ["fun", "argnums", "has_aux", "holomorphic"], required: 1) { i, b throws(PyError) in
      i.makeJacobian(try i.transformed(b), argnums: b[1], forward: false, hessian: true, name: "hessian")
    }
    jax.def("make_jaxpr", ["fun", "static_argnums", "axis_env", "return_shape", "abstracted_axes"], required: 1) {
      i, b throws(PyError) in
      let f = try i.transformed(b)
      return .builtin("make_jaxpr(\(try i.callableName(f)))") { i2, args throws(PyError) in
        try i2.makeJaxprCall(f, args.positional, optimized: false)
      }
    }
    jax.def("block_until_ready", ["x"], required: 1) { i, b throws(PyError) in
      let v = try b.required(0)
      _ = try i.toNested(v).leaves.map { leaf throws(PyError) in
        if case .array(let t) = leaf { _ = try i.str(.array(t)) }
      }
      return v
    }
    jax.def("device_get", ["x"], required: 1) { _, b throws(PyError) in try b.required(0) }
    jax.def("device_put", ["x", "device"], required: 1) { _, b throws(PyError) in try b.required(0) }
    jax.def("checkpoint", ["fun", "prevent_cse", "policy", "static_argnums"], required: 1) { i, b throws(PyError) in
      let f = try i.transformed(b)
      if b[2] != nil { throw PyError.notImplemented("checkpoint policies are not supported yet") }
      return .builtin("checkpoint(\(try i.callableName(f)))") { i2, call throws(PyError) in
        let x = Tree.tuple(try call.positional.map { v throws(PyError) in try i2.toTree(v) })
        let out = try i2.engine { () throws -> Tree in
          try Fluxion.checkpoint({ (t: Tree) throws -> Tree in
            guard case .tuple(let items) = try i2.fromTree(t) else { return .none }
            return try i2.toTree(try i2.call(f, CallArgs(items, call.keywords)))
          })(x)
        }
        return try i2.fromTree(try i2.checkedTree(out))
      }
    }
    jax.attributes["remat"] = jax.attributes["checkpoint"]
    jax.def("custom_jvp", ["fun", "nondiff_argnums"], required: 1) { i, b throws(PyError) in
      if b[1] != nil { throw PyError.notImplemented("custom_jvp with nondiff_argnums is not supported yet") }
      return i.makeCustomJVP(try b.required(0))
    }
    jax.def("custom_vjp", ["fun", "nondiff_argnums"], required: 1) { i, b throws(PyError) in
      if b[1] != nil { throw PyError.notImplemented("custom_vjp with nondiff_argnums is not supported yet") }
      return i.makeCustomVJP(try b.required(0))
    }
    jax.attributes["Array"] = .object(arrayClass)

    let config = PyModule("jax.config")
    config.def("update", ["name", "val"], required: 2) { i, b throws(PyError) in
      guard case .str(let name) = try b.required(0) else { throw PyError.type("config name must be a string") }
      switch name {
      case "jax_enable_x64":
        // Takes effect from the script's next top-level statement (Interpreter.run).
        i.x64 = try i.truthy(try b.required(1))
      case "jax_platform_name", "jax_platforms", "jax_default_matmul_precision", "jax_debug_nans",
        "jax_disable_jit", "jax_numpy_rank_promotion", "jax_explain_cache_misses":
        break
      default:
        throw PyError("AttributeError", "Unrecognized config option: \(name)")
      }
      return .none
    }
    jax.attributes["config"] = .object(config)

    let debug = PyModule("jax.debug")
    debug.attributes["print"] = .builtin("jax.debug.print") { i, args throws(PyError) in try i.debugPrint(args) }
    jax.attributes["debug"] = .object(debug)
    return jax
  }

  /// `jax.random`, on the engine's threefry keys (raw uint32[2] keys and typed keys).
  func makeRandom() -> PyModule {
    let r = PyModule("jax.random")
    r.def("PRNGKey", ["seed", "impl"], required: 1) { i, b throws(PyError) in
      try i.checked(Random.PRNGKey(try i.int(try b.required(0), "seed")))
    }
    r.def("key", ["seed", "impl"], required: 1) { i, b throws(PyError) in
      .key(Random.key(try i.int(try b.required(0), "seed")))
    }
    r.def("key_data", ["keys"], required: 1) { i, b throws(PyError) in
      switch try b.required(0) {
      case .key(let k): return .array(Random.keyData(k))
      case let v: return try i.checked(try i.asTensor(v))
      }
    }
    r.def("wrap_key_data", ["key_bits_array", "impl"], required: 1) { i, b throws(PyError) in
      .key(Random.wrapKeyData(try i.tensorArg(b, 0)))
    }
    r.def("split", ["key", "num"], required: 1) { i, b throws(PyError) in
      i.noteKeyUse(try b.required(0))
      let n = try b[1].map { v throws(PyError) in try i.shape(v) } ?? [2]
      switch try b.required(0) {
      case .key(let k): return .key(Random.split(k, shape: n))
      case let v: return try i.checked(Random.split(try i.keyTensor(v), shape: n))
      }
    }
    r.def("fold_in", ["key", "data"], required: 2) { i, b throws(PyError) in
      i.noteKeyUse(try b.required(0))
      let d = try i.int(try b.required(1), "data")
      switch try b.required(0) {
      case .key(let k): return .key(Random.foldIn(k, d))
      case let v: return try i.checked(Random.foldIn(try i.keyTensor(v), d))
      }
    }
    r.def("bits", ["key", "shape", "dtype"], required: 1) { i, b throws(PyError) in
      let s = try b[1].map { v throws(PyError) in try i.shape(v) } ?? []
      let d = try i.dtype(b[2])
      return try i.withKey(try b.required(0)) { k in Random.bits(k, s, dtype: d) }
    }
    r.def("uniform", ["key", "shape", "dtype", "minval", "maxval"], required: 1) { i, b throws(PyError) in
      let s = try b[1].map { v throws(PyError) in try i.shape(v) } ?? []
      let d = try i.dtype(b[2])
      let lo = try b[3].map { v throws(PyError) in try i.asTensor(v) } ?? Tensor.weak(0.0)
      let hi = try b[4].map { v throws(PyError) in try i.asTensor(v) } ?? Tensor.weak(1.0)
      return try i.withKey(try b.required(0)) { k in Random.uniform(k, s, minval: lo, maxval: hi, dtype: d) }
    }
    r.def("normal", ["key", "shape", "dtype"], required: 1) { i, b throws(PyError) in
      let s = try b[1].map { v throws(PyError) in try i.shape(v) } ?? []
      let d = try i.dtype(b[2])
      return try i.withKey(try b.required(0)) { k in Random.normal(k, s, dtype: d) }
    }
    r.def("truncated_normal", ["key", "lower", "upper", "shape", "dtype"], required: 3) { i, b throws(PyError) in
      let lo = try i.tensorArg(b, 1)
      let hi = try i.tensorArg(b, 2)
      let s = try b[3].map { v throws(PyError) in try i.shape(v) } ?? resultShape(lo.shape, hi.shape)
      let d = try i.dtype(b[4])
      return try i.withKey(try b.required(0)) { k in Random.truncatedNormal(k, lower: lo, upper: hi, s, dtype: d) }
    }
    r.def("bernoulli", ["key", "p", "shape"], required: 1) { i, b throws(PyError) in
      let p = try b[1].map { v throws(PyError) in try i.asTensor(v) } ?? Tensor.weak(0.5)
      let s = try b[2].map { v throws(PyError) in try i.shape(v) }
      return try i.withKey(try b.required(0)) { k in Random.bernoulli(k, p: p, s) }
    }
    r.def("randint", ["key", "shape", "minval", "maxval", "dtype"], required: 4) { i, b throws(PyError) in
      let s = try i.shape(try b.required(1))
      let lo = try i.int(try b.required(2), "minval")
      let hi = try i.int(try b.required(3), "maxval")
      let d = try i.dtype(b[4])
      return try i.withKey(try b.required(0)) { k in Random.randint(k, s, minval: lo, maxval: hi, dtype: d) }
    }
    r.def("permutation", ["key", "x", "axis", "independent"], required: 2) { i, b throws(PyError) in
      let x = try b.required(1)
      let axis = try i.axisArg(b[2]) ?? 0
      let indep = try i.boolArg(b, "independent")
      if case .int(let n) = x { return try i.withKey(try b.required(0)) { k in Random.permutation(k, n) } }
      let t = try i.asTensor(x)
      return try i.withKey(try b.required(0)) { k in Random.permutation(k, t, axis: axis, independent: indep) }
    }
    r.def("choice", ["key", "a", "shape", "replace", "p", "axis"], required: 2) { i, b throws(PyError) in
      let s = try b[2].map { v throws(PyError) in try i.shape(v) } ?? []
      let replace = try i.boolArg(b, "replace", true)
      let p = try b[4].map { v throws(PyError) in try i.asTensor(v) }
      let a = try b.required(1)
      if case .int(let n) = a {
        return try i.withKey(try b.required(0)) { k in Random.choice(k, n, s, replace: replace, p: p) }
      }
      let t = try i.asTensor(a)
      return try i.withKey(try b.required(0)) { k in Random.choice(k, t, s, replace: replace, p: p) }
    }
    r.def("gumbel", ["key", "shape", "dtype"], required: 1) { i, b throws(PyError) in
      let s = try b[1].map { v throws(PyError) in try i.shape(v) } ?? []
      let d = try i.dtype(b[2])
      return try i.withKey(try b.required(0)) { k in Random.gumbel(k, s, dtype: d) }
    }
    return r
  }

  /// A raw key array argument.
  func keyTensor(_ v: Value) throws(PyError) -> Tensor {
    let t = try asTensor(v)
    guard t.dtype == .uint32, t.shape.last == 2 else {
      throw PyError.type(
        "JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=\(t.dtype)")
    }
    return t
  }

  /// Runs a sampler on a raw or typed key.
  func withKey(_ key: Value, _ body: (Tensor) -> Tensor) throws(PyError) -> Value {
    noteKeyUse(key)
    switch key {
    case .key(let k): return try checked(body(Random.keyData(k)))
    default: return try checked(body(try keyTensor(key)))
    }
  }
}

/// NumPy's broadcast of two shapes (for defaults that depend on argument shapes).
func resultShape(_ a: [Int], _ b: [Int]) -> [Int] {
  let n = max(a.count, b.count)
  let pa = Array(repeating: 1, count: n - a.count) + a
  let pb = Array(repeating: 1, count: n - b.count) + b
  return zip(pa, pb).map { max($0, $1) }
}

import Fluxion
import Foundation

extension Interpreter {
  /// The module of a dotted name, made on first import. Unknown modules (and every module that
  /// reaches the machine: os, sys, subprocess, …) are Python's ModuleNotFoundError.
  func importModule(_ name: String) throws(PyError) -> Value {
    if let m = moduleCache[name] { return m }
    let module: PyModule
    switch name {
    case "jax":
      module = makeJax()
      moduleCache["jax"] = .object(module)
      // As JAX's `import jax`: its public submodules, but not `jax.test_util`, which a script
      // imports by name (it is written in the language, so it costs a parse and a run).
      for sub in ["numpy", "random", "lax", "nn", "tree_util", "tree", "scipy"] {
        if let m = try? importModule("jax." + sub) { module.attributes[sub] = m }
      }
      module.attributes["errors"] = .object(jaxErrors())
      return .object(module)
    case "jax.numpy": module = makeJaxNumpy()
    case "jax.random": module = makeRandom()
    case "jax.lax": module = makeLax()
    case "jax.nn": module = makeNN()
    case "jax.tree_util": module = makeTreeUtil(name: "jax.tree_util")
    case "jax.tree": module = makeTreeUtil(name: "jax.tree")
    case "jax.errors": module = jaxErrors()
    case "jax.test_util":
      module = try sourceModule(testUtilLibrary)
    case "jax.numpy.linalg":
      guard case .object(let np as PyModule) = try importModule("jax.numpy"), let l = np.attributes["linalg"] else {
        throw PyError("ModuleNotFoundError", "No module named '\(name)'")
      }
      moduleCache[name] = l
      return l
    case "numpy": module = makeNumpy()
    case "numpy.random", "numpy.testing", "numpy.linalg":
      let v = try importModule("numpy").attribute(String(name.dropFirst(6)))
      moduleCache[name] = v
      return v
    case "math": module = makeMath()
    case "functools": module = makeFunctools()
    case "typing": module = makeTyping()
    case "dataclasses": module = makeDataclasses()
    case "collections": module = makeCollections()
    default:
      throw PyError("ModuleNotFoundError", "No module named '\(name)'")
    }
    let v = Value.object(module)
    moduleCache[name] = v
    // A submodule becomes its package's attribute once imported, as in Python.
    if let dot = name.lastIndex(of: "."), case .object(let package as PyModule) = try importModule(String(name[..<dot]))
    {
      let attribute = Name(String(name[name.index(after: dot)...]))
      if package.attributes[attribute] == nil { package.attributes[attribute] = v }
    }
    return v
  }

  private func jaxErrors() -> PyModule {
    let m = PyModule("jax.errors")
    for n in [
      "ConcretizationTypeError", "TracerBoolConversionError", "TracerIntegerConversionError",
      "TracerArrayConversionError", "UnexpectedTracerError",
    ] {
      m.attributes[n] = exceptionClasses[n].map { .object($0) }
    }
    return m
  }

  // MARK: - jax.nn

  private func makeNN() -> PyModule {
    let m = PyModule("jax.nn")
    let unaries: [(String, (Tensor) -> Tensor)] = [
      ("relu", NN.relu), ("relu6", NN.relu6), ("sigmoid", NN.sigmoid), ("softplus", NN.softplus), ("silu", NN.silu),
      ("swish", NN.silu), ("log_sigmoid", NN.logSigmoid), ("tanh", tanh),
    ]
    for (name, op) in unaries {
      m.def(name, ["x"], required: 1) { i, b throws(PyError) in try i.checked(op(try i.tensorArg(b, 0))) }
    }
    m.def("leaky_relu", ["x", "negative_slope"], required: 1) { i, b throws(PyError) in
      try i.checked(NN.leakyRelu(try i.tensorArg(b, 0), negativeSlope: try i.doubleArg(b[1], 0.01)))
    }
    m.def("elu", ["x", "alpha"], required: 1) { i, b throws(PyError) in
      try i.checked(NN.elu(try i.tensorArg(b, 0), alpha: try i.doubleArg(b[1], 1)))
    }
    m.def("gelu", ["x", "approximate"], required: 1) { i, b throws(PyError) in
      try i.checked(NN.gelu(try i.tensorArg(b, 0), approximate: try i.boolArg(b, "approximate", true)))
    }
    for name in ["softmax", "log_softmax"] {
      m.def(name, ["x", "axis", "where", "initial"], required: 1) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let axes = try b[1].map { v throws(PyError) in try i.shape(v) } ?? (b.values[1] == nil ? [-1] : nil)
        return try i.checked(name == "softmax" ? NN.softmax(x, axes: axes) : NN.logSoftmax(x, axes: axes))
      }
    }
    m.def("logsumexp", ["a", "axis", "b", "keepdims", "return_sign"], required: 1) { i, b throws(PyError) in
      try i.checked(
        logsumexp(
          try i.tensorArg(b, 0), axes: try i.axes(b[1]), b: try i.optionalTensor(b, 2),
          keepDims: try i.boolArg(b, "keepdims")))
    }
    m.def("one_hot", ["x", "num_classes", "dtype", "axis"], required: 2) { i, b throws(PyError) in
      try i.checked(
        NN.oneHot(
          try i.tensorArg(b, 0), try i.int(try b.required(1), "num_classes"), dtype: try i.dtype(b[2]),
          axis: try i.axisArg(b[3]) ?? -1))
    }
    return m
  }

  // MARK: - jax.lax

  private func makeLax() -> PyModule {
    let m = PyModule("jax.lax")
    m.def("stop_gradient", ["x"], required: 1) { i, b throws(PyError) in
      let tree = try i.toTree(try b.required(0))
      return try i.fromTree(treeMap(stopGradient, tree))
    }
    m.def("integer_pow", ["x", "y"], required: 2) { i, b throws(PyError) in
      try i.checked(try i.tensorArg(b, 0).pow(try i.int(try b.required(1), "y")))
    }
    m.def("clamp", ["min", "x", "max"], required: 3) { i, b throws(PyError) in
      try i.checked(clip(try i.tensorArg(b, 1), min: try i.tensorArg(b, 0), max: try i.tensorArg(b, 2)))
    }
    m.def("select", ["pred", "on_true", "on_false"], required: 3) { i, b throws(PyError) in
      try i.checked(select(try i.tensorArg(b, 0), try i.tensorArg(b, 1), try i.tensorArg(b, 2)))
    }
    // dynamic_slice and dynamic_update_slice at concrete start indices, clamped as XLA clamps
    // them (each start into [0, dim − size]); a traced index is a concretization error.
    m.def("dynamic_slice", ["operand", "start_indices", "slice_sizes"], required: 3) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let starts = try i.materialize(try b.required(1)).map { v throws(PyError) in try i.int(v, "start index") }
      let sizes = try i.materialize(try b.required(2)).map { v throws(PyError) in try i.int(v, "slice size") }
      guard starts.count == x.rank, sizes.count == x.rank else {
        throw PyError.type(
          "dynamic_slice slice_sizes must have the same length as the number of dimensions of the operand, got \(sizes.count) and \(x.rank)"
        )
      }
      for (s, d) in zip(sizes, x.shape) where s < 0 || s > d {
        throw PyError.type(
          "slice slice_sizes must be less than or equal to operand shape, got slice_sizes \(shapeText(sizes)) for operand shape \(shapeText(x.shape))"
        )
      }
      let start = zip(zip(starts, sizes), x.shape).map { p, d in Swift.max(0, Swift.min(p.0, d - p.1)) }
      return try i.checked(slice(x, start: start, limit: zip(start, sizes).map { $0 + $1 }))
    }
    m.def("dynamic_update_slice", ["operand", "update", "start_indices"], required: 3) { i, b throws(PyError) in
      let (x, u) = (try i.tensorArg(b, 0), try i.tensorArg(b, 1))
      let starts = try i.materialize(try b.required(2)).map { v throws(PyError) in try i.int(v, "start index") }
      guard starts.count == x.rank, u.rank == x.rank, zip(u.shape, x.shape).allSatisfy({ $0 <= $1 }) else {
        throw PyError.type(
          "dynamic_update_slice update shape must be smaller than operand shape, got update shape \(shapeText(u.shape)) for operand shape \(shapeText(x.shape))"
        )
      }
      let start = zip(zip(starts, u.shape), x.shape).map { p, d in Swift.max(0, Swift.min(p.0, d - p.1)) }
      // The operand outside the window, the update inside it: a pad of the update, selected.
      let low = start
      let high = zip(zip(start, u.shape), x.shape).map { p, d in d - p.0 - p.1 }
      let widths = Array(zip(low, high))
      let inside = pad(onesLike(u).astype(.bool), widths)
      let placed = pad(u.astype(x.dtype), widths)
      return try i.checked(select(inside, placed, x))
    }
    // map(f, xs): f of each leading slice, stacked (a scan with an empty carry, as JAX's).
    m.def("map", ["f", "xs", "batch_size"], required: 2) { i, b throws(PyError) in
      let f = try b.required(0)
      let body = Value.builtin("lax.map.body") { i2, args throws(PyError) in
        .tuple([args.positional[0], try i2.call(f, [args.positional[1]])])
      }
      let r = try i.callLibrary("jax.lax", "scan", [body, .tuple([]), try b.required(1)])
      guard case .tuple(let pair) = r, pair.count == 2 else { throw PyError.type("lax.map: scan gave no pair") }
      return pair[1]
    }
    for (name, op) in [
      ("sin", sin), ("cos", cos), ("exp", exp), ("log", log), ("tanh", tanh), ("sqrt", sqrt),
      ("rsqrt", rsqrt), ("abs", abs), ("neg", { (x: Tensor) in -x }), ("logistic", logistic),
    ] as [(String, (Tensor) -> Tensor)] {
      m.def(name, ["x"], required: 1) { i, b throws(PyError) in try i.checked(op(try i.tensorArg(b, 0))) }
    }
    for (name, jnpName, op) in [
      ("add", "add", { $0 + $1 }), ("sub", "subtract", { $0 - $1 }), ("mul", "multiply", { $0 * $1 }),
      ("div", "divide", Tensor.userDivide), ("max", "maximum", maximum), ("min", "minimum", minimum),
      ("pow", "power", Fluxion.pow),
    ] as [(String, String, (Tensor, Tensor) -> Tensor)] {
      m.def(name, ["x", "y"], required: 2) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let y = try i.tensorArg(b, 1)
        // lax does not promote: only weakly typed Python scalars take the other's dtype.
        if x.dtype != y.dtype, !x.isWeaklyTyped, !y.isWeaklyTyped {
          throw PyError.type(
            "lax.\(name) requires arguments to have the same dtypes, got \(x.dtype), \(y.dtype). (Tip: jnp.\(jnpName) is a similar function that does automatic type promotion on inputs)."
          )
        }
        return try i.checked(op(x, y))
      }
    }
    m.def("cond", ["pred", "true_fun", "false_fun"], required: 3, variadic: true) { i, b throws(PyError) in
      try i.condCall(try b.required(0), [try b.required(1), try b.required(2)], b.rest, isSwitch: false)
    }
    m.def("switch", ["index", "branches"], required: 2, variadic: true) { i, b throws(PyError) in
      try i.condCall(try b.required(0), try i.materialize(try b.required(1)), b.rest, isSwitch: true)
    }
    m.def("while_loop", ["cond_fun", "body_fun", "init_val"], required: 3) { i, b throws(PyError) in
      let condFun = try b.required(0)
      let bodyFun = try b.required(1)
      let initTree = try i.toTree(try b.required(2))
      let out = try i.engine { () throws -> Tree in
        try whileLoop(
          cond: { (c: Tree) throws -> Tensor in try i.asTensor(try i.call(condFun, [try i.fromTree(c)])) },
          body: { (c: Tree) throws -> Tree in try i.toTree(try i.call(bodyFun, [try i.fromTree(c)])) },
          initial: initTree)
      }
      return try i.fromTree(try i.checkedTree(out))
    }
    m.def("fori_loop", ["lower", "upper", "body_fun", "init_val", "unroll"], required: 4) { i, b throws(PyError) in
      let bodyFun = try b.required(2)
      let lo = try i.asTensor(try b.required(0))
      let hi = try i.asTensor(try b.required(1))
      let initTree = try i.toTree(try b.required(3))
      let out = try i.engine { () throws -> Tree in
        try foriLoop(
          lo, hi,
          body: { (k: Tensor, c: Tree) throws -> Tree in
            try i.toTree(try i.call(bodyFun, [.array(k), try i.fromTree(c)]))
          }, initial: initTree)
      }
      return try i.fromTree(try i.checkedTree(out))
    }
    m.def("scan", ["f", "init", "xs", "length", "reverse", "unroll"], required: 2) { i, b throws(PyError) in
      let f = try b.required(0)
      let initTree = try i.toTree(try b.required(1))
      let length = try b[3].map { v throws(PyError) in try i.int(v, "length") }
      let reverse = try i.boolArg(b, "reverse")
      let xsTree: Tree = try b[2].map { v throws(PyError) in try i.toTree(v) } ?? .none
      let result: (Tree, Tree)
      do throws(PyError) {
        result = try i.engine { () throws -> (Tree, Tree) in
          try scan(
            { (c: Tree, x: Tree) throws -> (Tree, Tree) in
              let r = try i.call(f, [try i.fromTree(c), try i.fromTree(x)])
              guard case .tuple(let pair) = r, pair.count == 2 else {
                throw PyError.type("scan body function must return a pair (carry, y)")
              }
              return (try i.toTree(pair[0]), try i.toTree(pair[1]))
            }, initial: initTree, xs: xsTree, length: length, reverse: reverse)
        }
        _ = try i.checkedTree(result.0)
      } catch {
        throw i.namingCarry(error, f)
      }
      let (carry, ys) = result
      return .tuple([try i.fromTree(try i.checkedTree(carry)), try i.fromTree(try i.checkedTree(ys))])
    }
    return m
  }

  /// lax.cond / lax.switch: the predicate or index chooses a branch, every branch traced.
  func condCall(_ pred: Value, _ branches: [Value], _ operands: [Value], isSwitch: Bool) throws(PyError) -> Value {
    let ops = Tree.tuple(try operands.map { v throws(PyError) in try toTree(v) })
    let p = try asTensor(pred)
    let fns = branches.map { br in
      { (t: Tree) throws -> Tree in
        guard case .tuple(let items) = try self.fromTree(t) else { return .none }
        return try self.toTree(try self.call(br, items))
      }
    }
    do throws(PyError) {
      let out = try engine { () throws -> Tree in
        if isSwitch { return try switchCase(p, fns, ops) }
        return try cond(p, fns[0], fns[1], ops)
      }
      return try fromTree(try checkedTree(out))
    } catch {
      // JAX names the branches where they were defined.
      let head = "cond branches must have equal output types but they differ.\n\n"
      guard !isSwitch, error.message.hasPrefix(head), let t = sourceInfo(branches[0]), let f = sourceInfo(branches[1])
      else { throw error }
      var e = error
      e.message = head + "true_fun is \(t)\nfalse_fun is \(f)\n\n" + e.message.dropFirst(head.count)
      throw e
    }
  }

  /// A loop's carry-type error names the carry by the body function's parameter, as JAX does.
  func namingCarry(_ error: PyError, _ body: Value) -> PyError {
    guard let name = firstParameterName(body) else { return error }
    var e = error
    e.message = e.message.replacingOccurrences(of: "The input carry has type", with: "The input carry \(name) has type")
      .replacingOccurrences(of: "The input carry at path ", with: "The input carry component \(name)")
    return e
  }

  // MARK: - jax.tree_util

  private func makeTreeUtil(name: String) -> PyModule {
    let m = PyModule(name)
    let prefix = name == "jax.tree" ? "" : "tree_"
    m.def(prefix + "leaves", ["tree", "is_leaf"], required: 1) { i, b throws(PyError) in
      .list(PyList(try i.toNested(try b.required(0), isLeaf: b[1]).leaves))
    }
    m.def(prefix + "flatten", ["tree", "is_leaf"], required: 1) { i, b throws(PyError) in
      let n = try i.toNested(try b.required(0), isLeaf: b[1])
      return .tuple([.list(PyList(n.leaves)), i.treeDefObject(n.structure)])
    }
    m.def(prefix + "flatten_with_path", ["tree", "is_leaf"], required: 1) { i, b throws(PyError) in
      let n = try i.toNested(try b.required(0), isLeaf: b[1])
      let pairs = try i.leavesWithPaths(n).map { p in Value.tuple([.tuple(p.path), p.leaf]) }
      return .tuple([.list(PyList(pairs)), i.treeDefObject(n.structure)])
    }
    m.def(prefix + "leaves_with_path", ["tree", "is_leaf"], required: 1) { i, b throws(PyError) in
      let n = try i.toNested(try b.required(0), isLeaf: b[1])
      return .list(PyList(try i.leavesWithPaths(n).map { p in Value.tuple([.tuple(p.path), p.leaf]) }))
    }
    m.def("keystr", ["keys"], required: 1) { i, b throws(PyError) in
      var out = ""
      for k in try i.materialize(try b.required(0)) {
        guard case .object(let o as PyOpaque) = k, let piece = o.payload as? String else {
          throw PyError.type("keystr expects a key path (a tuple of keys), got an element \(try i.repr(k))")
        }
        out += piece
      }
      return .str(out)
    }
    m.def(prefix + "structure", ["tree", "is_leaf"], required: 1) { i, b throws(PyError) in
      let n = try i.toNested(try b.required(0), isLeaf: b[1])
      return i.treeDefObject(n.structure)
    }
    m.def(prefix + "unflatten", ["treedef", "leaves"], required: 2) { i, b throws(PyError) in
      guard case .object(let o as PyOpaque) = try b.required(0), let def = o.payload as? TreeDef else {
        throw PyError.type("unflatten needs a PyTreeDef")
      }
      let leaves = try i.materialize(try b.required(1))
      guard leaves.count == def.leafCount else {
        // JAX's two messages differ: only the second ends with a period.
        if leaves.count < def.leafCount {
          throw PyError.value("Too few leaves for PyTreeDef; expected \(def.leafCount), got \(leaves.count)")
        }
        throw PyError.value("Too many leaves for PyTreeDef; expected \(def.leafCount), got \(leaves.count).")
      }
      var slice = leaves[...]
      return try i.fromNested(try i.rebuildNested(def, &slice))
    }
    m.def(prefix + "map", ["f", "tree", "is_leaf"], required: 2, variadic: true) { i, b throws(PyError) in
      let f = try b.required(0)
      let first = try i.toNested(try b.required(1), isLeaf: b[2])
      let others = try b.rest.map { v throws(PyError) in try i.toNested(v, isLeaf: b[2]) }
      for o in others where o.structure != first.structure {
        throw PyError.value("Custom node type mismatch; expected type: \(first.structure), value: \(o.structure).")
      }
      let otherLeaves = others.map(\.leaves)
      var k = 0
      let mapped = try first.map { (leaf) throws(PyError) -> Value in
        defer { k += 1 }
        return try i.call(f, [leaf] + otherLeaves.map { $0[k] })
      }
      return try i.fromNested(mapped)
    }
    m.def(prefix + "reduce", ["function", "tree", "initializer", "is_leaf"], required: 2) { i, b throws(PyError) in
      let leaves = try i.toNested(try b.required(1), isLeaf: b[3]).leaves
      return try i.reduce(try b.required(0), leaves, initial: b.values[2])
    }
    m.def(prefix + "transpose", ["outer_treedef", "inner_treedef", "pytree_to_transpose"], required: 3) {
      i, b throws(PyError) in
      guard case .object(let o as PyOpaque) = try b.required(0), let outer = o.payload as? TreeDef,
        case .object(let p as PyOpaque) = try b.required(1), let inner = p.payload as? TreeDef
      else { throw PyError.type("tree_transpose needs two PyTreeDefs") }
      let leaves = try i.toNested(try b.required(2)).leaves
      let (n, k) = (outer.leafCount, inner.leafCount)
      guard leaves.count == n * k else { throw PyError.type("Tree structure mismatch") }
      var outerLeaves: [Value] = []
      for j in 0..<k {
        var slice = (0..<n).map { leaves[$0 * k + j] }[...]
        outerLeaves.append(try i.fromNested(try i.rebuildNested(outer, &slice)))
      }
      var top = outerLeaves[...]
      return try i.fromNested(try i.rebuildNested(inner, &top))
    }
    if name == "jax.tree_util" {
      m.def("register_pytree_node_class", ["cls"], required: 1) { i, b throws(PyError) in
        guard case .object(let c as PyClass) = try b.required(0) else {
          throw PyError.type("register_pytree_node_class expects a class")
        }
        i.pytreeNodes[ObjectIdentifier(c)] = .methods(c)
        return .object(c)
      }
      m.def("register_pytree_node", ["nodetype", "flatten_func", "unflatten_func"], required: 3) {
        i, b throws(PyError) in
        guard case .object(let c as PyClass) = try b.required(0) else {
          throw PyError.type("register_pytree_node expects a class")
        }
        i.pytreeNodes[ObjectIdentifier(c)] = .functions(c, flatten: try b.required(1), unflatten: try b.required(2))
        return .none
      }
      m.def("register_dataclass", ["nodetype", "data_fields", "meta_fields", "drop_fields"], required: 1) {
        i, b throws(PyError) in
        guard case .object(let c as PyClass) = try b.required(0) else {
          throw PyError.type("register_dataclass expects a class")
        }
        let fieldNames = i.dataclassFields(c)
        let data = try b[1].map { v throws(PyError) in try i.strings(v) } ?? fieldNames
        let meta = try b[2].map { v throws(PyError) in try i.strings(v) } ?? []
        i.pytreeNodes[ObjectIdentifier(c)] = .fields(c, data: data, meta: meta)
        return .object(c)
      }
      m.def("Partial", ["func"], required: 1, variadic: true) { i, b throws(PyError) in
        i.partial(try b.required(0), b.rest, [])
      }
    }
    return m
  }

  /// The Python-valued tree of structure `def`, with `leaves` in order.
  func rebuildNested(_ def: TreeDef, _ leaves: inout ArraySlice<Value>) throws(PyError) -> Nested<Value> {
    switch def {
    case .leaf:
      guard let v = leaves.popFirst() else { throw PyError.value("Too few leaves for PyTreeDef") }
      return .leaf(v)
    case .none: return .none
    case .tuple(let c): return .tuple(try c.map { d throws(PyError) in try rebuildNested(d, &leaves) })
    case .list(let c): return .list(try c.map { d throws(PyError) in try rebuildNested(d, &leaves) })
    case .dict(let keys, let values):
      var out: [String: Nested<Value>] = [:]
      for (k, d) in zip(keys, values) { out[k] = try rebuildNested(d, &leaves) }
      return .dict(out)
    case .custom(let name, let aux, let c):
      return .node(name: name, aux: aux, children: try c.map { d throws(PyError) in try rebuildNested(d, &leaves) })
    }
  }

  // MARK: - math, functools, typing, dataclasses, collections

  private func makeMath() -> PyModule {
    let m = PyModule("math")
    m.attributes["pi"] = .float(.pi)
    m.attributes["e"] = .float(M_E)
    m.attributes["tau"] = .float(2 * .pi)
    m.attributes["inf"] = .float(.infinity)
    m.attributes["nan"] = .float(.nan)
    let fns: [(String, (Double) -> Double, (Double) -> Bool)] = [
      ("sin", Foundation.sin, { $0.isFinite }), ("cos", Foundation.cos, { $0.isFinite }),
      ("tan", Foundation.tan, { $0.isFinite }),
      ("exp", Foundation.exp, { _ in true }), ("log", Foundation.log, { $0 > 0 }),
      ("sqrt", Foundation.sqrt, { $0 >= 0 }),
      ("tanh", Foundation.tanh, { _ in true }), ("sinh", Foundation.sinh, { _ in true }),
      ("cosh", Foundation.cosh, { _ in true }), ("atan", Foundation.atan, { _ in true }),
      ("asin", Foundation.asin, { Swift.abs($0) <= 1 }), ("acos", Foundation.acos, { Swift.abs($0) <= 1 }),
      ("log2", Foundation.log2, { $0 > 0 }), ("log10", Foundation.log10, { $0 > 0 }),
      ("log1p", Foundation.log1p, { $0 > -1 }), ("expm1", Foundation.expm1, { _ in true }),
      ("fabs", Swift.abs, { _ in true }), ("erf", Foundation.erf, { _ in true }),
      ("erfc", Foundation.erfc, { _ in true }),
      ("gamma", Foundation.tgamma, { $0 > 0 || $0 != $0.rounded() }), ("lgamma", Foundation.lgamma, { _ in true }),
    ]
    for (name, f, domain) in fns {
      m.def(name, ["x"], required: 1) { i, b throws(PyError) in
        let v = try b.required(0)
        if case .array = v {
          throw PyError.type("must be real number, not ArrayImpl; use jnp.\(name) for arrays")
        }
        let x = try i.doubleArg(v, 0)
        guard x.isNaN || domain(x) else { throw PyError.value("math domain error") }
        return .float(f(x))
      }
    }
    m.def("log", ["x", "base"], required: 1) { i, b throws(PyError) in
      // math.log(x[, base]): log(x) / log(base), as CPython computes it.
      let v = try b.required(0)
      if case .array = v { throw PyError.type("must be real number, not ArrayImpl; use jnp.log for arrays") }
      let x = try i.doubleArg(v, 0)
      guard x.isNaN || x > 0 else { throw PyError.value("math domain error") }
      guard let baseValue = b[1] else { return .float(Foundation.log(x)) }
      let base = try i.doubleArg(baseValue, 0)
      guard base.isNaN || base > 0 else { throw PyError.value("math domain error") }
      guard Foundation.log(base) != 0 else { throw PyError.zeroDivision("float division by zero") }
      return .float(Foundation.log(x) / Foundation.log(base))
    }
    m.def("copysign", ["x", "y"], required: 2) { i, b throws(PyError) in
      .float(Foundation.copysign(try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0)))
    }
    m.def("atan2", ["y", "x"], required: 2) { i, b throws(PyError) in
      .float(Foundation.atan2(try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0)))
    }
    m.def("pow", ["x", "y"], required: 2) { i, b throws(PyError) in
      .float(Foundation.pow(try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0)))
    }
    m.def("hypot", [], variadic: true) { i, b throws(PyError) in
      var total = 0.0
      for v in b.rest {
        let x = try i.doubleArg(v, 0)
        total += x * x
      }
      return .float(Foundation.sqrt(total))
    }
    for name in ["floor", "ceil", "trunc"] {
      m.def(name, ["x"], required: 1) { i, b throws(PyError) in
        let v = try b.required(0)
        if case .int = v { return v }
        let x = try i.doubleArg(v, 0)
        guard x.isFinite else { throw PyError.overflow("cannot convert float infinity to integer") }
        return .int(
          Int(name == "floor" ? Foundation.floor(x) : name == "ceil" ? Foundation.ceil(x) : Foundation.trunc(x)))
      }
    }
    for name in ["isnan", "isinf", "isfinite"] {
      m.def(name, ["x"], required: 1) { i, b throws(PyError) in
        let x = try i.doubleArg(b[0], 0)
        return .bool(name == "isnan" ? x.isNaN : name == "isinf" ? x.isInfinite : x.isFinite)
      }
    }
    m.def("isclose", ["a", "b", "rel_tol", "abs_tol"], required: 2) { i, b throws(PyError) in
      let (x, y) = (try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0))
      let rel = try i.doubleArg(b[2], 1e-9)
      let abs = try i.doubleArg(b[3], 0)
      return .bool(x == y || Swift.abs(x - y) <= Swift.max(rel * Swift.max(Swift.abs(x), Swift.abs(y)), abs))
    }
    m.def("degrees", ["x"], required: 1) { i, b throws(PyError) in .float(try i.doubleArg(b[0], 0) * (180 / Double.pi))
    }
    m.def("radians", ["x"], required: 1) { i, b throws(PyError) in .float(try i.doubleArg(b[0], 0) * (Double.pi / 180))
    }
    m.def("fmod", ["x", "y"], required: 2) { i, b throws(PyError) in
      let (x, y) = (try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0))
      guard y != 0 || x.isNaN else { throw PyError.value("math domain error") }
      return .float(Foundation.fmod(x, y))
    }
    m.def("factorial", ["n"], required: 1) { i, b throws(PyError) in
      let n = try i.int(try b.required(0), "n")
      guard n >= 0 else { throw PyError.value("factorial() not defined for negative values") }
      var r = 1
      for k in stride(from: 2, through: n, by: 1) {
        let (p, o) = r.multipliedReportingOverflow(by: k)
        if o { throw PyError.overflow("integer result out of FluxionLang's 64-bit int range") }
        r = p
      }
      return .int(r)
    }
    // comb(n, k) = n! / (k! (n − k)!) and perm(n, k) = n! / (n − k)!, exactly (0 when k > n).
    for name in ["comb", "perm"] {
      m.def(name, ["n", "k"], required: 1) { i, b throws(PyError) in
        let n = try i.int(try b.required(0), "n")
        let k = try b.values[1].map { v throws(PyError) in try i.int(v, "k") } ?? n
        guard n >= 0, k >= 0 else { throw PyError.value("n must be a non-negative integer") }
        guard k <= n else { return .int(0) }
        var r = 1
        let steps = name == "comb" ? Swift.min(k, n - k) : k
        for j in 0..<steps {
          let (p, o) = r.multipliedReportingOverflow(by: n - j)
          if o { throw PyError.overflow("integer result out of FluxionLang's 64-bit int range") }
          // comb: r·(n − j) is divisible by j + 1 (a product of j + 1 consecutive integers).
          r = name == "comb" ? p / (j + 1) : p
        }
        return .int(r)
      }
    }
    m.def("prod", ["iterable", "start"], required: 1) { i, b throws(PyError) in
      var acc = b.values[1] ?? .int(1)
      for x in try i.materialize(try b.required(0)) { acc = try i.binary(.mult, acc, x) }
      return acc
    }
    // The correctly rounded sum, as Python's fsum: exact partial sums (Shewchuk's algorithm),
    // added from the largest, with Python's rounding of the last half-way case.
    m.def("fsum", ["iterable"], required: 1) { i, b throws(PyError) in
      var partials: [Double] = []
      var special = 0.0
      for v in try i.materialize(try b.required(0)) {
        var x = try i.doubleArg(v, 0)
        guard x.isFinite else {
          special += x
          continue
        }
        var kept = 0
        for var y in partials {
          if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
          let hi = x + y
          let lo = y - (hi - x)
          if lo != 0 {
            partials[kept] = lo
            kept += 1
          }
          x = hi
        }
        partials.removeSubrange(kept...)
        partials.append(x)
      }
      if special != 0 || special.isNaN { return .float(special) }
      guard var hi = partials.popLast() else { return .float(0) }
      var lo = 0.0
      while let y = partials.popLast() {
        let x = hi
        hi = x + y
        lo = y - (hi - x)
        if lo != 0 { break }
      }
      if let next = partials.last, (lo < 0 && next < 0) || (lo > 0 && next > 0) {
        let y = lo * 2
        let x = hi + y
        if y == x - hi { hi = x }
      }
      return .float(hi)
    }
    m.def("gcd", [], variadic: true) { i, b throws(PyError) in
      var g = 0
      for v in b.rest {
        var (x, y) = (Swift.abs(g), Swift.abs(try i.int(v, "gcd")))
        while y != 0 { (x, y) = (y, x % y) }
        g = x
      }
      return .int(g)
    }
    return m
  }

  /// `functools.reduce(f, items, initial)`.
  func reduce(_ f: Value, _ items: [Value], initial: Value?) throws(PyError) -> Value {
    var rest = items[...]
    guard var acc = initial ?? rest.popFirst() else {
      throw PyError.type("reduce() of empty iterable with no initial value")
    }
    for x in rest { acc = try call(f, [acc, x]) }
    return acc
  }

  /// A sequence of strings (field names).
  func strings(_ v: Value) throws(PyError) -> [String] {
    var out: [String] = []
    for x in try materialize(v) {
      guard case .str(let s) = x else { throw PyError.type("field names must be strings, got \(x.typeName)") }
      out.append(s)
    }
    return out
  }

  func partial(_ f: Value, _ bound: [Value], _ boundKw: [(String, Value)]) -> Value {
    let b = PyBuiltin("functools.partial") { i, args throws(PyError) in
      var kw = boundKw.filter { k in !args.keywords.contains { $0.0 == k.0 } }
      kw.append(contentsOf: args.keywords)
      return try i.call(f, CallArgs(bound + args.positional, kw))
    }
    b.attributes["func"] = f
    b.attributes["args"] = .tuple(bound)
    return .object(b)
  }

  private func makeFunctools() -> PyModule {
    let m = PyModule("functools")
    m.attributes["partial"] = .builtin("functools.partial") { i, args throws(PyError) in
      guard let f = args.positional.first else {
        throw PyError.type("partial() missing 1 required positional argument: 'func'")
      }
      return i.partial(f, Array(args.positional.dropFirst()), args.keywords)
    }
    m.def("reduce", ["function", "iterable", "initial"], required: 2) { i, b throws(PyError) in
      try i.reduce(try b.required(0), try i.materialize(try b.required(1)), initial: b.values[2])
    }
    for name in ["wraps", "lru_cache", "cache"] {
      m.attributes[name] = .builtin("functools.\(name)") { _, args throws(PyError) in
        // Decorator factories that leave the function as it is.
        if name == "cache", let f = args.positional.first { return f }
        return .builtin("functools.\(name).decorator") { _, inner throws(PyError) in
          inner.positional.first ?? Value.none
        }
      }
    }
    return m
  }

  private func makeTyping() -> PyModule {
    let m = PyModule("typing")
    for n in [
      "Any", "Callable", "Optional", "Union", "Tuple", "List", "Dict", "Sequence", "Iterable", "Mapping",
      "TypeVar", "Generic", "Protocol", "Literal", "ClassVar", "Final", "Set", "Iterator",
    ] {
      let o = PyOpaque("typing", n, repr: "typing.\(n)")
      m.attributes[n] = .object(o)
    }
    m.attributes["NamedTuple"] = .object(PyOpaque("NamedTupleBase", 0, repr: "<class 'typing.NamedTuple'>"))
    return m
  }

  private func makeDataclasses() -> PyModule {
    let m = PyModule("dataclasses")
    m.attributes["dataclass"] = .builtin("dataclasses.dataclass") { i, args throws(PyError) in
      let frozen =
        try args.keywords.first { $0.0 == "frozen" }.map { kv throws(PyError) in try i.truthy(kv.1) } ?? false
      if case .object(let c as PyClass)? = args.positional.first { return try i.makeDataclass(c, frozen: frozen) }
      return .builtin("dataclass.decorator") { i2, inner throws(PyError) in
        guard case .object(let c as PyClass)? = inner.positional.first else {
          throw PyError.type("dataclass expects a class")
        }
        return try i2.makeDataclass(c, frozen: frozen)
      }
    }
    m.def("field", ["default", "default_factory", "init", "repr", "metadata"]) { _, b throws(PyError) in
      b.values[0] ?? Value.none
    }
    // replace(obj, **changes): a new instance of obj's class, its fields obj's but for changes.
    m.attributes["replace"] = .builtin("dataclasses.replace") { i, args throws(PyError) in
      guard args.positional.count == 1, case .object(let inst as PyInstance) = args.positional[0],
        case .tuple(let names)? = inst.cls.attributes["__dataclass_fields__"]
      else { throw PyError.type("replace() should be called on dataclass instances") }
      let fields = names.compactMap { if case .str(let s) = $0 { s } else { nil } }
      for (k, _) in args.keywords where !fields.contains(k) {
        throw PyError.type("__init__() got an unexpected keyword argument '\(k)'")
      }
      let changes = Dictionary(args.keywords, uniquingKeysWith: { _, last in last })
      let keywords = fields.map { f in (f, changes[f] ?? inst.attributes[f] ?? Value.none) }
      return try i.call(.object(inst.cls), CallArgs([], keywords))
    }
    return m
  }

  private func makeCollections() -> PyModule {
    let m = PyModule("collections")
    m.def("namedtuple", ["typename", "field_names", "rename", "defaults", "module"], required: 2) {
      i, b throws(PyError) in
      guard case .str(let name) = try b.required(0) else { throw PyError.type("typename must be a string") }
      var fields: [String]
      if case .str(let s) = try b.required(1) {
        fields = s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
      } else {
        fields = try i.materialize(try b.required(1)).map { v throws(PyError) in try i.str(v) }
      }
      let c = PyClass(name, bases: [])
      c.attributes["_fields"] = .tuple(fields.map { .str($0) })
      try i.finishNamedTuple(c, fields: fields, defaults: [:])
      return .object(c)
    }
    m.attributes["OrderedDict"] = builtins["dict"]
    return m
  }

  /// JAX's key path entries: `DictKey(key='a')`, `SequenceKey(idx=0)`, `GetAttrKey(name='x')`,
  /// `FlattenedIndexKey(key=0)`; the payload is the entry's text in `keystr`.
  func pathKey(_ kind: String, _ field: String, _ value: Value, piece: String) -> Value {
    let text = "\(kind)(\(field)=\((try? repr(value)) ?? ""))"
    let o = PyOpaque(kind, piece, repr: text)
    o.attributes[field] = value
    return .object(o)
  }

  /// Every leaf of a pytree with its key path, in flattening order.
  func leavesWithPaths(_ n: Nested<Value>) throws(PyError) -> [(path: [Value], leaf: Value)] {
    var out: [(path: [Value], leaf: Value)] = []
    func walk(_ n: Nested<Value>, _ path: [Value]) throws(PyError) {
      switch n {
      case .none: break
      case .leaf(let v): out.append((path, v))
      case .tuple(let c), .list(let c):
        for (k, x) in c.enumerated() {
          try walk(x, path + [pathKey("SequenceKey", "idx", .int(k), piece: "[\(k)]")])
        }
      case .dict(let d):
        for k in d.keys.sorted() {
          guard let x = d[k] else { continue }
          try walk(x, path + [pathKey("DictKey", "key", .str(k), piece: "[\(pyStringRepr(k))]")])
        }
      case .node(_, let aux, let children):
        guard let key = aux.value as? AuxKey else { return }
        var fields: [String]?
        var dictKeys: [Value]?
        if key.node < 0 {
          dictKeys = try materialize(auxTable[key.aux])
        } else if case .fields(_, let data, _)? = pytreeNode(nodeClasses[key.node]) {
          fields = data
        }
        for (k, x) in children.enumerated() {
          let entry: Value
          if let dictKeys, k < dictKeys.count {
            entry = pathKey("DictKey", "key", dictKeys[k], piece: "[\(try repr(dictKeys[k]))]")
          } else if let fields, k < fields.count {
            entry = pathKey("GetAttrKey", "name", .str(fields[k]), piece: ".\(fields[k])")
          } else {
            entry = pathKey("FlattenedIndexKey", "key", .int(k), piece: "[\(k)]")
          }
          try walk(x, path + [entry])
        }
      }
    }
    try walk(n, [])
    return out
  }

  /// A `PyTreeDef` object: prints as JAX's, with `num_leaves`.
  func treeDefObject(_ def: TreeDef) -> Value {
    let o = PyOpaque("PyTreeDef", def, repr: def.description)
    o.attributes["num_leaves"] = .int(def.leafCount)
    return .object(o)
  }

  // MARK: - NamedTuple and dataclass classes

  /// A `class P(NamedTuple)` body: annotated fields (with defaults) become the constructor's
  /// parameters, and the class is a pytree with those children.
  func makeNamedTuple(_ cls: PyClass, fieldsFrom body: [Stmt], scope: Scope) throws(PyError) {
    var fields: [String] = []
    var defaults: [String: Value] = [:]
    for s in body {
      if case .annAssign(let t, _, _, _) = s.kind, case .name(let n) = t.kind {
        fields.append(n)
        if let v = scope.vars[n] { defaults[n] = v }
      }
    }
    for f in fields { cls.attributes.removeValue(forKey: f) }
    cls.attributes["_fields"] = .tuple(fields.map { .str($0) })
    try finishNamedTuple(cls, fields: fields, defaults: defaults)
  }

  func finishNamedTuple(_ cls: PyClass, fields: [String], defaults: [String: Value]) throws(PyError) {
    cls.attributes["__new_builtin__"] = .builtin(cls.name) { i, args throws(PyError) in
      let b = try i.bind(cls.name, args, fields, required: fields.count - defaults.count)
      let inst = PyInstance(cls)
      for (k, f) in fields.enumerated() { inst.attributes[f] = b.values[k] ?? defaults[f] ?? Value.none }
      return .object(inst)
    }
    cls.attributes["__getitem__"] = .builtin("\(cls.name).__getitem__") { i, args throws(PyError) in
      guard args.positional.count == 2, case .object(let inst as PyInstance) = args.positional[0] else { return .none }
      return try i.getItem(.tuple(fields.map { inst.attributes[$0] ?? Value.none }), args.positional[1])
    }
    cls.attributes["__len__"] = .builtin("\(cls.name).__len__") { _, _ throws(PyError) in .int(fields.count) }
    cls.attributes["__iter__"] = .builtin("\(cls.name).__iter__") { i, args throws(PyError) in
      guard case .object(let inst as PyInstance)? = args.positional.first else { return .none }
      return .object(try i.makeIterator(.tuple(fields.map { inst.attributes[$0] ?? Value.none })))
    }
    cls.attributes["__eq__"] = fieldwiseEquality(cls, fields)
    cls.attributes["_asdict"] = .builtin("\(cls.name)._asdict") { _, args throws(PyError) in
      guard case .object(let inst as PyInstance)? = args.positional.first else { return .none }
      let d = PyDict()
      for f in fields { d.set(.str(f), .str(f), inst.attributes[f] ?? .none) }
      return .dict(d)
    }
    cls.attributes["_replace"] = .builtin("\(cls.name)._replace") { _, args throws(PyError) in
      guard case .object(let inst as PyInstance)? = args.positional.first else { return .none }
      let copy = PyInstance(cls)
      copy.attributes = inst.attributes
      for (k, v) in args.keywords { copy.attributes[k] = v }
      return .object(copy)
    }
    pytreeNodes[ObjectIdentifier(cls)] = .fields(cls, data: fields, meta: [])
  }

  /// `__eq__` of a NamedTuple or dataclass: same class, equal fields.
  func fieldwiseEquality(_ cls: PyClass, _ fields: [String]) -> Value {
    .builtin("\(cls.name).__eq__") { i, args throws(PyError) in
      guard args.positional.count == 2, case .object(let a as PyInstance) = args.positional[0],
        case .object(let b as PyInstance) = args.positional[1], a.cls === b.cls
      else { return .bool(false) }
      let values = { (x: PyInstance) in Value.tuple(fields.map { x.attributes[$0] ?? .none }) }
      return .bool(try i.equals(values(a), values(b)))
    }
  }

  func namedTupleFields(_ cls: PyClass) -> [String]? {
    guard case .tuple(let f)? = cls.attributes["_fields"] else { return nil }
    return f.compactMap { if case .str(let s) = $0 { s } else { nil } }
  }

  /// The annotated fields of a dataclass body, in order.
  func dataclassFields(_ cls: PyClass) -> [String] {
    if case .tuple(let f)? = cls.attributes["__dataclass_fields__"] {
      return f.compactMap { if case .str(let s) = $0 { s } else { nil } }
    }
    return []
  }

  func makeDataclass(_ cls: PyClass, frozen: Bool) throws(PyError) -> Value {
    guard case .tuple(let annotated)? = cls.attributes["__annotations_order__"] else {
      cls.attributes["__dataclass_fields__"] = .tuple([])
      return .object(cls)
    }
    let fields = annotated.compactMap { if case .str(let s) = $0 { s } else { nil } }
    var defaults: [String: Value] = [:]
    for f in fields { if let v = cls.attributes[f] { defaults[f] = v } }
    cls.attributes["__dataclass_fields__"] = .tuple(fields.map { .str($0) })
    if cls.attributes["__init__"] == nil {
      cls.attributes["__init__"] = .builtin("\(cls.name).__init__") { i, args throws(PyError) in
        guard case .object(let inst as PyInstance)? = args.positional.first else { return .none }
        let b = try i.bind(
          "__init__", CallArgs(Array(args.positional.dropFirst()), args.keywords), fields,
          required: fields.prefix { defaults[$0] == nil }.count)
        for (k, f) in fields.enumerated() { inst.attributes[f] = b.values[k] ?? defaults[f] ?? Value.none }
        return .none
      }
    }
    if cls.attributes["__repr__"] == nil {
      cls.attributes["__repr__"] = .builtin("\(cls.name).__repr__") { i, args throws(PyError) in
        guard case .object(let inst as PyInstance)? = args.positional.first else { return .none }
        let parts = try fields.map { f throws(PyError) in "\(f)=\(try i.repr(inst.attributes[f] ?? Value.none))" }
        return .str("\(cls.name)(\(parts.joined(separator: ", ")))")
      }
    }
    if cls.attributes["__eq__"] == nil {
      cls.attributes["__eq__"] = fieldwiseEquality(cls, fields)
    }
    if frozen { cls.attributes["__frozen__"] = .bool(true) }
    return .object(cls)
  }
}

import Fluxion
import Foundation

extension Interpreter {
  /// `jax.numpy`, bound to the engine's operations.
  func makeJaxNumpy() -> PyModule {
    let m = PyModule("jax.numpy")
    m.attributes["pi"] = .float(Double.pi)
    m.attributes["e"] = .float(M_E)
    m.attributes["inf"] = .float(.infinity)
    m.attributes["nan"] = .float(.nan)
    m.attributes["newaxis"] = Value.none
    for d in DType.allCases { m.attributes[d.description] = scalarType(d) }
    m.attributes["bool_"] = scalarType(.bool)
    m.attributes["ndarray"] = .object(arrayClass)

    m.def("array", ["object", "dtype", "copy", "order", "ndmin"], required: 1) { i, b throws(PyError) in
      let object = try b.required(0)
      var t = try i.asTensor(object, dtype: try i.dtype(b[1]))
      // A Python scalar (or weak array) stays weakly typed, as JAX keeps it; sequences do not.
      var fromSequence = false
      switch object {
      case .list, .tuple: fromSequence = true
      default: break
      }
      if t.isWeaklyTyped, fromSequence || b[1] != nil { t = convertElementType(t, t.dtype) }
      if let nd = b[4] {
        let n = try i.int(nd, "ndmin")
        if t.rank < n { t = reshape(t, Array(repeating: 1, count: n - t.rank) + t.shape) }
      }
      return try i.checked(t)
    }
    m.def("asarray", ["a", "dtype", "order", "copy"], required: 1) { i, b throws(PyError) in
      try i.checked(try i.asTensor(try b.required(0), dtype: try i.dtype(b[1])))
    }
    for name in ["zeros", "ones", "empty"] {
      m.def(name, ["shape", "dtype", "device"], required: 1) { i, b throws(PyError) in
        let s = try i.shape(try b.required(0))
        let d = try i.dtype(b[1])
        return try i.checked(name == "ones" ? ones(s, dtype: d) : zeros(s, dtype: d))
      }
    }
    m.def("full", ["shape", "fill_value", "dtype", "device"], required: 2) { i, b throws(PyError) in
      let fill = try i.tensorArg(b, 1)
      return try i.checked(full(try i.shape(try b.required(0)), fill: fill, dtype: try i.dtype(b[2])))
    }
    for name in ["zeros_like", "ones_like", "empty_like"] {
      m.def(name, ["a", "dtype", "shape", "device"], required: 1) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let s = try b[2].map { v throws(PyError) in try i.shape(v) } ?? x.shape
        let d = try i.dtype(b[1]) ?? x.dtype
        let base = name == "ones_like" ? ones(s, dtype: d) : zeros(s, dtype: d)
        return try i.checked(x.isWeaklyTyped && b[1] == nil ? convertElementType(base, d, weakType: true) : base)
      }
    }
    m.def("full_like", ["a", "fill_value", "dtype", "shape", "device"], required: 2) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let s = try b[3].map { v throws(PyError) in try i.shape(v) } ?? x.shape
      return try i.checked(full(s, fill: try i.tensorArg(b, 1), dtype: try i.dtype(b[2]) ?? x.dtype))
    }
    m.def("eye", ["N", "M", "k", "dtype"], required: 1) { i, b throws(PyError) in
      let n = try i.int(try b.required(0), "N")
      let mm = try b[1].map { v throws(PyError) in try i.int(v, "M") }
      return try i.checked(
        eye(n, mm, k: try b[2].map { v throws(PyError) in try i.int(v, "k") } ?? 0, dtype: try i.dtype(b[3])))
    }
    m.def("identity", ["n", "dtype"], required: 1) { i, b throws(PyError) in
      try i.checked(eye(try i.int(try b.required(0), "n"), dtype: try i.dtype(b[1])))
    }
    m.def("arange", ["start", "stop", "step", "dtype"], required: 1) { i, b throws(PyError) in
      let values = [b[0], b[1], b[2]].compactMap { $0 }
      let d = try i.dtype(b[3])
      if values.allSatisfy({ if case .int = $0 { true } else { false } }) && (d == nil || d!.isInteger) {
        let ints = try values.map { v throws(PyError) in try i.int(v, "arange") }
        return try i.checked(
          arange(ints[0], b[1] == nil ? nil : ints[1], step: b[2] == nil ? 1 : ints[b[1] == nil ? 1 : 2], dtype: d))
      }
      let start = try i.doubleArg(b[0], 0)
      let stop = try b[1].map { v throws(PyError) in try i.doubleArg(v, 0) }
      return try i.checked(arange(start, stop, step: try i.doubleArg(b[2], 1), dtype: d))
    }
    m.def("linspace", ["start", "stop", "num", "endpoint", "retstep", "dtype", "axis"], required: 2) {
      i, b throws(PyError) in
      let num = try b[2].map { v throws(PyError) in try i.int(v, "num") } ?? 50
      guard num >= 0 else { throw PyError.value("Number of samples, \(num), must be non-negative.") }
      let t = linspace(
        try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0), num, endpoint: try i.boolArg(b, "endpoint", true),
        dtype: try i.dtype(b[5]))
      return try i.checked(t)
    }

    // Shapes.
    m.def("reshape", ["a", "shape", "order", "newshape"], required: 1) { i, b throws(PyError) in
      guard let s = b[1] ?? b[3] else { throw PyError.type("reshape() missing required argument 'shape'") }
      return try i.checked(reshape(try i.tensorArg(b, 0), try i.shape(s)))
    }
    m.def("ravel", ["a", "order"], required: 1) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      return try i.checked(reshape(x, [x.count]))
    }
    m.def("transpose", ["a", "axes"], required: 1) { i, b throws(PyError) in
      try i.checked(transpose(try i.tensorArg(b, 0), try i.axes(b[1])))
    }
    m.def("swapaxes", ["a", "axis1", "axis2"], required: 3) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      return try i.checked(swapaxes(x, try i.int(try b.required(1), "axis1"), try i.int(try b.required(2), "axis2")))
    }
    m.def("moveaxis", ["a", "source", "destination"], required: 3) { i, b throws(PyError) in
      try i.checked(
        moveaxis(
          try i.tensorArg(b, 0), try i.int(try b.required(1), "source"), try i.int(try b.required(2), "destination")))
    }
    m.def("expand_dims", ["a", "axis"], required: 2) { i, b throws(PyError) in
      var x = try i.tensorArg(b, 0)
      for a in try i.shape(try b.required(1)).sorted() { x = expandDims(x, a) }
      return try i.checked(x)
    }
    m.def("squeeze", ["a", "axis"], required: 1) { i, b throws(PyError) in
      try i.checked(squeeze(try i.tensorArg(b, 0), axes: try i.axes(b[1])))
    }
    m.def("flip", ["m", "axis"], required: 1) { i, b throws(PyError) in
      try i.checked(flip(try i.tensorArg(b, 0), axes: try i.axes(b[1])))
    }
    m.def("broadcast_to", ["array", "shape"], required: 2) { i, b throws(PyError) in
      try i.checked(broadcastTo(try i.tensorArg(b, 0), try i.shape(try b.required(1))))
    }
    m.def("concatenate", ["arrays", "axis", "dtype"], required: 1) { i, b throws(PyError) in
      let xs = try i.materialize(try b.required(0)).map { v throws(PyError) in try i.asTensor(v) }
      guard !xs.isEmpty else { throw PyError.value("Need at least one array to concatenate.") }
      return try i.checked(concatenate(xs, axis: try i.axisArg(b[1]) ?? 0))
    }
    m.def("stack", ["arrays", "axis", "out", "dtype"], required: 1) { i, b throws(PyError) in
      let xs = try i.materialize(try b.required(0)).map { v throws(PyError) in try i.asTensor(v) }
      guard !xs.isEmpty else { throw PyError.value("Need at least one array to stack.") }
      return try i.checked(stack(xs, axis: try i.axisArg(b[1]) ?? 0))
    }
    m.def("hstack", ["tup", "dtype"], required: 1) { i, b throws(PyError) in
      let xs = try i.materialize(try b.required(0)).map { v throws(PyError) in try i.asTensor(v) }
      guard let first = xs.first else { throw PyError.value("Need at least one array to concatenate.") }
      return try i.checked(concatenate(xs, axis: first.rank <= 1 ? 0 : 1))
    }
    m.def("vstack", ["tup", "dtype"], required: 1) { i, b throws(PyError) in
      let xs = try i.materialize(try b.required(0)).map { v throws(PyError) in try i.asTensor(v) }
      guard !xs.isEmpty else { throw PyError.value("Need at least one array to concatenate.") }
      return try i.checked(concatenate(xs.map { $0.rank < 2 ? reshape($0, [1, $0.count]) : $0 }, axis: 0))
    }

    // Selection.
    m.def("where", ["condition", "x", "y", "size", "fill_value"], required: 1) { i, b throws(PyError) in
      guard let x = b[1], let y = b[2] else {
        guard b[1] == nil, b[2] == nil else {
          throw PyError.value(
            "Either both or neither of the x and y arguments should be provided to jax.numpy.where, got \(b[1] == nil ? "None" : "x") and \(b[2] == nil ? "None" : "y")."
          )
        }
        return try i.nonzero(try i.asTensor(try b.required(0)))
      }
      return try i.checked(
        `where`(try i.asTensor(try b.required(0)), try i.asTensor(x), try i.asTensor(y)))
    }
    m.def("clip", ["arr", "min", "max", "a", "a_min", "a_max"], required: 0) { i, b throws(PyError) in
      guard let a = b[0] ?? b[3] else { throw PyError.type("clip() missing required argument 'arr'") }
      let lo = try (b[1] ?? b[4]).map { v throws(PyError) in try i.asTensor(v) }
      let hi = try (b[2] ?? b[5]).map { v throws(PyError) in try i.asTensor(v) }
      return try i.checked(clip(try i.asTensor(a), min: lo, max: hi))
    }

    // Products.
    let products: [(String, (Tensor, Tensor) -> Tensor)] = [
      ("dot", dot), ("vdot", vdot), ("matmul", matmul), ("outer", outer), ("inner", inner),
    ]
    for (name, op) in products {
      m.def(name, ["a", "b", "precision", "preferred_element_type"], required: 2) { i, b throws(PyError) in
        let (x, y) = (try i.tensorArg(b, 0), try i.tensorArg(b, 1))
        // The product's size before it is computed: outer is |x|·|y|, the others at most
        // x's rows times y's columns.
        try i.checkSize(
          name == "outer" ? [x.count, y.count] : Array(x.shape.dropLast()) + (y.rank >= 2 ? [y.shape[y.rank - 1]] : []))
        return try i.checked(op(x, y))
      }
    }
    m.def("tensordot", ["a", "b", "axes", "precision"], required: 2) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let y = try i.tensorArg(b, 1)
      switch b[2] {
      case nil: return try i.checked(tensordot(x, y))
      case .int(let n)?: return try i.checked(tensordot(x, y, axes: n))
      case let spec?:
        let parts = try i.materialize(spec)
        guard parts.count == 2 else { throw PyError.type("tensordot axes argument must be an int or a pair") }
        return try i.checked(tensordot(x, y, axes: (try i.shape(parts[0]), try i.shape(parts[1]))))
      }
    }
    m.def("einsum", ["subscripts", "optimize", "precision"], required: 1, variadic: true) { i, b throws(PyError) in
      guard case .str(let s) = try b.required(0) else { throw PyError.type("einsum subscripts must be a string") }
      let ops = try b.rest.map { v throws(PyError) in try i.asTensor(v) }
      return try i.checked(einsum(s, ops))
    }

    // Reductions.
    let reductions = ["sum", "mean", "prod", "max", "min", "amax", "amin"]
    for name in reductions {
      m.def(name, ["a", "axis", "dtype", "out", "keepdims", "initial", "where"], required: 1) { i, b throws(PyError) in
        var x = try i.tensorArg(b, 0)
        let axes = try i.axes(b[1])
        let keep = try i.boolArg(b, "keepdims")
        if let d = try i.dtype(name == "max" || name == "min" || name.hasPrefix("am") ? nil : b[2]) {
          x = convertElementType(x, d)
        }
        let r: Tensor
        switch name {
        case "sum": r = x.sum(axes: axes, keepDims: keep)
        case "mean": r = x.mean(axes: axes, keepDims: keep)
        case "prod": r = x.prod(axes: axes, keepDims: keep)
        case "max", "amax": r = x.max(axes: axes, keepDims: keep)
        default: r = x.min(axes: axes, keepDims: keep)
        }
        return try i.checked(r)
      }
    }
    for name in ["argmax", "argmin"] {
      m.def(name, ["a", "axis", "out", "keepdims"], required: 1) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let axis = try i.axisArg(b[1])
        let keep = try i.boolArg(b, "keepdims")
        return try i.checked(
          name == "argmax" ? x.argmax(axis: axis, keepDims: keep) : x.argmin(axis: axis, keepDims: keep))
      }
    }
    for name in ["std", "var"] {
      m.def(name, ["a", "axis", "dtype", "out", "ddof", "keepdims", "where", "correction"], required: 1) {
        i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let ddof = try (b[4] ?? b[7]).map { v throws(PyError) in try i.int(v, "ddof") } ?? 0
        let axes = try i.axes(b[1])
        let keep = try i.boolArg(b, "keepdims")
        return try i.checked(
          name == "std"
            ? x.std(axes: axes, ddof: ddof, keepDims: keep) : x.variance(axes: axes, ddof: ddof, keepDims: keep))
      }
    }
    for name in ["sort", "argsort"] {
      m.def(name, ["a", "axis", "kind", "order", "stable", "descending"], required: 1) { i, b throws(PyError) in
        var x = try i.tensorArg(b, 0)
        var axis = -1
        if b.values[1] != nil {
          if let a = try i.axisArg(b[1]) { axis = a } else { x = reshape(x, [x.count]) }
        }
        guard x.rank > 0 else { throw PyError.value("Cannot sort a 0-d array") }
        guard axis >= -x.rank && axis < x.rank else {
          throw PyError.value("axis \(axis) is out of bounds for array of dimension \(x.rank)")
        }
        if try i.boolArg(b, "descending") {
          throw PyError.notImplemented("\(name)(descending=True) is not supported yet")
        }
        return try i.checked(name == "sort" ? sort(x, axis: axis) : argsort(x, axis: axis))
      }
    }
    m.def("cumsum", ["a", "axis", "dtype", "out"], required: 1) { i, b throws(PyError) in
      try i.checked(try i.tensorArg(b, 0).cumsum(axis: try i.axisArg(b[1])))
    }
    for name in ["any", "all"] {
      m.def(name, ["a", "axis", "out", "keepdims", "where"], required: 1) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let axes = try i.axes(b[1])
        let keep = try i.boolArg(b, "keepdims")
        return try i.checked(name == "any" ? any(x, axes: axes, keepDims: keep) : all(x, axes: axes, keepDims: keep))
      }
    }
    m.def("allclose", ["a", "b", "rtol", "atol", "equal_nan"], required: 2) { i, b throws(PyError) in
      try i.checked(
        allclose(
          try i.tensorArg(b, 0), try i.tensorArg(b, 1), rtol: try i.doubleArg(b[2], 1e-5),
          atol: try i.doubleArg(b[3], 1e-8), equalNaN: try i.boolArg(b, "equal_nan")))
    }
    m.def("isclose", ["a", "b", "rtol", "atol", "equal_nan"], required: 2) { i, b throws(PyError) in
      try i.checked(
        isclose(
          try i.tensorArg(b, 0), try i.tensorArg(b, 1), rtol: try i.doubleArg(b[2], 1e-5),
          atol: try i.doubleArg(b[3], 1e-8), equalNaN: try i.boolArg(b, "equal_nan")))
    }
    m.def("array_equal", ["a1", "a2", "equal_nan"], required: 2) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let y = try i.tensorArg(b, 1)
      guard x.shape == y.shape else { return try i.checked(Tensor(false)) }
      return try i.checked(all(x .== y))
    }

    // Elementwise functions of one array.
    let unaries: [(String, (Tensor) -> Tensor)] = [
      ("abs", abs), ("absolute", abs), ("sign", sign), ("sqrt", sqrt), ("square", square), ("exp", exp),
      ("log", log), ("log1p", log1p), ("expm1", expm1), ("sin", sin), ("cos", cos), ("tan", tan),
      ("arcsin", asin), ("arccos", acos), ("arctan", atan), ("sinh", sinh), ("cosh", cosh), ("tanh", tanh),
      ("floor", floor), ("ceil", ceil), ("isnan", isNaN), ("isfinite", isFinite), ("isinf", isInf),
      ("negative", { -$0 }), ("logical_not", logicalNot), ("cbrt", cbrt), ("rint", round),
      (
        "trunc",
        { x in
          select(x .< Tensor.weak(0), ceil(x), floor(x))
        }
      ),
      // XLA's formulas: exp2(x) = exp(x·ln 2), log2(x) = log(x)·log2(e), log10(x) = log(x)·log10(e),
      // each constant rounded to the dtype (XLA-NUMERICS.md §2).
      ("exp2", { x in exp(x * Tensor.weak(M_LN2)) }),
      ("log2", { x in log(x) * Tensor.weak(M_LOG2E) }),
      ("log10", { x in log(x) * Tensor.weak(M_LOG10E) }),
      ("reciprocal", { x in Tensor.weak(1.0) / x }),
      ("positive", { $0 }),
    ]
    for (name, op) in unaries {
      m.def(name, ["x"], required: 1) { i, b throws(PyError) in try i.checked(op(try i.tensorArg(b, 0))) }
    }
    m.def("round", ["a", "decimals", "out"], required: 1) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let decimals = try b[1].map { v throws(PyError) in try i.int(v, "decimals") } ?? 0
      if decimals == 0 { return try i.checked(round(x)) }
      let scale = Tensor.weak(Foundation.pow(10.0, Double(decimals)))
      return try i.checked(round(x * scale) / scale)
    }
    let binaries: [(String, (Tensor, Tensor) -> Tensor)] = [
      ("add", { $0 + $1 }), ("subtract", { $0 - $1 }), ("multiply", { $0 * $1 }), ("divide", { $0 / $1 }),
      ("true_divide", { $0 / $1 }), ("floor_divide", floorDivide), ("mod", remainder), ("remainder", remainder),
      ("power", Fluxion.pow), ("pow", Fluxion.pow), ("maximum", maximum), ("minimum", minimum), ("arctan2", atan2),
      ("logaddexp", logaddexp), ("equal", { $0 .== $1 }), ("not_equal", { $0 .!= $1 }), ("less", { $0 .< $1 }),
      ("less_equal", { $0 .<= $1 }), ("greater", { $0 .> $1 }), ("greater_equal", { $0 .>= $1 }),
      ("logical_and", logicalAnd), ("logical_or", logicalOr), ("logical_xor", logicalXor),
      ("nextafter", nextafter),
    ]
    for (name, op) in binaries {
      m.def(name, ["x1", "x2"], required: 2) { i, b throws(PyError) in
        try i.checked(op(try i.tensorArg(b, 0), try i.tensorArg(b, 1)))
      }
    }
    m.def("shape", ["a"], required: 1) { i, b throws(PyError) in
      .tuple(try i.tensorArg(b, 0).shape.map { .int($0) })
    }
    m.def("ndim", ["a"], required: 1) { i, b throws(PyError) in .int(try i.tensorArg(b, 0).rank) }
    m.def("size", ["a"], required: 1) { i, b throws(PyError) in .int(try i.tensorArg(b, 0).count) }

    for (name, lower) in [("tril", true), ("triu", false)] {
      m.def(name, ["m", "k"], required: 1) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let k = try b[1].map { v throws(PyError) in try i.int(v, "k") } ?? 0
        return try i.checked(lower ? tril(x, k: k) : triu(x, k: k))
      }
    }
    m.def("diag", ["v", "k"], required: 1) { i, b throws(PyError) in
      try i.checked(diag(try i.tensorArg(b, 0), k: try b[1].map { v throws(PyError) in try i.int(v, "k") } ?? 0))
    }
    for (name, sums) in [("diagonal", false), ("trace", true)] {
      m.def(name, ["a", "offset", "axis1", "axis2"], required: 1) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let offset = try b[1].map { v throws(PyError) in try i.int(v, "offset") } ?? 0
        let a1 = try b[2].map { v throws(PyError) in try i.int(v, "axis1") } ?? 0
        let a2 = try b[3].map { v throws(PyError) in try i.int(v, "axis2") } ?? 1
        return try i.checked(
          sums ? trace(x, offset: offset, axis1: a1, axis2: a2) : diagonal(x, offset: offset, axis1: a1, axis2: a2))
      }
    }

    let linalg = PyModule("jax.numpy.linalg")
    linalg.def("norm", ["x", "ord", "axis", "keepdims"], required: 1) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let axes = try i.axes(b[2])
      let keep = try i.boolArg(b, "keepdims")
      switch b[1] {
      case .str(let s)?: return try i.checked(Linalg.norm(x, ord: s, axes: axes, keepDims: keep))
      case let o?: return try i.checked(Linalg.norm(x, ord: try i.doubleArg(o, 2), axes: axes, keepDims: keep))
      case nil: return try i.checked(Linalg.norm(x, axes: axes, keepDims: keep))
      }
    }
    defineDecompositions(linalg)
    m.attributes["linalg"] = .object(linalg)
    return m
  }

  /// A NamedTuple class of jnp.linalg's results (`SlogdetResult(sign=…, logabsdet=…)`).
  func resultClass(_ name: String, _ fields: [String]) -> (([Tensor]) throws(PyError) -> Value) {
    let c = PyClass(name, bases: [])
    c.attributes["_fields"] = .tuple(fields.map { .str($0) })
    // Only a default that cannot be placed throws; these classes have none.
    try? finishNamedTuple(c, fields: fields, defaults: [:])
    return { values throws(PyError) in
      let inst = PyInstance(c)
      for (f, t) in zip(fields, values) { inst.attributes[f] = try self.checked(t) }
      return .object(inst)
    }
  }

  /// jnp.linalg's solves and decompositions (Linalg in the engine).
  func defineDecompositions(_ linalg: PyModule) {
    let slogdetResult = resultClass("SlogdetResult", ["sign", "logabsdet"])
    let eighResult = resultClass("EighResult", ["eigenvalues", "eigenvectors"])
    let svdResult = resultClass("SVDResult", ["U", "S", "Vh"])
    let qrResult = resultClass("QRResult", ["Q", "R"])
    linalg.def("solve", ["a", "b"], required: 2) { i, b throws(PyError) in
      try i.checked(Linalg.solve(try i.tensorArg(b, 0), try i.tensorArg(b, 1)))
    }
    linalg.def("inv", ["a"], required: 1) { i, b throws(PyError) in try i.checked(Linalg.inv(try i.tensorArg(b, 0))) }
    linalg.def("det", ["a"], required: 1) { i, b throws(PyError) in try i.checked(Linalg.det(try i.tensorArg(b, 0))) }
    linalg.def("slogdet", ["a", "method"], required: 1) { i, b throws(PyError) in
      switch b[1] {
      case nil, .none?, .str("lu")?: break
      case .str("qr")?: throw PyError.notImplemented("jnp.linalg.slogdet: method='qr' is not supported")
      case let m?:
        throw PyError.value("Unknown slogdet method '\(try i.str(m))'. Supported methods are 'lu' (`None`), and 'qr'.")
      }
      let r = Linalg.slogdet(try i.tensorArg(b, 0))
      return try slogdetResult([r.sign, r.logabsdet])
    }
    linalg.def("cholesky", ["a", "upper", "symmetrize_input"], required: 1) { i, b throws(PyError) in
      try i.checked(
        Linalg.cholesky(
          try i.tensorArg(b, 0), upper: try i.boolArg(b, "upper"),
          symmetrizeInput: try i.boolArg(b, "symmetrize_input", true)))
    }
    linalg.def("eigh", ["a", "UPLO", "symmetrize_input"], required: 1) { i, b throws(PyError) in
      let a = try i.tensorArg(b, 0)
      let lower: Bool
      switch b[1] {
      case nil, .none?, .str("L")?: lower = true
      case .str("U")?: lower = false
      case let v?: throw PyError.value("UPLO must be one of None, 'L', or 'U', got \(try i.str(v))")
      }
      let r = Linalg.eigh(a, lower: lower, symmetrizeInput: try i.boolArg(b, "symmetrize_input", true))
      return try eighResult([r.eigenvalues, r.eigenvectors])
    }
    linalg.def("svd", ["a", "full_matrices", "compute_uv", "hermitian", "subset_by_index"], required: 1) {
      i, b throws(PyError) in
      let a = try i.tensorArg(b, 0)
      if try i.boolArg(b, "hermitian") {
        throw PyError.notImplemented("jnp.linalg.svd: hermitian=True is not supported")
      }
      if let s = b[4] {
        if case .none = s {} else { throw PyError.notImplemented("jnp.linalg.svd: subset_by_index is not supported") }
      }
      guard try i.boolArg(b, "compute_uv", true) else { return try i.checked(Linalg.singularValues(a)) }
      let r = Linalg.svd(a, fullMatrices: try i.boolArg(b, "full_matrices", true))
      return try svdResult([r.u, r.s, r.vh])
    }
    linalg.def("qr", ["a", "mode"], required: 1) { i, b throws(PyError) in
      let a = try i.tensorArg(b, 0)
      var mode = "reduced"
      if let m = b[1] {
        guard case .str(let s) = m else { throw PyError.type("mode must be a string, not \(m.typeName)") }
        mode = s
      }
      switch mode {
      case "reduced", "r", "full", "complete":
        let r = Linalg.qr(a, complete: mode == "complete")
        return mode == "r" ? try i.checked(r.r) : try qrResult([r.q, r.r])
      case "raw": throw PyError.notImplemented("jnp.linalg.qr: mode='raw' is not supported")
      default: throw PyError.value("Unsupported QR decomposition mode '\(mode)'")
      }
    }
  }

  /// `jnp.where(c)` (`jnp.nonzero(c)`) of a concrete array: one index array per axis, of the
  /// positions where `c` is non-zero, in row-major order.
  func nonzero(_ c: Tensor) throws(PyError) -> Value {
    if c.isTracer {
      throw PyError(
        "ConcretizationTypeError",
        "Abstract tracer value encountered where concrete value is expected: traced array with shape \(c.aval.longDescription)\nThe size argument of jnp.nonzero must be statically specified to use jnp.nonzero within JAX transformations."
      )
    }
    let values: [Double]
    do throws(FluxionError) { values = try c.doubles } catch { throw PyError(error) }
    guard !c.shape.isEmpty else {
      throw PyError.value("Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar).nonzero() instead.")
    }
    let shape = c.shape
    var indices = [[Int]](repeating: [], count: shape.count)
    for (flat, v) in values.enumerated() where v != 0 {
      var rest = flat
      for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        indices[axis].append(rest % shape[axis])
        rest /= shape[axis]
      }
    }
    return .tuple(indices.map { .array(Tensor($0, dtype: Config.defaultInt)) })
  }

  /// `jnp.float32` and friends: callable (`jnp.float32(1)` is an array) and usable as a dtype.
  func scalarType(_ d: DType) -> Value {
    let b = PyBuiltin("jax.numpy.\(d)") { interp, args throws(PyError) in
      let a = try interp.bind(d.description, args, ["x"], required: 1)
      return try interp.checked(try interp.asTensor(try a.required(0), dtype: d))
    }
    b.attributes["dtype"] = .str(d.description)
    return .object(b)
  }
}

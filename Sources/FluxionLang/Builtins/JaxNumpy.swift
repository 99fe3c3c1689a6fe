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
      // The element count is checked against the limit before anything is made.
      let first = try i.doubleArg(b[0], 0)
      let (lo, hi) = try b[1].map { v throws(PyError) in (first, try i.doubleArg(v, 0)) } ?? (0, first)
      let step = try i.doubleArg(b[2], 1)
      let n = step == 0 ? 0 : ((hi - lo) / step).rounded(.up)
      _ = try i.checkSize([n.isFinite && n > 0 ? (n >= 9.2e18 ? Int.max : Int(n)) : 0])
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
      _ = try i.checkSize([num])
      let (start, stop) = (try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0))
      let endpoint = try i.boolArg(b, "endpoint", true)
      let t = linspace(start, stop, num, endpoint: endpoint, dtype: try i.dtype(b[5]))
      guard try i.boolArg(b, "retstep") else { return try i.checked(t) }
      // The step, as JAX computes it: (stop − start) in the result's dtype, over the divisions.
      let divisions = Double(Swift.max(endpoint ? num - 1 : num, 1))
      let step = (Tensor(stop, dtype: t.dtype) - Tensor(start, dtype: t.dtype)) / divisions
      return .tuple([try i.checked(t), try i.checked(step)])
    }
    // base ** linspace(start, stop), as jnp.logspace.
    m.def("logspace", ["start", "stop", "num", "endpoint", "base", "dtype", "axis"], required: 2) {
      i, b throws(PyError) in
      let num = try b[2].map { v throws(PyError) in try i.int(v, "num") } ?? 50
      guard num >= 0 else { throw PyError.value("Number of samples, \(num), must be non-negative.") }
      _ = try i.checkSize([num])
      let exponents = linspace(
        try i.doubleArg(b[0], 0), try i.doubleArg(b[1], 0), num, endpoint: try i.boolArg(b, "endpoint", true),
        dtype: try i.dtype(b[5]))
      let base = Tensor(try i.doubleArg(b[4], 10), dtype: exponents.dtype)
      return try i.checked(pow(broadcastTo(base, exponents.shape), exponents))
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
    // The number of nonzero elements (int32), over `axis` or all.
    m.def("count_nonzero", ["a", "axis", "keepdims"], required: 1) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      let nonzero = (x .!= Tensor(0, dtype: x.dtype)).astype(.int32)
      return try i.checked(nonzero.sum(axes: try i.axes(b[1]), keepDims: try i.boolArg(b, "keepdims")))
    }
    // split: equal sections (an error when they are not) or at the given indices; array_split
    // lets sections differ by one, the first ones longer.
    for name in ["split", "array_split"] {
      m.def(name, ["ary", "indices_or_sections", "axis"], required: 2) { i, b throws(PyError) in
        let x = try i.tensorArg(b, 0)
        let axis0 = try i.axisArg(b[2]) ?? 0
        guard axis0 >= -x.rank && axis0 < x.rank else {
          throw PyError.value("axis \(axis0) is out of bounds for array of dimension \(x.rank)")
        }
        let axis = axis0 < 0 ? axis0 + x.rank : axis0
        let n = x.shape[axis]
        var bounds: [Int]
        if case .int(let sections) = try b.required(1) {
          guard sections > 0 else { throw PyError.value("number sections must be larger than 0.") }
          if name == "split" && n % sections != 0 {
            throw PyError.value("array split does not result in an equal division")
          }
          let (q, r) = (n / sections, n % sections)
          bounds = (0...sections).map { k in k * q + Swift.min(k, r) }
        } else {
          let cuts = try i.materialize(try b.required(1)).map { v throws(PyError) in try i.int(v, "index") }
          bounds = [0] + cuts.map { c in Swift.max(0, Swift.min(n, c < 0 ? c + n : c)) } + [n]
        }
        var parts: [Value] = []
        for k in 0..<(bounds.count - 1) {
          var start = [Int](repeating: 0, count: x.rank)
          var limit = x.shape
          start[axis] = bounds[k]
          limit[axis] = Swift.max(bounds[k], bounds[k + 1])
          parts.append(try i.checked(slice(x, start: start, limit: limit)))
        }
        return .list(PyList(parts))
      }
    }
    // The Kronecker product: a's elements times b, blocks laid out as a is.
    m.def("kron", ["a", "b"], required: 2) { i, b throws(PyError) in
      var (x, y) = (try i.tensorArg(b, 0), try i.tensorArg(b, 1))
      let rank = Swift.max(x.rank, y.rank)
      x = reshape(x, [Int](repeating: 1, count: rank - x.rank) + x.shape)
      y = reshape(y, [Int](repeating: 1, count: rank - y.rank) + y.shape)
      let xs = reshape(x, x.shape.flatMap { [$0, 1] })
      let ys = reshape(y, y.shape.flatMap { [1, $0] })
      return try i.checked(reshape(xs * ys, zip(x.shape, y.shape).map { $0 * $1 }))
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
      ("add", { $0 + $1 }), ("subtract", { $0 - $1 }), ("multiply", { $0 * $1 }), ("divide", Tensor.userDivide),
      ("true_divide", Tensor.userDivide), ("floor_divide", floorDivide), ("mod", remainder), ("remainder", remainder),
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

    // meshgrid(*xi, indexing="xy"): each 1-D input broadcast along the others' axes (the first
    // two swapped for "xy", as NumPy's).
    m.attributes["meshgrid"] = .builtin("jax.numpy.meshgrid") { i, args throws(PyError) in
      var indexing = "xy"
      for (k, v) in args.keywords {
        guard k == "indexing" || k == "sparse" || k == "copy" else {
          throw PyError.type("meshgrid() got an unexpected keyword argument '\(k)'")
        }
        if k == "indexing", case .str(let s) = v { indexing = s }
      }
      guard indexing == "xy" || indexing == "ij" else {
        throw PyError.value("Valid values for indexing are 'xy' and 'ij', got \(indexing)")
      }
      let xs = try args.positional.map { v throws(PyError) in
        let t = try i.asTensor(v)
        return reshape(t, [t.count])
      }
      var shape = xs.map(\.count)
      if indexing == "xy", shape.count >= 2 { shape.swapAt(0, 1) }
      let grids = try xs.enumerated().map { k, t throws(PyError) -> Value in
        var axis = k
        if indexing == "xy", xs.count >= 2, k < 2 { axis = 1 - k }
        var s = [Int](repeating: 1, count: shape.count)
        s[axis] = t.count
        return try i.checked(broadcastTo(reshape(t, s), shape))
      }
      return .list(PyList(grids))
    }
    // diff(a, n=1, axis=-1): a[1:] − a[:-1] along axis, n times.
    m.def("diff", ["a", "n", "axis", "prepend", "append"], required: 1) { i, b throws(PyError) in
      var x = try i.tensorArg(b, 0)
      let n = try b[1].map { v throws(PyError) in try i.int(v, "n") } ?? 1
      guard n >= 0 else { throw PyError.value("order must be non-negative but got \(n)") }
      guard x.rank > 0 else { throw PyError.value("diff requires input that is at least one dimensional; got a=\(x)") }
      let a = try i.axisArg(b[2]) ?? -1
      guard a >= -x.rank && a < x.rank else {
        throw PyError.value("axis \(a) is out of bounds for array of dimension \(x.rank)")
      }
      let axis = a < 0 ? a + x.rank : a
      for _ in 0..<n where x.shape[axis] > 0 {
        var (lo, hi) = ([Int](repeating: 0, count: x.rank), x.shape)
        lo[axis] = 1
        hi[axis] -= 1
        x = slice(x, start: lo, limit: x.shape) - slice(x, start: [Int](repeating: 0, count: x.rank), limit: hi)
      }
      return try i.checked(x)
    }
    // Ones on and below the k-th diagonal of an N×M matrix.
    m.def("tri", ["N", "M", "k", "dtype"], required: 1) { i, b throws(PyError) in
      let n = try i.int(try b.required(0), "N")
      let cols = try b[1].map { v throws(PyError) in try i.int(v, "M") } ?? n
      let k = try b[2].map { v throws(PyError) in try i.int(v, "k") } ?? 0
      guard n >= 0, cols >= 0 else { throw PyError.value("negative dimensions are not allowed") }
      let dtype = try i.dtype(b[3]) ?? Config.canonical(.float32)
      return try i.checked(tril(ones([n, cols], dtype: dtype), k: k))
    }
    // tile(A, reps): A repeated reps[i] times along each axis (shapes aligned on the right).
    m.def("tile", ["A", "reps"], required: 2) { i, b throws(PyError) in
      var x = try i.tensorArg(b, 0)
      var reps: [Int]
      if case .int(let r) = try b.required(1) {
        reps = [r]
      } else {
        reps = try i.materialize(try b.required(1)).map { v throws(PyError) in try i.int(v, "reps") }
      }
      guard reps.allSatisfy({ $0 >= 0 }) else { throw PyError.value("negative dimensions are not allowed") }
      let rank = Swift.max(x.rank, reps.count)
      x = reshape(x, [Int](repeating: 1, count: rank - x.rank) + x.shape)
      reps = [Int](repeating: 1, count: rank - reps.count) + reps
      let spread = reshape(x, x.shape.flatMap { [1, $0] })
      let tiled = broadcastTo(spread, zip(reps, x.shape).flatMap { [$0, $1] })
      return try i.checked(reshape(tiled, zip(reps, x.shape).map { $0 * $1 }))
    }
    // repeat(a, repeats, axis): each element `repeats` times in a row (the array flattened first
    // when axis is None); an integer count.
    m.def("repeat", ["a", "repeats", "axis", "total_repeat_length"], required: 2) { i, b throws(PyError) in
      var x = try i.tensorArg(b, 0)
      guard case .int(let r) = try b.required(1) else {
        throw PyError.notImplemented("jnp.repeat with an array of repeats is not supported yet")
      }
      guard r >= 0 else { throw PyError.value("repeats may not contain negative values.") }
      var axis: Int
      if let a = try i.axisArg(b[2]) {
        guard a >= -x.rank && a < x.rank else {
          throw PyError.value("axis \(a) is out of bounds for array of dimension \(x.rank)")
        }
        axis = a < 0 ? a + x.rank : a
      } else {
        x = reshape(x, [x.count])
        axis = 0
      }
      var spreadShape = x.shape
      spreadShape.insert(1, at: axis + 1)
      var wide = x.shape
      wide.insert(r, at: axis + 1)
      var out = x.shape
      out[axis] *= r
      return try i.checked(reshape(broadcastTo(reshape(x, spreadShape), wide), out))
    }
    // NaN as `nan`, ±inf as `posinf` / `neginf` (the dtype's largest finite values by default).
    m.def("nan_to_num", ["x", "copy", "nan", "posinf", "neginf"], required: 1) { i, b throws(PyError) in
      let x = try i.tensorArg(b, 0)
      guard x.dtype.isFloatingPoint else { return try i.checked(x) }
      let big = x.dtype == .float64 ? Double.greatestFiniteMagnitude : Double(Float.greatestFiniteMagnitude)
      func value(_ v: Double) -> Tensor { broadcastTo(Tensor(v, dtype: x.dtype), x.shape) }
      var y = select(x .!= x, value(try i.doubleArg(b[2], 0)), x)
      y = select(x .== Double.infinity, value(try i.doubleArg(b[3], big)), y)
      y = select(x .== -Double.infinity, value(try i.doubleArg(b[4], -big)), y)
      return try i.checked(y)
    }
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

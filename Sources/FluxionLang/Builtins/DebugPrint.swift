import Fluxion

/// NumPy's print options as `jax.debug.print` records them in its equation.
private let numpyPrintOptions =
  "(('edgeitems', 3), ('threshold', 1000), ('floatmode', 'maxprec'), ('precision', 8), ('suppress', False), ('linewidth', 75), ('nanstr', 'nan'), ('infstr', 'inf'), ('sign', '-'), ('formatter', None), ('legacy', False), ('override_repr', None))"

extension Interpreter {
  /// `jax.debug.print(fmt, *args, ordered=False, **kwargs)`: the engine's debug callback, so it
  /// prints the values the program computes where it runs — at once eagerly, when the plan
  /// reaches it inside jit, once on the forward pass under grad, once per element under vmap.
  /// Array leaves of the arguments travel through the program; other leaves (strings) are
  /// static. The form `jax.debug.print(ordered=True)(fmt, ...)` is accepted too.
  func debugPrint(_ args: CallArgs) throws(PyError) -> Value {
    let options: Set<String> = ["ordered", "partitioned", "skip_format_check"]
    var ordered = false
    var skipCheck = false
    var keywords: [(String, Value)] = []
    for (k, v) in args.keywords {
      switch k {
      case "ordered": ordered = try truthy(v)
      case "partitioned": _ = try truthy(v)
      case "skip_format_check": skipCheck = try truthy(v)
      default: keywords.append((k, v))
      }
    }
    guard let first = args.positional.first else {
      if !keywords.isEmpty {
        throw PyError.type(
          "debug_print received unexpected arguments in the two-call form: args=() kwargs=\(try repr(.dict(kwargDict(keywords))))"
        )
      }
      let set = args.keywords.filter { options.contains($0.0) }
      return .builtin("jax.debug.print") { i, inner throws(PyError) in
        try i.debugPrint(CallArgs(inner.positional, set + inner.keywords))
      }
    }
    guard case .str(let fmt) = first else {
      throw PyError.type("jax.debug.print needs a format string, got \(first.typeName)")
    }
    let positional = Array(args.positional.dropFirst())
    if !skipCheck { try checkDebugFormat(fmt, positional, keywords) }
    let placeholders = hasPlaceholders(fmt)

    // (args, kwargs) as a pytree: array leaves are operands, the others static.
    let nested = try toNested(.tuple([.tuple(positional), .dict(kwargDict(keywords))]))
    let def = nested.structure
    var operands: [Tensor] = []
    var staticLeaves: [(Int, Value)] = []
    for (k, leaf) in nested.leaves.enumerated() {
      switch leaf {
      case .array(let t):
        if let e = t.error { throw PyError(e) }
        operands.append(t)
      case .int, .bool, .float, .bigint, .object(is NPArray): operands.append(try asTensor(leaf))
      default: staticLeaves.append((k, leaf))
      }
    }
    let staticText = try staticLeaves.map { s throws(PyError) in "(\(s.0), \(try repr(s.1)))" }
    let params: [(String, Param)] = [
      ("fmt", .symbol(fmt)), ("has_placeholders", .bool(placeholders)), ("in_tree", .symbol(def.description)),
      ("logging_record", .none), ("np_printoptions", .symbol(numpyPrintOptions)), ("ordered", .bool(ordered)),
      ("partitioned", .bool(false)),
      (
        "static_args",
        .symbol(staticText.count == 1 ? "(\(staticText[0]),)" : "(\(staticText.joined(separator: ", ")))")
      ),
    ]
    // The engine runs the callback synchronously, on this thread (DebugCallbackPrimitive), so
    // it may use the interpreter; an error it raises is kept for the engine call to raise.
    nonisolated(unsafe) let interp = self
    nonisolated(unsafe) let statics = staticLeaves
    let leafCount = nested.leaves.count
    debugCallback(operands, name: "debug_print", params: params) { values in
      do throws(PyError) {
        var dynamic = values.makeIterator()
        var staticIterator = statics.makeIterator()
        var nextStatic = staticIterator.next()
        var leaves: [Value] = []
        for k in 0..<leafCount {
          if let s = nextStatic, s.0 == k {
            leaves.append(s.1)
            nextStatic = staticIterator.next()
          } else if let t = dynamic.next() {
            leaves.append(.array(t))
          }
        }
        var slice = leaves[...]
        guard case .tuple(let parts) = try interp.fromNested(try interp.rebuildNested(def, &slice)), parts.count == 2,
          case .tuple(let pos) = parts[0], case .dict(let kw) = parts[1]
        else { return }
        let kws = kw.pairs.compactMap { k, v -> (String, Value)? in if case .str(let s) = k { (s, v) } else { nil } }
        let text: String
        if placeholders {
          text = try interp.strFormat(fmt, pos, kws)
        } else {
          text = try ([fmt] + pos.map { v throws(PyError) in try interp.str(v) }).joined(separator: " ")
        }
        interp.write(text + "\n")
      } catch {
        if interp.callbackError == nil { interp.callbackError = error }
      }
    }
    if let e = callbackError {
      callbackError = nil
      throw e
    }
    return .none
  }

  private func kwargDict(_ keywords: [(String, Value)]) -> PyDict {
    let d = PyDict()
    for (k, v) in keywords { d.set(.str(k), .str(k), v) }
    return d
  }

  /// Python's `string.Formatter().parse(fmt)`: whether its first piece has a field (JAX looks
  /// at the first piece only).
  private func hasPlaceholders(_ fmt: String) -> Bool {
    var chars = fmt[...]
    while let c = chars.first {
      chars.removeFirst()
      if c == "{" || c == "}" {
        if chars.first == c {
          // An escaped brace ends Python's first literal piece, which has no field.
          return false
        }
        return c == "{"
      }
    }
    return false
  }

  /// JAX's check of a debug.print format against its arguments: every argument used.
  private func checkDebugFormat(_ fmt: String, _ positional: [Value], _ keywords: [(String, Value)]) throws(PyError) {
    var use = FormatUse()
    do {
      _ = try strFormat(fmt, positional, keywords, &use, formatting: false)
    } catch  where error.kind == "IndexError" {
      // JAX checks with string.Formatter, whose message is the tuple's own.
      throw PyError.index("tuple index out of range")
    }
    let (usedIndices, usedNames) = (use.indices, use.names)
    let unused = positional.indices.filter { !usedIndices.contains($0) }
    if !unused.isEmpty {
      let items = try unused.map { k throws(PyError) in try repr(positional[k]) }
      throw PyError.value("Unused positional arguments to `jax.debug.print`: [\(items.joined(separator: ", "))]")
    }
    let unusedNames = keywords.map(\.0).filter { !usedNames.contains($0) }
    if !unusedNames.isEmpty {
      throw PyError.value(
        "Unused keyword arguments to `jax.debug.print`: [\(unusedNames.map { pyStringRepr($0) }.joined(separator: ", "))]. You may be passing an f-string (i.e, `f\"{x}\"`) into `jax.debug.print` and instead should pass in a regular string."
      )
    }
  }
}

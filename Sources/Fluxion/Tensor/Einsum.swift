import FluxionBackend

/// Einstein summation (jnp.einsum): `subscripts` labels each operand's axes with letters,
/// comma-separated, and `->` the result's. Without `->` the result has the labels that appear
/// once, in alphabetical order. `...` stands for the leading axes not labelled (broadcast
/// across operands). A label repeated in one operand takes its diagonal (`"ii->i"`, `"ii"` is
/// the trace); labels missing from the result are summed; size-1 axes broadcast.
///
/// Each pair of operands is contracted with one `dot_general`, as JAX does, so every
/// transformation goes through it. Bad subscripts give JAX's (opt_einsum's) errors.
///
/// ```swift
/// einsum("ij,jk->ik", a, b)        // matmul
/// einsum("bij,bjk", x, y)          // batched matmul, result "bik"
/// einsum("...i,...i->...", u, v)   // rowwise dot products
/// einsum("ii", m)                  // trace
/// ```
///
/// With three or more operands they are contracted pairwise from the front (opt_einsum picks
/// an optimised order, so sums may round differently in the last bits).
public func einsum(_ subscripts: String, _ operands: Tensor...) -> Tensor { einsum(subscripts, operands) }

/// Einstein summation over a list of operands.
public func einsum(_ subscripts: String, _ operands: [Tensor]) -> Tensor {
  if let e = operands.lazy.compactMap(\.error).first { return Tensor(failed: e) }
  let spec: Einsum.Spec
  switch Einsum.parse(subscripts, operands.map(\.shape)) {
  case .failure(let e): return Tensor(failed: e)
  case .success(let s): spec = s
  }
  let (dtype, weak) = Promotion.result(operands.map(\.aval))
  let terms = zip(promote(operands), spec.inputs).map { Einsum.Term(value: $0, names: $1) }
  let result: Tensor
  if terms.count == 1 {
    let contracted = Set(terms[0].names).subtracting(spec.output)
    result = Einsum.single(terms[0], output: spec.output, contracted: contracted)
  } else {
    result = Einsum.contractAll(terms, output: spec.output, sizes: spec.sizes)
  }
  return convertElementType(result, dtype, weakType: weak)
}

enum Einsum {
  /// Parsed subscripts: each operand's labels, the result's, and each label's size.
  struct Spec {
    var inputs: [[Character]]
    var output: [Character]
    var sizes: [Character: Int]
  }

  /// An operand and the labels of its axes.
  struct Term {
    var value: Tensor
    var names: [Character]
  }

  static func fail(_ message: String) -> Result<Spec, FluxionError> { .failure(.valueError(message)) }

  /// opt_einsum's labels for `...`: the first symbols (a–z, A–Z, then further code points) not used.
  static func unusedSymbols(_ used: Set<Character>, _ n: Int) -> [Character] {
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    func symbol(_ i: Int) -> Character {
      if i < letters.count { return letters[i] }
      // Past the letters opt_einsum counts on from U+00C0, skipping the surrogates.
      let code = i >= 55296 ? i + 2048 : i + 140
      return Unicode.Scalar(UInt32(code)).map(Character.init) ?? "?"
    }
    var out: [Character] = []
    var i = 0
    while out.count < n {
      let s = symbol(i)
      i += 1
      if !used.contains(s) { out.append(s) }
    }
    return out
  }

  /// The labels that appear once, sorted (the implicit result).
  static func implicitOutput(_ inputs: [Character]) -> [Character] {
    let counts = Dictionary(inputs.filter { $0 != "," }.map { ($0, 1) }, uniquingKeysWith: +)
    return counts.filter { $0.value == 1 }.map(\.key).sorted()
  }

  static func count(_ s: [Character], _ c: Character) -> Int { s.filter { $0 == c }.count }

  /// Non-overlapping occurrences of `"->"`.
  static func arrows(_ s: [Character]) -> Int {
    var n = 0
    var i = 0
    while i + 1 < s.count {
      if s[i] == "-" && s[i + 1] == ">" {
        n += 1
        i += 2
      } else {
        i += 1
      }
    }
    return n
  }

  /// `s` split at every `separator` run (`"->"` or `","`).
  static func split(_ s: [Character], _ separator: [Character]) -> [[Character]] {
    var parts: [[Character]] = [[]]
    var i = 0
    while i < s.count {
      if i + separator.count <= s.count && Array(s[i..<(i + separator.count)]) == separator {
        parts.append([])
        i += separator.count
      } else {
        parts[parts.count - 1].append(s[i])
        i += 1
      }
    }
    return parts
  }

  /// `sub` with its one `...` replaced by `labels`.
  static func replaceEllipsis(_ sub: [Character], _ labels: [Character]) -> [Character] {
    let parts = split(sub, [".", ".", "."])
    return parts.count == 2 ? parts[0] + labels + parts[1] : sub
  }

  /// opt_einsum's parse_einsum_input and contract_path checks, with their messages.
  static func parse(_ subscripts: String, _ shapes: [[Int]]) -> Result<Spec, FluxionError> {
    var s = Array(subscripts.filter { $0 != " " })
    if s.contains("-") || s.contains(">") {
      if count(s, "-") > 1 || count(s, ">") > 1 || arrows(s) != 1 {
        return fail("Subscripts can only contain one '->'.")
      }
    }
    if s.contains(".") {
      let used = Set(s.filter { $0 != "." && $0 != "," && $0 != "-" && $0 != ">" })
      guard let maxRank = shapes.map(\.count).max() else { return fail("max() arg is an empty sequence") }
      let ellipsisLabels = unusedSymbols(used, maxRank)
      let hasOutput = arrows(s) == 1
      let sides = split(s, ["-", ">"])
      var terms = split(sides[0], [","])
      var longest = 0
      for (num, sub) in terms.enumerated() where sub.contains(".") {
        if count(sub, ".") != 3 || split(sub, [".", ".", "."]).count != 2 { return fail("Invalid Ellipses.") }
        guard num < shapes.count else { return .failure(.indexError("list index out of range")) }
        let ellipsisCount = shapes[num].isEmpty ? 0 : Swift.max(shapes[num].count, 1) - (sub.count - 3)
        longest = Swift.max(longest, ellipsisCount)
        if ellipsisCount < 0 { return fail("Ellipses lengths do not match.") }
        terms[num] = replaceEllipsis(sub, Array(ellipsisLabels.suffix(ellipsisCount)))
      }
      let outEllipsis = longest == 0 ? [] : Array(ellipsisLabels.suffix(longest))
      let joined = Array(terms.map { String($0) }.joined(separator: ","))
      if hasOutput {
        s = joined + ["-", ">"] + replaceEllipsis(sides[1], outEllipsis)
      } else {
        let normal = Set(implicitOutput(joined)).subtracting(outEllipsis).sorted()
        s = joined + ["-", ">"] + outEllipsis + normal
      }
    }
    let input: [Character]
    let output: [Character]
    if arrows(s) == 1 {
      let sides = split(s, ["-", ">"])
      (input, output) = (sides[0], sides[1])
    } else {
      (input, output) = (s, implicitOutput(s))
    }
    for c in output {
      if count(output, c) != 1 { return fail("Output character '\(c)' appeared more than once in the output.") }
      if !input.contains(c) { return fail("Output character '\(c)' did not appear in the input") }
    }
    let terms = split(input, [","])
    if terms.count != shapes.count {
      return fail(
        "Number of einsum subscripts, \(terms.count), must be equal to the number of operands, \(shapes.count).")
    }
    var sizes: [Character: Int] = [:]
    for (t, term) in terms.enumerated() {
      let shape = shapes[t]
      if shape.count != term.count {
        return fail(
          "Einstein sum subscript '\(String(term))' does not contain the correct number of indices for operand \(t).")
      }
      for (c, d) in zip(term, shape) {
        guard let previous = sizes[c] else {
          sizes[c] = d
          continue
        }
        if previous == 1 {
          sizes[c] = d
        } else if d != 1 && d != previous {
          return fail("Size of label '\(c)' for operand \(t) (\(previous)) does not match previous terms (\(d)).")
        }
      }
    }
    return .success(Spec(inputs: terms, output: output, sizes: sizes))
  }

  /// Operands contracted two at a time, each result joining the end of the list (as
  /// opt_einsum's paths do), the last one giving `output`.
  static func contractAll(_ start: [Term], output: [Character], sizes: [Character: Int]) -> Tensor {
    var terms = start
    while terms.count > 1 {
      let (a, b) = (terms[0], terms[1])
      let rest = Array(terms.dropFirst(2))
      let result: [Character]
      if rest.isEmpty {
        result = output
      } else {
        // An intermediate keeps the labels still needed, smallest first (opt_einsum's order).
        let needed = Set(output).union(rest.flatMap(\.names))
        result = Set(a.names + b.names).intersection(needed).sorted { (sizes[$0] ?? 0, $0) < (sizes[$1] ?? 0, $1) }
      }
      let contracted = Set(a.names + b.names).subtracting(result)
      // opt_einsum lists a pair highest index first, so the second operand is JAX's lhs.
      terms = rest + [Term(value: pair(lhs: b, rhs: a, result: result, contracted: contracted), names: result)]
    }
    return terms[0].value
  }

  /// Sum over `axes` (or over them by or, for bools), as JAX's einsum reduces.
  static func sum(_ x: Tensor, _ axes: [Int]) -> Tensor {
    let sorted = axes.sorted()
    if x.dtype == .bool { return bind1(ReduceLogicalPrimitive(isOr: true, axes: sorted), [x]) }
    return reduceSum(x, axes: sorted)
  }

  /// Sums out labels that appear once and are contracted.
  static func sumUniques(_ t: Term, _ uniques: [Character]) -> Term {
    if uniques.isEmpty { return t }
    let axes = uniques.compactMap { t.names.firstIndex(of: $0) }
    return Term(value: sum(t.value, axes), names: t.names.filter { !uniques.contains($0) })
  }

  /// Takes the diagonal of each repeated label: masks with a Kronecker delta, then sums all its
  /// axes (a contracted label) or all but the last (a kept one).
  static func sumRepeats(_ start: Term, keep: [Character]) -> Term {
    var t = start
    var order: [Character] = []
    for c in start.names where !order.contains(c) { order.append(c) }
    for name in order {
      let axes = t.names.indices.filter { t.names[$0] == name }
      guard axes.count > 1 else { continue }
      let x = t.value
      let base = axes.map { x.shape[$0] }
      let iotas = base.indices.map { iota(.uint32, base, dimension: $0) }
      var eye = iotas[0] .== iotas[1]
      for k in 1..<(iotas.count - 1) { eye = eye .&& (iotas[k] .== iotas[k + 1]) }
      let masked = select(broadcastInDim(eye, shape: x.shape, dims: axes), x, zerosLike(x))
      if keep.contains(name) {
        var names = t.names
        for i in axes.dropLast().reversed() { names.remove(at: i) }
        t = Term(value: sum(masked, Array(axes.dropLast())), names: names)
      } else {
        t = Term(value: sum(masked, axes), names: t.names.filter { $0 != name })
      }
    }
    return t
  }

  /// Squeezes size-1 axes whose label has another size in `other` (broadcasting).
  static func filterSingletons(_ t: Term, against other: Term) -> Term {
    let squeezed = t.names.indices.filter { i in
      guard t.value.shape[i] == 1, let j = other.names.firstIndex(of: t.names[i]) else { return false }
      return other.value.shape[j] != 1
    }
    if squeezed.isEmpty { return t }
    return Term(
      value: squeeze(t.value, axes: squeezed),
      names: t.names.indices.filter { !squeezed.contains($0) }.map { t.names[$0] })
  }

  /// Moves `value` (labelled `names`) to the order of `result`.
  static func arrange(_ value: Tensor, _ names: [Character], _ result: [Character]) -> Tensor {
    if names == result { return value }
    return transpose(value, result.compactMap { names.firstIndex(of: $0) })
  }

  /// One operand on its own: sums and diagonals, then the result's order.
  static func single(_ t: Term, output: [Character], contracted: Set<Character>) -> Tensor {
    let uniques = contracted.sorted().filter { count(t.names, $0) == 1 }
    let r = sumRepeats(sumUniques(t, uniques), keep: output)
    return arrange(r.value, r.names, output)
  }

  /// Two operands: singleton broadcasting, sums of labels only one side has, diagonals, then one
  /// dot_general over the contracted labels, batched over shared result labels.
  static func pair(lhs l0: Term, rhs r0: Term, result: [Character], contracted: Set<Character>) -> Tensor {
    let l1 = filterSingletons(l0, against: r0)
    let r1 = filterSingletons(r0, against: l1)
    let names = contracted.sorted()
    var l = sumUniques(l1, names.filter { count(l1.names, $0) == 1 && !r1.names.contains($0) })
    var r = sumUniques(r1, names.filter { count(r1.names, $0) == 1 && !l1.names.contains($0) })
    l = sumRepeats(l, keep: result + r.names)
    r = sumRepeats(r, keep: result + l.names)
    let contracting = names.filter { l.names.contains($0) || r.names.contains($0) }
    let batch = result.filter { l.names.contains($0) && r.names.contains($0) }
    let deleted = Set(batch + contracting)
    let lRest = l.names.filter { !deleted.contains($0) }, rRest = r.names.filter { !deleted.contains($0) }
    let lc = contracting.compactMap { l.names.firstIndex(of: $0) },
      rc = contracting.compactMap { r.names.firstIndex(of: $0) }
    let lb = batch.compactMap { l.names.firstIndex(of: $0) }, rb = batch.compactMap { r.names.firstIndex(of: $0) }
    // JAX tries rhs first: that order often needs no transpose.
    if batch + rRest + lRest == result {
      return dotGeneral(r.value, l.value, contracting: (rc, lc), batch: (rb, lb))
    }
    let out = dotGeneral(l.value, r.value, contracting: (lc, rc), batch: (lb, rb))
    return arrange(out, batch + lRest + rRest, result)
  }
}

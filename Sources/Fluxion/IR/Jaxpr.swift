import FluxionBackend

/// A variable of a jaxpr: an abstract value with an identity.
public final class Var: Hashable, Sendable {
  public let aval: ShapedArray
  init(_ aval: ShapedArray) { self.aval = aval }
  public static func == (a: Var, b: Var) -> Bool { a === b }
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// An operand of an equation: a variable or a literal scalar.
public enum Atom: Sendable {
  case variable(Var)
  case literal(Tensor)

  public var aval: ShapedArray {
    switch self {
    case .variable(let v): v.aval
    case .literal(let t): t.aval
    }
  }
}

/// Where in the user's source an operation was bound: lines and columns count from 1, the end
/// is exclusive. The language sets it (`withSourceSpan`) around each call it evaluates.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var endLine: Int
  public var endColumn: Int
  /// The source's name (`<function>`, `model.py`), when the binder knows it.
  public var file: String?

  public init(line: Int, column: Int, endLine: Int, endColumn: Int, file: String? = nil) {
    self.line = line
    self.column = column
    self.endLine = endLine
    self.endColumn = endColumn
    self.file = file
  }

  /// `3:5-3:12`.
  public var description: String { "\(line):\(column)-\(endLine):\(endColumn)" }
}

/// One line of a jaxpr: `outputs = primitive[params] inputs`, with the source span of the user
/// code that bound it (nil for code that has none, such as a Swift caller or a derivative rule).
public struct Equation: Sendable {
  public let primitive: any Primitive
  public let inputs: [Atom]
  public let outputs: [Var]
  public let span: SourceSpan?
}

/// An open program in JAX's intermediate form: `{ lambda consts ; inputs. let eqns in (outs) }`.
/// Its constants are variables only; `ClosedJaxpr` binds them to values.
public struct Jaxpr: Sendable, CustomStringConvertible {
  public var constVars: [Var]
  public var inVars: [Var]
  public var equations: [Equation]
  /// nil marks an output that is a symbolic zero (a tangent that does not depend on the inputs).
  public var outputs: [Atom?]
  var zeroOutAvals: [Int: ShapedArray] = [:]

  /// Runs the program in the current trace (so it composes with transformations).
  public func eval(consts: [Tensor], _ args: [Tensor]) -> [Tensor] {
    var env: [Var: Tensor] = [:]
    for (v, c) in zip(constVars, consts) { env[v] = c }
    for (v, a) in zip(inVars, args) { env[v] = a }
    func read(_ a: Atom) -> Tensor {
      switch a {
      case .variable(let v): env[v] ?? Tensor(failed: .valueError("jaxpr variable read before it was written"))
      case .literal(let t): t
      }
    }
    for eqn in equations {
      let outs = withSourceSpan(eqn.span) { bind(eqn.primitive, eqn.inputs.map(read)) }
      for (v, o) in zip(eqn.outputs, outs) { env[v] = o }
    }
    return outputs.enumerated().map { i, a in
      if let a { return read(a) }
      return zerosLike(outAval(i))
    }
  }

  public var inAvals: [ShapedArray] { inVars.map(\.aval) }
  /// The abstract value of each output.
  public var outAvals: [ShapedArray] { outputs.indices.map(outAval) }
  func outAval(_ i: Int) -> ShapedArray {
    if let a = outputs[i] { return a.aval }
    return zeroOutAvals[i] ?? ShapedArray(shape: [], dtype: .float32)
  }

  /// Closure conversion: the constants become the leading inputs.
  var constsAsInputs: Jaxpr {
    var j = self
    j.inVars = constVars + inVars
    j.constVars = []
    return j
  }

  public var description: String { JaxprPrinter.text(self) }
}

/// A jaxpr with its constants bound to values: what make_jaxpr returns and what higher-order
/// primitives (jit, cond, custom rules) hold in their parameters.
///
/// A class so that its identity names it: two equations holding one ClosedJaxpr share it, and
/// the printer hoists it (`let name = { … } in`), as JAX does.
public final class ClosedJaxpr: Hashable, Sendable, CustomStringConvertible {
  public let jaxpr: Jaxpr
  public let consts: [Tensor]

  public init(_ jaxpr: Jaxpr, consts: [Tensor]) {
    self.jaxpr = jaxpr
    self.consts = consts
  }

  public var constVars: [Var] { jaxpr.constVars }
  public var inVars: [Var] { jaxpr.inVars }
  public var equations: [Equation] { jaxpr.equations }
  public var outputs: [Atom?] { jaxpr.outputs }
  public var inAvals: [ShapedArray] { jaxpr.inAvals }
  public var outAvals: [ShapedArray] { jaxpr.outAvals }

  /// Runs the program on `args` in the current trace.
  public func eval(_ args: [Tensor]) -> [Tensor] { jaxpr.eval(consts: consts, args) }

  public static func == (a: ClosedJaxpr, b: ClosedJaxpr) -> Bool { a === b }
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

  public var description: String { JaxprPrinter.text(jaxpr) }
}

// MARK: - printing

/// Prints jaxprs as JAX does. Names are a, b, …, z, ba, bb, … and unique across nested
/// jaxprs (one counter); results the program never reads print as `_`; a sub-jaxpr used more
/// than once, or longer than ten equations, is printed once in front (`let name = { … } in`).
struct JaxprPrinter {
  private var names: [Var: String] = [:]
  private var counter = 0
  private var hoisted: [ObjectIdentifier: String] = [:]
  private var hoistedNames: Set<String> = []

  static func text(_ jaxpr: Jaxpr) -> String {
    var p = JaxprPrinter()
    return p.document(jaxpr).format()
  }

  /// The text and the name each variable got in it.
  static func textAndNames(_ jaxpr: Jaxpr) -> (String, [Var: String]) {
    var p = JaxprPrinter()
    let text = p.document(jaxpr).format()
    return (text, p.names)
  }

  /// The whole text, and each top-level equation on one line, named as in it.
  static func textAndEquationLines(_ jaxpr: Jaxpr) -> (text: String, lines: [String]) {
    var p = JaxprPrinter()
    let text = p.document(jaxpr).format()
    return (text, jaxpr.equations.map { p.equation($0).format(width: 1 << 20) })
  }

  static func name(_ n: Int) -> String {
    var n = n
    var s = ""
    repeat {
      s = String(UnicodeScalar(UInt8(97 + n % 26))) + s
      n /= 26
    } while n > 0
    return s
  }

  private mutating func name(_ v: Var) -> String {
    if let s = names[v] { return s }
    var s = Self.name(counter)
    counter += 1
    while hoistedNames.contains(s) {
      s = Self.name(counter)
      counter += 1
    }
    names[v] = s
    return s
  }

  /// The whole document: hoisted sub-jaxprs, then the program.
  private mutating func document(_ top: Jaxpr) -> Doc {
    // Results nobody reads print as `_` (in the top-level program only, as JAX).
    var used = Set<Var>()
    for case .variable(let v)? in top.outputs { used.insert(v) }
    for e in top.equations.reversed() {
      for v in e.outputs where !used.contains(v) { names[v] = "_" }
      for case .variable(let v) in e.inputs { used.insert(v) }
    }
    // Count each sub-jaxpr's uses breadth first, naming it after the equation's `name=`.
    var counts: [ObjectIdentifier: Int] = [:]
    var order: [ClosedJaxpr] = []
    var suggested: [ObjectIdentifier: String] = [:]
    var queue: [Jaxpr] = [top]
    var head = 0
    while head < queue.count {
      let j = queue[head]
      head += 1
      for e in j.equations {
        let name = e.primitive.params.first { $0.0 == "name" }.map { "\($0.1)".trimmingCharacters(in: ["<", ">"]) }
        for sub in e.primitive.params.flatMap({ $0.1.jaxprs }) {
          let id = ObjectIdentifier(sub)
          if counts[id] == nil { order.append(sub) }
          counts[id, default: 0] += sub.equations.count > 10 ? 2 : 1
          if let name, suggested[id] == nil { suggested[id] = name }
          queue.append(sub.jaxpr)
        }
      }
    }
    var nameCounts: [String: Int] = [:]
    var shared: [(String, ClosedJaxpr)] = []
    for sub in order where counts[ObjectIdentifier(sub)]! > 1 {
      var name = suggested[ObjectIdentifier(sub)] ?? "jaxpr"
      let seen = nameCounts[name, default: 0]
      nameCounts[name] = seen + 1
      if seen > 0 {
        name += String(seen)
        nameCounts[name, default: 0] += 1
      }
      hoistedNames.insert(name)
      shared.append((name, sub))
    }
    var docs: [Doc] = []
    for (name, sub) in shared {
      docs.append(.concat([.text("let \(name) = "), skeleton(sub.jaxpr), .text(" in"), .breakSpace]))
      hoisted[ObjectIdentifier(sub)] = name
    }
    docs.append(skeleton(top))
    return .concat(docs)
  }

  /// `{ lambda consts ; ins. let eqns in (outs) }`.
  private mutating func skeleton(_ j: Jaxpr) -> Doc {
    let consts = binders(j.constVars)
    let ins = binders(j.inVars)
    let eqns = Doc.join(.brk("; "), j.equations.map { equation($0) })
    let outs = j.outputs.enumerated().map { i, a in
      a.map { atom($0) } ?? .text("\(Self.literal(zerosLike(j.outAval(i))))")
    }
    let outDoc = Doc.concat([.text("("), list(outs, separator: ","), .text(outs.count == 1 ? ",)" : ")")])
    return .group(
      .nest(
        2,
        .concat([
          .text("{ lambda "), consts, .text("; "), ins, .text(". let"), .nest(2, .breakSpace + eqns), .breakSpace,
          .text("in "), outDoc,
        ])) + .text(" }"))
  }

  private func list(_ items: [Doc], separator: String) -> Doc {
    .nest(2, .group(.join(.text(separator) + .group(.breakSpace), items)))
  }

  private mutating func binders(_ vs: [Var]) -> Doc {
    list(vs.map { .text("\(name($0)):\($0.aval)") }, separator: "")
  }

  private mutating func atom(_ a: Atom) -> Doc {
    switch a {
    case .variable(let v): .text(name(v))
    case .literal(let t): .text(Self.literal(t))
    }
  }

  private mutating func equation(_ e: Equation) -> Doc {
    // jit's body takes the names of the operands and results it stands for.
    if let body = e.primitive.aliasedBody, hoisted[ObjectIdentifier(body)] == nil {
      suggestSameNames(body.inVars.map(Atom.variable), e.inputs)
      suggestSameNames(body.jaxpr.outputs, e.outputs.map(Atom.variable))
    }
    let lhs = binders(e.outputs)
    var pairs: [Doc] = []
    for (k, v) in e.primitive.params { pairs.append(.text("\(k)=") + param(v)) }
    let params: Doc =
      pairs.isEmpty
      ? .empty
      : .group(.concat([.nest(2, .concat([.text("["), .brk(""), .join(.breakSpace, pairs)])), .brk(""), .text("]")]))
    let rhs = Doc.concat([.text(e.primitive.name), params, .text(" ") + list(e.inputs.map { atom($0) }, separator: "")])
    return e.outputs.isEmpty ? rhs : .concat([lhs, .text(" = "), rhs])
  }

  /// Names the variables `forAtoms` after the ones they stand for (each outer variable once).
  private mutating func suggestSameNames(_ forAtoms: [Atom?], _ like: [Atom]) {
    guard forAtoms.count == like.count else { return }
    var usedLike = Set<Var>()
    for (f, l) in zip(forAtoms, like) {
      guard case .variable(let lv) = l, !usedLike.contains(lv), case .variable(let fv)? = f, names[fv] == nil else {
        continue
      }
      usedLike.insert(lv)
      names[fv] = name(lv)
    }
  }

  private mutating func param(_ v: Param) -> Doc {
    switch v {
    case .jaxpr(let j):
      if let name = hoisted[ObjectIdentifier(j)] { return .text(name) }
      return skeleton(j.jaxpr)
    case .tuple(let xs) where !xs.isEmpty && xs.allSatisfy(\.isJaxpr):
      let docs = xs.map { param($0) }
      return .group(
        .concat([.nest(2, .concat([.text("("), .brk(""), .join(.breakSpace, docs)])), .brk(""), .text(")")]))
    default:
      return .text(v.description)
    }
  }

  static func literal(_ t: Tensor) -> String {
    let value = t.concrete?.scalar(at: 0) ?? .float(0)
    let text: String
    switch value {
    // The shortest text that reads back as the literal's own dtype (NumPy's repr).
    case .float(let d): text = t.dtype == .float32 ? "\(Float(d))" : "\(d)"
    case .bool(let b): text = b ? "True" : "False"
    default: text = value.description
    }
    return "\(text):\(t.aval.strong)"
  }
}

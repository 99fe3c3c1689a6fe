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

/// One line of a jaxpr: `outputs = primitive[params] inputs`.
public struct Equation: Sendable {
  public let primitive: any Primitive
  public let inputs: [Atom]
  public let outputs: [Var]
}

/// A traced program in JAX's intermediate form: `{ lambda consts ; inputs. let eqns in (outs) }`.
///
/// `make_jaxpr` prints it in JAX's text format; linearize keeps the linear part of a function as
/// one and transposes it for reverse mode; jit will compile it.
public struct Jaxpr: Sendable, CustomStringConvertible {
  public var constVars: [Var]
  public var inVars: [Var]
  public var equations: [Equation]
  /// nil marks an output that is a symbolic zero (a tangent that does not depend on the inputs).
  public var outputs: [Atom?]
  /// The values of `constVars`.
  public var consts: [Tensor]

  /// Runs the program on `args` in the current trace (so it composes with transformations).
  public func eval(_ args: [Tensor]) -> [Tensor] {
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
      let outs = bind(eqn.primitive, eqn.inputs.map(read))
      for (v, o) in zip(eqn.outputs, outs) { env[v] = o }
    }
    return outputs.enumerated().map { i, a in
      if let a { return read(a) }
      return zerosLike(outAval(i))
    }
  }

  /// The abstract value of output `i`.
  public var outAvals: [ShapedArray] { outputs.indices.map(outAval) }
  var zeroOutAvals: [Int: ShapedArray] = [:]
  func outAval(_ i: Int) -> ShapedArray {
    if let a = outputs[i] { return a.aval }
    return zeroOutAvals[i] ?? ShapedArray(shape: [], dtype: .float32)
  }

  // MARK: printing

  public var description: String { JaxprPrinter(self).text }
}

/// Prints jaxprs as JAX does: names a, b, …, z, ba, bb, …; `_` for unused results.
struct JaxprPrinter {
  let jaxpr: Jaxpr
  var names: [Var: String] = [:]
  var used: Set<Var> = []
  var counter = 0

  init(_ jaxpr: Jaxpr) {
    self.jaxpr = jaxpr
    for e in jaxpr.equations {
      for case .variable(let v) in e.inputs { used.insert(v) }
    }
    for case .variable(let v)? in jaxpr.outputs { used.insert(v) }
  }

  static func name(_ n: Int) -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    var n = n
    var s = String(letters[n % 26])
    n /= 26
    while n > 0 {
      s = String(letters[n % 26]) + s
      n /= 26
    }
    return s
  }

  mutating func define(_ v: Var) -> String {
    let s = Self.name(counter)
    counter += 1
    names[v] = s
    return "\(s):\(v.aval)"
  }

  static func literal(_ t: Tensor) -> String {
    let value = t.concrete?.scalar(at: 0) ?? .float(0)
    let text: String
    switch value {
    case .float(let d): text = "\(d)"
    case .bool(let b): text = b ? "True" : "False"
    default: text = value.description
    }
    return "\(text):\(t.aval.strong)"
  }

  func atom(_ a: Atom) -> String {
    switch a {
    case .variable(let v): names[v] ?? "?"
    case .literal(let t): Self.literal(t)
    }
  }

  var text: String {
    var p = self
    let consts = jaxpr.constVars.map { p.define($0) }.joined(separator: " ")
    let ins = jaxpr.inVars.map { p.define($0) }.joined(separator: " ")
    var lines: [String] = []
    for e in jaxpr.equations {
      let outs = e.outputs.map { v in
        p.used.contains(v) ? p.define(v) : "_:\(v.aval)"
      }.joined(separator: " ")
      let args = e.inputs.map { p.atom($0) }.joined(separator: " ")
      let params = e.primitive.params.map { "\($0.0)=\($0.1)" }
      let oneLine =
        "\(outs) = \(e.primitive.name)" + (params.isEmpty ? "" : "[\(params.joined(separator: " "))]")
        + (args.isEmpty ? "" : " \(args)")
      if oneLine.count + 4 > 80 && !params.isEmpty {
        var s = "\(outs) = \(e.primitive.name)[\n"
        for q in params { s += "      \(q)\n" }
        s += "    ]" + (args.isEmpty ? "" : " \(args)")
        lines.append(s)
      } else {
        lines.append(oneLine)
      }
    }
    let outs = jaxpr.outputs.map { a in a.map { p.atom($0) } ?? "0.0:f32[]" }
    let outText = "(" + outs.joined(separator: ", ") + (outs.count == 1 ? ",)" : ")")
    let head = "{ lambda \(consts); \(ins). let"
    if lines.count <= 1 {
      let single = "\(head) \(lines.first.map { $0 + " " } ?? "")in \(outText) }"
      if single.count <= 80 && !single.contains("\n") { return single }
    }
    return head + "\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n  in \(outText) }"
  }
}

import ArgumentParser
import Fluxion
import FluxionLang
import Foundation

/// `fluxion explain`: the explorer's insight panes as text — the derivative explained (f, its
/// linearized and transposed programs with their values), where a NaN came from, the
/// Jacobian's structure with the Hessian's verdict, and the Taylor coefficients at the point.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "The derivative of EXPR at a point explained: its programs with values, NaN origins, structure.",
    discussion: """
      Examples:
        fluxion explain 'lambda x: jnp.sin(x) * x**2' --setup prelude.py --at 1.5
        fluxion explain 'lambda x: jnp.where(x > 0, jnp.sqrt(x), 0.)' --setup prelude.py --at 0.0
        fluxion explain f --setup model.py --at W
      """)

  @Argument(help: "An expression that evaluates to a callable of one argument.")
  var expr: String

  @Option(name: .long, parsing: .unconditional, help: "The point: an expression.")
  var at: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    let runner = Runner(common)
    try runner.withFunction(expr, at: at) { interp, value, args throws(PyError) in
      guard args.count == 1 else { throw PyError("TypeError", "explain takes a function of one argument") }
      let f = Session(interpreter: interp).function(value, text: expr)
      return .str(try Self.report(f, at: args[0]))
    }
  }

  static func report(_ f: SessionFunction, at x: Value) throws(PyError) -> String {
    let interp = f.session.interpreter
    var out: [String] = []
    let y = try f.call([x])
    let ones = try interp.callLibrary("jax.numpy", "ones_like", [x])
    let u = try interp.callLibrary("jax.numpy", "ones_like", [y])
    out.append("f(x) = \(try interp.display(y))")
    // The three programs, one line an equation, with the values at the point.
    for (title, listing) in try f.explained(at: [x], tangents: [ones], cotangent: u) {
      out.append("")
      out.append("\(title), optimised:")
      out.append(listing.header)
      let width = listing.equations.map(\.text.count).max() ?? 0
      for line in listing.equations {
        var text = "    " + line.text.padding(toLength: width, withPad: " ", startingAt: 0)
        if !line.values.isEmpty { text += "  ⇒ " + line.values.joined(separator: ", ") }
        if let s = line.span { text += "   [\(s.line):\(s.column)]" }
        out.append(text)
      }
      out.append(listing.footer)
    }
    // Where a NaN or an infinity came from.
    let scalar = y.doubles?.count == 1
    var derived: [(SessionFunction.DerivedProgram, Value)] = [(.function, y)]
    if scalar { derived.append((.gradient(argnums: [0]), try f.grad(at: [x]))) }
    derived.append((.vjp(cotangent: u), try f.vjp(at: [x], cotangent: u).cotangents))
    out.append("")
    if let (which, _, origin) = try f.firstNonFinite(among: derived, at: [x]) {
      if let o = origin {
        let place = o.equation.span.map { " at \($0.line):\($0.column)" } ?? ""
        out.append("non-finite in \(which.title): \(o.summary)\(place) (equation \(o.binder))")
      } else {
        out.append("non-finite in \(which.title): from a non-finite input")
      }
    } else {
      out.append("non-finite values: none")
    }
    // The Jacobian's structure; the Hessian and the Taylor coefficients of a scalar f.
    if let j = try? f.jacobianRows(at: x), let values = j.doubles, let xs = x.doubles {
      let m = max(1, values.count / max(1, xs.count))
      let st = try f.structure(
        at: x, jacobian: values, rows: m, columns: xs.count, float32: j.dtypeName != "float64")
      out.append("Jacobian \(m)×\(xs.count): \(st.summary)")
      if let l = st.hessianEigenvalues, let verdict = st.hessianVerdict {
        out.append("Hessian eigenvalues \(l.map { JacobianStructure.number($0) }.joined(separator: ", ")): \(verdict)")
      }
      if scalar, xs.count == 1, let d2 = try f.secondDerivative(at: x).doubles?.first, let d1 = values.first,
        let d0 = y.doubles?.first
      {
        out.append(
          "Taylor at x: f = \(JacobianStructure.number(d0)), f' = \(JacobianStructure.number(d1)), "
            + "f'' = \(JacobianStructure.number(d2))")
      }
    }
    return out.joined(separator: "\n")
  }
}

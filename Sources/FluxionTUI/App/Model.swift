import Fluxion
import FluxionLang
import Foundation

/// The explorer's panes; one has the focus.
public enum Pane: String, Sendable, CaseIterable {
  case function = "f", plot = "Plot", results = "Results", jacobian = "Jacobian", jaxpr = "Jaxpr"
  case workspace = "Workspace"
}

/// The editable fields of the results pane.
public enum PointField: String, Sendable, CaseIterable {
  case x, v, u, argnums
}

/// Which text an error belongs to (its caret is drawn there).
public enum Source: String, Sendable {
  case function = "f", workspace, x, v, u, argnums
}

/// An error to show: its one-line summary and where it points.
public struct ErrorInfo: Equatable, Sendable {
  public var source: Source
  public var summary: String
  /// Line (1-based, for the workspace) and column (0-based) of the caret, when known.
  public var line: Int?
  public var column: Int?
  public var length: Int = 1

  public init(source: Source, summary: String, line: Int? = nil, column: Int? = nil, length: Int = 1) {
    self.source = source
    self.summary = summary
    self.line = line
    self.column = column
    self.length = length
  }
}

/// How the function maps its argument, as the panes show it.
public enum FunctionKind: Equatable, Sendable {
  case scalarToScalar
  case scalarToVector(m: Int)
  case vectorToScalar(n: Int)
  case vectorToVector(n: Int, m: Int)
  /// Pytrees, several arguments, integer outputs…: results only.
  case other(String)
}

/// A row or column of numbers of the Jacobian as computed.
public enum JacobianMode: String, Sendable {
  case rows = "rows via vjp(eᵢ)"
  case columns = "columns via jvp(eⱼ)"
}

/// What one evaluation found: everything but the Jacobian, which arrives line by line.
public struct Evaluation: Sendable {
  public var generation: Int
  public var kind: FunctionKind
  public var results: [(label: String, value: String, type: String)]
  public var series: [Series]
  /// The point's x when it is a number (the plot's cursor).
  public var pointX: Double?
  /// The slope of f at the cursor (the tangent line), for a scalar f of a scalar.
  public var slope: Double?
  public var valueAtPoint: Double?
  /// A vector output's components at the point (the plot's read-out at the cursor), up to six.
  public var componentsAtPoint: [Double]?
  /// f'' at the cursor (along v for a slice), when the Taylor view asked for it.
  public var curvature: Double?
  /// What each of the jaxpr pane's program views is: f, grad f (for a scalar output),
  /// optimised, and the program a NaN came from; named whether or not the pane is shown.
  public var jaxprTitles: [String] = []
  /// The texts of `jaxprTitles`, one each: nil for a view not traced (only the view the pane
  /// shows is traced, and the program a NaN came from).
  public var jaxprs: [String?] = []
  /// Whether the pane has its last view, the derivative explained side by side (jvp and vjp
  /// at the point both worked).
  public var hasExplained = false
  /// That view: f, its linearized and its transposed program, optimised, with their values at
  /// the point; nil when it was not traced.
  public var explained: [ExplainedProgram]?
  /// The jaxpr pane's views: the programs, then the side-by-side view when there is one.
  public var jaxprViewTitles: [String] { jaxprTitles + (hasExplained ? [Evaluation.explainedTitle] : []) }
  public var jaxprViewCount: Int { jaxprViewTitles.count }
  public static let explainedTitle = "f · jvp · vjp"
  /// Whether view `view` of the jaxpr pane has what it shows (else it is traced on demand).
  public func hasJaxprView(_ view: Int) -> Bool {
    view < jaxprs.count ? jaxprs[view] != nil : view == jaxprs.count && hasExplained && explained != nil
  }
  /// Where a NaN or an infinity in f, its gradient, jvp or vjp came from.
  public var nonFinite: NonFiniteNote?
  /// Warnings of the workspace's run (a PRNG key given to two consuming calls).
  public var warnings: [String] = []
  public var output: String
  public var milliseconds: Double
  /// Milliseconds of each step (workspace, compile, f, grad, jvp, vjp, plot, jaxprs), in order.
  public var steps: [(step: String, milliseconds: Double)] = []

  public init(generation: Int, kind: FunctionKind) {
    self.generation = generation
    self.kind = kind
    results = []
    series = []
    output = ""
    milliseconds = 0
  }
}

/// A program of the derivative explained (f, linearized, transposed), one line an equation.
public struct ExplainedProgram: Sendable, Equatable {
  public var title: String
  public var listing: JaxprListing
}

/// The first equation that made a NaN or an infinity from finite inputs, in the first of f,
/// grad f, jvp f and vjp f whose result holds one.
public struct NonFiniteNote: Sendable, Equatable {
  /// `f`, `grad f`, `jvp f`, `vjp f`.
  public var program: String
  /// The equation's first result as the program's text names it (`e:f32[]`); nil when the
  /// non-finite value came from an input.
  public var binder: String?
  /// `log gave -inf from 0.`.
  public var summary: String
  /// The user code that bound the equation.
  public var span: SourceSpan?
  /// The index of the program's text among the evaluation's jaxprs (when they were traced).
  public var view: Int?

  /// One line for the results pane: `nan in grad f: div gave inf from 1., 0. (1:25)`.
  public var line: String {
    var place = ""
    if let sp = span {
      let file = sp.file == "<function>" || sp.file == nil ? "" : "\(sp.file!) "
      place = " at \(file)\(sp.line):\(sp.column)"
    }
    return "non-finite in \(program): \(summary)\(place)"
  }
}

/// The Jacobian as assembled so far.
public struct JacobianState: Sendable {
  public var generation = -1
  public var rows = 0
  public var columns = 0
  public var mode: JacobianMode = .rows
  /// Row-major, NaN where not computed yet.
  public var values: [Double] = []
  public var lines = 0
  public var done = false
  public var check: String?
  /// Every entry against central finite differences in float64, once the matrix is complete.
  public var gradient: GradientCheck?
  /// The cells show the gradient check's relative errors instead of the values (key c).
  public var showCheck = false
  /// The pane shows the structure instead (key s): singular values, rank, condition number,
  /// the Hessian's eigenvalues for a scalar f, and the sparsity pattern.
  public var showStructure = false
  public var structure: JacobianStructure?
  public var cursorRow = 0
  public var cursorColumn = 0
  public var message: String?

  /// Whether element (i, j) has been computed yet (its row, or its column, has arrived).
  func isComputed(_ i: Int, _ j: Int) -> Bool { mode == .rows ? i < lines : j < lines }
}

/// What the evaluator is asked to compute: a snapshot of every input of an evaluation.
public struct EvalRequest: Equatable, Sendable {
  public var generation: Int
  public var workspace: String
  public var function: String
  public var x: String
  public var v: String
  public var u: String
  public var argnums: String
  public var range: ClosedRange<Double>
  public var samples: Int
  public var jacobianMode: JacobianMode
  public var x64: Bool
  /// Whether to trace the jaxprs (f, grad f, optimised): only while the jaxpr pane is shown.
  public var jaxprs: Bool
  /// The title of the view the jaxpr pane shows (one of `Evaluation.jaxprViewTitles`): the one
  /// view traced.
  public var jaxprView: String = "f"
  /// Whether to compute f'' at the point (the plot's second-order Taylor polynomial).
  public var taylor: Bool = false
  /// Whether to compute the Jacobian's structure (and the Hessian of a scalar f).
  public var structure: Bool = false
}

/// Messages: keys, the terminal, and the evaluator's answers.
public enum Message: Sendable {
  case key(Key)
  case resize(width: Int, height: Int)
  case evaluated(Evaluation)
  case failed(generation: Int, ErrorInfo, output: String)
  case jacobianStarted(generation: Int, rows: Int, columns: Int, mode: JacobianMode)
  case jacobianLine(generation: Int, index: Int, values: [Double])
  case jacobianFinished(generation: Int, check: String?, gradient: GradientCheck?, structure: JacobianStructure?)
  case jacobianUnavailable(generation: Int, reason: String)
  case tick(Date)
}

/// Work for the runtime: the engine and the terminal.
public enum Command: Sendable, Equatable {
  case evaluate(EvalRequest)
  case cancelEvaluation
  case quit
  case suspend
  case save
  case load
  /// Write the plot (.svg, .txt) or the Jacobian (.csv) to a file.
  case export(String)
}

/// The whole state of the explorer.
public struct State: Sendable {
  public var width: Int
  public var height: Int
  public var focus: Pane = .function
  public var function: LineEditor
  public var workspace: TextArea
  public var fields: [PointField: LineEditor]
  public var field: PointField = .x
  public var range: ClosedRange<Double>
  public var initialRange: ClosedRange<Double>
  public var yRange: ClosedRange<Double>? = nil
  public var autoscale = true
  public var tangent = true
  /// The second-order Taylor polynomial at the cursor, over the tangent (key T).
  public var taylor = false
  /// The side-by-side view of the jaxpr pane: the program stepped through (0 f, 1 linearized,
  /// 2 transposed), its selected equation, and whether values are shown beside equations.
  public var explainProgram = 0
  public var explainRow = 0
  public var explainValues = false
  public var x64 = false
  public var ascii = false
  public var color = true
  public var mouse = false

  public var generation = 0
  /// The generation whose evaluation (or failure) arrived last; its Jacobian arrives apart.
  public var evaluatedGeneration = -1
  /// The last generation whose work all came in: its evaluation and its Jacobian (finished or
  /// unavailable), in either order, or its failure.
  public var finishedGeneration = -1
  /// The last good evaluation, and whether newer input made it stale.
  public var evaluation: Evaluation?
  public var stale = false
  public var error: ErrorInfo?
  public var output = ""
  public var evaluatingSince: Date?
  public var now = Date()
  public var jacobian = JacobianState()
  public var showJaxpr = false
  public var jaxprView = 0
  public var jaxprTop = 0
  public var showWorkspace = false
  public var overlay: Overlay? = nil
  public var menuIndex = 0
  public var helpTop = 0
  public var status: String?
  public var quitting = false
  /// The file name asked for by Ctrl-E, while it is being typed.
  public var prompt: LineEditor? = nil

  public enum Overlay: Equatable, Sendable { case help, examples }

  public init(
    width: Int = 120, height: Int = 40, function: String = "lambda x: x**3", workspace: String = "",
    x: String = "1.0", range: ClosedRange<Double> = -2...2
  ) {
    self.width = width
    self.height = height
    self.function = LineEditor(function)
    self.workspace = TextArea(workspace)
    fields = [.x: LineEditor(x), .v: LineEditor(""), .u: LineEditor(""), .argnums: LineEditor("")]
    self.range = range
    initialRange = range
  }

  /// The request for the current inputs.
  public func request(samples: Int) -> EvalRequest {
    EvalRequest(
      generation: generation, workspace: workspace.string, function: function.string,
      x: fields[.x]?.string ?? "", v: fields[.v]?.string ?? "", u: fields[.u]?.string ?? "",
      argnums: fields[.argnums]?.string ?? "", range: range, samples: samples, jacobianMode: jacobian.mode, x64: x64,
      jaxprs: showJaxpr, jaxprView: shownJaxprTitle, taylor: taylor, structure: jacobian.showStructure)
  }

  /// The title of the jaxpr pane's view (f before any evaluation).
  var shownJaxprTitle: String {
    guard let titles = evaluation?.jaxprViewTitles, titles.indices.contains(jaxprView) else { return "f" }
    return titles[jaxprView]
  }

  /// Whether every pane shows what the current inputs give: the f value, results, plot and
  /// each Jacobian row (or the failure) of the current generation.
  public var isComplete: Bool { finishedGeneration == generation }

  /// Whether the focus is in a text field (printable keys type).
  public var inTextField: Bool {
    overlay == nil && (focus == .function || focus == .results || focus == .workspace)
  }

  /// Panes Tab visits, in order.
  public var panes: [Pane] {
    var p: [Pane] = [.function, .plot, .results, .jacobian]
    if showJaxpr { p.append(.jaxpr) }
    if showWorkspace { p.append(.workspace) }
    return p
  }
}

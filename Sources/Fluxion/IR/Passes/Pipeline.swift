/// Passes run in order, round after round, until a round changes nothing (at most `maxRounds`
/// rounds): what jit runs its traced bodies through, and `makeJaxpr(_:_:optimized: true)`.
///
/// ```swift
/// let optimized = PassPipeline.standard.run(jaxpr) { step in print(step) }   // after each pass
/// ```
public struct PassPipeline: Sendable {
  public var passes: [any JaxprPass]
  public var maxRounds: Int

  public init(_ passes: [any JaxprPass], maxRounds: Int = 8) {
    self.passes = passes
    self.maxRounds = maxRounds
  }

  /// Dead-code elimination, common-subexpression elimination, constant folding (results of up
  /// to 1024 elements) and algebraic simplification.
  public static var standard: PassPipeline {
    PassPipeline([
      DeadCodeElimination(), CommonSubexpressionElimination(), ConstantFolding(), AlgebraicSimplification(),
    ])
  }

  /// The program after one pass of one round.
  public struct Step: Sendable, CustomStringConvertible {
    public let round: Int
    public let pass: String
    public let changed: Bool
    public let program: ClosedJaxpr

    /// `== round 1, cse ==` and the program (or `(unchanged)`).
    public var description: String {
      "== round \(round), \(pass) ==\n" + (changed ? program.description : "(unchanged)")
    }
  }

  /// The optimised program; `after`, when given, sees the program after every pass.
  public func run(_ closed: ClosedJaxpr, after: ((Step) -> Void)? = nil) -> ClosedJaxpr {
    var current = closed
    for round in 1...max(maxRounds, 1) {
      var changed = false
      for pass in passes {
        let next = runPass(pass, current)
        let didChange = next !== current
        changed = changed || didChange
        current = next
        after?(Step(round: round, pass: pass.name, changed: didChange, program: current))
      }
      if !changed { break }
    }
    return current
  }

  /// Every step of `run`, for printing.
  public func steps(_ closed: ClosedJaxpr) -> [Step] {
    var steps: [Step] = []
    _ = run(closed) { steps.append($0) }
    return steps
  }
}

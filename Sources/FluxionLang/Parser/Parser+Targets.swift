extension Parser {
  enum TargetContext {
    case assign
    /// The last target of `=`: CPython suggests `==` when it is not assignable.
    case assignSuggestingEquality
    case augmented
    case delete
  }

  /// CPython's word for an expression that cannot be a target (`function call`, `literal` …).
  static func describe(_ expr: Expr) -> String {
    switch expr.kind {
    case .call: "function call"
    case .constant(.none): "None"
    case .constant(.bool(let b)): b ? "True" : "False"
    case .constant(.ellipsis): "ellipsis"
    case .constant: "literal"
    case .joinedStr, .formattedValue: "f-string expression"
    case .binOp, .unaryOp, .boolOp: "expression"
    case .compare: "comparison"
    case .lambda: "lambda"
    case .ifExp: "conditional expression"
    case .dict: "dict literal"
    case .set: "set display"
    case .listComp: "list comprehension"
    case .setComp: "set comprehension"
    case .dictComp: "dict comprehension"
    case .generatorExp: "generator expression"
    case .namedExpr: "named expression"
    case .await: "await expression"
    case .yield, .yieldFrom: "yield expression"
    case .starred: "starred"
    case .attribute: "attribute"
    case .subscript: "subscript"
    case .name: "name"
    case .tuple: "tuple"
    case .list: "list"
    case .slice: "slice"
    }
  }

  /// The first part of `expr` that cannot be assigned (or deleted), if any.
  static func invalidTarget(_ expr: Expr, deleting: Bool) -> Expr? {
    switch expr.kind {
    case .name, .attribute, .subscript: return nil
    case .tuple(let elements), .list(let elements):
      for e in elements {
        if let bad = invalidTarget(e, deleting: deleting) { return bad }
      }
      return nil
    case .starred(let inner): return deleting ? expr : invalidTarget(inner, deleting: deleting)
    default: return expr
    }
  }

  func validateTarget(_ expr: Expr, context: TargetContext) throws(SyntaxError) {
    switch context {
    case .augmented:
      switch expr.kind {
      case .name, .attribute, .subscript: return
      default:
        throw error("'\(Parser.describe(expr))' is an illegal expression for augmented assignment", at: expr.range)
      }
    case .delete:
      if let bad = Parser.invalidTarget(expr, deleting: true) {
        throw error("cannot delete \(Parser.describe(bad))", at: bad.range)
      }
    case .assign, .assignSuggestingEquality:
      guard let bad = Parser.invalidTarget(expr, deleting: false) else { return }
      if case .yield = bad.kind { throw error("assignment to yield expression not possible", at: bad.range) }
      if case .yieldFrom = bad.kind { throw error("assignment to yield expression not possible", at: bad.range) }
      let what = Parser.describe(bad)
      var suggest = context == .assignSuggestingEquality && bad == expr
      if case .constant(.bool) = bad.kind { suggest = false }
      if case .constant(.none) = bad.kind { suggest = false }
      switch bad.kind {
      case .tuple, .list, .generatorExp: suggest = false
      default: break
      }
      if suggest {
        throw error("cannot assign to \(what) here. Maybe you meant '==' instead of '='?", at: bad.range)
      }
      throw error("cannot assign to \(what)", at: bad.range)
    }
  }
}

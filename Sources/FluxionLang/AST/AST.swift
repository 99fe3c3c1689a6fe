/// A parsed script: Python's `ast.Module`.
public struct Module: Hashable, Sendable {
  public var body: [Stmt]

  public init(body: [Stmt]) { self.body = body }
}

/// A statement and its source range (Python's `ast.stmt` with `lineno`, `col_offset`, …).
public typealias Stmt = Located<StmtKind>

/// Python's statement nodes, with the fields of Python's `ast` module.
public indirect enum StmtKind: Hashable, Sendable {
  case functionDef(FunctionDef)
  case classDef(ClassDef)
  case `return`(Expr?)
  case delete([Expr])
  case assign(targets: [Expr], value: Expr)
  case augAssign(target: Expr, op: BinaryOperator, value: Expr)
  /// `simple` is true for a bare name target not in parentheses, as in Python.
  case annAssign(target: Expr, annotation: Expr, value: Expr?, simple: Bool)
  case `for`(target: Expr, iter: Expr, body: [Stmt], orelse: [Stmt], isAsync: Bool)
  case `while`(test: Expr, body: [Stmt], orelse: [Stmt])
  case `if`(test: Expr, body: [Stmt], orelse: [Stmt])
  case with(items: [WithItem], body: [Stmt], isAsync: Bool)
  case raise(exc: Expr?, cause: Expr?)
  /// `isStar`: the handlers are `except*` (Python's `TryStar`).
  case `try`(body: [Stmt], handlers: [ExceptHandler], orelse: [Stmt], finalbody: [Stmt], isStar: Bool)
  case assert(test: Expr, msg: Expr?)
  case `import`([Alias])
  /// `level` counts the leading dots of a relative import.
  case importFrom(module: String?, names: [Alias], level: Int)
  case match(subject: Expr, cases: [MatchCase])
  case global([String])
  case nonlocal([String])
  case expr(Expr)
  case pass
  case `break`
  case `continue`
}

public struct FunctionDef: Hashable, Sendable {
  public var name: String
  public var args: Arguments
  public var body: [Stmt]
  public var decorators: [Expr]
  public var returns: Expr?
  public var isAsync: Bool

  public init(name: String, args: Arguments, body: [Stmt], decorators: [Expr], returns: Expr?, isAsync: Bool) {
    self.name = name
    self.args = args
    self.body = body
    self.decorators = decorators
    self.returns = returns
    self.isAsync = isAsync
  }
}

public struct ClassDef: Hashable, Sendable {
  public var name: String
  public var bases: [Expr]
  public var keywords: [KeywordArgument]
  public var body: [Stmt]
  public var decorators: [Expr]

  public init(name: String, bases: [Expr], keywords: [KeywordArgument], body: [Stmt], decorators: [Expr]) {
    self.name = name
    self.bases = bases
    self.keywords = keywords
    self.body = body
    self.decorators = decorators
  }
}

/// A function's or lambda's parameters: Python's `ast.arguments`. `defaults` belong to the
/// last of `posonlyargs + args`; `kwDefaults` line up with `kwonlyargs` (nil: no default).
public struct Arguments: Hashable, Sendable {
  public var posonlyargs: [Parameter] = []
  public var args: [Parameter] = []
  public var vararg: Parameter?
  public var kwonlyargs: [Parameter] = []
  public var kwDefaults: [Expr?] = []
  public var kwarg: Parameter?
  public var defaults: [Expr] = []

  public init() {}
}

/// One parameter (Python's `ast.arg`); the annotation is kept but means nothing.
public struct Parameter: Hashable, Sendable {
  public var name: String
  public var annotation: Expr?
  public var range: SourceRange

  public init(name: String, annotation: Expr?, range: SourceRange) {
    self.name = name
    self.annotation = annotation
    self.range = range
  }
}

/// `name=value` in a call or class header; `name` nil for `**value`.
public struct KeywordArgument: Hashable, Sendable {
  public var name: String?
  public var value: Expr
  public var range: SourceRange

  public init(name: String?, value: Expr, range: SourceRange) {
    self.name = name
    self.value = value
    self.range = range
  }
}

/// `a.b as c` in an import.
public struct Alias: Hashable, Sendable {
  public var name: String
  public var asName: String?
  public var range: SourceRange

  public init(name: String, asName: String?, range: SourceRange) {
    self.name = name
    self.asName = asName
    self.range = range
  }
}

public struct WithItem: Hashable, Sendable {
  public var contextExpr: Expr
  public var optionalVars: Expr?

  public init(contextExpr: Expr, optionalVars: Expr?) {
    self.contextExpr = contextExpr
    self.optionalVars = optionalVars
  }
}

public struct ExceptHandler: Hashable, Sendable {
  public var type: Expr?
  public var name: String?
  public var body: [Stmt]
  public var range: SourceRange

  public init(type: Expr?, name: String?, body: [Stmt], range: SourceRange) {
    self.type = type
    self.name = name
    self.body = body
    self.range = range
  }
}

/// `case pattern if guard: body` of a `match` statement.
public struct MatchCase: Hashable, Sendable {
  public var pattern: Pattern
  public var guardExpr: Expr?
  public var body: [Stmt]

  public init(pattern: Pattern, guardExpr: Expr?, body: [Stmt]) {
    self.pattern = pattern
    self.guardExpr = guardExpr
    self.body = body
  }
}

/// A `match` pattern and its source range (Python's `ast.pattern`).
public typealias Pattern = Located<PatternKind>

/// Python's pattern nodes, with the fields of Python's `ast` module.
public indirect enum PatternKind: Hashable, Sendable {
  /// A literal or dotted name, compared with `==`.
  case value(Expr)
  /// `None`, `True`, `False`, compared with `is`.
  case singleton(Constant)
  case sequence([Pattern])
  case mapping(keys: [Expr], patterns: [Pattern], rest: String?)
  case `class`(Expr, patterns: [Pattern], keywordNames: [String], keywordPatterns: [Pattern])
  /// `*name` (nil for `*_`) in a sequence pattern.
  case star(String?)
  /// `pattern as name`; a bare name when `pattern` is nil; `_` when both are nil.
  case `as`(Pattern?, name: String?)
  case or([Pattern])
}

/// `for target in iter if cond…` inside a comprehension.
public struct Comprehension: Hashable, Sendable {
  public var target: Expr
  public var iter: Expr
  public var ifs: [Expr]
  public var isAsync: Bool

  public init(target: Expr, iter: Expr, ifs: [Expr], isAsync: Bool) {
    self.target = target
    self.iter = iter
    self.ifs = ifs
    self.isAsync = isAsync
  }
}

/// An expression and its source range, as CPython's: from its first token to its last, so a
/// call runs from its callee to its `)`, and a parenthesized operand widens its parent.
public typealias Expr = Located<ExprKind>

/// Python's expression nodes, with the fields of Python's `ast` module.
public indirect enum ExprKind: Hashable, Sendable {
  case boolOp(BoolOperator, [Expr])
  case namedExpr(target: Expr, value: Expr)
  case binOp(Expr, BinaryOperator, Expr)
  case unaryOp(UnaryOperator, Expr)
  case lambda(Arguments, body: Expr)
  case ifExp(test: Expr, body: Expr, orelse: Expr)
  /// A nil key is `**value`.
  case dict(keys: [Expr?], values: [Expr])
  case set([Expr])
  case listComp(Expr, [Comprehension])
  case setComp(Expr, [Comprehension])
  case dictComp(key: Expr, value: Expr, [Comprehension])
  case generatorExp(Expr, [Comprehension])
  case await(Expr)
  case yield(Expr?)
  case yieldFrom(Expr)
  case compare(Expr, ops: [CompareOperator], comparators: [Expr])
  case call(Expr, args: [Expr], keywords: [KeywordArgument])
  /// A field of an f-string: `conversion` is `s`, `r`, `a` or nil; the spec is a `joinedStr`.
  case formattedValue(Expr, conversion: Character?, formatSpec: Expr?)
  case joinedStr([Expr])
  case constant(Constant)
  case attribute(Expr, String)
  case `subscript`(Expr, Expr)
  case starred(Expr)
  case name(String)
  case list([Expr])
  case tuple([Expr])
  case slice(lower: Expr?, upper: Expr?, step: Expr?)
}

/// A literal value.
public enum Constant: Hashable, Sendable {
  case none
  case bool(Bool)
  case int(IntLiteral)
  case float(Double)
  /// `2j`: the imaginary part.
  case imaginary(Double)
  case string(String)
  case bytes([UInt8])
  case ellipsis
}

public enum BoolOperator: String, Hashable, Sendable {
  case and = "And", or = "Or"
}

/// Binary operators; the raw value is Python's `ast` class name.
public enum BinaryOperator: String, Hashable, Sendable {
  case add = "Add", sub = "Sub", mult = "Mult", matMult = "MatMult", div = "Div", mod = "Mod"
  case pow = "Pow", lShift = "LShift", rShift = "RShift", bitOr = "BitOr", bitXor = "BitXor"
  case bitAnd = "BitAnd", floorDiv = "FloorDiv"

  /// The operator's symbol: `+`, `//`, `@` …
  public var symbol: String {
    switch self {
    case .add: "+"
    case .sub: "-"
    case .mult: "*"
    case .matMult: "@"
    case .div: "/"
    case .mod: "%"
    case .pow: "**"
    case .lShift: "<<"
    case .rShift: ">>"
    case .bitOr: "|"
    case .bitXor: "^"
    case .bitAnd: "&"
    case .floorDiv: "//"
    }
  }
}

public enum UnaryOperator: String, Hashable, Sendable {
  case invert = "Invert", not = "Not", uAdd = "UAdd", uSub = "USub"
}

public enum CompareOperator: String, Hashable, Sendable {
  case eq = "Eq", notEq = "NotEq", lt = "Lt", ltE = "LtE", gt = "Gt", gtE = "GtE", `is` = "Is"
  case isNot = "IsNot", `in` = "In", notIn = "NotIn"
}

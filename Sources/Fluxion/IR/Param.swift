import FluxionBackend

/// A parameter of a primitive: structured, hashable and equatable (so passes can compare
/// equations and compiled plans can be cached by program), printed as JAX prints it.
public indirect enum Param: Hashable, Sendable, CustomStringConvertible {
  case int(Int)
  /// `True` / `False`.
  case bool(Bool)
  case dtype(DType)
  /// A Python tuple: `(1, 2)`, `(1,)`, `()`.
  case tuple([Param])
  /// A Python list: `[1, 0]`.
  case list([Param])
  /// `None`.
  case none
  /// A name printed as it is: `GatherScatterMode.CLIP`, `RoundingMethod.TO_NEAREST_EVEN`.
  case symbol(String)
  /// A sub-program (jit's body, a custom rule's primal function), printed nested.
  case jaxpr(ClosedJaxpr)
  /// User code held by a primitive (a custom rule), printed by name and equal only to itself.
  case function(FunctionRef)

  /// A tuple of integers (axes, shapes, strides).
  public static func ints(_ xs: [Int]) -> Param { .tuple(xs.map(Param.int)) }
  /// A list of integers.
  public static func intList(_ xs: [Int]) -> Param { .list(xs.map(Param.int)) }

  public var description: String {
    switch self {
    case .int(let i): "\(i)"
    case .bool(let b): b ? "True" : "False"
    case .dtype(let d): "\(d)"
    case .tuple(let xs): xs.count == 1 ? "(\(xs[0]),)" : "(" + xs.map(\.description).joined(separator: ", ") + ")"
    case .list(let xs): "[" + xs.map(\.description).joined(separator: ", ") + "]"
    case .none: "None"
    case .symbol(let s): s
    case .jaxpr(let j): j.description
    case .function(let f): f.name
    }
  }

  var isJaxpr: Bool {
    if case .jaxpr = self { return true }
    return false
  }

  /// The sub-jaxprs in this parameter (directly or in a tuple or list).
  var jaxprs: [ClosedJaxpr] {
    switch self {
    case .jaxpr(let j): [j]
    case .tuple(let xs), .list(let xs): xs.flatMap(\.jaxprs)
    default: []
    }
  }
}

/// A function held by a primitive: its name for printing (`jvp=<lambda>`), its identity for
/// equality.
public final class FunctionRef: Hashable, Sendable {
  public let name: String
  public init(name: String) { self.name = name }
  public static func == (a: FunctionRef, b: FunctionRef) -> Bool { a === b }
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// An object whose identity stands for a primitive that holds code.
final class PrimitiveIdentity: Sendable {}

/// What makes two bindings of primitives the same operation: the name and every parameter.
/// Primitives that hold code (a custom rule's closure) add an identity, so two of them are equal
/// only when they are one.
public struct PrimitiveKey: Hashable, Sendable {
  public let name: String
  public let params: [String]
  public let values: [Param]
  public let identity: ObjectIdentifier?

  public init(name: String, params: [(String, Param)], identity: ObjectIdentifier? = nil) {
    self.name = name
    self.params = params.map(\.0)
    self.values = params.map(\.1)
    self.identity = identity
  }
}

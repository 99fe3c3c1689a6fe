/// An error from the engine, with the kind and text JAX gives for the same mistake.
///
/// Operations never trap on bad input: a failing operation yields a `Tensor` that carries its
/// error, later operations pass it on, and reading the value (or a transformation's result)
/// surfaces it. `kind` names the Python exception JAX raises (`TypeError`, `ValueError`, …),
/// so the language can print `TypeError: add got incompatible shapes for broadcasting: (3,), (4,).`
public struct FluxionError: Error, Equatable, CustomStringConvertible, Sendable {
  public enum Kind: String, Sendable {
    case typeError = "TypeError"
    case valueError = "ValueError"
    case indexError = "IndexError"
    case overflowError = "OverflowError"
    case zeroDivisionError = "ZeroDivisionError"
    /// XLA's runtime errors (out of memory): `XlaRuntimeError: RESOURCE_EXHAUSTED: …`.
    case resourceExhausted = "XlaRuntimeError"
    case notImplementedError = "NotImplementedError"
    case concretizationTypeError = "ConcretizationTypeError"
    case tracerBoolConversionError = "TracerBoolConversionError"
    case unexpectedTracerError = "UnexpectedTracerError"
    /// Work stopped by a CancellationToken (no JAX counterpart).
    case cancelled = "CancelledError"
  }

  public var kind: Kind
  public var message: String
  /// Where in the user's source the failing operation was bound, when the language said.
  public var location: SourceSpan?

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// `TypeError: message`, as Python prints an exception.
  public var description: String { "\(kind.rawValue): \(message)" }

  static func typeError(_ m: String) -> FluxionError { FluxionError(.typeError, m) }
  static func valueError(_ m: String) -> FluxionError { FluxionError(.valueError, m) }
  static func indexError(_ m: String) -> FluxionError { FluxionError(.indexError, m) }
}

/// `(3, 4)` / `(3,)` / `()`: a shape (or any list of ints) as Python prints a tuple.
func pyTuple(_ xs: [Int]) -> String { Param.ints(xs).description }

func pyShape(_ s: [Int]) -> String { pyTuple(s) }

import FluxionBackend

/// An error from the engine, with the kind and text JAX gives for the same mistake.
///
/// Operations never trap on bad input: a failing operation yields a `Tensor` that carries its
/// error, later operations pass it on, and reading the value (or a transformation's result)
/// surfaces it. `kind` names the Python exception JAX raises (`TypeError`, `ValueError`, …),
/// so the language can print `TypeError: add got incompatible shapes for broadcasting: (3,), (4,).`
///
/// What went wrong is `reason`, whose cases carry their data (shapes, dtypes, axes, names) and
/// render JAX's message from it; `location` is the user code that bound the failing operation
/// and `underlying` an error it wraps (a Swift error thrown by user code, say).
public struct FluxionError: Error, Equatable, CustomStringConvertible, Sendable {
  public enum Kind: String, Sendable {
    case typeError = "TypeError"
    case valueError = "ValueError"
    case indexError = "IndexError"
    case keyError = "KeyError"
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

  /// What went wrong, with its data.
  public enum Reason: Equatable, Sendable {
    /// `add got incompatible shapes for broadcasting: (3,), (4,).`
    case incompatibleShapes(operation: String, shapes: [[Int]])
    /// `sin does not accept dtype int32. Accepted dtypes are subtypes of floating.`; `position`
    /// names the operand for operations of several.
    case dtypeNotAccepted(operation: String, dtype: DType, position: Int?, accepted: String)
    /// `axis 2 is out of bounds for array of dimension 2`
    case axisOutOfBounds(axis: Int, rank: Int)
    /// A concrete value was needed where only an abstract one exists (ConcretizationTypeError):
    /// `context` says which conversion asked (`The problem arose with the `int` function. …`),
    /// `origin` where the tracer came from (`The error occurred while tracing the function f
    /// for jit. …`), each empty when there is nothing to say.
    case concretization(ShapedArray, context: String = "", origin: String = "")
    /// A traced value converted to a Swift Bool (TracerBoolConversionError), with the tracer's
    /// origin as for `concretization`.
    case tracerBoolConversion(ShapedArray, origin: String = "")
    /// A tracer used outside the transformation that made it.
    case unexpectedTracer(ShapedArray, tracer: String, note: String?)
    /// A CancellationToken stopped the work.
    case cancelled
    /// Everything else: the kind and JAX's text, made where the error is found.
    case other(Kind, String)

    public var kind: Kind {
      switch self {
      case .incompatibleShapes, .dtypeNotAccepted: .typeError
      case .axisOutOfBounds: .valueError
      case .concretization: .concretizationTypeError
      case .tracerBoolConversion: .tracerBoolConversionError
      case .unexpectedTracer: .unexpectedTracerError
      case .cancelled: .cancelled
      case .other(let k, _): k
      }
    }

    /// JAX's message, rendered from the data.
    public var message: String {
      switch self {
      case .incompatibleShapes(let op, let shapes):
        return "\(op) got incompatible shapes for broadcasting: \(shapes.map(pyShape).joined(separator: ", "))."
      case .dtypeNotAccepted(let op, let dtype, let position, let accepted):
        guard let position else {
          return "\(op) does not accept dtype \(dtype). Accepted dtypes are subtypes of \(accepted)."
        }
        return
          "\(op) does not accept dtype \(dtype) at position \(position). Accepted dtypes at position \(position) are subtypes of \(accepted)."
      case .axisOutOfBounds(let axis, let rank):
        return "axis \(axis) is out of bounds for array of dimension \(rank)"
      case .concretization(let aval, let context, let origin):
        return
          "Abstract tracer value encountered where concrete value is expected: traced array with shape \(aval.longDescription)\n"
          + context + origin + "\n\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.ConcretizationTypeError"
      case .tracerBoolConversion(let aval, let origin):
        return "Attempted boolean conversion of traced array with shape \(aval.longDescription)." + origin
          + "\nSee https://docs.jax.dev/en/latest/errors.html#jax.errors.TracerBoolConversionError"
      case .unexpectedTracer(let aval, let tracer, let note):
        return
          "Encountered an unexpected tracer. A function transformed by JAX had a side effect, allowing for a reference to an intermediate value with type \(aval.longDescription) wrapped in a \(tracer) to escape the scope of the transformation.\nJAX transformations require that functions explicitly return their outputs, and disallow saving intermediate values to global state."
          + (note.map { " (\($0))" } ?? "")
      case .cancelled:
        return "the computation was cancelled"
      case .other(_, let m):
        return m
      }
    }
  }

  /// The fields, behind one reference: an error is a word wide, so a Tensor (which can hold
  /// one) and every `throws(FluxionError)` stay small and cheap to copy on the eager path.
  private final class Storage: Sendable {
    let reason: Reason
    let location: SourceSpan?
    let underlying: (any Error & Sendable)?

    init(_ reason: Reason, _ location: SourceSpan?, _ underlying: (any Error & Sendable)?) {
      (self.reason, self.location, self.underlying) = (reason, location, underlying)
    }
  }

  private var storage: Storage

  public var reason: Reason {
    get { storage.reason }
    set { storage = Storage(newValue, storage.location, storage.underlying) }
  }
  /// Where in the user's source the failing operation was bound, when the language said.
  public var location: SourceSpan? {
    get { storage.location }
    set { storage = Storage(storage.reason, newValue, storage.underlying) }
  }
  /// An error this one stands for (compared by its text).
  public var underlying: (any Error & Sendable)? {
    get { storage.underlying }
    set { storage = Storage(storage.reason, storage.location, newValue) }
  }

  public init(_ reason: Reason, location: SourceSpan? = nil, underlying: (any Error & Sendable)? = nil) {
    storage = Storage(reason, location, underlying)
  }

  /// An error of `kind` with JAX's `message`.
  public init(_ kind: Kind, _ message: String) { self.init(.other(kind, message)) }

  public var kind: Kind { reason.kind }
  public var message: String { reason.message }

  /// `TypeError: message`, as Python prints an exception.
  public var description: String { "\(kind.rawValue): \(message)" }

  public static func == (a: FluxionError, b: FluxionError) -> Bool {
    a.reason == b.reason && a.location == b.location
      && a.underlying.map { String(describing: $0) } == b.underlying.map { String(describing: $0) }
  }

  static func typeError(_ m: String) -> FluxionError { FluxionError(.typeError, m) }
  static func valueError(_ m: String) -> FluxionError { FluxionError(.valueError, m) }
  static func indexError(_ m: String) -> FluxionError { FluxionError(.indexError, m) }
}

/// `(3, 4)` / `(3,)` / `()`: a shape (or any list of ints) as Python prints a tuple.
func pyTuple(_ xs: [Int]) -> String { Param.ints(xs).description }

func pyShape(_ s: [Int]) -> String { pyTuple(s) }

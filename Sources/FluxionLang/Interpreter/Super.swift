/// `super()`: the receiver of the running method, seen from the class after the one that
/// defined the method in the receiver's method resolution order.
public final class PySuper: PyObject {
  public let thisClass: PyClass
  public let receiver: Value
  /// The class whose MRO is searched: the instance's class, or the class of a classmethod.
  public let start: PyClass
  init(thisClass: PyClass, receiver: Value, start: PyClass) {
    self.thisClass = thisClass
    self.receiver = receiver
    self.start = start
  }
  override public var typeName: String { "super" }
}

/// The key under which a method defined in a class body remembers its class (CPython's
/// `__class__` cell), for zero-argument `super()`.
let definingClassKey = "__defining_class__"

extension Interpreter {
  /// Marks the functions of a class body with their class, for `super()`.
  func recordDefiningClass(_ cls: PyClass) {
    for v in cls.attributes.values {
      switch v {
      case .object(let f as PyFunction): f.attributes[definingClassKey] = .object(cls)
      case .object(let w as PyMethodWrapper):
        if case .object(let f as PyFunction) = w.function { f.attributes[definingClassKey] = .object(cls) }
      default: break
      }
    }
  }

  /// `super()` with no arguments (or `super(Class, obj)`), in the running method.
  func makeSuper(_ args: CallArgs) throws(PyError) -> Value {
    let thisClass: PyClass
    let receiver: Value
    if args.positional.count == 2, case .object(let c as PyClass) = args.positional[0] {
      thisClass = c
      receiver = args.positional[1]
    } else if args.positional.isEmpty, let (f, scope) = callStack.last {
      guard case .object(let c as PyClass)? = f.attributes[definingClassKey] else {
        throw PyError.runtime("super(): __class__ cell not found")
      }
      let params = f.code.parameters.posonlyargs + f.code.parameters.args
      guard let first = params.first, let v = scope.vars[first.name] else {
        throw PyError.runtime("super(): no arguments")
      }
      thisClass = c
      receiver = v
    } else if args.positional.isEmpty {
      throw PyError.runtime("super(): no arguments")
    } else {
      throw PyError.type("super() argument 1 must be a type, not \(args.positional[0].typeName)")
    }
    let start: PyClass
    switch receiver {
    case .object(let inst as PyInstance): start = inst.cls
    case .object(let c as PyClass): start = c
    default: throw PyError.type("super(type, obj): obj must be an instance or subtype of type")
    }
    guard start.isSubclass(of: thisClass) else {
      throw PyError.type("super(type, obj): obj must be an instance or subtype of type")
    }
    return .object(PySuper(thisClass: thisClass, receiver: receiver, start: start))
  }

  /// `super().name`: the first class after `thisClass` in the MRO that defines `name`.
  func superAttribute(_ s: PySuper, _ name: String) throws(PyError) -> Value {
    let mro = s.start.mro
    let after = (mro.firstIndex { $0 === s.thisClass } ?? mro.count - 1) + 1
    for c in mro[after...] {
      if let v = c.attributes[name] {
        if case .object(let c2 as PyClass) = s.receiver, case .object(let w as PyMethodWrapper) = v,
          w.kind == .classMethod
        {
          return .object(PyBoundMethod(w.function, .object(c2)))
        }
        return try bindClassAttribute(v, receiver: s.receiver, cls: s.start)
      }
    }
    if name == "__init__" {
      // object.__init__, or BaseException.__init__, which sets the exception's args.
      let receiver = s.receiver
      let isException = exceptionClasses["BaseException"].map { s.start.isSubclass(of: $0) } ?? false
      return .builtin("__init__") { _, args throws(PyError) in
        if isException, case .object(let inst as PyInstance) = receiver {
          inst.attributes["args"] = .tuple(args.positional)
        }
        return .none
      }
    }
    throw PyError.attribute("'super' object has no attribute '\(name)'")
  }
}

import BigInt
import Fluxion

/// A Python value as the interpreter holds it. Immutable values (numbers, strings, tuples,
/// arrays) are stored inline; mutable ones and everything with identity (lists, dicts,
/// functions, classes, instances, modules) are references, so aliasing behaves as in Python.
public enum Value {
  case none
  case bool(Bool)
  case int(Int)
  /// A Python int outside Int's range (never one inside it).
  case bigint(BigInt)
  case float(Double)
  case str(String)
  case tuple([Value])
  case list(PyList)
  case dict(PyDict)
  case set(PySet)
  /// A JAX array (or a tracer standing for one inside a transformation).
  case array(Tensor)
  /// A typed PRNG key array (`random.key`).
  case key(TypedKey)
  case slice(PySlice)
  case ellipsis
  /// Everything else: functions, builtins, classes, instances, modules, iterators.
  case object(PyObject)
}

/// Python's list: a mutable sequence shared by reference.
public final class PyList {
  public var items: [Value]
  public init(_ items: [Value]) { self.items = items }
  deinit { releaseNested(&items) }
}

/// Releases a container's items without recursion: a list nested a hundred thousand deep
/// (`x = [x]` in a loop) would otherwise overflow the stack as each level frees the next.
/// Children that only this container holds are emptied here, one level at a time.
func releaseNested(_ items: inout [Value]) {
  guard items.contains(where: { if case .list = $0 { true } else if case .dict = $0 { true } else { false } }) else {
    return
  }
  var pending = items
  items = []
  while let v = pending.popLast() {
    switch consume v {
    case .list(var l):
      if isKnownUniquelyReferenced(&l) {
        pending.append(contentsOf: l.items)
        l.items = []
      }
    case .dict(var d):
      if isKnownUniquelyReferenced(&d) {
        pending.append(contentsOf: d.takeValues())
      }
    default:
      break
    }
  }
}

/// Python's set of hashable values, in insertion order (CPython's order differs for numbers
/// and strings; sets print sorted when their elements are comparable numbers).
public final class PySet {
  public var items: [HashKey: Value] = [:]
  public var order: [HashKey] = []
  public init() {}

  public func insert(_ key: HashKey, _ value: Value) {
    if items[key] == nil { order.append(key) }
    items[key] = value
  }

  public func remove(_ key: HashKey) -> Bool {
    guard items.removeValue(forKey: key) != nil else { return false }
    order.removeAll { $0 == key }
    return true
  }

  public var values: [Value] { order.compactMap { items[$0] } }
}

/// Python's dict: insertion-ordered, keyed by hashable values.
public final class PyDict {
  public private(set) var keys: [Value] = []
  public private(set) var values: [Value] = []
  private var index: [HashKey: Int] = [:]

  public init() {}

  public var count: Int { keys.count }

  public func get(_ key: HashKey) -> Value? { index[key].map { values[$0] } }

  public func set(_ key: HashKey, _ keyValue: Value, _ value: Value) {
    if let i = index[key] {
      values[i] = value
    } else {
      index[key] = keys.count
      keys.append(keyValue)
      values.append(value)
    }
  }

  @discardableResult
  public func remove(_ key: HashKey) -> Value? {
    guard let i = index.removeValue(forKey: key) else { return nil }
    let v = values[i]
    keys.remove(at: i)
    values.remove(at: i)
    for (k, j) in index where j > i { index[k] = j - 1 }
    return v
  }

  public func removeAll() {
    keys = []
    values = []
    index = [:]
  }

  /// Empties the dictionary, returning its values (for `releaseNested`).
  func takeValues() -> [Value] {
    defer { removeAll() }
    return values
  }

  deinit { releaseNested(&values) }

  public var pairs: Zip2Sequence<[Value], [Value]> { zip(keys, values) }
}

/// `a:b:c`.
public final class PySlice {
  public let start: Value
  public let stop: Value
  public let step: Value
  public init(start: Value, stop: Value, step: Value) {
    (self.start, self.stop, self.step) = (start, stop, step)
  }
}

/// The identity-free hash form of a hashable Python value: equal values (`1`, `1.0`, `True`)
/// have equal keys, as Python's `hash` and `==` agree.
public enum HashKey: Hashable, Sendable {
  case none
  case int(Int)
  case float(Double)
  case str(String)
  case tuple([HashKey])
  case ellipsis
  /// Objects hash by identity unless their class defines `__hash__`.
  case identity(ObjectIdentifier)
  case custom(Int, ObjectIdentifier)
}

/// Base of every reference-typed Python object that is not a container.
public class PyObject {
  /// The value of `type(x).__name__`.
  public var typeName: String { "object" }
}

/// A Python module: a namespace with a name.
public final class PyModule: PyObject {
  public let name: String
  public var attributes: [Name: Value]
  public init(_ name: String, _ attributes: [Name: Value] = [:]) {
    self.name = name
    self.attributes = attributes
  }
  override public var typeName: String { "module" }
}

/// The arguments of a call as Python passes them.
public struct CallArgs {
  public var positional: [Value]
  public var keywords: [(String, Value)]

  public init(_ positional: [Value], _ keywords: [(String, Value)] = []) {
    self.positional = positional
    self.keywords = keywords
  }
}

/// A function written in Swift: a builtin, a library function or a bound method of a builtin
/// type. `name` is its Python name (`sum`, `jax.numpy.sum`) for error messages and reprs.
public final class PyBuiltin: PyObject {
  public let name: String
  public let body: (Interpreter, CallArgs) throws(PyError) -> Value
  /// Attributes of the function object (`f.defjvp` of a custom_jvp).
  public var attributes: [Name: Value] = [:]
  public init(_ name: String, _ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) {
    self.name = name
    self.body = body
  }
  override public var typeName: String { "builtin_function_or_method" }
}

/// A function defined with `def` or `lambda`.
public final class PyFunction: PyObject {
  public let name: String
  public let code: FunctionCode
  /// Defaults, evaluated once where the function was defined.
  public let defaults: [Value]
  public let kwDefaults: [String: Value]
  /// The scope the function was defined in (its closure).
  public let closure: Scope?
  public let globals: Scope
  public var attributes: [Name: Value] = [:]

  init(
    name: String, code: FunctionCode, defaults: [Value], kwDefaults: [String: Value], closure: Scope?,
    globals: Scope
  ) {
    self.name = name
    self.code = code
    self.defaults = defaults
    self.kwDefaults = kwDefaults
    self.closure = closure
    self.globals = globals
  }
  override public var typeName: String { "function" }
}

/// A function's code: its parameters, body and the names it binds locally (found once, when
/// the definition is first run).
public final class FunctionCode {
  public let name: String
  public let parameters: Arguments
  let body: FunctionBody
  public let range: SourceRange
  public let filename: String
  /// The line Python's `co_firstlineno` names: the `def` (or its first decorator), the lambda.
  public var firstLine: Int

  init(name: String, parameters: Arguments, body: FunctionBody, range: SourceRange, filename: String) {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.range = range
    self.filename = filename
    self.firstLine = range.line
  }
}

/// A function's compiled body: statements, or a lambda's expression.
enum FunctionBody {
  case statements(Block)
  case expression(Code)
}

/// A class: its name, bases and attributes (methods are functions among them).
public final class PyClass: PyObject {
  public let name: String
  public let bases: [PyClass]
  public var attributes: [Name: Value]
  /// Set for classes of Python's built-in exceptions and JAX's errors.
  public let isBuiltin: Bool

  public init(_ name: String, bases: [PyClass], attributes: [Name: Value] = [:], isBuiltin: Bool = false) {
    self.name = name
    self.bases = bases
    self.attributes = attributes
    self.isBuiltin = isBuiltin
  }
  override public var typeName: String { "type" }

  /// The method resolution order: this class, then its bases depth first, each once.
  public var mro: [PyClass] {
    var seen = Set<ObjectIdentifier>()
    var out: [PyClass] = []
    func visit(_ c: PyClass) {
      guard seen.insert(ObjectIdentifier(c)).inserted else { return }
      out.append(c)
      for b in c.bases { visit(b) }
    }
    visit(self)
    return out
  }

  public func lookup(_ name: String) -> Value? {
    if let v = attributes[name] { return v }
    for b in bases {
      if let v = b.lookup(name) { return v }
    }
    return nil
  }

  public func isSubclass(of other: PyClass) -> Bool {
    if self === other { return true }
    return bases.contains { $0.isSubclass(of: other) }
  }
}

/// An instance of a class defined in the script (or of a built-in exception class).
public final class PyInstance: PyObject {
  public let cls: PyClass
  public var attributes: [Name: Value] = [:]
  public init(_ cls: PyClass) { self.cls = cls }
  override public var typeName: String { cls.name }
}

/// A function bound to its first argument (`obj.method`).
public final class PyBoundMethod: PyObject {
  public let function: Value
  public let receiver: Value
  public init(_ function: Value, _ receiver: Value) {
    self.function = function
    self.receiver = receiver
  }
  override public var typeName: String { "method" }
}

/// `@classmethod` and `@staticmethod` wrappers, as stored in a class body.
public final class PyMethodWrapper: PyObject {
  public enum Kind { case classMethod, staticMethod, property }
  public let kind: Kind
  public let function: Value
  public init(_ kind: Kind, _ function: Value) {
    self.kind = kind
    self.function = function
  }
  override public var typeName: String {
    switch kind {
    case .classMethod: "classmethod"
    case .staticMethod: "staticmethod"
    case .property: "property"
    }
  }
}

/// `range(a, b, c)`.
public final class PyRange: PyObject {
  public let start: Int, stop: Int, step: Int
  public init(_ start: Int, _ stop: Int, _ step: Int) {
    (self.start, self.stop, self.step) = (start, stop, step)
  }
  public var count: Int {
    if step > 0 { return start < stop ? (stop - start + step - 1) / step : 0 }
    return start > stop ? (start - stop - step - 1) / -step : 0
  }
  public subscript(i: Int) -> Int { start + i * step }
  override public var typeName: String { "range" }
}

/// An iterator over a materialised sequence (what `iter`, `zip`, `map`, generators give).
public final class PyIterator: PyObject {
  var next: () throws(PyError) -> Value?
  let name: String
  init(_ name: String = "iterator", _ next: @escaping () throws(PyError) -> Value?) {
    self.name = name
    self.next = next
  }
  override public var typeName: String { name }
}

extension PyIterator {
  /// An iterator over items already computed.
  static func over(_ name: String, _ items: [Value]) -> PyIterator {
    var i = 0
    return PyIterator(name) {
      guard i < items.count else { return nil }
      i += 1
      return items[i - 1]
    }
  }
}

extension Value {
  static func iterator(_ name: String, _ items: [Value]) -> Value { .object(PyIterator.over(name, items)) }
}

/// `x.at` and `x.at[idx]` of an array.
public final class PyAtHelper: PyObject {
  public let base: Tensor
  public let index: Value?
  public init(_ base: Tensor, _ index: Value?) {
    self.base = base
    self.index = index
  }
  override public var typeName: String { "_IndexUpdateHelper" }
}

/// An opaque Swift value the libraries hand to scripts: a PyTreeDef, a dtype, a jaxpr.
public final class PyOpaque: PyObject {
  public let kind: String
  public let payload: Any
  /// Its text, made when it is printed (a program's text costs more than tracing it).
  public var repr: String { makeRepr() }
  private let makeRepr: () -> String
  public var attributes: [Name: Value] = [:]
  public init(_ kind: String, _ payload: Any, repr: @escaping @autoclosure () -> String) {
    self.kind = kind
    self.payload = payload
    self.makeRepr = repr
  }
  override public var typeName: String { kind }
}

extension Value {
  /// Python's `type(x).__name__`.
  public var typeName: String {
    switch self {
    case .none: "NoneType"
    case .bool: "bool"
    case .int, .bigint: "int"
    case .float: "float"
    case .str: "str"
    case .tuple: "tuple"
    case .list: "list"
    case .dict: "dict"
    case .set: "set"
    case .array: "ArrayImpl"
    case .key: "ArrayImpl"
    case .slice: "slice"
    case .ellipsis: "ellipsis"
    case .object(let o): o.typeName
    }
  }

  /// Whether this is an array standing for a value being traced (inside a transformation).
  var isTracer: Bool {
    if case .array(let t) = self { return t.isTracer }
    return false
  }

  public var isNone: Bool {
    if case .none = self { return true }
    return false
  }

  static func builtin(_ name: String, _ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) -> Value {
    .object(PyBuiltin(name, body))
  }
}

/// A name as namespaces key it: the string and a hash computed once (FNV-1a over its UTF-8),
/// so a lookup costs a few nanoseconds instead of a SipHash of the string (a Python loop does
/// several lookups an iteration). Dictionaries keyed by names also take plain strings.
public struct Name: Hashable, ExpressibleByStringLiteral, CustomStringConvertible, Sendable {
  public let string: String
  let hash: Int

  public init(_ string: String) {
    self.string = string
    func fnv(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
      }
      return h
    }
    var s = string
    let h = s.withUTF8 { fnv($0) }
    hash = Int(truncatingIfNeeded: h)
  }

  public init(stringLiteral value: String) { self.init(value) }

  public var description: String { string }

  public static func == (a: Name, b: Name) -> Bool { a.hash == b.hash && a.string == b.string }
  public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
  public func _rawHashValue(seed: Int) -> Int { hash ^ seed }
}

extension Dictionary where Key == Name {
  /// The value for a name given as a string.
  @inline(__always) public subscript(_ name: String) -> Value? {
    get { self[Name(name)] }
    set { self[Name(name)] = newValue }
  }

  @discardableResult
  public mutating func removeValue(forKey name: String) -> Value? { removeValue(forKey: Name(name)) }
}

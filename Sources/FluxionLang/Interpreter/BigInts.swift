import BigInt
import Foundation

/// Python's arbitrary-precision int: values outside Int's range are `.bigint` (never one that
/// fits an Int, so `.int` stays the fast path), computed with attaswift/BigInt.
extension Interpreter {
  /// Python 3.11's limit on int ↔ decimal string conversion.
  static let maxStringDigits = 4300

  func normalized(_ b: BigInt) -> Value {
    if let i = Int(exactly: b) { return .int(i) }
    return .bigint(b)
  }

  /// The BigInt of an int-like value (int, bool, bigint), nil for others.
  func bigValue(_ v: Value) -> BigInt? {
    switch v {
    case .int(let i): BigInt(i)
    case .bool(let b): BigInt(b ? 1 : 0)
    case .bigint(let b): b
    default: nil
    }
  }

  /// The float of an int too large for a Double is Python's OverflowError.
  func bigToDouble(_ b: BigInt) throws(PyError) -> Double {
    let d = Double(b)
    guard d.isFinite else { throw PyError.overflow("int too large to convert to float") }
    return d
  }

  /// An operator on two ints, one of them (or the result) too large for Int.
  func bigOp(_ op: BinaryOperator, _ x: BigInt, _ y: BigInt) throws(PyError) -> Value {
    switch op {
    case .add: return normalized(x + y)
    case .sub: return normalized(x - y)
    case .mult:
      try checkBits(x.bitWidth + y.bitWidth)
      return normalized(x * y)
    case .div:
      guard y != 0 else { throw PyError.zeroDivision("division by zero") }
      return .float(try bigToDouble(x) / bigToDouble(y))
    case .floorDiv, .mod:
      guard y != 0 else {
        throw PyError.zeroDivision(op == .mod ? "integer modulo by zero" : "integer division or modulo by zero")
      }
      var (q, r) = x.quotientAndRemainder(dividingBy: y)
      if r != 0 && (r < 0) != (y < 0) {
        q -= 1
        r += y
      }
      return normalized(op == .mod ? r : q)
    case .pow:
      if y < 0 {
        guard x != 0 else { throw PyError.zeroDivision("0.0 cannot be raised to a negative power") }
        return .float(Foundation.pow(try bigToDouble(x), try bigToDouble(y)))
      }
      if x == 0 || x == 1 { return normalized(x) }
      if x == -1 { return .int(y.isMultiple(of: 2) ? 1 : -1) }
      guard let e = Int(exactly: y) else {
        throw PyError("MemoryError", "an integer power this large does not fit in memory")
      }
      try checkBits(e.multipliedReportingOverflow(by: x.magnitude.bitWidth).partialValue, overflowed: e > 1 << 40)
      return normalized(x.power(e))
    case .lShift:
      guard y >= 0 else { throw PyError.value("negative shift count") }
      guard let s = Int(exactly: y) else { throw PyError.overflow("Python int too large to convert to C ssize_t") }
      try checkBits(x.bitWidth + s)
      return normalized(x << s)
    case .rShift:
      guard y >= 0 else { throw PyError.value("negative shift count") }
      guard let s = Int(exactly: y) else { return .int(x < 0 ? -1 : 0) }
      return normalized(x >> s)
    case .bitAnd: return normalized(x & y)
    case .bitOr: return normalized(x | y)
    case .bitXor: return normalized(x ^ y)
    case .matMult: throw PyError.type("unsupported operand type(s) for @: 'int' and 'int'")
    }
  }

  /// Results of more than 2^26 bits (about 20 million digits) are a MemoryError: Python would
  /// compute them, slowly; a keystroke's evaluation should not.
  /// Big-int results stay below 2^20 bits (315 653 decimal digits): the largest power or
  /// product then takes well under a second with attaswift/BigInt, whose operations cannot be
  /// interrupted midway by the wall-time limit or a cancellation (3**1_000_000, 1.6 M bits,
  /// took 2.4 s; 3**3_333_733 over 20 s).
  private func checkBits(_ bits: Int, overflowed: Bool = false) throws(PyError) {
    if overflowed || bits > 1 << 20 {
      throw PyError("MemoryError", "the integer result would have more than \(1 << 20) bits")
    }
  }

  /// `str(n)` within Python 3.11's digit limit.
  func bigString(_ b: BigInt) throws(PyError) -> String {
    // A quick bound first: 2^k has about 0.30103·k digits.
    if Double(b.magnitude.bitWidth) * 0.30103 > Double(Self.maxStringDigits) + 1 {
      throw PyError.value(
        "Exceeds the limit (\(Self.maxStringDigits) digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
      )
    }
    return String(b)
  }

  /// `int(text)` for digits beyond Int's range.
  func parseBig(_ text: String, radix: Int) throws(PyError) -> Value? {
    let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.count - 1 : text.count
    if radix == 10 && digits > Self.maxStringDigits {
      throw PyError.value(
        "Exceeds the limit (\(Self.maxStringDigits) digits) for integer string conversion: value has \(digits) digits; use sys.set_int_max_str_digits() to increase the limit"
      )
    }
    return BigInt(text, radix: radix).map(normalized)
  }
}

/// Row-major element values of an array to print.
enum PrintData {
  case bool([Bool])
  case int32([Int32])
  case uint32([UInt32])
  case int64([Int64])
  case uint64([UInt64])
  case float32([Float])
  case float64([Double])
}

/// Array text exactly as JAX 0.10.2 prints it with NumPy 2's default print options.
///
/// Options are NumPy's defaults: precision 8 in 'maxprec' float mode, threshold 1000 (larger
/// arrays show only `edgeItems` leading and trailing entries per axis), line width 75.
/// A `shape` that is invalid or disagrees with the element count prints the data as 1-d.
enum ArrayFormatter {
  /// NumPy's `precision` print option (8 unless `withPrintPrecision` sets another).
  @TaskLocal static var precision = 8

  /// NumPy's `str(x)` (what `print(x)` shows). 0-d arrays print as the Python scalar would (`2.0`, `0.33333334`, `7`, `True`).
  static func str(_ data: PrintData, shape: [Int]) -> String {
    let shape = checkedShape(shape, count: data.count)
    if shape.isEmpty {
      return scalarText(data)
    }
    if data.count == 0 {
      return "[]"
    }
    return arrayText(data, shape: shape, lineWidth: lineWidth, prefix: "", separator: " ")
  }

  /// JAX's `repr(x)`: `Array([0., 1., 2.], dtype=float32)`, `Array(2., dtype=float32, weak_type=True)`, `Array([], shape=(2, 0), dtype=float32)`.
  static func repr(_ data: PrintData, shape: [Int], dtypeName: String, weakType: Bool) -> String {
    let shape = checkedShape(shape, count: data.count)
    let prefix = "Array("
    let dtypeText = weakType ? "dtype=\(dtypeName), weak_type=True" : "dtype=\(dtypeName)"
    let body: String
    if data.count == 0 {
      body = "[], shape=\(tupleText(shape))"
    } else {
      // NumPy's array2string shortens the line by the length of the "," suffix.
      body = arrayText(
        data, shape: shape, lineWidth: lineWidth - 1, prefix: prefix, separator: ", ")
    }
    // JAX measures the last line as its length plus 2 (`len(s) - s.rfind('\n') + 1`).
    let lastLine = body.utf8.split(separator: newline, omittingEmptySubsequences: false).last
    let lastLineLength = (lastLine?.count ?? 0) + 2
    let gap =
      lastLineLength + dtypeText.utf8.count + 2 > lineWidth
      ? String(repeating: " ", count: prefix.utf8.count) : " "
    return prefix + body + "," + gap + dtypeText + ")"
  }

  /// NumPy's `repr(x)` of an ndarray: `array([0., 1., 2.])`, `array([1, 2], dtype=int32)`,
  /// `array(3.)`, `array([], shape=(2, 0), dtype=float64)`. The dtype shows unless the values
  /// imply it (float64, int64, bool) or the array is empty; the shape shows for empty arrays
  /// of any shape but (0,) and for arrays summarised with `...`.
  static func numpyRepr(_ data: PrintData, shape: [Int], dtypeName: String) -> String {
    let shape = checkedShape(shape, count: data.count)
    let prefix = "array("
    let body =
      data.count == 0
      ? "[]" : arrayText(data, shape: shape, lineWidth: lineWidth - 1, prefix: prefix, separator: ", ")
    var extras: [String] = []
    if (data.count == 0 && shape != [0]) || data.count > threshold { extras.append("shape=\(tupleText(shape))") }
    if !["float64", "int64", "bool"].contains(dtypeName) || data.count == 0 { extras.append("dtype=\(dtypeName)") }
    if extras.isEmpty { return prefix + body + ")" }
    let text = prefix + body + ","
    let extra = extras.joined(separator: ", ") + ")"
    let lastLine = text.utf8.split(separator: newline, omittingEmptySubsequences: false).last?.count ?? 0
    let spacer =
      lastLine + extra.utf8.count + 1 > lineWidth ? "\n" + String(repeating: " ", count: prefix.utf8.count) : " "
    return text + spacer + extra
  }

  private static let lineWidth = 75
  private static let threshold = 1000
  fileprivate static let edgeItems = 3
  private static let newline = UInt8(ascii: "\n")

  /// `shape` if it is valid and holds `count` elements, else `[count]`.
  private static func checkedShape(_ shape: [Int], count: Int) -> [Int] {
    var size = 1
    for dimension in shape {
      guard dimension >= 0 else { return [count] }
      let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return [count] }
      size = product
    }
    return size == count ? shape : [count]
  }

  /// Python's tuple text: `()`, `(0,)`, `(2, 0)`.
  private static func tupleText(_ shape: [Int]) -> String {
    shape.count == 1
      ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// The Python scalar text of a 0-d array's only element.
  private static func scalarText(_ data: PrintData) -> String {
    switch data {
    case .bool(let values): return values.first.map { $0 ? "True" : "False" } ?? ""
    case .int32(let values): return values.first.map { String($0) } ?? ""
    case .uint32(let values): return values.first.map { String($0) } ?? ""
    case .int64(let values): return values.first.map { String($0) } ?? ""
    case .uint64(let values): return values.first.map { String($0) } ?? ""
    case .float32(let values): return values.first.map(FloatFormat.scalarText) ?? ""
    case .float64(let values): return values.first.map(FloatFormat.scalarText) ?? ""
    }
  }

  /// NumPy's `array2string` of a non-empty array; `prefix` is the text the caller puts before it.
  private static func arrayText(
    _ data: PrintData, shape: [Int], lineWidth: Int, prefix: String, separator: String
  ) -> String {
    let summarize = data.count > threshold
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in shape.indices.dropLast().reversed() {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    let shown = shownIndices(shape: shape, strides: strides, summarize: summarize)
    let word = elementWords(data, shown: shown, isScalar: shape.isEmpty)
    let layout = NestedLayout(
      shape: shape, strides: strides, word: word, separator: separator, summarize: summarize)
    let nextLinePrefix = String(repeating: " ", count: 1 + prefix.utf8.count)
    return layout.text(axis: 0, offset: 0, hangingIndent: nextLinePrefix, width: lineWidth)
  }

  /// Flat indices of the elements that get printed, in printing order.
  private static func shownIndices(shape: [Int], strides: [Int], summarize: Bool) -> [Int] {
    var indices = [0]
    for axis in shape.indices {
      let length = shape[axis]
      let positions =
        summarize && length > 2 * edgeItems
        ? Array(0..<edgeItems) + Array((length - edgeItems)..<length) : Array(0..<length)
      indices = indices.flatMap { base in positions.map { base + $0 * strides[axis] } }
    }
    return indices
  }

  /// The text of each element by flat index, padded to the width shared by the `shown` elements.
  private static func elementWords(_ data: PrintData, shown: [Int], isScalar: Bool)
    -> (Int) -> String
  {
    switch data {
    case .bool(let values):
      let trueText = isScalar ? "True" : " True"
      return { values[$0] ? trueText : "False" }
    case .int32(let values): return integerWords(values, shown: shown)
    case .uint32(let values): return integerWords(values, shown: shown)
    case .int64(let values): return integerWords(values, shown: shown)
    case .uint64(let values): return integerWords(values, shown: shown)
    case .float32(let values):
      let format = FloatFormat(shown.map { values[$0] })
      return { format.text(values[$0]) }
    case .float64(let values):
      let format = FloatFormat(shown.map { values[$0] })
      return { format.text(values[$0]) }
    }
  }

  /// Integers right-aligned to the widest of the shown minimum and maximum.
  private static func integerWords<T: FixedWidthInteger>(_ values: [T], shown: [Int])
    -> (Int) -> String
  {
    let shownValues = shown.map { values[$0] }
    var width = 0
    if let low = shownValues.min(), let high = shownValues.max() {
      width = max(String(low).utf8.count, String(high).utf8.count)
    }
    return { leftPadded(String(values[$0]), to: width) }
  }
}

/// NumPy's `_formatArray`: nested brackets, wrapping and summary markers around element words.
private struct NestedLayout {
  let shape: [Int]
  let strides: [Int]
  let word: (Int) -> String
  let separator: String
  let summarize: Bool

  /// The sub-array at `axis` starting at flat `offset`; its lines after the first start with
  /// `hangingIndent` and stay within `width` columns.
  func text(axis: Int, offset: Int, hangingIndent: String, width: Int) -> String {
    guard axis < shape.count else { return word(offset) }
    let length = shape[axis]
    guard length > 0 else { return "[]" }
    let edgeItems = ArrayFormatter.edgeItems
    let showSummary = summarize && length > 2 * edgeItems
    let leading = showSummary ? edgeItems : 0
    let trailing = showSummary ? edgeItems : length
    let child = { (index: Int) in
      text(
        axis: axis + 1, offset: offset + index * strides[axis],
        hangingIndent: hangingIndent + " ", width: width - 1)
    }
    let trimmedSeparator = trimTrailingSpaces(separator)
    let axesLeft = shape.count - axis
    var result = ""
    if axesLeft == 1 {
      let elementWidth = width - max(trimmedSeparator.utf8.count, 1)
      var line = hangingIndent
      func append(_ word: String) {
        let fits = line.utf8.count + word.utf8.count <= elementWidth
        if !fits && line.utf8.count > hangingIndent.utf8.count {
          result += trimTrailingSpaces(line) + "\n"
          line = hangingIndent
        }
        line += word
      }
      for index in 0..<leading {
        append(child(index))
        line += separator
      }
      if showSummary {
        append("...")
        line += separator
      }
      for back in stride(from: trailing, to: 1, by: -1) {
        append(child(length - back))
        line += separator
      }
      append(child(length - 1))
      result += line
    } else {
      let lineSeparator = trimmedSeparator + String(repeating: "\n", count: axesLeft - 1)
      for index in 0..<leading {
        result += hangingIndent + child(index) + lineSeparator
      }
      if showSummary {
        result += hangingIndent + "..." + lineSeparator
      }
      for back in stride(from: trailing, to: 1, by: -1) {
        result += hangingIndent + child(length - back) + lineSeparator
      }
      result += hangingIndent + child(length - 1)
    }
    return "[" + result.dropFirst(hangingIndent.count) + "]"
  }
}

/// The float types the printer handles, with NumPy's per-dtype notation limits.
private protocol PrintableFloat: BinaryFloatingPoint {
  /// Arrays switch to scientific notation at this magnitude (`10 ** min(8, finfo.precision)`).
  static var arrayScientificLimit: Self { get }
  /// A 0-d `str` switches to scientific notation at this magnitude.
  static var scalarScientificLimit: Double { get }
}

extension Float: PrintableFloat {
  fileprivate static var arrayScientificLimit: Float { 1e6 }
  fileprivate static var scalarScientificLimit: Double { 1e6 }
}

extension Double: PrintableFloat {
  fileprivate static var arrayScientificLimit: Double { 1e8 }
  fileprivate static var scalarScientificLimit: Double { 1e16 }
}

/// NumPy's `FloatingFormat` ('maxprec', precision 8): a notation and padding shared by an array.
private struct FloatFormat<F: PrintableFloat> {
  private static var precision: Int { ArrayFormatter.precision }
  private var scientific = false
  private var padLeft = 0
  private var padRight = 0
  private var fractionDigits = 0
  private var exponentDigits = 2

  /// The format for `values`, the elements that will be printed.
  init(_ values: [F]) {
    let finite = values.filter { $0.isFinite }
    let magnitudes = finite.filter { $0 != 0 }.map(\.magnitude)
    if let largest = magnitudes.max(), let smallest = magnitudes.min() {
      scientific =
        largest >= F.arrayScientificLimit || smallest < F(0.0001 as Double)
        || largest / smallest > 1000
    }
    if scientific {
      let parts = finite.map { Self.scientificParts($0, precision: Self.precision, minDigits: -1) }
      exponentDigits = parts.map { max(2, String($0.exponent.magnitude).utf8.count) }.max() ?? 2
      fractionDigits = parts.map(\.fraction.utf8.count).max() ?? 0
      padLeft = parts.map(\.integer.utf8.count).max() ?? 0
      padRight = finite.isEmpty ? 0 : exponentDigits + 2 + fractionDigits
    } else {
      let parts = finite.map { Self.positionalParts($0, minDigits: -1) }
      padLeft = parts.map(\.integer.utf8.count).max() ?? 0
      padRight = parts.map(\.fraction.utf8.count).max() ?? 0
    }
    if finite.count != values.count {
      let negativeInfinity = values.contains { $0.isInfinite && $0 < 0 }
      let pointAndRight = padRight + 1
      padLeft = max(padLeft, 3 - pointAndRight, 3 + (negativeInfinity ? 1 : 0) - pointAndRight)
    }
  }

  /// One element, padded to the shared width.
  func text(_ x: F) -> String {
    if !x.isFinite {
      return leftPadded(Self.nonFiniteText(x), to: padLeft + padRight + 1)
    }
    if scientific {
      // Every mantissa gets exactly `fractionDigits` digits, past the shortest if need be.
      let parts = Self.scientificParts(x, precision: fractionDigits, minDigits: fractionDigits)
      let zeros = String(repeating: "0", count: max(0, fractionDigits - parts.fraction.utf8.count))
      return leftPadded(parts.integer, to: padLeft) + "." + parts.fraction + zeros + "e"
        + Self.exponentText(parts.exponent, digits: exponentDigits)
    }
    let parts = Self.positionalParts(x, minDigits: 0)
    return leftPadded(parts.integer, to: padLeft) + "." + rightPadded(parts.fraction, to: padRight)
  }

  /// NumPy's scalar `str`: shortest digits, positional (`0.5`, `100000.0`) for magnitudes in
  /// [1e-4, limit) and zero, else scientific without a trailing point (`1e-05`, `1.5e+16`).
  static func scalarText(_ x: F) -> String {
    if !x.isFinite {
      return nonFiniteText(x)
    }
    let sign = x.sign == .minus ? "-" : ""
    let magnitude = Double(x.magnitude)
    let digits = DecimalDigits(x, mode: .totalLength, cutoffMax: -1, cutoffMin: -1)
    if x == 0 || (magnitude >= 1e-4 && magnitude < F.scalarScientificLimit) {
      let (integer, fraction) = digits.positional
      return sign + integer + "." + (fraction.isEmpty ? "0" : fraction)
    }
    let (integer, fraction, exponent) = digits.scientific
    return sign + integer + (fraction.isEmpty ? "" : "." + fraction) + "e"
      + exponentText(exponent, digits: 2)
  }

  private static func nonFiniteText(_ x: F) -> String {
    x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
  }

  /// `+05`, `-300`: the exponent's sign and at least `digits` digits.
  private static func exponentText(_ exponent: Int, digits: Int) -> String {
    let magnitude = String(exponent.magnitude)
    let zeros = String(repeating: "0", count: max(0, digits - magnitude.utf8.count))
    return (exponent < 0 ? "-" : "+") + zeros + magnitude
  }

  /// Integer part (with sign) and fraction digits of `x`, at most `precision` of them.
  private static func positionalParts(_ x: F, minDigits: Int) -> (
    integer: String, fraction: String
  ) {
    let digits = DecimalDigits(
      x, mode: .fractionLength, cutoffMax: precision, cutoffMin: minDigits)
    let (integer, fraction) = digits.positional
    return ((x.sign == .minus ? "-" : "") + integer, fraction)
  }

  /// Mantissa integer digit (with sign), mantissa fraction digits (at most `precision`, at
  /// least `minDigits` unless they are zeros) and decimal exponent of `x`.
  private static func scientificParts(_ x: F, precision: Int, minDigits: Int) -> (
    integer: String, fraction: String, exponent: Int
  ) {
    let digits = DecimalDigits(
      x, mode: .totalLength, cutoffMax: precision + 1,
      cutoffMin: minDigits < 0 ? -1 : minDigits + 1)
    let (integer, fraction, exponent) = digits.scientific
    return ((x.sign == .minus ? "-" : "") + integer, fraction, exponent)
  }
}

/// A nonnegative decimal `0.d₁d₂…dₙ × 10^pointIndex` with no leading or trailing zero digits
/// (zero has no digits).
private struct DecimalDigits {
  private(set) var digits: [UInt8]
  private(set) var pointIndex: Int

  private init(digits: [UInt8], pointIndex: Int) {
    let leadingZeros = digits.prefix { $0 == 0 }.count
    self.digits = Array(digits.dropFirst(leadingZeros))
    self.pointIndex = pointIndex - leadingZeros
    while self.digits.last == 0 {
      self.digits.removeLast()
    }
    if self.digits.isEmpty {
      self.pointIndex = 0
    }
  }

  /// Where a digit cutoff is counted from: the decimal point or the first significant digit.
  enum CutoffMode {
    case fractionLength, totalLength
  }

  /// The digits of finite `|x|` as NumPy's Dragon4 prints them in unique mode.
  ///
  /// Digits stop once they identify `x` among its neighbours in its own type (the shortest
  /// round-trip digits) but not before `cutoffMin` digits, and never after `cutoffMax`
  /// (counted per `mode`; -1 for no limit). Digits past the shortest are `x`'s exact digits,
  /// and the last one is rounded as Dragon4 rounds, ties to an even digit.
  init<F: PrintableFloat>(_ x: F, mode: CutoffMode, cutoffMax: Int, cutoffMin: Int) {
    let bias = (1 << (F.exponentBitCount - 1)) - 1
    let rawExponent = Int(x.exponentBitPattern)
    let fraction = UInt64(x.significandBitPattern)
    let mantissa: UInt64
    let exponent: Int
    let mantissaBit: Int
    let unequalMargins: Bool
    if rawExponent != 0 {
      mantissa = (UInt64(1) << UInt64(F.significandBitCount)) | fraction
      exponent = rawExponent - bias - F.significandBitCount
      mantissaBit = F.significandBitCount
      unequalMargins = rawExponent != 1 && fraction == 0
    } else {
      mantissa = fraction
      exponent = 1 - bias - F.significandBitCount
      mantissaBit = 63 - mantissa.leadingZeroBitCount
      unequalMargins = false
    }
    guard mantissa != 0 else {
      self.init(digits: [], pointIndex: 0)
      return
    }

    // value / scale is |x|; the margins are half the gaps to the neighbouring floats.
    var value = BigUnsigned(mantissa)
    var scale: BigUnsigned
    var marginLow: BigUnsigned
    let extraShift = unequalMargins ? 2 : 1
    if exponent > 0 {
      value.shiftLeft(exponent + extraShift)
      scale = BigUnsigned(UInt64(1) << UInt64(extraShift))
      marginLow = BigUnsigned(1)
      marginLow.shiftLeft(exponent)
    } else {
      value.shiftLeft(extraShift)
      scale = BigUnsigned(1)
      scale.shiftLeft(-exponent + extraShift)
      marginLow = BigUnsigned(1)
    }
    var marginHigh = marginLow
    if unequalMargins {
      marginHigh.multiply(by: 2)
    }

    // Dragon4's estimate of floor(log10(|x|)) + 1: exact or one too small.
    let estimate = Double(mantissaBit + exponent) * 0.301_029_995_663_981_195_21 - 0.69
    var digitExponent = Int(estimate)
    if Double(digitExponent) < estimate {
      digitExponent += 1
    }
    if cutoffMax >= 0 && mode == .fractionLength && digitExponent <= -cutoffMax {
      digitExponent = -cutoffMax + 1
    }
    if digitExponent > 0 {
      scale.multiplyByPowerOfTen(digitExponent)
    } else if digitExponent < 0 {
      value.multiplyByPowerOfTen(-digitExponent)
      marginLow.multiplyByPowerOfTen(-digitExponent)
      marginHigh.multiplyByPowerOfTen(-digitExponent)
    }
    if value >= scale {
      digitExponent += 1
    } else {
      value.multiply(by: 10)
      marginLow.multiply(by: 10)
      marginHigh.multiply(by: 10)
    }

    var cutoffMaxExponent = digitExponent - 4096
    if cutoffMax >= 0 {
      cutoffMaxExponent = max(
        cutoffMaxExponent, mode == .totalLength ? digitExponent - cutoffMax : -cutoffMax)
    }
    var cutoffMinExponent = digitExponent
    if cutoffMin >= 0 {
      cutoffMinExponent = min(
        cutoffMinExponent, mode == .totalLength ? digitExponent - cutoffMin : -cutoffMin)
    }
    var firstDigitExponent = digitExponent - 1

    let isEven = mantissa % 2 == 0
    var digits: [UInt8] = []
    var digit: UInt8 = 0
    var low = false
    var high = false
    while true {
      digitExponent -= 1
      digit = value.subtractMultiples(of: scale)
      var valueHigh = value
      valueHigh.add(marginHigh)
      low = isEven ? value <= marginLow : value < marginLow
      high = isEven ? valueHigh >= scale : valueHigh > scale
      if ((low || high) && digitExponent <= cutoffMinExponent)
        || digitExponent == cutoffMaxExponent
      {
        break
      }
      digits.append(digit)
      value.multiply(by: 10)
      marginLow.multiply(by: 10)
      marginHigh.multiply(by: 10)
    }

    var roundDown = low
    if low == high {
      var doubled = value
      doubled.multiply(by: 2)
      roundDown = doubled < scale || (doubled == scale && digit % 2 == 0)
    }
    if roundDown {
      digits.append(digit)
    } else if digit < 9 {
      digits.append(digit + 1)
    } else {
      while digits.last == 9 {
        digits.removeLast()
      }
      if let last = digits.popLast() {
        digits.append(last + 1)
      } else {
        digits = [1]
        firstDigitExponent += 1
      }
    }
    self.init(digits: digits, pointIndex: firstDigitExponent + 1)
  }

  /// `integer` digits (at least `0`) and `fraction` digits of the plain decimal.
  var positional: (integer: String, fraction: String) {
    let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    if pointIndex <= 0 {
      return ("0", String(repeating: "0", count: -pointIndex) + text)
    }
    if pointIndex >= digits.count {
      return (text + String(repeating: "0", count: pointIndex - digits.count), "")
    }
    let split = text.index(text.startIndex, offsetBy: pointIndex)
    return (String(text[..<split]), String(text[split...]))
  }

  /// First digit, remaining digits and exponent of `d.ddd × 10^exponent` (zero is `0 × 10^0`).
  var scientific: (integer: String, fraction: String, exponent: Int) {
    guard let first = digits.first else { return ("0", "", 0) }
    let fraction = String(
      decoding: digits.dropFirst().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    return (String(first), fraction, pointIndex - 1)
  }
}

/// A minimal unsigned big integer (little-endian 32-bit limbs, no high zero limbs).
private struct BigUnsigned: Comparable {
  private var limbs: [UInt32]

  init(_ value: UInt64) {
    limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
    trim()
  }

  static func < (lhs: BigUnsigned, rhs: BigUnsigned) -> Bool {
    if lhs.limbs.count != rhs.limbs.count {
      return lhs.limbs.count < rhs.limbs.count
    }
    for index in lhs.limbs.indices.reversed() where lhs.limbs[index] != rhs.limbs[index] {
      return lhs.limbs[index] < rhs.limbs[index]
    }
    return false
  }

  mutating func multiply(by factor: UInt32) {
    var carry: UInt64 = 0
    for index in limbs.indices {
      let product = UInt64(limbs[index]) * UInt64(factor) + carry
      limbs[index] = UInt32(truncatingIfNeeded: product)
      carry = product >> 32
    }
    if carry != 0 {
      limbs.append(UInt32(truncatingIfNeeded: carry))
    }
    trim()
  }

  mutating func multiplyByPowerOfTen(_ exponent: Int) {
    var remaining = exponent
    while remaining >= 9 {
      multiply(by: 1_000_000_000)
      remaining -= 9
    }
    for _ in 0..<max(0, remaining) {
      multiply(by: 10)
    }
  }

  mutating func shiftLeft(_ bits: Int) {
    guard !limbs.isEmpty, bits > 0 else { return }
    let wordShift = bits / 32
    let bitShift = UInt32(bits % 32)
    if bitShift != 0 {
      var carry: UInt32 = 0
      for index in limbs.indices {
        let limb = limbs[index]
        limbs[index] = (limb << bitShift) | carry
        carry = limb >> (32 - bitShift)
      }
      if carry != 0 {
        limbs.append(carry)
      }
    }
    limbs.insert(contentsOf: repeatElement(0, count: wordShift), at: 0)
  }

  mutating func add(_ other: BigUnsigned) {
    var carry: UInt64 = 0
    for index in 0..<max(limbs.count, other.limbs.count) {
      let sum =
        UInt64(index < limbs.count ? limbs[index] : 0)
        + UInt64(index < other.limbs.count ? other.limbs[index] : 0) + carry
      if index < limbs.count {
        limbs[index] = UInt32(truncatingIfNeeded: sum)
      } else {
        limbs.append(UInt32(truncatingIfNeeded: sum))
      }
      carry = sum >> 32
    }
    if carry != 0 {
      limbs.append(UInt32(truncatingIfNeeded: carry))
    }
  }

  /// Subtracts `divisor` while it fits and returns how many times it did (the quotient digit).
  mutating func subtractMultiples(of divisor: BigUnsigned) -> UInt8 {
    var quotient: UInt8 = 0
    while self >= divisor && quotient < UInt8.max {
      var borrow: Int64 = 0
      for index in limbs.indices {
        let difference =
          Int64(limbs[index]) - Int64(index < divisor.limbs.count ? divisor.limbs[index] : 0)
          - borrow
        limbs[index] = UInt32(truncatingIfNeeded: difference)
        borrow = difference < 0 ? 1 : 0
      }
      trim()
      quotient += 1
    }
    return quotient
  }

  private mutating func trim() {
    while limbs.last == 0 {
      limbs.removeLast()
    }
  }
}

extension PrintData {
  /// The number of elements.
  fileprivate var count: Int {
    switch self {
    case .bool(let values): values.count
    case .int32(let values): values.count
    case .uint32(let values): values.count
    case .int64(let values): values.count
    case .uint64(let values): values.count
    case .float32(let values): values.count
    case .float64(let values): values.count
    }
  }
}

private func leftPadded(_ text: String, to width: Int) -> String {
  String(repeating: " ", count: max(0, width - text.utf8.count)) + text
}

private func rightPadded(_ text: String, to width: Int) -> String {
  text + String(repeating: " ", count: max(0, width - text.utf8.count))
}

/// Python's `str.rstrip()` for the space-only padding in printed lines.
private func trimTrailingSpaces(_ text: String) -> String {
  var end = text.utf8.endIndex
  while end != text.utf8.startIndex {
    let before = text.utf8.index(before: end)
    guard text.utf8[before] == UInt8(ascii: " ") else { break }
    end = before
  }
  return String(text[..<end])
}

/// Runs `body` with arrays printed at `precision` fraction digits at most (NumPy's
/// `np.printoptions(precision=…)`; `np.testing` prints its arrays at 6).
public func withPrintPrecision<R, E: Error>(_ precision: Int, _ body: () throws(E) -> R) throws(E) -> R {
  let result = ArrayFormatter.$precision.withValue(max(0, precision)) { () -> Result<R, E> in
    do throws(E) { return .success(try body()) } catch { return .failure(error) }
  }
  return try result.get()
}

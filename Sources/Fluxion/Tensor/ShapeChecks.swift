import FluxionBackend
import Foundation

/// The number of elements of `shape`, or nil when a dimension is negative or the product
/// does not fit an Int.
func elementCount(_ shape: [Int]) -> Int? {
  var n = 1
  for d in shape {
    guard d >= 0 else { return nil }
    let (p, overflow) = n.multipliedReportingOverflow(by: d)
    if overflow { return nil }
    n = p
  }
  return n
}

/// The most dimensions an array may have (NumPy's limit).
let maximumRank = 64

/// The largest single array the engine will allocate: a quarter of the machine's memory, so a
/// mistaken shape is an error rather than the system killing the process.
let allocationLimitBytes = Int(clamping: ProcessInfo.processInfo.physicalMemory / 4)

/// Why no array of `shape` and `dtype` can be made here (a negative dimension, or more memory
/// than the machine has), or nil when it can.
func shapeError(_ shape: [Int], _ dtype: DType) -> FluxionError? {
  if shape.count > maximumRank {
    return .valueError("maximum supported dimension for an ndarray is currently \(maximumRank), found \(shape.count)")
  }
  if shape.contains(where: { $0 < 0 }) {
    return .valueError("negative dimensions are not allowed, got shape \(pyShape(shape))")
  }
  guard let n = elementCount(shape), case let (bytes, false) = n.multipliedReportingOverflow(by: dtype.size),
    bytes <= allocationLimitBytes
  else {
    let bytes = shape.reduce(Double(dtype.size)) { $0 * Double($1) }
    return FluxionError(
      .resourceExhausted,
      "RESOURCE_EXHAUSTED: Out of memory while trying to allocate \(String(format: "%.0f", bytes)) bytes.")
  }
  return nil
}

/// A Double as an Int, saturating at the ends of the range (NaN gives 0).
func clampedInt(_ d: Double) -> Int {
  if d.isNaN { return 0 }
  if d >= 9.2e18 { return Int.max }
  if d <= -9.2e18 { return Int.min }
  return Int(d)
}

/// The exact product of integers in decimal, as Python prints it (JAX's messages show products
/// of axis sizes that do not fit in 64 bits).
func exactProduct(_ xs: [Int]) -> String {
  let base: UInt64 = 1_000_000_000
  var limbs: [UInt64] = [1]  // base 10⁹, least significant first
  var negative = false
  for x in xs {
    if x == 0 { return "0" }
    if x < 0 { negative.toggle() }
    let m = UInt64(x.magnitude)
    var carry: UInt64 = 0
    for i in limbs.indices {
      // limb · m + carry < 10⁹ · 2⁶⁴, so the quotient by 10⁹ fits in 64 bits.
      let p = m.multipliedFullWidth(by: limbs[i])
      let (low, overflow) = p.low.addingReportingOverflow(carry)
      let (q, r) = base.dividingFullWidth((p.high + (overflow ? 1 : 0), low))
      limbs[i] = r
      carry = q
    }
    while carry > 0 {
      limbs.append(carry % base)
      carry /= base
    }
  }
  var text = String(limbs[limbs.count - 1])
  for limb in limbs.dropLast().reversed() {
    let d = String(limb)
    text += String(repeating: "0", count: 9 - d.count) + d
  }
  return (negative ? "-" : "") + text
}

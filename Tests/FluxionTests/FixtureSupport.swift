import FluxionBackend
import Foundation
import Testing

@testable import Fluxion

/// Reads a JSON fixture generated from real JAX (Tests/fixtures/*.py).
func loadFixture(_ name: String) throws -> [String: Any] {
  let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
  let data = try Data(contentsOf: url)
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// A fixture of named cases (`{"cases": [{"name", "out", …}]}`) as name → expected output.
func fixtureOutputs(_ name: String) -> [String: Any] {
  let list = ((try? loadFixture(name))?["cases"] as? [[String: Any]]) ?? []
  var out: [String: Any] = [:]
  for c in list { if let n = c["name"] as? String { out[n] = c["out"] } }
  return out
}

/// A fixture number: JSON numbers, "nan"/"inf"/"-inf", or "0x…" IEEE bit patterns.
func fixtureDouble(_ v: Any, dtype: DType = .float32) -> Double {
  if let n = v as? NSNumber { return n.doubleValue }
  if let s = v as? String {
    switch s {
    case "nan": return .nan
    case "inf": return .infinity
    case "-inf": return -.infinity
    default:
      if s.hasPrefix("0x"), let bits = UInt64(s.dropFirst(2), radix: 16) {
        return s.count > 10 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(bits)))
      }
    }
  }
  return .nan
}

/// A fixture array (`{"dtype","shape","weak_type","data"}`) or Python scalar as a Tensor.
func fixtureTensor(_ v: Any) -> Tensor {
  if let d = v as? [String: Any], let kind = d["kind"] as? String, let s = d["scalar"] {
    switch kind {
    case "int": return .weak((s as? NSNumber)?.intValue ?? 0)
    case "bool": return Tensor((s as? Bool) ?? false)
    default: return .weak(fixtureDouble(s))
    }
  }
  guard let d = v as? [String: Any], let name = d["dtype"] as? String, let dtype = DType(name: name) else {
    if let n = v as? NSNumber { return .weak(n.doubleValue) }
    return Tensor(failed: .valueError("unreadable fixture value \(v)"))
  }
  let shape = (d["shape"] as? [Int]) ?? []
  let raw = (d["data"] as? [Any]) ?? []
  let scalars: [Scalar] = raw.map { x in
    switch dtype {
    case .bool: return .bool((x as? Bool) ?? ((x as? NSNumber)?.boolValue ?? false))
    case .int32, .int64: return .int((x as? NSNumber)?.int64Value ?? 0)
    case .uint32, .uint64: return .uint((x as? NSNumber)?.uint64Value ?? 0)
    default: return .float(fixtureDouble(x, dtype: dtype))
    }
  }
  let t = Tensor(DenseArray.from(scalars, shape: shape, dtype: dtype), weakType: (d["weak_type"] as? Bool) ?? false)
  return t
}

/// Compares a result with a fixture array: dtype, shape, weak type, and values within
/// `ulps` units in the last place (floats) or exactly (ints, bools). nil when they agree.
func mismatch(_ got: Tensor, _ expected: Any, ulps: Double = 4, checkWeak: Bool = true) -> String? {
  let want = fixtureTensor(expected)
  let a: [Double], b: [Double]
  do { (a, b) = (try got.doubles, try want.doubles) } catch { return "failed: \(error)" }
  if got.dtype != want.dtype { return "dtype \(got.dtype) != \(want.dtype)" }
  if got.shape != want.shape { return "shape \(got.shape) != \(want.shape)" }
  if checkWeak && got.isWeaklyTyped != want.isWeaklyTyped {
    return "weak_type \(got.isWeaklyTyped) != \(want.isWeaklyTyped)"
  }
  if a.count != b.count { return "\(a.count) values, expected \(b.count)" }
  for i in a.indices {
    if a[i].isNaN && b[i].isNaN { continue }
    if a[i] == b[i] { continue }
    if !got.dtype.isFloatingPoint { return "element \(i): \(a[i]) != \(b[i])" }
    let ulp = got.dtype == .float32 ? Double(Float(b[i]).ulp) : b[i].ulp
    let tol = Swift.max(ulps * ulp, got.dtype == .float32 ? 1e-37 : 1e-300)
    if !(Swift.abs(a[i] - b[i]) <= tol) { return "element \(i): \(a[i]) != \(b[i]) (beyond \(ulps) ulp)" }
  }
  return nil
}

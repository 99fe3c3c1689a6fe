import FluxionBackend
import Foundation
import Testing

@testable import Fluxion

/// JAX's type promotion (Fixtures/promotion.json: the dtype and weak type of `jnp.add(a, b)`
/// for every pair), restricted to Fluxion's dtypes, in both x32 and x64 mode.
struct PromotionTests {
  static func operand(_ name: String) -> Tensor? {
    switch name {
    case "weak_int": return .weak(1)
    case "weak_float": return .weak(1.0)
    case "weak_bool": return Tensor(true)
    default:
      guard let d = DType(name: name) else { return nil }
      return zeros([2], dtype: d)
    }
  }

  static func rows(_ mode: String) -> [[String: Any]] {
    ((try? loadFixture("promotion"))?[mode] as? [[String: Any]]) ?? []
  }

  @Test(arguments: ["x32", "x64"])
  func addPromotesAsJAX(mode: String) {
    let rows = Self.rows(mode)
    #expect(rows.count > 100)
    var checked = 0
    Config.withX64(mode == "x64") {
      for row in rows {
        let (a, b) = (row["a"] as? String ?? "", row["b"] as? String ?? "")
        guard let x = Self.operand(a), let y = Self.operand(b), let want = row["dtype"] as? String,
          let wantDtype = DType(name: want)
        else { continue }
        let z = x + y
        #expect(z.dtype == wantDtype, "\(mode): \(a) + \(b) gave \(z.dtype), JAX \(want)")
        #expect(z.isWeaklyTyped == (row["weak_type"] as? Bool ?? false), "\(mode): \(a) + \(b) weak type")
        checked += 1
      }
    }
    #expect(checked >= 49, "\(mode): only \(checked) pairs in Fluxion's dtypes")
  }
}

import Foundation

/// NumPy's bit generators and the draws on them, from the published algorithms: MT19937
/// (Matsumoto–Nishimura, seeded as `init_genrand`), PCG64 (O'Neill's XSL-RR 128/64, seeded
/// through SeedSequence), and the distributions NumPy builds on them (53-bit doubles, the
/// legacy polar Box–Muller, masked rejection and Lemire's bounded integers, a 256-layer
/// ziggurat for normals whose tables are computed here from Marsaglia and Tsang's formulas).
protocol BitGenerator: AnyObject {
  func nextUInt32() -> UInt32
  func nextUInt64() -> UInt64
  func nextDouble() -> Double
}

extension BitGenerator {
  /// A value in 0...max by masked rejection (legacy `randint`, and `random_interval`, which
  /// both generators' shuffles use): 32-bit words while max fits them.
  func masked(_ max: UInt64) -> UInt64 {
    if max == 0 { return 0 }
    var mask = max
    for s in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> s }
    if max <= 0xffff_ffff {
      while true {
        let v = UInt64(nextUInt32()) & mask
        if v <= max { return v }
      }
    }
    while true {
      let v = nextUInt64() & mask
      if v <= max { return v }
    }
  }

  /// The order a Fisher–Yates shuffle of `n` items leaves them in, as NumPy shuffles: from
  /// the last position down, each swapped with one drawn from those before it.
  func shuffledOrder(_ n: Int) -> [Int] {
    var order = Array(0..<n)
    for k in stride(from: n - 1, through: 1, by: -1) { order.swapAt(k, Int(masked(UInt64(k)))) }
    return order
  }
}

/// MT19937 with NumPy's legacy extras (the cached Gaussian of `RandomState`).
final class MT19937: BitGenerator {
  private var mt = [UInt32](repeating: 0, count: 624)
  private var index = 624
  var gauss: Double?

  init(seed: UInt32) {
    mt[0] = seed
    for i in 1..<624 { mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
  }

  /// Seeding by a sequence of 32-bit words (`init_by_array`), as NumPy seeds an array seed.
  convenience init(key: [UInt32]) {
    self.init(seed: 19_650_218)
    var i = 1
    var j = 0
    for _ in 0..<Swift.max(624, key.count) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
      i += 1
      j += 1
      if i >= 624 {
        mt[0] = mt[623]
        i = 1
      }
      if j >= key.count { j = 0 }
    }
    for _ in 0..<623 {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
      i += 1
      if i >= 624 {
        mt[0] = mt[623]
        i = 1
      }
    }
    mt[0] = 0x8000_0000
  }

  private func twist() {
    for k in 0..<624 {
      let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % 624] & 0x7fff_ffff)
      mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
    }
    index = 0
  }

  func nextUInt32() -> UInt32 {
    if index >= 624 { twist() }
    var y = mt[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c_5680
    y ^= (y << 15) & 0xefc6_0000
    y ^= y >> 18
    return y
  }

  func nextUInt64() -> UInt64 {
    let hi = UInt64(nextUInt32())
    return hi << 32 | UInt64(nextUInt32())
  }

  /// `random_sample`: 53 bits from two words (27 and 26 bits).
  func nextDouble() -> Double {
    let a = Double(nextUInt32() >> 5)
    let b = Double(nextUInt32() >> 6)
    return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
  }

  /// The legacy Gaussian: polar Box–Muller, the second value kept for the next call.
  func legacyGauss() -> Double {
    if let g = gauss {
      gauss = nil
      return g
    }
    var x1 = 0.0
    var x2 = 0.0
    var r2 = 0.0
    repeat {
      x1 = 2 * nextDouble() - 1
      x2 = 2 * nextDouble() - 1
      r2 = x1 * x1 + x2 * x2
    } while r2 >= 1 || r2 == 0
    let f = (-2 * Foundation.log(r2) / r2).squareRoot()
    gauss = f * x1
    return f * x2
  }
}

/// A 128-bit unsigned integer, as PCG64 needs (high and low words).
struct UInt128Words: Equatable {
  var hi: UInt64
  var lo: UInt64

  static func &+ (a: UInt128Words, b: UInt128Words) -> UInt128Words {
    let (lo, carry) = a.lo.addingReportingOverflow(b.lo)
    return UInt128Words(hi: a.hi &+ b.hi &+ (carry ? 1 : 0), lo: lo)
  }

  static func &* (a: UInt128Words, b: UInt128Words) -> UInt128Words {
    let (h, l) = a.lo.multipliedFullWidth(by: b.lo)
    return UInt128Words(hi: h &+ a.hi &* b.lo &+ a.lo &* b.hi, lo: l)
  }
}

/// PCG64 (XSL-RR output on a 128-bit LCG), with NumPy's buffered 32-bit draws.
final class PCG64: BitGenerator {
  private var state = UInt128Words(hi: 0, lo: 0)
  private let inc: UInt128Words
  private var buffered: UInt32?
  private static let multiplier = UInt128Words(hi: 2_549_297_995_355_413_924, lo: 4_865_540_595_714_422_341)

  /// Seeded from SeedSequence's four 64-bit words: state, then increment, high word first.
  init(words: [UInt64]) {
    let seed = UInt128Words(hi: words[0], lo: words[1])
    let seq = UInt128Words(hi: words[2], lo: words[3])
    inc = UInt128Words(hi: seq.hi << 1 | seq.lo >> 63, lo: seq.lo << 1 | 1)
    step()
    state = state &+ seed
    step()
  }

  private func step() { state = state &* PCG64.multiplier &+ inc }

  func nextUInt64() -> UInt64 {
    step()
    let x = state.hi ^ state.lo
    let rot = UInt64(state.hi >> 58)
    return (x >> rot) | (x << ((64 &- rot) & 63))
  }

  func nextUInt32() -> UInt32 {
    if let b = buffered {
      buffered = nil
      return b
    }
    let v = nextUInt64()
    buffered = UInt32(truncatingIfNeeded: v >> 32)
    return UInt32(truncatingIfNeeded: v)
  }

  func nextDouble() -> Double { Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

  /// A value in 0...rng by Lemire's multiply-and-reject (NumPy 1.17+ Generator.integers).
  func lemire(_ rng: UInt64) -> UInt64 {
    if rng == 0 { return 0 }
    if rng <= 0xffff_ffff {
      if rng == 0xffff_ffff { return UInt64(nextUInt32()) }
      let excl = rng + 1
      var m = UInt64(nextUInt32()) * excl
      var leftover = m & 0xffff_ffff
      if leftover < excl {
        let threshold = (0xffff_ffff - rng) % excl
        while leftover < threshold {
          m = UInt64(nextUInt32()) * excl
          leftover = m & 0xffff_ffff
        }
      }
      return m >> 32
    }
    if rng == .max { return nextUInt64() }
    let excl = rng + 1
    var (hi, lo) = nextUInt64().multipliedFullWidth(by: excl)
    if lo < excl {
      let threshold = (UInt64.max - rng) % excl
      while lo < threshold { (hi, lo) = nextUInt64().multipliedFullWidth(by: excl) }
    }
    return hi
  }

  /// NumPy's 256-layer ziggurat for the standard normal.
  func standardNormal() -> Double {
    let z = Ziggurat.normal
    while true {
      var r = nextUInt64()
      let idx = Int(r & 0xff)
      r >>= 8
      let negative = r & 1 == 1
      let rabs = (r >> 1) & 0x000f_ffff_ffff_ffff
      var x = Double(rabs) * z.w[idx]
      if negative { x = -x }
      if rabs < z.k[idx] { return x }
      if idx == 0 {
        while true {
          let xx = -Ziggurat.inverseR * Foundation.log1p(-nextDouble())
          let yy = -Foundation.log1p(-nextDouble())
          if yy + yy > xx * xx { return (rabs >> 8) & 1 == 1 ? -(Ziggurat.r + xx) : Ziggurat.r + xx }
        }
      }
      if (z.f[idx - 1] - z.f[idx]) * nextDouble() + z.f[idx] < Foundation.exp(-0.5 * x * x) { return x }
    }
  }
}

/// The ziggurat's tables (Marsaglia & Tsang 2000, with 256 layers and 52-bit integers as
/// NumPy uses them): layer edges x_i from the tail edge r down, each from the one outside it
/// by x_{i-1} = f⁻¹(f(x_i) + v/x_i) with f(x) = exp(-x²/2) and v the common layer area;
/// k_i = round(2^52 x_{i-1}/x_i) (k_0 from the base strip's r·f(r)/v), w_i = x_i/2^52, f_i = f(x_i).
/// Computed in doubles with this machine's exp and log, the widths of the outer layers come
/// out as NumPy's exactly; the innermost ones (where the recursion's rounding has added up)
/// differ from NumPy's tables by a few units in the last place.
struct Ziggurat {
  static let r = 3.6541528853610088
  static let inverseR = 0.27366123732975828
  static let area = 0.0049286732339746519
  let k: [UInt64]
  let w: [Double]
  let f: [Double]

  static let normal: Ziggurat = {
    let scale = 4_503_599_627_370_496.0  // 2^52
    let n = 256
    func pdf(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) }
    // x[n - 1] = r, down to x[1]; x[0] = 0.
    var x = [Double](repeating: 0, count: n)
    x[n - 1] = r
    for i in stride(from: n - 2, through: 1, by: -1) {
      x[i] = (-2 * Foundation.log(pdf(x[i + 1]) + area / x[i + 1])).squareRoot()
    }
    var k = [UInt64](repeating: 0, count: n)
    k[0] = UInt64((r * pdf(r) / area * scale).rounded())
    for i in 1..<n { k[i] = UInt64((x[i - 1] / x[i] * scale).rounded()) }
    var w = x.map { $0 / scale }
    w[0] = area / pdf(r) / scale
    return Ziggurat(k: k, w: w, f: x.map(pdf))
  }()
}

/// NumPy's SeedSequence (O'Neill's seed_seq design with NumPy's constants): entropy words
/// mixed into a pool of four, from which `generateState` draws words.
struct SeedSequence {
  private var pool = [UInt32](repeating: 0, count: 4)

  init(entropy: [UInt32]) {
    var hashConst: UInt32 = 0x43b0_d7e5
    func hashmix(_ v: UInt32) -> UInt32 {
      var value = v ^ hashConst
      hashConst = hashConst &* 0x931e_8875
      value = value &* hashConst
      return value ^ (value >> 16)
    }
    func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
      let r = 0xca01_f9dd &* x &- 0x4973_f715 &* y
      return r ^ (r >> 16)
    }
    for i in 0..<4 { pool[i] = hashmix(i < entropy.count ? entropy[i] : 0) }
    for src in 0..<4 {
      for dst in 0..<4 where src != dst { pool[dst] = mix(pool[dst], hashmix(pool[src])) }
    }
    for src in stride(from: 4, to: entropy.count, by: 1) {
      for dst in 0..<4 { pool[dst] = mix(pool[dst], hashmix(entropy[src])) }
    }
  }

  /// The entropy of a non-negative Python int: its 32-bit words, least significant first.
  init(seed: UInt64) {
    var words: [UInt32] = [UInt32(truncatingIfNeeded: seed)]
    if seed >> 32 != 0 { words.append(UInt32(truncatingIfNeeded: seed >> 32)) }
    self.init(entropy: words)
  }

  /// `generate_state(n, np.uint64)`: 2n words, each pair little-endian.
  func generateState64(_ n: Int) -> [UInt64] {
    var hashConst: UInt32 = 0x8b51_f9dd
    var words: [UInt32] = []
    for i in 0..<(2 * n) {
      var v = pool[i % 4] ^ hashConst
      hashConst = hashConst &* 0x58f3_8ded
      v = v &* hashConst
      words.append(v ^ (v >> 16))
    }
    return (0..<n).map { UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32 }
  }
}

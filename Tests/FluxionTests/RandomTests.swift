import FluxionBackend
import Foundation
import Testing

@testable import Fluxion

/// The PRNG against ../shared/reference/prng-vectors.json (copied to Fixtures/): keys, split,
/// fold_in, bits, uniform and randint bit for bit; normal within 3 ulp (Fluxion's erf_inv uses
/// SLEEF's log1p, XLA uses its own; everything else in the pipeline is the same arithmetic).
struct RandomTests {
  nonisolated(unsafe) static let vectors: [String: Any] = {
    ((try? loadFixture("prng-vectors"))?["partitionable_true_DEFAULT"] as? [String: Any]) ?? [:]
  }()

  static func words(_ name: String) -> [UInt32] {
    let entry = vectors[name] as? [String: Any]
    return ((entry?["hex"] as? [String]) ?? []).compactMap { UInt32($0.dropFirst(2), radix: 16) }
  }

  static func bits(_ t: Tensor) -> [UInt32] {
    guard let a = t.concrete else { return [] }
    switch a.dtype {
    case .uint32: return a.elements(UInt32.self)
    case .float32: return a.elements(Float.self).map(\.bitPattern)
    default: return []
    }
  }

  @Test func threefryKnownAnswers() throws {
    let kats = try #require(try loadFixture("prng-vectors")["threefry2x32_known_answer_tests"] as? [[String: Any]])
    for kat in kats.prefix(3) {
      let hex = { (k: String) in ((kat[k] as? [String]) ?? []).compactMap { UInt32($0.dropFirst(2), radix: 16) } }
      let (key, count, out) = (hex("key"), hex("count"), hex("out"))
      let y = bind(Threefry2x32(), [key[0], key[1], count[0], count[1]].map { Tensor(Int($0), dtype: .uint32) })
      #expect(Self.bits(y[0]) + Self.bits(y[1]) == out)
    }
  }

  @Test(arguments: [0, 42, 1])
  func keysSplitsAndFolds(seed: Int) {
    let key = Random.PRNGKey(seed)
    #expect(Self.bits(key) == Self.words("PRNGKey(\(seed))"))
    if seed == 1 { return }
    #expect(Self.bits(Random.split(key)) == Self.words("split(PRNGKey(\(seed)))"))
    if seed == 0 {
      #expect(Self.bits(Random.split(key, 3)) == Self.words("split(PRNGKey(0),3)"))
      #expect(Self.bits(Random.split(key, shape: [2, 2])) == Self.words("split(PRNGKey(0),(2,2))"))
      #expect(Self.bits(Random.foldIn(key, 1)) == Self.words("fold_in(PRNGKey(0),1)"))
    } else {
      #expect(Self.bits(Random.foldIn(key, 7)) == Self.words("fold_in(PRNGKey(42),7)"))
    }
  }

  @Test(arguments: [0, 42], [[Int](), [3], [2, 3]])
  func bitsAndUniformAreBitExact(seed: Int, shape: [Int]) {
    let key = Random.PRNGKey(seed)
    let s = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(\(shape[0]), \(shape[1]))"
    #expect(Self.bits(Random.bits(key, shape)) == Self.words("bits(PRNGKey(\(seed)),\(s))"))
    #expect(Self.bits(Random.uniform(key, shape)) == Self.words("uniform(PRNGKey(\(seed)),\(s))"))
    let normal = Self.bits(Random.normal(key, shape)).map { Float(bitPattern: $0) }
    let expected = Self.words("normal(PRNGKey(\(seed)),\(s))").map { Float(bitPattern: $0) }
    #expect(normal.count == expected.count)
    for (a, b) in zip(normal, expected) {
      #expect(Swift.abs(a - b) <= 3 * b.ulp, "normal \(a) vs JAX \(b)")
    }
  }

  @Test(arguments: [0, 42])
  func uniformWithBoundsUsesFusedMultiplyAdd(seed: Int) {
    let u = Random.uniform(Random.PRNGKey(seed), [3], minval: -2, maxval: 5)
    #expect(Self.bits(u) == Self.words("uniform(PRNGKey(\(seed)),(3,),minval=-2,maxval=5)"))
  }

  @Test func randintMatchesJAX() throws {
    #expect(try Random.randint(Random.PRNGKey(0), [5], minval: 0, maxval: 10).doubles == [9, 0, 2, 3, 1])
    #expect(try Random.randint(Random.PRNGKey(42), [5], minval: 0, maxval: 10).doubles == [4, 4, 1, 9, 9])
  }

  @Test func seedsNarrowToInt32WithoutX64() {
    #expect(Self.bits(Random.PRNGKey(-1)) == [0, 0xffff_ffff])
    #expect(Self.bits(Random.PRNGKey(1 << 32 + 5)) == [0, 5])
    Config.withX64(true) {
      #expect(Self.bits(Random.PRNGKey(-2)) == [0xffff_ffff, 0xffff_fffe])
      #expect(Self.bits(Random.PRNGKey(1 << 40 + 7)) == [0x100, 7])
    }
  }

  @Test func invalidKeyGivesJAXError() {
    let e = Random.split(Tensor([1, 2, 3], dtype: .uint32)).error
    #expect(e?.kind == .typeError)
    #expect(
      e?.message.hasPrefix(
        "JAX encountered invalid PRNG key data: expected key_data.shape to end with (2,); got shape=(3,)") == true)
  }

  @Test func worksUnderVmapAndGrad() throws {
    let keys = Random.split(Random.PRNGKey(0), 3)
    let perKey = vmap { (k: Tensor) in Random.normal(k, [2]) }(keys)
    for i in 0..<3 { #expect(try perKey[.index(i)].doubles == Random.normal(keys[.index(i)], [2]).doubles) }
    // d/dmu and d/dsigma of sum(normal * sigma + mu) are n and sum(normal).
    let z = Random.normal(Random.PRNGKey(1), [4])
    let (gMu, gSigma) = grad { (mu: Tensor, sigma: Tensor) in (Random.normal(Random.PRNGKey(1), [4]) * sigma + mu).sum()
    }(
      Tensor(0.5), Tensor(2.0))
    #expect(try gMu.doubles == [4])
    #expect(try Swift.abs((gSigma.doubles.first ?? 0) - z.sum().doubles[0]) < 1e-5)
  }
}

extension RandomTests {
  @Test func permutationAndChoiceWorkUnderVmapOfKeys() throws {
    let keys = Random.split(Random.PRNGKey(3), 4)
    let batched = vmap { (k: Tensor) in Random.permutation(k, 10) }(keys)
    for i in 0..<4 { #expect(try batched[.index(i)].doubles == Random.permutation(keys[.index(i)], 10).doubles) }
    let picks = vmap { (k: Tensor) in Random.choice(k, 5, [3], replace: false, p: Tensor([0.1, 0.1, 0.1, 0.1, 0.6])) }(
      keys)
    #expect(picks.shape == [4, 3])
  }

  @Test func keysCanBeTracedIntoAJaxpr() throws {
    let j = try makeJaxpr({ (k: Tensor) in Random.normal(k, [3]) }, Random.PRNGKey(0)).get()
    #expect(j.inVars.count == 1)
    #expect(j.description.contains("random_bits[bit_width=32 shape=(3,)]"))
    #expect(j.description.contains("erf_inv"))
    #expect(try j.eval([Random.PRNGKey(0)])[0].doubles == Random.normal(Random.PRNGKey(0), [3]).doubles)
  }
}

/// The legacy layout (`jax_threefry_partitionable=False`) and the rest of prng-vectors.json.
struct RandomLegacyTests {
  nonisolated(unsafe) static let file: [String: Any] = (try? loadFixture("prng-vectors")) ?? [:]

  static func words(_ group: String, _ name: String) -> [UInt32] {
    let entry = (file[group] as? [String: Any])?[name]
    let hex = (entry as? [String: Any])?["hex"] as? [String] ?? entry as? [String] ?? []
    return hex.compactMap { UInt32($0.dropFirst(2), radix: 16) }
  }

  @Test func threefryWrapperSplitsCountsIntoHalves() throws {
    let kats = try #require(Self.file["threefry2x32_known_answer_tests"] as? [[String: Any]])
    let expected = kats.suffix(2).map {
      ($0["out"] as? [String] ?? []).compactMap { UInt32($0.dropFirst(2), radix: 16) }
    }
    #expect(RandomTests.bits(Random.threefry2x32(Random.PRNGKey(0), iota(.uint32, [4]))) == expected[0])
    #expect(RandomTests.bits(Random.threefry2x32(Random.PRNGKey(0), iota(.uint32, [3]))) == expected[1])
  }

  @Test(arguments: [0, 42])
  func legacyLayoutIsBitExact(seed: Int) throws {
    try Config.withThreefryPartitionable(false) { () throws in
      let g = "partitionable_false_legacy"
      let key = Random.PRNGKey(seed)
      #expect(RandomTests.bits(Random.split(key)) == Self.words(g, "split(PRNGKey(\(seed)))"))
      for (shape, text) in [([Int](), "()"), ([3], "(3,)"), ([2, 3], "(2, 3)")] {
        #expect(RandomTests.bits(Random.bits(key, shape)) == Self.words(g, "bits(PRNGKey(\(seed)),\(text))"))
        #expect(RandomTests.bits(Random.uniform(key, shape)) == Self.words(g, "uniform(PRNGKey(\(seed)),\(text))"))
      }
      #expect(
        RandomTests.bits(Random.uniform(key, [3], minval: -2, maxval: 5))
          == Self.words(g, "uniform(PRNGKey(\(seed)),(3,),minval=-2,maxval=5)"))
      if seed == 0 {
        #expect(RandomTests.bits(Random.split(key, 3)) == Self.words(g, "split(PRNGKey(0),3)"))
        #expect(RandomTests.bits(Random.split(key, shape: [2, 2])) == Self.words(g, "split(PRNGKey(0),(2,2))"))
        #expect(RandomTests.bits(Random.foldIn(key, 1)) == Self.words(g, "fold_in(PRNGKey(0),1)"))
      }
      let ints = (Self.file[g] as? [String: Any])?["randint(PRNGKey(\(seed)),(5,),0,10)"] as? [String: Any]
      #expect(try Random.randint(key, [5], minval: 0, maxval: 10).doubles == (ints?["int32"] as? [Double] ?? []))
    }
  }

  @Test func extraVectors() throws {
    let g = "extra_default_mode"
    let key = Random.PRNGKey(0)
    #expect(RandomTests.bits(Random.foldIn(key, 0)) == Self.words(g, "fold_in(PRNGKey(0), 0)"))
    #expect(RandomTests.bits(Random.foldIn(key, 4_294_967_295)) == Self.words(g, "fold_in(PRNGKey(0), 2**32-1)"))
    #expect(Random.foldIn(key, -1).error?.message == "Python integer -1 out of bounds for uint32")
    #expect(RandomTests.bits(Random.split(Random.foldIn(key, 1))) == Self.words(g, "split(fold_in(PRNGKey(0),1))"))
    #expect(
      RandomTests.bits(Random.uniform(Random.split(key)[1], [3]))
        == Self.words(g, "uniform(split(PRNGKey(0))[1], (3,))"))
    #expect(RandomTests.bits(Random.normal(Random.PRNGKey(42), [4])).count == 4)
    // The normal pipeline's intermediate u in (-1, 1) is bit-exact.
    let pipeline = (Self.file[g] as? [String: Any])?["normal_pipeline_PRNGKey(0)_(2,3)"] as? [String: Any]
    let u = ((pipeline?["u_in_(-1,1)"] as? [String]) ?? []).compactMap { UInt32($0.dropFirst(2), radix: 16) }
    let ours = Random.uniform(key, [2, 3], minval: Tensor(Float(-1).nextUp), maxval: Tensor(Float(1)))
    #expect(RandomTests.bits(ours) == u)
    // erf_inv on XLA's test inputs, within 2 ulp (SLEEF's log1p stands in for XLA's).
    let inv = (Self.file[g] as? [String: Any])?["erf_inv_f32_cpu"] as? [String: Any]
    let xs = ((inv?["x"] as? [String]) ?? []).compactMap { UInt32($0.dropFirst(2), radix: 16) }.map {
      Float(bitPattern: $0)
    }
    let ys = ((inv?["y"] as? [String]) ?? []).compactMap { UInt32($0.dropFirst(2), radix: 16) }.map {
      Float(bitPattern: $0)
    }
    #expect(xs.count == ys.count && !xs.isEmpty)
    let got = try erfInv(Tensor(xs)).floats
    for (a, b) in zip(got, ys) { #expect(a == b || Swift.abs(a - b) <= 2 * b.ulp, "erf_inv \(a) vs XLA \(b)") }
  }
}

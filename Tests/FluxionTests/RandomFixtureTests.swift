import FluxionBackend
import Foundation
import Testing

@testable import Fluxion

/// Fixtures/prng.json (Tests/fixtures/make_prng_fixtures.py under JAX 0.10.2): every case whose
/// JAX call has a Swift spelling. Bit-exact except normal/truncated_normal (erf/erf_inv go
/// through SLEEF's log1p and erf, not XLA's: within 3 ulp).
struct RandomFixtureTests {
  nonisolated(unsafe) static let cases: [[String: Any]] = {
    ((try? loadFixture("prng"))?["cases"] as? [[String: Any]]) ?? []
  }()

  static func key(_ seed: Int) -> Tensor { Random.PRNGKey(seed) }

  /// The Swift form of each JAX call, by case name.
  nonisolated(unsafe) static let calls: [String: () -> Tensor] = {
    var c: [String: () -> Tensor] = [:]
    for seed in [
      0, 1, 42, -1, -2, 2_147_483_647, 2_147_483_648, 4_294_967_295, 4_294_967_296, 4_294_967_301,
      1_099_511_627_783, Int.max, Int.min, 123_456_789, 987_654_321_987,
    ] {
      let name = seed < 0 ? "m\(seed.magnitude)" : "\(seed)"
      c["PRNGKey_\(name)"] = { key(seed) }
      c["PRNGKey_\(name)_x64"] = { key(seed) }
    }
    c["key_data_typed_42"] = { Random.key(42).data }
    c["key_data_typed_42_x64"] = { Random.key(42).data }
    c["bits_default_dtype"] = { Random.bits(key(0), [4]) }
    c["bits_default_dtype_x64"] = { Random.bits(key(0), [4]) }
    c["bits_u32_x64"] = { Random.bits(key(0), [7], dtype: .uint32) }
    for seed in [0, 42, 2_147_483_651] {
      c["split_default_\(seed)"] = { Random.split(key(seed)) }
      c["split_5_\(seed)"] = { Random.split(key(seed), 5) }
      c["split_2x3_\(seed)"] = { Random.split(key(seed), shape: [2, 3]) }
    }
    c["split_1"] = { Random.split(key(7), 1) }
    c["split_0"] = { Random.split(key(7), 0) }
    c["split_of_split"] = { Random.split(Random.split(key(0))[1], 3) }
    c["split_5_x64"] = { Random.split(key(42), 5) }
    for seed in [0, 42] {
      for data in [0, 1, 2, 7, 12345, 2_147_483_648, 4_294_967_295] {
        c["fold_in_\(seed)_\(data)"] = { Random.foldIn(key(seed), data) }
      }
      c["bits_7_\(seed)"] = { Random.bits(key(seed), [7]) }
      c["bits_3x5_\(seed)"] = { Random.bits(key(seed), [3, 5]) }
    }
    c["fold_in_chain"] = { Random.foldIn(Random.foldIn(key(1), 3), 4) }
    c["fold_in_7_x64"] = { Random.foldIn(key(42), 7) }
    c["error_fold_in_negative"] = { Random.foldIn(key(0), -1) }
    c["bits_scalar"] = { Random.bits(key(0), []) }
    c["bits_from_split"] = { Random.bits(Random.split(key(0))[0], [4]) }
    c["uniform_1000"] = { Random.uniform(key(0), [1000]) }
    c["uniform_minmax_1000"] = { Random.uniform(key(0), [1000], minval: -2.0, maxval: 5.0) }
    c["uniform_2x3_42"] = { Random.uniform(key(42), [2, 3]) }
    c["uniform_scalar"] = { Random.uniform(key(3)) }
    c["uniform_f64_request_x32"] = { Random.uniform(key(0), [3], dtype: .float64) }
    c["uniform_typed_key"] = { Random.uniform(Random.key(0).data, [3]) }
    c["uniform_f64_100_x64"] = { Random.uniform(key(0), [100], dtype: .float64) }
    c["uniform_default_dtype_x64"] = { Random.uniform(key(0), [5]) }
    c["normal_1000"] = { Random.normal(key(0), [1000]) }
    c["normal_4x4"] = { Random.normal(key(42), [4, 4]) }
    c["normal_scalar"] = { Random.normal(key(1)) }
    c["normal_f32_10_x64"] = { Random.normal(key(0), [10], dtype: .float32) }
    c["normal_f64_10_x64"] = { Random.normal(key(0), [10], dtype: .float64) }
    c["randint_0_10"] = { Random.randint(key(0), [20], minval: 0, maxval: 10) }
    c["randint_neg"] = { Random.randint(key(1), [20], minval: -5, maxval: 5) }
    c["randint_neg_only"] = { Random.randint(key(2), [10], minval: -1000, maxval: -990) }
    c["randint_full_span"] = { Random.randint(key(3), [20], minval: -(1 << 31), maxval: (1 << 31) - 1) }
    c["randint_large_span"] = { Random.randint(key(4), [20], minval: -2_000_000_000, maxval: 2_000_000_000) }
    c["randint_single"] = { Random.randint(key(5), [5], minval: 7, maxval: 8) }
    c["randint_empty_range"] = { Random.randint(key(6), [5], minval: 5, maxval: 2) }
    c["randint_big_range"] = { Random.randint(key(7), [10], minval: 3, maxval: 1_000_000) }
    c["randint_2x3"] = { Random.randint(key(8), [2, 3], minval: 0, maxval: 256) }
    c["randint_max_beyond_int32"] = { Random.randint(key(9), [10], minval: 0, maxval: 1 << 40) }
    c["randint_uint32"] = { Random.randint(key(10), [10], minval: 0, maxval: 4_000_000_000, dtype: .uint32) }
    c["randint_clip_bounds"] = { Random.randint(key(11), [10], minval: -(1 << 31), maxval: (1 << 31) - 1) }
    c["randint_default_x64"] = { Random.randint(key(0), [10], minval: 0, maxval: 100) }
    c["randint_int32_x64"] = { Random.randint(key(0), [10], minval: -50, maxval: 50, dtype: .int32) }
    c["error_randint_float_dtype"] = { Random.randint(key(0), [3], minval: 0, maxval: 10, dtype: .float32) }
    c["bernoulli_03_50"] = { Random.bernoulli(key(0), p: 0.3, [50]) }
    c["bernoulli_default"] = { Random.bernoulli(key(1), [10]) }
    c["bernoulli_p_array"] = { Random.bernoulli(key(2), p: Tensor([0, 0.25, 0.5, 0.75, 1])) }
    c["permutation_20"] = { Random.permutation(key(0), 20) }
    c["permutation_20_42"] = { Random.permutation(key(42), 20) }
    c["permutation_array"] = { Random.permutation(key(0), arange(10) * 10) }
    c["permutation_2d_axis0"] = { Random.permutation(key(1), arange(12.0).reshaped(4, 3)) }
    c["permutation_2d_axis1"] = { Random.permutation(key(1), arange(12.0).reshaped(4, 3), axis: 1) }
    c["permutation_independent"] = {
      Random.permutation(key(1), arange(12).reshaped(3, 4), axis: 1, independent: true)
    }
    c["permutation_1000"] = { Random.permutation(key(3), 1000) }
    c["permutation_10_x64"] = { Random.permutation(key(0), 10) }
    c["choice_replace"] = { Random.choice(key(0), 10, [5]) }
    c["choice_no_replace"] = { Random.choice(key(0), 10, [5], replace: false) }
    c["choice_p"] = { Random.choice(key(0), 4, [20], p: Tensor([0.1, 0.2, 0.3, 0.4])) }
    c["choice_p_no_replace"] = {
      Random.choice(key(1), 5, [3], replace: false, p: Tensor([0.1, 0.1, 0.1, 0.1, 0.6]))
    }
    c["choice_array"] = { Random.choice(key(2), Tensor([1.5, -2.0, 7.0, 0.25]), [6]) }
    c["choice_scalar"] = { Random.choice(key(3), 100) }
    c["choice_2d"] = { Random.choice(key(4), 50, [2, 3], replace: false) }
    c["error_choice_too_many"] = { Random.choice(key(0), 3, [5], replace: false) }
    c["truncated_normal_50"] = { Random.truncatedNormal(key(0), lower: -1.0, upper: 2.0, [50]) }
    c["truncated_normal_2x2"] = { Random.truncatedNormal(key(1), lower: -0.5, upper: 0.5, [2, 2]) }
    c["error_split_non_key"] = { Random.split(Tensor([1, 2, 3], dtype: .uint32)) }
    c["error_key_wrong_dtype"] = { Random.uniform(Tensor([0.0, 0.0]), [3]) }
    c["error_uniform_int_dtype"] = { Random.uniform(key(0), [3], dtype: .int32) }
    c["error_normal_int_dtype"] = { Random.normal(key(0), [3], dtype: .int32) }
    return c
  }()

  /// Cases with no Swift spelling: Python-only argument kinds.
  static let pythonOnly: Set<String> = [
    "key_typed_42", "key_typed_42_x64", "PRNGKey_np_int32_m1", "PRNGKey_np_uint32_max", "PRNGKey_np_int32_m1_x64",
    "PRNGKey_np_uint32_max_x64", "split_typed_3", "fold_in_array_data", "bits_uint8", "error_normal_int_key",
    "error_seed_float", "error_seed_too_big", "error_seed_too_small", "error_seed_array",
  ]

  static var names: [String] { cases.compactMap { $0["name"] as? String } }

  @Test func everyCaseIsCoveredOrNamedPythonOnly() {
    let missing = Self.names.filter { Self.calls[$0] == nil && !Self.pythonOnly.contains($0) }
    #expect(missing.isEmpty, "no Swift call for \(missing)")
  }

  @Test("prng.json case matches JAX", arguments: names.filter { calls[$0] != nil })
  func matchesJAX(_ name: String) throws {
    let c = try #require(Self.cases.first { $0["name"] as? String == name })
    let call = try #require(Self.calls[name])
    let got = Config.withX64(c["x64"] as? Bool ?? false) { call() }
    let out = c["out"]
    if let err = (out as? [String: Any])?["error"] as? [String: Any] {
      let e = try #require(got.error, "expected \(err["type"] ?? ""): \(err["message"] ?? ""), got \(got)")
      #expect(e.kind.rawValue == err["type"] as? String)
      let message = err["message"] as? String ?? ""
      // JAX's invalid-key message embeds an object address; the fixture keeps its start.
      #expect(e.message == message || message.hasSuffix("...)") && e.message.hasPrefix(String(message.dropLast(5))))
      return
    }
    let approximate = name.hasPrefix("normal") || name.hasPrefix("truncated_normal")
    let problem = mismatch(got, out as Any, ulps: approximate ? 3 : 0, checkWeak: false)
    #expect(problem == nil, "\(name): \(problem ?? "")")
  }
}

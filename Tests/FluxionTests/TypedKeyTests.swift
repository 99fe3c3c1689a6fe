import Testing

@testable import Fluxion

/// Every `Random` function takes typed keys (`Random.key`, jax.random.key) and gives JAX's
/// numbers for them (Fixtures/api_functions.json); a batch of typed keys is JAX's error.
struct TypedKeyTests {
  // random.normal(random.key(0), (3,)); random.uniform(random.key(42), (2, 2), minval=-1., maxval=1.)
  // random.bits(random.key(3), (4,)); random.randint(random.key(0), (5,), 0, 10)
  // random.permutation(random.key(0), 6); random.choice(random.key(0), 5, (3,), replace=False)
  // random.bernoulli(random.key(0), 0.3, (6,)); random.gumbel(random.key(0), (3,))
  // random.truncated_normal(random.key(0), -1., 1., (3,))
  @Test func samplersTakeTypedKeys() {
    APIFixture.check(Random.normal(Random.key(0), [3]), "typed_key_normal", ulps: 3)
    APIFixture.check(Random.uniform(Random.key(42), [2, 2], minval: -1.0, maxval: 1.0), "typed_key_uniform", ulps: 0)
    APIFixture.check(Random.bits(Random.key(3), [4]), "typed_key_bits")
    APIFixture.check(Random.randint(Random.key(0), [5], minval: 0, maxval: 10), "typed_key_randint")
    APIFixture.check(Random.permutation(Random.key(0), 6), "typed_key_permutation")
    APIFixture.check(Random.choice(Random.key(0), 5, [3], replace: false), "typed_key_choice")
    APIFixture.check(Random.bernoulli(Random.key(0), p: 0.3, [6]), "typed_key_bernoulli")
    APIFixture.check(Random.gumbel(Random.key(0), [3]), "typed_key_gumbel", ulps: 3)
    APIFixture.check(
      Random.truncatedNormal(Random.key(0), lower: -1.0, upper: 1.0, [3]), "typed_key_truncated_normal", ulps: 3)
  }

  // random.key_data(random.split(random.key(0))); random.key_data(random.split(random.key(1), 4))
  // random.key_data(random.fold_in(random.key(0), 7))
  // key, subkey = random.split(random.key(0)); (random.normal(subkey, (2,)), random.key_data(key))
  @Test func splitsAndFoldsKeepTheKeyType() throws {
    APIFixture.check(Random.keyData(Random.split(Random.key(0))), "typed_key_split")
    APIFixture.check(Random.split(Random.key(1), 4).data, "typed_key_split_n")
    APIFixture.check(Random.foldIn(Random.key(0), 7).data, "typed_key_fold_in")
    let (key, subkey) = Random.split2(Random.key(0))
    APIFixture.check(Random.normal(subkey, [2]), "typed_key_split_then_normal", 0, ulps: 3)
    APIFixture.check(key.data, "typed_key_split_then_normal", 1)
    // Raw keys give the same numbers, and a typed key wraps raw data.
    let raw = Random.split2(Random.PRNGKey(0))
    #expect(try raw.key.doubles == key.data.doubles)
    #expect(try Random.wrapKeyData(raw.subkey).data.doubles == subkey.data.doubles)
  }

  // jax.vmap(lambda k: random.normal(k, (2,)))(random.split(random.key(0), 3))
  // random.normal(random.split(random.key(0), 3), (2,)); random.split(random.split(random.key(0), 3))
  @Test func batchesOfTypedKeysNeedVmap() {
    let keys = Random.split(Random.key(0), 3)
    APIFixture.check(vmap { (k: TypedKey) in Random.normal(k, [2]) }(keys), "typed_key_vmap_normal", ulps: 3)
    APIFixture.checkError(Random.normal(keys, [2]), "typed_key_batch_error")
    APIFixture.checkError(Random.split(keys).data, "typed_key_split_batch_error")
  }
}

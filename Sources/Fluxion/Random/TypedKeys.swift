import FluxionBackend

/// Every `Random` function takes a typed key (`Random.key(seed)`, as `jax.random.key`) as
/// well as raw uint32 key data (`Random.PRNGKey(seed)`), with the same numbers for the same
/// seed; functions that make keys return the kind they were given.
///
/// ```swift
/// let key = Random.key(0)
/// let (key2, subkey) = Random.split2(key)
/// let w = Random.normal(subkey, [3])      // as jax.random.normal(subkey, (3,))
/// ```
///
/// As in JAX, a typed key given to a function that draws from one key must be a single key
/// (shape `[]`): a batch of keys is JAX's ValueError, and `vmap` maps over them.
extension Random {
  /// The raw uint32 data of a typed key (`jax.random.key_data`), shape `key.shape + [2]`.
  public static func keyData(_ key: TypedKey) -> Tensor { key.data }

  /// A typed key over raw key data (`jax.random.wrap_key_data`).
  public static func wrapKeyData(_ data: Tensor) -> TypedKey { TypedKey(data: data) }

  /// The key data of a single typed key, or JAX's error for a batch of them.
  static func single(_ key: TypedKey, _ function: String) -> Tensor {
    if key.data.error == nil && !key.shape.isEmpty {
      return Tensor(
        failed: .valueError(
          "\(function) accepts a single key, but was given a key array of shape \(pyShape(key.shape)) != (). Use jax.vmap for batching."
        ))
    }
    return key.data
  }

  public static func split(_ key: TypedKey, _ n: Int = 2) -> TypedKey { TypedKey(data: split(single(key, "split"), n)) }

  public static func split(_ key: TypedKey, shape: [Int]) -> TypedKey {
    TypedKey(data: split(single(key, "split"), shape: shape))
  }

  /// Two new keys, as JAX's idiom `key, subkey = random.split(key)`.
  public static func split2(_ key: TypedKey) -> (key: TypedKey, subkey: TypedKey) {
    let k = split(key, 2)
    return (k[0], k[1])
  }

  public static func foldIn(_ key: TypedKey, _ data: Int) -> TypedKey {
    TypedKey(data: foldIn(single(key, "fold_in"), data))
  }

  public static func bits(_ key: TypedKey, _ shape: [Int], dtype: DType? = nil) -> Tensor {
    bits(single(key, "bits"), shape, dtype: dtype)
  }

  public static func uniform(
    _ key: TypedKey, _ shape: [Int] = [], minval: Tensor = 0.0, maxval: Tensor = 1.0, dtype: DType? = nil
  ) -> Tensor {
    uniform(single(key, "uniform"), shape, minval: minval, maxval: maxval, dtype: dtype)
  }

  public static func normal(_ key: TypedKey, _ shape: [Int] = [], dtype: DType? = nil) -> Tensor {
    normal(single(key, "normal"), shape, dtype: dtype)
  }

  public static func truncatedNormal(
    _ key: TypedKey, lower: Tensor, upper: Tensor, _ shape: [Int] = [], dtype: DType? = nil
  ) -> Tensor {
    truncatedNormal(single(key, "truncated_normal"), lower: lower, upper: upper, shape, dtype: dtype)
  }

  public static func bernoulli(_ key: TypedKey, p: Tensor = 0.5, _ shape: [Int]? = nil) -> Tensor {
    bernoulli(single(key, "bernoulli"), p: p, shape)
  }

  public static func randint(_ key: TypedKey, _ shape: [Int], minval: Int, maxval: Int, dtype: DType? = nil)
    -> Tensor
  {
    randint(single(key, "randint"), shape, minval: minval, maxval: maxval, dtype: dtype)
  }

  public static func permutation(_ key: TypedKey, _ n: Int) -> Tensor { permutation(single(key, "permutation"), n) }

  public static func permutation(_ key: TypedKey, _ x: Tensor, axis: Int = 0, independent: Bool = false) -> Tensor {
    permutation(single(key, "permutation"), x, axis: axis, independent: independent)
  }

  public static func gumbel(_ key: TypedKey, _ shape: [Int] = [], dtype: DType? = nil) -> Tensor {
    gumbel(single(key, "gumbel"), shape, dtype: dtype)
  }

  public static func choice(_ key: TypedKey, _ n: Int, _ shape: [Int] = [], replace: Bool = true, p: Tensor? = nil)
    -> Tensor
  {
    choice(single(key, "choice"), n, shape, replace: replace, p: p)
  }

  public static func choice(_ key: TypedKey, _ a: Tensor, _ shape: [Int] = [], replace: Bool = true, p: Tensor? = nil)
    -> Tensor
  {
    choice(single(key, "choice"), a, shape, replace: replace, p: p)
  }
}

import FluxionBackend
import Foundation

/// JAX's random numbers: explicit keys, split and folded, counter-based threefry2x32 —
/// bit for bit the same as JAX's default generator (partitionable mode).
///
/// ```swift
/// let key = Random.PRNGKey(0)
/// let (k1, k2) = Random.split2(key)
/// let w = Random.normal(k1, [3])     // same numbers as jax.random.normal
/// ```
public enum Random {
  /// A legacy key: uint32[2] from an integer seed, as `jax.random.PRNGKey(seed)`.
  /// Without x64 the seed is first narrowed to int32 (the high word is always 0).
  public static func PRNGKey(_ seed: Int) -> Tensor {
    let words: [UInt32]
    if Config.x64 {
      let s = UInt64(bitPattern: Int64(seed))
      words = [UInt32(truncatingIfNeeded: s >> 32), UInt32(truncatingIfNeeded: s)]
    } else {
      words = [0, UInt32(truncatingIfNeeded: Int32(truncatingIfNeeded: seed))]
    }
    return Tensor(DenseArray.from(words, shape: [2]))
  }

  /// A typed key (`jax.random.key(seed)`).
  public static func key(_ seed: Int) -> TypedKey { TypedKey(data: PRNGKey(seed)) }

  /// Checks that `key` holds uint32 key data ending in 2.
  static func keyError(_ key: Tensor) -> FluxionError? {
    if let e = key.error { return e }
    if key.dtype != .uint32 || key.shape.last != 2 {
      return .typeError(
        "JAX encountered invalid PRNG key data: expected key_data.shape to end with (2,); got shape=\(pyShape(key.shape)) for impl=PRNGImpl(threefry2x32)"
      )
    }
    return nil
  }

  /// threefry2x32 of the key words with counters (hi, lo): both outputs.
  static func hash(_ key: Tensor, _ hi: Tensor, _ lo: Tensor) -> (Tensor, Tensor) {
    let k0 = key[.ellipsis, 0], k1 = key[.ellipsis, 1]
    let outs = bind(Threefry2x32(), [k0, k1, hi, lo])
    return (outs[0], outs[1])
  }

  /// Counters 0..<n as (hi, lo) uint32 words, shaped `shape`.
  static func counters(_ shape: [Int]) -> (Tensor, Tensor) {
    let n = shape.reduce(1, *)
    let lo = reshape(iota(.uint32, [n]), shape)
    return (zeros(shape, dtype: .uint32), lo)
  }

  /// `n` new keys (shape `[n, 2]`), as `jax.random.split(key, n)`.
  public static func split(_ key: Tensor, _ n: Int = 2) -> Tensor { split(key, shape: [n]) }

  /// Keys of the given shape (`shape + [2]`).
  public static func split(_ key: Tensor, shape: [Int]) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    if key.rank != 1 { return vmapKeys(key) { split($0, shape: shape) } }
    let (hi, lo) = counters(shape)
    let (a, b) = hash(key, hi, lo)
    return stack([a, b], axis: -1)
  }

  /// Two new keys, as a Swift tuple.
  public static func split2(_ key: Tensor) -> (Tensor, Tensor) {
    let k = split(key, 2)
    return (k[0], k[1])
  }

  /// Mixes data into a key (`jax.random.fold_in`).
  public static func foldIn(_ key: Tensor, _ data: Int) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    guard data >= 0 && data <= Int(UInt32.max) else {
      return Tensor(failed: FluxionError(.overflowError, "Python integer \(data) out of bounds for uint32"))
    }
    if key.rank != 1 { return vmapKeys(key) { foldIn($0, data) } }
    let (a, b) = hash(key, Tensor(0, dtype: .uint32), Tensor(data, dtype: .uint32))
    return stack([a, b], axis: -1)
  }

  /// Applies a per-key function over a batch of keys.
  static func vmapKeys(_ keys: Tensor, _ f: @escaping (Tensor) -> Tensor) -> Tensor {
    let batch = Array(keys.shape.dropLast())
    let flat = reshape(keys, [batch.reduce(1, *), 2])
    let out = vmap(f)(flat)
    return reshape(out, batch + Array(out.shape.dropFirst()))
  }

  /// Uniformly random uint32 words of `shape` (`jax.random.bits`).
  public static func bits(_ key: Tensor, _ shape: [Int]) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    let (hi, lo) = counters(shape)
    let (a, b) = hash(key, hi, lo)
    return a ^ b
  }

  /// Uniform floats in `[minval, maxval)` (`jax.random.uniform`).
  public static func uniform(
    _ key: Tensor, _ shape: [Int] = [], minval: Tensor = 0.0, maxval: Tensor = 1.0, dtype: DType? = nil
  ) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultFloat)
    guard dtype.isFloatingPoint else {
      return Tensor(failed: .valueError("dtype argument to `uniform` must be a float dtype, got \(dtype)"))
    }
    let lo = convertElementType(minval, dtype)
    let hi = convertElementType(maxval, dtype)
    let f: Tensor
    if dtype == .float32 {
      let b = bits(key, shape)
      let mantissa = (b >> Tensor(9, dtype: .uint32)) | Tensor(0x3f80_0000, dtype: .uint32)
      f = bind1(BitcastConvertType(newDtype: .float32), [mantissa]) - Tensor(1.0, dtype: .float32)
    } else {
      // float64: 52 random mantissa bits from two 32-bit words.
      let b = bits(key, shape + [2]).astype(.uint64)
      let word = (b[.ellipsis, 0] << Tensor(32, dtype: .uint64)) | b[.ellipsis, 1]
      let mantissa = (word >> Tensor(12, dtype: .uint64)) | Tensor(0x3ff0_0000_0000_0000, dtype: .uint64)
      f = bind1(BitcastConvertType(newDtype: .float64), [mantissa]) - Tensor(1.0, dtype: .float64)
    }
    return maximum(lo, fma(f, hi - lo, lo))
  }

  /// Standard normal samples (`jax.random.normal`): √2 · erf⁻¹(u) for u uniform in (-1, 1).
  public static func normal(_ key: Tensor, _ shape: [Int] = [], dtype: DType? = nil) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultFloat)
    // nextafter(-1, 0) in the sample dtype, as JAX.
    let low = dtype == .float32 ? Tensor(Float(-1).nextUp) : Tensor((-1.0).nextUp, dtype: dtype)
    let u = uniform(key, shape, minval: low, maxval: Tensor(1.0, dtype: dtype), dtype: dtype)
    let root2 = dtype == .float32 ? Tensor(Float(2).squareRoot()) : Tensor(2.0.squareRoot(), dtype: dtype)
    return root2 * erfInv(u)
  }

  /// Normal samples truncated to `[lower, upper]`.
  public static func truncatedNormal(
    _ key: Tensor, lower: Tensor, upper: Tensor, _ shape: [Int] = [], dtype: DType? = nil
  ) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultFloat)
    let root2 = dtype == .float32 ? Tensor(Float(2).squareRoot()) : Tensor(2.0.squareRoot(), dtype: dtype)
    let lo = convertElementType(lower, dtype), hi = convertElementType(upper, dtype)
    let a = erf(lo / root2), b = erf(hi / root2)
    let u = uniform(key, shape, minval: a, maxval: b, dtype: dtype)
    let out = root2 * erfInv(u)
    let inf = Tensor(.infinity, dtype: dtype)
    return clip(out, min: nextafter(stopGradient(lo), inf), max: nextafter(stopGradient(hi), -inf))
  }

  /// True with probability `p` (`jax.random.bernoulli`).
  public static func bernoulli(_ key: Tensor, p: Tensor = 0.5, _ shape: [Int]? = nil) -> Tensor {
    uniform(key, shape ?? p.shape) .< p
  }

  /// Uniform integers in `[minval, maxval)` (`jax.random.randint`), by JAX's two-word method.
  public static func randint(_ key: Tensor, _ shape: [Int], minval: Int, maxval: Int, dtype: DType? = nil) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultInt)
    guard dtype.isInteger else {
      return Tensor(failed: .typeError("randint only accepts integer dtypes, got \(dtype)"))
    }
    if let e = keyError(key) { return Tensor(failed: e) }
    let (lowest, highest): (Int, Int) = dtype == .uint32 ? (0, Int(UInt32.max)) : (Int(Int32.min), Int(Int32.max))
    let lo = Swift.min(Swift.max(minval, lowest), highest)
    let maxOutOfRange = maxval > highest
    let hi = Swift.min(Swift.max(maxval, lowest), highest)
    let keys = split(key, 2)
    let higher = bits(keys[0], shape), lower = bits(keys[1], shape)
    var span = UInt32(truncatingIfNeeded: hi &- lo)
    if hi <= lo { span = 1 }
    // When maxval is past the dtype's range, include the dtype's maximum.
    if maxOutOfRange && hi > lo { span = span &+ 1 }
    if span == 0 {
      // The whole uint32 range: the raw words are already uniform.
      return (lower.astype(dtype) + Tensor(lo, dtype: dtype))
    }
    let s = Tensor(Int(span), dtype: .uint32)
    var multiplier = UInt32((UInt64(1 << 16) % UInt64(span)))
    multiplier = UInt32((UInt64(multiplier) * UInt64(multiplier)) % UInt64(span))
    let m = Tensor(Int(multiplier), dtype: .uint32)
    let remHigh = bind1(BinaryPrimitive(op: .rem), [higher, s])
    let remLow = bind1(BinaryPrimitive(op: .rem), [lower, s])
    let offset = bind1(BinaryPrimitive(op: .rem), [remHigh * m + remLow, s])
    return Tensor(lo, dtype: dtype) + offset.astype(dtype)
  }

  /// A random permutation of `0..<n` (`jax.random.permutation`), by JAX's sort-based shuffle.
  public static func permutation(_ key: Tensor, _ n: Int) -> Tensor {
    shuffle(key, arange(n))
  }

  /// The rows of `x` in random order.
  public static func permutation(_ key: Tensor, _ x: Tensor) -> Tensor {
    guard x.rank > 0 else { return Tensor(failed: .typeError("x must be an integer or at least 1-dimensional")) }
    let order = shuffle(key, arange(x.shape[0]))
    return x[order]
  }

  /// Sorts `x` by fresh random words, as many rounds as JAX uses for its size.
  static func shuffle(_ key: Tensor, _ x: Tensor) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    let rounds = Int(
      (3 * Foundation.log(Double(Swift.max(1, x.count))) / Foundation.log(Double(UInt32.max))).rounded(.up))
    var key = key
    var values = x
    for _ in 0..<rounds {
      let keys = split(key, 2)
      key = keys[0]
      let sortKeys = bits(keys[1], x.shape)
      guard let k = sortKeys.concrete, let v = values.concrete else {
        return Tensor(
          failed: FluxionError(
            .notImplementedError, "permutation under vmap or jit is not implemented yet (it needs a sort primitive)"))
      }
      let words = k.elements(UInt32.self)
      let order = words.indices.sorted { words[$0] < words[$1] || (words[$0] == words[$1] && $0 < $1) }
      values = Tensor(DenseArray.from(order.map { v.scalar(at: $0) }, shape: v.shape, dtype: v.dtype))
    }
    return values
  }

  /// Samples from `0..<n` (`jax.random.choice`): with replacement (optionally weighted by `p`)
  /// or without (a prefix of a permutation).
  public static func choice(_ key: Tensor, _ n: Int, _ shape: [Int] = [], replace: Bool = true, p: Tensor? = nil)
    -> Tensor
  {
    let count = shape.reduce(1, *)
    if !replace {
      guard count <= n else {
        return Tensor(failed: .valueError("Cannot take a larger sample than population when 'replace=False'"))
      }
      if p != nil {
        return Tensor(
          failed: FluxionError(.notImplementedError, "choice without replacement with p is not implemented yet"))
      }
      return reshape(permutation(key, n)[.range(0..<count)], shape)
    }
    guard let p else { return randint(key, shape, minval: 0, maxval: n) }
    let cumulative = p.cumsum()
    let r = cumulative[-1] * (1 - uniform(key, shape, dtype: p.dtype))
    // searchsorted(cumulative, r, side='left'): count of entries < r.
    let less = expandDims(cumulative, 0) .< expandDims(reshape(r, [count]), 1)
    return reshape(less.astype(.int32).sum(axis: 1), shape)
  }
}

/// A typed PRNG key (`key<fry>`), holding uint32 key data.
public struct TypedKey: PyTree, CustomStringConvertible, CustomDebugStringConvertible {
  /// The raw key data (`jax.random.key_data`), shape `shape + [2]`.
  public let data: Tensor
  public var shape: [Int] { Array(data.shape.dropLast()) }

  public func flatten(into leaves: inout [Tensor]) -> TreeDef { data.flatten(into: &leaves) }
  public static func unflatten(_ def: TreeDef, _ leaves: inout ArraySlice<Tensor>) throws(FluxionError) -> TypedKey {
    TypedKey(data: try Tensor.unflatten(def, &leaves))
  }

  public var description: String { "Array(\(pyShape(shape)), dtype=key<fry>) overlaying:\n\(data)" }
  public var debugDescription: String { description }

  public func split(_ n: Int = 2) -> TypedKey { TypedKey(data: Random.split(data, n)) }
  public subscript(_ i: Int) -> TypedKey { TypedKey(data: data[.index(i)]) }
}

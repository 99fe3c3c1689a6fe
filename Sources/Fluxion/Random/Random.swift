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
    if key.shape.last == 2 && key.dtype != .uint32 {
      return .typeError(
        "JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=\(key.dtype)")
    }
    if key.shape.last != 2 {
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
    let n = (elementCount(shape) ?? 0)
    let lo = reshape(iota(.uint32, [n]), shape)
    return (zeros(shape, dtype: .uint32), lo)
  }

  /// `n` new keys (shape `[n, 2]`), as `jax.random.split(key, n)`.
  public static func split(_ key: Tensor, _ n: Int = 2) -> Tensor { split(key, shape: [n]) }

  /// Keys of the given shape (`shape + [2]`).
  public static func split(_ key: Tensor, shape: [Int]) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    if key.rank != 1 { return vmapKeys(key) { split($0, shape: shape) } }
    if !Config.threefryPartitionable {
      let n = (elementCount(shape) ?? 0)
      return reshape(threefry2x32(key, iota(.uint32, [2 * n])), shape + [2])
    }
    let (hi, lo) = counters(shape)
    let (a, b) = hash(key, hi, lo)
    return stack([a, b], axis: -1)
  }

  /// JAX's `threefry_2x32(key, count)`: the counts are split into halves as the two words,
  /// the two outputs concatenated (an odd count is padded with one 0, dropped after).
  public static func threefry2x32(_ key: Tensor, _ count: Tensor) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    let flat = reshape(count, [count.count])
    let n = flat.count
    let padded = n % 2 == 1 ? concatenate([flat, zeros([1], dtype: .uint32)]) : flat
    let half = padded.count / 2
    let (a, b) = hash(key, padded[.range(0..<half)], padded[.range(half..<(2 * half))])
    return reshape(concatenate([a, b])[.range(0..<n)], count.shape)
  }

  /// Two new keys, as JAX's idiom `key, subkey = random.split(key)`.
  public static func split2(_ key: Tensor) -> (key: Tensor, subkey: Tensor) {
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
    let flat = reshape(keys, [(elementCount(batch) ?? 0), 2])
    let out = vmap(f)(flat)
    return reshape(out, batch + Array(out.shape.dropFirst()))
  }

  /// Uniformly random unsigned words of `shape` (`jax.random.bits`): uint32, or uint64 (the
  /// default in x64 mode), whose words are the two threefry outputs, high first.
  public static func bits(_ key: Tensor, _ shape: [Int], dtype: DType? = nil) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    let dtype = Config.canonical(dtype ?? (Config.x64 ? .uint64 : .uint32))
    guard dtype == .uint32 || dtype == .uint64 else {
      return Tensor(failed: .typeError("bits requires an unsigned integer dtype of 32 or 64 bits, got \(dtype)"))
    }
    if !Config.threefryPartitionable {
      // Legacy: consecutive counters; 64-bit words take their high halves from the first half.
      let n = (elementCount(shape) ?? 0)
      let words = threefry2x32(key, iota(.uint32, [dtype == .uint32 ? n : 2 * n]))
      if dtype == .uint32 { return reshape(words, shape) }
      let hi = words[.range(0..<n)].astype(.uint64), lo = words[.range(n..<(2 * n))].astype(.uint64)
      return reshape((hi << Tensor(32, dtype: .uint64)) | lo, shape)
    }
    if key.rank != 1 { return vmapKeys(key) { bits($0, shape, dtype: dtype) } }
    return bind1(RandomBitsPrimitive(shape: shape, dtype: dtype), [key])
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
    // Random mantissa bits under the exponent of 1.0 give [1, 2); subtract 1.
    let (word, shift, one): (DType, Int, Int) =
      dtype == .float32 ? (.uint32, 32 - 23, 0x3f80_0000) : (.uint64, 64 - 52, 0x3ff0_0000_0000_0000)
    let b = bits(key, shape, dtype: word)
    let mantissa = (b >> Tensor(shift, dtype: word)) | Tensor(one, dtype: word)
    let f = bind1(BitcastConvertType(newDtype: dtype), [mantissa]) - Tensor(1.0, dtype: dtype)
    return maximum(lo, fma(f, hi - lo, lo))
  }

  /// Standard normal samples (`jax.random.normal`): √2 · erf⁻¹(u) for u uniform in (-1, 1).
  public static func normal(_ key: Tensor, _ shape: [Int] = [], dtype: DType? = nil) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultFloat)
    guard dtype.isFloatingPoint else {
      return Tensor(failed: .valueError("dtype argument to `normal` must be a float or complex dtype, got \(dtype)"))
    }
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

  /// Uniform integers in `[minval, maxval)` (`jax.random.randint`), by JAX's method: two words
  /// of random bits combined modulo the span, so the bias is that of a double-width draw.
  public static func randint(_ key: Tensor, _ shape: [Int], minval: Int, maxval: Int, dtype: DType? = nil) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultInt)
    guard dtype.isInteger else {
      return Tensor(failed: .typeError("randint only accepts integer dtypes, got \(dtype)"))
    }
    if let e = keyError(key) { return Tensor(failed: e) }
    let wide = dtype.size == 8
    let unsigned: DType = wide ? .uint64 : .uint32
    let (lowest, highest): (Int64, Int64) =
      switch dtype {
      case .uint32: (0, Int64(UInt32.max))
      case .int32: (Int64(Int32.min), Int64(Int32.max))
      case .uint64: (0, Int64.max)
      default: (Int64.min, Int64.max)
      }
    if !Config.x64 {
      // Without x64 a bound must fit the 32-bit dtype, as JAX parses a Python int argument.
      for (name, v) in [("minval", minval), ("maxval", maxval)] where Int64(v) < lowest || Int64(v) > highest {
        return Tensor(
          failed: FluxionError(
            .overflowError,
            "An overflow was encountered while parsing an argument to a jitted computation, whose argument path is \(name). Got <class 'int'> with value \(v)"
          ))
      }
    }
    let lo = Swift.min(Swift.max(Int64(minval), lowest), highest)
    let hi = Swift.min(Swift.max(Int64(maxval), lowest), highest)
    let maxOutOfRange = Int64(maxval) > highest
    let mask: UInt64 = wide ? .max : UInt64(UInt32.max)
    var span = UInt64(bitPattern: hi &- lo) & mask
    if hi <= lo { span = 1 }
    if maxOutOfRange && hi > lo { span = (span &+ 1) & mask }
    let keys = split(key, 2)
    let higher = bits(keys[0], shape, dtype: unsigned), lower = bits(keys[1], shape, dtype: unsigned)
    // XLA's remainder by zero returns the dividend; a span of 0 (the full range) keeps the words.
    func rem(_ x: UInt64, _ m: UInt64) -> UInt64 { m == 0 ? x : x % m }
    let half: UInt64 = wide ? 1 << 32 : 1 << 16
    var multiplier = rem(half, span)
    multiplier = rem((multiplier &* multiplier) & mask, span)
    let s = Tensor(DenseArray.filled(.uint(span), shape: [], dtype: unsigned))
    let m = Tensor(DenseArray.filled(.uint(multiplier), shape: [], dtype: unsigned))
    let remainder = { (x: Tensor) in bind1(BinaryPrimitive(op: .rem), [x, s]) }
    let offset = remainder(remainder(higher) * m + remainder(lower))
    return Tensor(DenseArray.filled(.int(lo), shape: [], dtype: dtype)) + offset.astype(dtype)
  }

  /// A random permutation of `0..<n` (`jax.random.permutation`), by JAX's sort-based shuffle.
  public static func permutation(_ key: Tensor, _ n: Int) -> Tensor {
    shuffle(key, arange(n), axis: 0)
  }

  /// `x` shuffled along `axis`: whole slices move together, or with `independent` every
  /// slice along the other axes is shuffled on its own.
  public static func permutation(_ key: Tensor, _ x: Tensor, axis: Int = 0, independent: Bool = false) -> Tensor {
    guard x.rank > 0 else { return Tensor(failed: .typeError("x must be an integer or at least 1-dimensional")) }
    guard let a = normalizeAxis(axis, x.rank) else { return axisError(axis, x.rank) }
    if independent || x.rank == 1 { return shuffle(key, x, axis: a) }
    let order = shuffle(key, arange(x.shape[a]), axis: 0)
    var index = [TensorIndex](repeating: .all, count: x.rank)
    index[a] = .array(order)
    return x.getItem(index)
  }

  /// Sorts `x` along `axis` by fresh random words, as many rounds as JAX uses for its size.
  static func shuffle(_ key: Tensor, _ x: Tensor, axis: Int) -> Tensor {
    if let e = keyError(key) { return Tensor(failed: e) }
    let rounds = Int(
      (3 * Foundation.log(Double(Swift.max(1, x.count))) / Foundation.log(Double(UInt32.max))).rounded(.up))
    var key = key
    var values = x
    for _ in 0..<rounds {
      let keys = split(key, 2)
      key = keys[0]
      values = sortKeyVal(bits(keys[1], x.shape, dtype: .uint32), values, axis: axis).1
    }
    return values
  }

  /// Gumbel samples (`jax.random.gumbel`): -log(-log(u)) for u uniform in (tiny, 1).
  public static func gumbel(_ key: Tensor, _ shape: [Int] = [], dtype: DType? = nil) -> Tensor {
    let dtype = Config.canonical(dtype ?? Config.defaultFloat)
    let tiny =
      dtype == .float32 ? Tensor(Float.leastNormalMagnitude) : Tensor(Double.leastNormalMagnitude, dtype: dtype)
    return -log(-log(uniform(key, shape, minval: tiny, maxval: Tensor(1.0, dtype: dtype), dtype: dtype)))
  }

  /// Samples from `0..<n` (`jax.random.choice`): with replacement (optionally weighted by `p`)
  /// or without (a prefix of a permutation; with `p`, the Gumbel top-k draw JAX uses).
  public static func choice(_ key: Tensor, _ n: Int, _ shape: [Int] = [], replace: Bool = true, p: Tensor? = nil)
    -> Tensor
  {
    let draws = (elementCount(shape) ?? 0)
    if draws == 0 { return zeros(shape, dtype: Config.defaultInt) }
    guard n > 0 else { return Tensor(failed: .valueError("a must be greater than 0 unless no samples are taken")) }
    if !replace && draws > n {
      return Tensor(
        failed: .valueError(
          "Cannot take a larger sample (size \(draws)) than population (size \(n)) when 'replace=False'"))
    }
    guard let p else {
      if replace { return randint(key, shape, minval: 0, maxval: n) }
      return reshape(permutation(key, n)[.range(0..<draws)], shape)
    }
    if p.shape != [n] {
      return Tensor(
        failed: .valueError(
          "p must be None or a 1D vector with the same size as a.shape[axis]. p has shape \(pyShape(p.shape)) and a.shape[axis] is \(n)."
        ))
    }
    let weights = inexact(p)
    if replace {
      let cumulative = weights.cumsum()
      let r = cumulative[-1] * (1 - uniform(key, shape, dtype: weights.dtype))
      // searchsorted(cumulative, r, side='left'): how many entries lie below r.
      let below = expandDims(cumulative, 0) .< expandDims(reshape(r, [draws]), 1)
      return reshape(below.astype(Config.defaultInt).sum(axis: 1), shape)
    }
    // The k largest of gumbel + log p, ties to the lower index (lax.top_k).
    let g = gumbel(key, [n], dtype: weights.dtype) + log(weights)
    let order = argsort(-g)
    return reshape(order[.range(0..<draws)].astype(Config.defaultInt), shape)
  }

  /// Elements of `a` (along axis 0) drawn as `choice(key, a.shape[0], …)` draws indices.
  public static func choice(_ key: Tensor, _ a: Tensor, _ shape: [Int] = [], replace: Bool = true, p: Tensor? = nil)
    -> Tensor
  {
    guard a.rank > 0 else {
      do {
        return choice(key, clampedInt(try a.item()), shape, replace: replace, p: p)
      } catch {
        return Tensor(failed: error)
      }
    }
    let index = choice(key, a.shape[0], shape, replace: replace, p: p)
    return a[index]
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

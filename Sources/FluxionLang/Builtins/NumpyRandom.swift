import BigInt
import Fluxion
import Foundation

extension Interpreter {
  /// `numpy.random`: the legacy global RandomState (MT19937) and `RandomState(seed)`, and
  /// `default_rng(seed)` (a Generator on PCG64), giving NumPy's own numbers.
  func makeNumpyRandom() -> PyModule {
    let m = PyModule("numpy.random")
    // The global RandomState, replaced by `seed`: the module's functions draw from it.
    let global = LegacyState(MT19937(seed: UInt32(truncatingIfNeeded: Date().timeIntervalSince1970.bitPattern)))
    m.attributes = randomState { global.generator }.attributes
    m.def("seed", ["seed"]) { i, b throws(PyError) in
      global.generator = try i.mt19937(b[0])
      return .none
    }
    m.def("RandomState", ["seed"]) { i, b throws(PyError) in
      let g = try i.mt19937(b[0])
      return .object(i.randomState { g })
    }
    m.def("default_rng", ["seed"]) { i, b throws(PyError) in
      let sequence: SeedSequence
      switch b[0] {
      case nil:
        sequence = SeedSequence(seed: UInt64(truncatingIfNeeded: Date().timeIntervalSince1970.bitPattern))
      case .bigint(var big)?:
        // A Python int of any size: its 32-bit words, least significant first.
        guard big >= 0 else { throw PyError.value("expected non-negative integer") }
        var words: [UInt32] = []
        while big > 0 {
          words.append(UInt32(big & BigInt(0xffff_ffff)))
          big >>= 32
        }
        sequence = SeedSequence(entropy: words)
      case let s?:
        let n = try i.int(s, "seed")
        guard n >= 0 else { throw PyError.value("expected non-negative integer") }
        sequence = SeedSequence(seed: UInt64(n))
      }
      return .object(i.generator(PCG64(words: sequence.generateState64(4))))
    }
    return m
  }

  private func mt19937(_ seed: Value?) throws(PyError) -> MT19937 {
    guard let seed else { return MT19937(seed: UInt32(truncatingIfNeeded: Date().timeIntervalSince1970.bitPattern)) }
    switch seed {
    case .list, .tuple, .object(is NPArray):
      let words = try materialize(seed).map { v throws(PyError) in try int(v, "seed") }
      guard !words.isEmpty else { throw PyError.value("Seed must be non-empty") }
      guard words.allSatisfy({ $0 >= 0 && $0 <= 0xffff_ffff }) else {
        throw PyError.value("Seed values must be between 0 and 2**32 - 1")
      }
      return MT19937(key: words.map { UInt32($0) })
    default:
      let n = try int(seed, "seed")
      guard n >= 0 && n <= 0xffff_ffff else { throw PyError.value("Seed must be between 0 and 2**32 - 1") }
      return MT19937(seed: UInt32(n))
    }
  }

  /// The shape of a `size` argument, or nil for None (one Python scalar).
  fileprivate func sizeShape(_ v: Value?) throws(PyError) -> [Int]? {
    guard let v else { return nil }
    return try nonNegative(try shape(v))
  }

  private func nonNegative(_ s: [Int]) throws(PyError) -> [Int] {
    guard s.allSatisfy({ $0 >= 0 }) else { throw PyError.value("negative dimensions are not allowed") }
    return s
  }

  /// `count` draws as a NumPy float64 array of `shape`, or one Python float without a shape.
  private func floats(_ shape: [Int]?, _ draw: () -> Double) throws(PyError) -> Value {
    guard let shape else { return .float(draw()) }
    let n = shape.reduce(1, *)
    var values: [Fluxion.Scalar] = []
    values.reserveCapacity(n)
    for _ in 0..<n { values.append(.float(draw())) }
    return npValues(shape, values, .float64)
  }

  fileprivate func npValues(_ shape: [Int], _ values: [Fluxion.Scalar], _ dtype: DType) -> Value {
    .object(NPArray(Config.withX64(true) { Tensor(shape: shape, scalars: values, dtype: dtype) }, scalar: false))
  }

  /// Draws with parameters that may be arrays (`normal(mu, sigma)` with arrays): broadcast
  /// to `size` (or to the parameters' shape), each element `draw(a, b)`.
  private func floats2(
    _ a: Value, _ b: Value, _ size: Value?, _ draw: (Double, Double) -> Double
  ) throws(PyError) -> Value {
    let (ta, tb) = try numpy { () throws(PyError) -> (Tensor, Tensor) in
      (try asTensor(try npUnwrap(a)), try asTensor(try npUnwrap(b)))
    }
    let shape = try sizeShape(size) ?? (ta.rank == 0 && tb.rank == 0 ? nil : resultShape(ta.shape, tb.shape))
    let (ba, bb) = try numpy { () throws(PyError) -> ([Double], [Double]) in
      let s = shape ?? []
      do throws(FluxionError) {
        return (try broadcastTo(ta, s).doubles, try broadcastTo(tb, s).doubles)
      } catch { throw PyError.value("shape mismatch: objects cannot be broadcast to a single shape") }
    }
    var k = 0
    return try floats(shape) {
      defer { k += 1 }
      return draw(ba[k], bb[k])
    }
  }

  private func dims(_ args: CallArgs, _ name: String) throws(PyError) -> [Int]? {
    if !args.keywords.isEmpty { throw PyError.type("\(name)() takes no keyword arguments") }
    if args.positional.isEmpty { return nil }
    return try nonNegative(try checkSize(try args.positional.map { v throws(PyError) in try int(v, name) }))
  }

  /// A `RandomState` object: MT19937 with NumPy's legacy methods.
  func randomState(_ current: @escaping () -> MT19937) -> PyOpaque {
    let o = PyOpaque("RandomState", current(), repr: "RandomState(MT19937)")
    func def(_ name: String, _ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) {
      o.attributes[name] = .builtin(name, body)
    }
    def("rand") { i, a throws(PyError) in try i.floats(try i.dims(a, "rand"), { current().nextDouble() }) }
    def("randn") { i, a throws(PyError) in try i.floats(try i.dims(a, "randn"), { current().legacyGauss() }) }
    for name in ["random_sample", "random", "sample"] {
      def(name) { i, a throws(PyError) in
        try i.floats(try i.sizeShape(try i.bind(name, a, ["size"])[0]), { current().nextDouble() })
      }
    }
    def("standard_normal") { i, a throws(PyError) in
      try i.floats(try i.sizeShape(try i.bind("standard_normal", a, ["size"])[0]), { current().legacyGauss() })
    }
    def("normal") { i, a throws(PyError) in
      let b = try i.bind("normal", a, ["loc", "scale", "size"])
      return try i.floats2(b[0] ?? .float(0), b[1] ?? .float(1), b[2]) { loc, scale in
        loc + scale * current().legacyGauss()
      }
    }
    def("uniform") { i, a throws(PyError) in
      let b = try i.bind("uniform", a, ["low", "high", "size"])
      return try i.floats2(b[0] ?? .float(0), b[1] ?? .float(1), b[2]) { lo, hi in
        lo + (hi - lo) * current().nextDouble()
      }
    }
    def("randint") { i, a throws(PyError) in
      let b = try i.bind("randint", a, ["low", "high", "size", "dtype"], required: 1)
      return try i.boundedIntegers(b, endpoint: false, pythonScalar: b[3] == nil) { current().masked($0) }
    }
    installShuffles(o, current, draw: { g, n in g.masked(n) })
    return o
  }

  /// `randint` / `integers`: (low, high, size, dtype) bound as given; values low + draw(range)
  /// in the dtype (int64 by default; the 32-bit dtypes draw the same numbers, as NumPy's
  /// 32-bit paths use the same bounded draws). One value without a size: a Python int where
  /// NumPy gives one (legacy randint without a dtype), else a NumPy scalar.
  fileprivate func boundedIntegers(
    _ b: BoundArgs, endpoint: Bool, pythonScalar: Bool, _ draw: (UInt64) -> UInt64
  ) throws(PyError) -> Value {
    let dtype = try numpy { () throws(PyError) -> DType in try self.dtype(b[3]) ?? .int64 }
    func bound(_ v: Value, _ name: String) throws(PyError) -> Int {
      if case .bigint = v { throw PyError.value("\(name) is out of bounds for \(dtype)") }
      return try int(v, name)
    }
    var lo = try bound(try b.required(0), b[1] == nil ? "high" : "low")
    var hi = lo
    if let h = b[1] { hi = try bound(h, "high") } else { lo = 0 }
    // The largest value drawn: high, or high - 1 (never below low, so it does not overflow).
    guard endpoint ? lo <= hi : lo < hi else {
      throw PyError.value(b[1] == nil ? "high <= 0" : endpoint ? "low > high" : "low >= high")
    }
    let top = endpoint ? hi : hi - 1
    let limits: [DType: ClosedRange<Int>] = [
      .int64: Int.min...Int.max, .int32: Int(Int32.min)...Int(Int32.max), .uint32: 0...Int(UInt32.max),
      .uint64: 0...Int.max,
    ]
    guard let range = limits[dtype] else { throw PyError.type("Unsupported dtype dtype('\(dtype)') for randint") }
    guard lo >= range.lowerBound else { throw PyError.value("low is out of bounds for \(dtype)") }
    guard top <= range.upperBound else { throw PyError.value("high is out of bounds for \(dtype)") }
    let span = UInt64(bitPattern: Int64(top) &- Int64(lo))
    let shape = try sizeShape(b[2])
    let values: [Fluxion.Scalar] = (0..<(shape?.reduce(1, *) ?? 1)).map { _ in
      .int(Int64(lo) &+ Int64(bitPattern: draw(span)))
    }
    if shape == nil, pythonScalar, case .int(let v) = values[0] { return .int(Int(v)) }
    let t = Config.withX64(true) { Tensor(shape: shape ?? [], scalars: values, dtype: dtype) }
    return .object(NPArray(t, scalar: shape == nil))
  }

  /// A `Generator` on PCG64 (`default_rng`).
  func generator(_ g: PCG64) -> PyOpaque {
    let o = PyOpaque("Generator", g, repr: "Generator(PCG64)")
    func def(_ name: String, _ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) {
      o.attributes[name] = .builtin(name, body)
    }
    for (name, draw) in [("random", g.nextDouble), ("standard_normal", g.standardNormal)] as [(String, () -> Double)] {
      def(name) { i, a throws(PyError) in
        let b = try i.bind(name, a, ["size", "dtype", "out"])
        if let d = try i.numpy({ () throws(PyError) -> DType? in try i.dtype(b[1]) }), d != .float64 {
          throw PyError.notImplemented("\(name)(dtype=\(d)) is not supported yet (only float64)")
        }
        return try i.floats(try i.sizeShape(b[0]), draw)
      }
    }
    def("normal") { i, a throws(PyError) in
      let b = try i.bind("normal", a, ["loc", "scale", "size"])
      return try i.floats2(b[0] ?? .float(0), b[1] ?? .float(1), b[2]) { loc, scale in loc + scale * g.standardNormal()
      }
    }
    def("uniform") { i, a throws(PyError) in
      let b = try i.bind("uniform", a, ["low", "high", "size"])
      return try i.floats2(b[0] ?? .float(0), b[1] ?? .float(1), b[2]) { lo, hi in lo + (hi - lo) * g.nextDouble() }
    }
    installShuffles(o, { g }, draw: { g, n in g.lemire(n) })
    def("integers") { i, a throws(PyError) in
      let b = try i.bind("integers", a, ["low", "high", "size", "dtype", "endpoint"], required: 1)
      return try i.boundedIntegers(b, endpoint: try i.boolArg(b, "endpoint"), pythonScalar: false) { g.lemire($0) }
    }
    return o
  }
}

extension Interpreter {
  /// `permutation`, `shuffle` and `choice` (with replacement, without weights) on a generator:
  /// `draw(g, n)` is its integer in 0...n (masked for RandomState, Lemire's for Generator).
  fileprivate func installShuffles<G: BitGenerator>(
    _ o: PyOpaque, _ current: @escaping () -> G, draw: @escaping (G, UInt64) -> UInt64
  ) {
    func def(_ name: String, _ body: @escaping (Interpreter, CallArgs) throws(PyError) -> Value) {
      o.attributes[name] = .builtin(name, body)
    }
    func array(_ i: Interpreter, _ x: Value) throws(PyError) -> NPArray {
      let np = try i.importModule("numpy")
      let v = try i.call(try np.attribute(x.isInt ? "arange" : "array"), [x])
      guard case .object(let a as NPArray) = v, a.tensor.rank >= 1 else {
        throw PyError.index("x must be an integer or at least 1-dimensional")
      }
      return a
    }
    func indices(_ i: Interpreter, _ order: [Int]) -> Value {
      i.npValues([order.count], order.map { .int(Int64($0)) }, .int64)
    }
    def("permutation") { i, a throws(PyError) in
      let arr = try array(i, try i.bind("permutation", a, ["x"], required: 1).required(0))
      if arr.tensor.shape[0] == 0 { return .object(NPArray(arr.tensor, scalar: false)) }
      return try i.npGetItem(arr, indices(i, current().shuffledOrder(arr.tensor.shape[0])))
    }
    def("shuffle") { i, a throws(PyError) in
      guard case .object(let arr as NPArray) = try i.bind("shuffle", a, ["x"], required: 1).required(0),
        arr.tensor.rank >= 1
      else { throw PyError.type("shuffle takes a NumPy array of at least one dimension here") }
      if arr.tensor.shape[0] < 2 { return .none }
      guard
        case .object(let shuffled as NPArray) = try i.npGetItem(
          arr, indices(i, current().shuffledOrder(arr.tensor.shape[0])))
      else { return .none }
      arr.tensor = shuffled.tensor
      return .none
    }
    def("choice") { i, a throws(PyError) in
      let b = try i.bind("choice", a, ["a", "size", "replace", "p"], required: 1)
      let replace = try b[2].map { v throws(PyError) in try i.truthy(v) } ?? true
      guard replace, b[3] == nil else {
        throw PyError.notImplemented("choice without replacement or with p is not supported yet")
      }
      let pool = try b.required(0)
      let n = pool.isInt ? try i.int(pool, "a") : try i.length(pool)
      guard n > 0 else {
        throw PyError.value(
          pool.isInt
            ? "a must be a positive integer unless no samples are taken"
            : "'a' cannot be empty unless no samples are taken")
      }
      let shape = try i.sizeShape(b[1])
      let g = current()
      let picks = (0..<(shape?.reduce(1, *) ?? 1)).map { _ in Int(draw(g, UInt64(n - 1))) }
      if pool.isInt {
        guard let shape else { return .int(picks[0]) }
        return i.npValues(shape, picks.map { .int(Int64($0)) }, .int64)
      }
      let arr = try array(i, pool)
      guard let shape else { return try i.npGetItem(arr, .int(picks[0])) }
      return try i.npGetItem(arr, i.npValues(shape, picks.map { .int(Int64($0)) }, .int64))
    }
  }
}

extension Value {
  fileprivate var isInt: Bool {
    if case .int = self { return true }
    return false
  }
}

/// The global legacy generator of `numpy.random`, which `seed` replaces.
final class LegacyState {
  var generator: MT19937
  init(_ g: MT19937) { generator = g }
}

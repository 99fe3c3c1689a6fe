import FluxionBackend
import Synchronization

/// Global settings, as `jax.config`.
public enum Config {
  /// The OpenBLAS kernel that runs products (e.g. "SkylakeX", "Haswell"): Fluxion loads OpenBLAS
  /// on first use and asks for the kernel the CPU's instructions support, unless
  /// OPENBLAS_CORETYPE is set (Sources/CKernels/blas.c says why).
  public static var blasCore: String { Linalg.blasCoreName }
  /// Bytes held by all arrays alive now, in the whole process.
  public static var liveArrayBytes: Int { Buffer.liveBytes }

  static let globalX64 = Atomic<Bool>(false)
  /// 64-bit mode (`jax_enable_x64`): float64 and int64 become the defaults.
  public static var x64: Bool {
    get { FluxionContext.x64Override ?? globalX64.load(ordering: .relaxed) }
    set { globalX64.store(newValue, ordering: .relaxed) }
  }

  /// Runs `body` with x64 on or off in its context only (the task, its child tasks, and work
  /// that carries the context); other work keeps the global mode.
  public static func withX64<R, E: Error>(_ enabled: Bool, _ body: () throws(E) -> R) throws(E) -> R {
    try FluxionContext.with({ $0.x64 = enabled }, body)
  }

  /// Async `withX64`: child tasks of `body` inherit the mode.
  public static func withX64<R: Sendable>(_ enabled: Bool, _ body: () async throws -> R) async rethrows -> R {
    var c = FluxionContext.current
    c.x64 = enabled
    return try await c.run(body)
  }

  static let globalPartitionable = Atomic<Bool>(true)
  /// `jax_threefry_partitionable` (on by default, as in JAX 0.10.2): split and random bits
  /// hash each element's index; off, they use the legacy consecutive-counter layout.
  public static var threefryPartitionable: Bool {
    get { FluxionContext.partitionableOverride ?? globalPartitionable.load(ordering: .relaxed) }
    set { globalPartitionable.store(newValue, ordering: .relaxed) }
  }

  /// Runs `body` with the threefry layout set in its context only.
  public static func withThreefryPartitionable<R, E: Error>(_ enabled: Bool, _ body: () throws(E) -> R) throws(E) -> R {
    try FluxionContext.with({ $0.threefryPartitionable = enabled }, body)
  }

  /// The default float dtype: float32, or float64 in x64 mode.
  public static var defaultFloat: DType { x64 ? .float64 : .float32 }
  /// The default integer dtype: int32, or int64 in x64 mode.
  public static var defaultInt: DType { x64 ? .int64 : .int32 }

  /// Narrows a 64-bit dtype to 32 bits when x64 is off, as JAX does quietly.
  public static func canonical(_ d: DType) -> DType {
    if x64 { return d }
    switch d {
    case .int64: return .int32
    case .uint64: return .uint32
    case .float64: return .float32
    default: return d
    }
  }
}

/// JAX's type promotion lattice (restricted to Fluxion's dtypes), with weak types.
enum Promotion {
  enum Node: Int, CaseIterable { case b1, iWeak, fWeak, u32, i32, i64, u64, f32, f64 }

  static let edges: [Node: [Node]] = [
    .b1: [.iWeak], .iWeak: [.u32, .i32], .u32: [.i64, .u64], .i32: [.i64], .i64: [.fWeak],
    .u64: [.fWeak], .fWeak: [.f32], .f32: [.f64], .f64: [],
  ]

  /// Every node reachable from each node (including itself).
  static let upper: [Node: Set<Node>] = {
    var out: [Node: Set<Node>] = [:]
    for n in Node.allCases {
      var seen: Set<Node> = [n]
      var stack = [n]
      while let x = stack.popLast() {
        for y in edges[x] ?? [] where !seen.contains(y) {
          seen.insert(y)
          stack.append(y)
        }
      }
      out[n] = seen
    }
    return out
  }()

  static func node(_ a: ShapedArray) -> Node {
    if a.weakType {
      if a.dtype.isFloatingPoint { return .fWeak }
      if a.dtype.isInteger { return .iWeak }
    }
    switch a.dtype {
    case .bool: return .b1
    case .int32: return .i32
    case .uint32: return .u32
    case .int64: return .i64
    case .uint64: return .u64
    case .float32: return .f32
    case .float64: return .f64
    }
  }

  /// The least upper bound of two nodes: looked up (every binary operation promotes).
  @inline(__always) static func join(_ a: Node, _ b: Node) -> Node {
    joins[a.rawValue * Node.allCases.count + b.rawValue]
  }

  /// `join` of every pair, row by row, computed once from the lattice: the common upper
  /// node that every other common upper node is above.
  static let joins: [Node] = Node.allCases.flatMap { a in
    Node.allCases.map { b in
      let common = upper[a]!.intersection(upper[b]!)
      return common.first { c in common.allSatisfy { upper[c]!.contains($0) } } ?? .f64
    }
  }

  /// The dtype and weak type that `a op b` computes in.
  static func result(_ avals: [ShapedArray]) -> (DType, Bool) {
    guard var acc = avals.first.map(node) else { return (Config.defaultFloat, false) }
    for a in avals.dropFirst() { acc = join(acc, node(a)) }
    switch acc {
    case .b1: return (.bool, false)
    case .iWeak: return (Config.defaultInt, true)
    case .fWeak:
      // A weak float joined with a concrete float keeps that float's width.
      return (Config.defaultFloat, true)
    case .u32: return (.uint32, false)
    case .i32: return (.int32, false)
    case .i64: return (Config.canonical(.int64), false)
    case .u64: return (Config.canonical(.uint64), false)
    case .f32: return (.float32, false)
    case .f64: return (Config.canonical(.float64), false)
    }
  }
}

/// The dtype JAX computes `a op b` in (jnp.result_type).
public func resultType(_ xs: Tensor...) -> DType { Promotion.result(xs.map(\.aval)).0 }

/// Converts all operands to their common dtype (JAX's implicit promotion).
func promote(_ xs: [Tensor]) -> [Tensor] {
  let avals = xs.map(\.aval)
  let (dtype, weak) = Promotion.result(avals)
  return xs.map { x in
    let a = x.aval
    if a.dtype == dtype && a.weakType == weak { return x }
    // Data (a Python-like constant) converts here and now, as JAX converts Python scalars;
    // a traced value gets a convert_element_type equation.
    if case .array(let v, _) = x.payload {
      return Tensor(Elementwise.convert(v, to: dtype), weakType: weak)
    }
    return convertElementType(x, dtype, weakType: weak)
  }
}

import Fluxion
import FluxionBackend
import Foundation
import Testing

/// Whole programs against JAX: Fixtures/whole_programs.json holds random programs
/// (Tests/fixtures/make_whole_program_fixtures.py) over inputs and closed-over constants that
/// are views of each other, with what JAX computes for each: the value and ten transformations
/// (jvp, vjp, grad, vmap, grad of vmap, vmap of grad, jvp of grad, jacrev of jvp,
/// jacfwd, hessian). Each program is replayed here through the engine's public API only (this
/// file imports Fluxion without @testable).
///
/// The rule checker tests primitives one at a time; this test exists because a wrong gradient
/// lived in whole programs (a constant and its reshape traced as one variable).
struct WholeProgramTests {
  @Test func everyProgramMatchesJAX() throws {
    try replayAll("whole_programs", minimum: 500)
  }

  /// Programs rich in structured control flow (`--control-flow`): cond and switch on a sum of
  /// a value (batched under vmap: both branches run and are selected), scans over rows (also
  /// reversed), fori_loops and checkpoints, each closing over another value of the program.
  @Test func everyControlFlowProgramMatchesJAX() throws {
    try replayAll("whole_programs_control_flow", minimum: 60)
  }

  func replayAll(_ fixture: String, minimum: Int) throws {
    let programs = try #require(loadFixture(fixture)["programs"] as? [[String: Any]])
    #expect(programs.count >= minimum, "the fixture should hold at least \(minimum) programs")
    var checks = 0
    var failures: [String] = []
    var worst = (ratio: 0.0, where: "")
    for program in programs {
      let name = program["name"] as? String ?? "?"
      let results: [String: [Tensor]]
      do {
        results = try WholeProgram(program).replay()
      } catch {
        failures.append("\(name): \(error)")
        continue
      }
      let expected = program["checks"] as? [String: Any] ?? [:]
      let float32Error = program["float32_error"] as? [String: [Double]] ?? [:]
      for (check, want) in expected.sorted(by: { $0.key < $1.key }) {
        let wants = (want as? [Any]) ?? [want]
        guard let got = results[check], got.count == wants.count else {
          failures.append("\(name) \(check): \(results[check]?.count ?? 0) results, expected \(wants.count)")
          continue
        }
        for (i, (g, w)) in zip(got, wants).enumerated() {
          checks += 1
          switch compareWithTolerance(g, w, float32Error: float32Error[check]?[i] ?? 0) {
          case .failure(let problem): failures.append("\(name) \(check)[\(i)]: \(problem)")
          case .success(let ratio):
            if ratio > worst.ratio { worst = (ratio, "\(name) \(check)[\(i)]") }
          }
        }
      }
    }
    print(
      "whole programs: \(programs.count) programs, \(checks) results compared with JAX, \(failures.count) differ;"
        + " the closest to the tolerance used \(String(format: "%.2f", worst.ratio)) of it (\(worst.where))")
    #expect(failures.isEmpty, "\(failures.count) differ from JAX:\n\(failures.prefix(40).joined(separator: "\n"))")
  }

  /// The issue's own program: `w` and `reshape(w, [3, 1])` share a buffer and were traced as
  /// one constant, so grad gave [7, 8, 9].
  @Test func constantAndItsReshapeAreTwoConstants() throws {
    let w = Tensor([1.0, 2.0, 3.0])
    let g = { (x: Tensor) in (x * w).sum() + (reshape(x, [3, 1]) * reshape(w, [3, 1])).sum() }
    #expect(try grad(g)(Tensor([0.5, -1.0, 2.0])).doubles == [2, 4, 6])
  }

  /// The same class of bug through each kind of view that shares its operand's buffer.
  @Test func viewsSharingABufferStayDistinct() throws {
    let w = Tensor([1.0, 2.0, 3.0, 4.0])
    let x = Tensor([0.5, -1.0, 2.0, 3.0])
    // expand_dims and a broadcast that adds only unit axes
    let g1 = { (x: Tensor) in (x * w).sum() + (expandDims(x, 0) * expandDims(w, 0)).sum() * 10 }
    #expect(try grad(g1)(x).doubles == [11, 22, 33, 44])
    let g2 = { (x: Tensor) in (x * w).sum() + (broadcastTo(x, [1, 4]) * broadcastTo(w, [1, 4])).sum() * 10 }
    #expect(try grad(g2)(x).doubles == [11, 22, 33, 44])
    // a reshape to the matrix used with matmul
    let g3 = { (x: Tensor) in matmul(reshape(w, [2, 2]), reshape(x, [2, 2])).sum() + (w * x).sum() }
    #expect(try grad(g3)(x).doubles == [5, 6, 9, 10])
    // the same bits as another dtype: an int32 view of w next to w itself
    let bits = bitcastConvertType(w, .int32)
    let g4 = { (x: Tensor) in (x * w).sum() + (bitcastConvertType(bits, .float32) * x).sum() }
    #expect(try grad(g4)(x).doubles == [2, 4, 6, 8])
    // a constant and its reshape broadcast against the input
    let s = Tensor([2.0, 3.0])
    let h = { (x: Tensor) in (x * s).sum() + (x * reshape(s, [2, 1])).sum() }
    #expect(try grad(h)(Tensor([1.0, 1.0])).doubles == [7, 8])
  }

  /// make_jaxpr of a function over a constant and its reshape lists both as constvars.
  @Test func jaxprKeepsViewsAsSeparateConstants() throws {
    let w = Tensor([1.0, 2.0, 3.0])
    let column = reshape(w, [3, 1])
    let jaxpr = try makeJaxpr({ (x: Tensor) in x * w + reshape(column * 2, [3]) }, Tensor([1.0, 1.0, 1.0])).get()
    #expect(jaxpr.constVars.count == 2)
    #expect(jaxpr.constVars.map(\.aval.shape) == [[3], [3, 1]])
  }
}

/// The tolerance of a whole-program result, element by element: 64 ulp of the element and 16 ulp
/// of the array's largest, plus four times `float32Error`, how far JAX's own float32 result is
/// from the program's float64 one. A program whose derivative cancels (1 - tanh² of a saturated
/// tanh, d(x/x)) loses digits in float32 whoever computes it; the engine may be as far from the
/// exact answer as JAX is, on the other side. A wrong gradient is off by whole units.
/// `.success` carries the largest share of the tolerance used.
func compareWithTolerance(_ got: Tensor, _ expected: Any, float32Error: Double) -> Result<Double, ToleranceFailure> {
  let want = fixtureTensor(expected)
  let a: [Double], b: [Double]
  do { (a, b) = (try got.doubles, try want.doubles) } catch { return .failure(ToleranceFailure("failed: \(error)")) }
  if got.dtype != want.dtype { return .failure(ToleranceFailure("dtype \(got.dtype) != \(want.dtype)")) }
  if got.shape != want.shape { return .failure(ToleranceFailure("shape \(got.shape) != \(want.shape)")) }
  if got.isWeaklyTyped != want.isWeaklyTyped {
    return .failure(ToleranceFailure("weak_type \(got.isWeaklyTyped) != \(want.isWeaklyTyped)"))
  }
  let scale = b.map { Swift.abs($0) }.max() ?? 0
  var used = 0.0
  for i in b.indices {
    if a[i] == b[i] || (a[i].isNaN && b[i].isNaN) { continue }
    let tol = 64 * Double(Float(b[i]).ulp) + 16 * Double(Float(scale).ulp) + 4 * float32Error
    let error = Swift.abs(a[i] - b[i])
    if !(error <= tol) {
      return .failure(ToleranceFailure("element \(i): \(a[i]) != \(b[i]) (JAX); error \(error), tolerance \(tol)"))
    }
    used = Swift.max(used, error / tol)
  }
  return .success(used)
}

struct ToleranceFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// One program of the fixture, run by the engine.
struct WholeProgram {
  struct Bad: Error, CustomStringConvertible {
    let description: String
  }

  let tree: String
  let consts: [Tensor]
  let leaves: [Tensor]
  let body: [[String: Any]]
  let tangents: [Tensor]
  let cotangent: Tensor
  let batched: [Tensor]

  init(_ p: [String: Any]) throws {
    tree = p["tree"] as? String ?? "list"
    body = p["body"] as? [[String: Any]] ?? []
    // Constants, then inputs, are made eagerly, outside every transformation: a view here
    // shares its operand's buffer exactly as a user's would.
    var env: [String: Tensor] = [:]
    for (i, spec) in (p["consts"] as? [[String: Any]] ?? []).enumerated() {
      env["c\(i)"] = try Self.apply(spec, env)
    }
    consts = (0..<env.count).compactMap { env["c\($0)"] }
    var inputs: [Tensor] = []
    for (i, spec) in (p["inputs"] as? [[String: Any]] ?? []).enumerated() {
      let x = try Self.apply(spec, env)
      env["x\(i)"] = x
      inputs.append(x)
    }
    leaves = inputs
    tangents = (p["tangents"] as? [Any] ?? []).map(fixtureTensor)
    batched = (p["batched"] as? [Any] ?? []).map(fixtureTensor)
    cotangent = fixtureTensor(p["cotangent"] ?? [:])
  }

  /// The function's value at the input leaves (inputs "x<i>", constants "c<i>", values "v<k>").
  func run(_ xs: [Tensor]) -> Tensor {
    var env: [String: Tensor] = [:]
    for (i, c) in consts.enumerated() { env["c\(i)"] = c }
    for (i, x) in xs.enumerated() { env["x\(i)"] = x }
    var last = Tensor(failed: FluxionError(.valueError, "empty program"))
    for (k, op) in body.enumerated() {
      do {
        last = try Self.apply(op, env)
      } catch {
        return Tensor(failed: FluxionError(.valueError, "\(error)"))
      }
      env["v\(k)"] = last
    }
    return last
  }

  /// Every check of the fixture, computed with the engine.
  func replay() throws -> [String: [Tensor]] {
    if tree == "dict" {
      let keys = ["a", "b"]
      return replay(
        pack: { xs in Dictionary(uniqueKeysWithValues: zip(keys, xs)) },
        unpack: { d in keys.prefix(d.count).compactMap { d[$0] } })
    }
    return replay(pack: { $0 }, unpack: { $0 })
  }

  func replay<In: PyTree>(pack: @escaping ([Tensor]) -> In, unpack: @escaping (In) -> [Tensor]) -> [String: [Tensor]] {
    let f = { (x: In) in self.run(unpack(x)) }
    let loss = { (x: In) in sin(f(x)).sum() }
    let x = pack(leaves)
    let t = pack(tangents)
    let xb = pack(batched)
    let withFirst = { (x0: Tensor) in pack([x0] + leaves.dropFirst()) }
    var out: [String: [Tensor]] = [:]
    out["value"] = [f(x)]
    let (y, ty) = jvp(f, primals: x, tangents: t)
    out["jvp"] = [y, ty]
    let (_, pullback) = vjp(f, x)
    out["vjp"] = unpack(pullback(cotangent))
    out["grad"] = unpack(grad(loss)(x))
    out["vmap"] = [vmap(f)(xb)]
    out["grad_of_vmap"] = unpack(grad { (b: In) in sin(vmap(f)(b)).sum() }(xb))
    out["vmap_of_grad"] = unpack(vmap(grad(loss))(xb))
    out["jvp_of_grad"] = unpack(jvp(grad(loss), primals: x, tangents: t).1)
    out["jacrev_of_jvp"] = [jacrev { (x0: Tensor) in jvp(f, primals: withFirst(x0), tangents: t).1 }(leaves[0])]
    out["jacfwd"] = [jacfwd { (x0: Tensor) in f(withFirst(x0)) }(leaves[0])]
    if leaves[0].count <= 6 {
      out["hessian"] = [hessian { (x0: Tensor) in loss(withFirst(x0)) }(leaves[0])]
    }
    return out
  }

  static func apply(_ op: [String: Any], _ env: [String: Tensor]) throws -> Tensor {
    guard let name = op["op"] as? String else { throw Bad(description: "op without a name: \(op)") }
    let args = try (op["args"] as? [String] ?? []).map { ref in
      guard let t = env[ref] else { throw Bad(description: "\(name): unknown reference \(ref)") }
      return t
    }
    func arg(_ i: Int) throws -> Tensor {
      guard args.indices.contains(i) else { throw Bad(description: "\(name) needs \(i + 1) arguments") }
      return args[i]
    }
    func int(_ key: String) throws -> Int {
      guard let v = op[key] as? Int else { throw Bad(description: "\(name) needs an integer \(key)") }
      return v
    }
    func ints(_ key: String) throws -> [Int] {
      guard let v = op[key] as? [Int] else { throw Bad(description: "\(name) needs integers \(key)") }
      return v
    }
    func axes() -> [Int]? { (op["axis"] as? Int).map { [$0] } }
    let scalar = Tensor.weak((op["scalar"] as? Double) ?? 0)
    switch name {
    case "array", "int_array": return fixtureTensor(op["value"] ?? [:])
    case "sin": return sin(try arg(0))
    case "cos": return cos(try arg(0))
    case "tanh": return tanh(try arg(0))
    case "exp": return exp(try arg(0))
    case "log": return log(try arg(0))
    case "sqrt": return sqrt(try arg(0))
    case "neg": return -(try arg(0))
    case "square": return try arg(0).pow(2)
    case "cube": return try arg(0).pow(3)
    case "logistic": return logistic(try arg(0))
    case "abs": return abs(try arg(0))
    case "add": return try arg(0) + arg(1)
    case "sub": return try arg(0) - arg(1)
    case "mul": return try arg(0) * arg(1)
    case "div": return try arg(0) / arg(1)
    case "maximum": return maximum(try arg(0), try arg(1))
    case "minimum": return minimum(try arg(0), try arg(1))
    case "mul_scalar": return try arg(0) * scalar
    case "add_scalar": return try arg(0) + scalar
    case "rsub_scalar": return try scalar - arg(0)
    case "where_gt": return `where`(try arg(0) .> Tensor.weak(0), try arg(1), try arg(2))
    case "reshape": return reshape(try arg(0), try ints("shape"))
    case "expand_dims": return expandDims(try arg(0), try int("axis"))
    case "broadcast_to": return broadcastTo(try arg(0), try ints("shape"))
    case "transpose": return transpose(try arg(0), try ints("perm"))
    case "squeeze": return squeeze(try arg(0), axes: [try int("axis")])
    case "slice":
      return slice(try arg(0), start: try ints("start"), limit: try ints("limit"), strides: try ints("strides"))
    case "slice_from": return try arg(0)[.from(try int("start"))]
    case "stride": return try arg(0)[.stride(by: try int("step"))]
    case "index": return try arg(0)[try int("index")]
    case "flip": return flip(try arg(0), axes: [try int("axis")])
    case "astype_f32": return try arg(0).astype(.float32)
    case "int_round_trip": return try arg(0).astype(.int32).astype(.float32)
    case "bitcast_round_trip": return bitcastConvertType(bitcastConvertType(try arg(0), .int32), .float32)
    case "sum": return try arg(0).sum(axes: axes())
    case "mean": return try arg(0).mean(axes: axes())
    case "max": return try arg(0).max(axes: axes())
    case "matmul": return matmul(try arg(0), try arg(1))
    case "concatenate": return concatenate([try arg(0), try arg(1)], axis: try int("axis"))
    case "stack": return stack([try arg(0), try arg(1)], axis: try int("axis"))
    case "take": return try arg(0)[try arg(1)]
    case "at_set": return try arg(0).at[try int("index")].set(try arg(1))
    case "at_add": return try arg(0).at[try arg(1)].add(try arg(2))
    case "inner_grad":
      let b = try arg(1)
      return grad { (z: Tensor) in (sin(z) * b).sum() }(try arg(0))
    case "inner_jvp":
      let (a, b) = (try arg(0), try arg(1))
      return jvp({ (z: Tensor) in tanh(z * b) }, primals: a, tangents: onesLike(a)).1
    case "inner_vmap":
      let b = try arg(1)
      return vmap { (r: Tensor) in (sin(r) * b).sum() }(try arg(0))
    case "cond_sum":
      let b = try arg(1)
      return cond(try arg(0).sum() .> Tensor.weak(0), { sin($0) * b }, { $0 - b }, try arg(0))
    case "switch_sum":
      let (a, b) = (try arg(0), try arg(1))
      let total = a.sum()
      let i = (total .> Tensor.weak(0)).astype(.int32) + (total .> Tensor.weak(1)).astype(.int32)
      return switchCase(i, [{ sin($0) * b }, { $0 * b }, { cos($0) + b }], a)
    case "scan_rows":
      let (a, b) = (try arg(0), try arg(1))
      let (c, ys) = scan(
        { (c: Tensor, x: Tensor) in (tanh(c * b + x), c * x) }, initial: zerosLike(a[0]) + Tensor.weak(0.5), xs: a,
        reverse: op["reverse"] as? Bool ?? false)
      return ys + c
    case "fori_static":
      let b = try arg(1)
      return foriLoop(0, 3, body: { _, c in sin(c) * b + c * Tensor.weak(0.5) }, initial: try arg(0))
    case "checkpoint":
      return checkpoint { (zb: [Tensor]) in [sin(zb[0]) * zb[1] + zb[0]] }([try arg(0), try arg(1)])[0]
    default: throw Bad(description: "unknown op \(name)")
    }
  }
}

// fluxion-bench: times Fluxion's benchmark workloads and prints one JSON object on stdout,
//
//     {"fluxion_mode": "eager", "openblas_core": ..., "results": {name: seconds_per_iteration}, ...}
//
// in the shape of jax_bench.py's output (workload names match where the work is the same).
// Rows named jit_* run jitted functions (compiled plans); the others are eager. Progress goes to stderr.
//
// Usage: fluxion-bench [--quick] [--only NAME[,NAME...]] [--list]

import CBLASBench
import Fluxion
@_spi(Benchmarks) import Fluxion
import FluxionLang
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Harness

/// Monotonic time in seconds.
/// FLUXION_BENCH_CLOCK=cpu times by the process's CPU time instead of the wall clock: on a
/// shared machine (other jobs running) it still compares two builds, run pinned to one core
/// (`taskset -c 0`, which also keeps the kernels on one thread).
let clock =
  getenv("FLUXION_BENCH_CLOCK").map { String(cString: $0) } == "cpu" ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC

func now() -> Double {
  var ts = timespec()
  clock_gettime(clock, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Keeps a result alive so the optimiser cannot drop the work that made it.
@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

/// While true (one untimed call per workload), results are checked for errors: a Fluxion op that
/// fails returns a tensor holding the error instead of trapping, which would time nothing.
nonisolated(unsafe) var checking = false
nonisolated(unsafe) var checkFailure: String?
nonisolated(unsafe) var checkShapes: [[Int]] = []

/// A tensor is waited for first (`blockUntilReady`, as JAX's benchmarks do): a dispatched result
/// is timed to its end, not to the return of the call.
@inline(never) func blackHole(_ x: Tensor) {
  x.blockUntilReady()
  if checking {
    if checkFailure == nil, let e = x.error { checkFailure = "\(e)" }
    checkShapes.append(x.shape)
  }
  withExtendedLifetime(x) {}
}

/// The elements of an input the harness builds; a failure there ends the run with its error.
func floats(_ x: Tensor) -> [Float] {
  do {
    return try x.floats
  } catch {
    progress("[fluxion_bench] building an input failed: \(error)\n")
    exit(1)
  }
}

struct Measurement {
  var seconds: Double  // median seconds per iteration
  var iterations: Int  // timed iterations in all
  var samples: Int  // timed batches
}

struct Options {
  var quick = false
  var only: [String] = []
  var list = false
}

/// The seconds a partly timed body (`Workload.partial`) adds for the part it times.
nonisolated(unsafe) var timedPart = 0.0

/// Warm-up, then timed batches until `minTime` has passed (and at least 3 batches); the result is
/// the median over batches of (batch time / iterations in the batch). A batch holds enough calls
/// to last about 10 ms, so fast workloads are not dominated by the clock's own cost. With
/// `partial`, a batch's time is what its bodies added to `timedPart`, not the wall clock's.
func measure(quick: Bool, warmup: Int = 2, partial: Bool = false, _ body: () -> Void) -> Measurement {
  let minTime = quick ? 0.1 : 0.3
  for _ in 0..<(quick ? 1 : warmup) { body() }
  let t0 = now()
  body()
  let one = max(now() - t0, 1e-9)
  let batch = max(1, Int(0.01 / one))
  var samples: [Double] = []
  let start = now()
  while samples.count < 3 || now() - start < minTime {
    let b0 = now()
    timedPart = 0
    for _ in 0..<batch { body() }
    samples.append((partial ? timedPart : now() - b0) / Double(batch))
  }
  samples.sort()
  let n = samples.count
  let median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2
  return Measurement(seconds: median, iterations: n * batch, samples: n)
}

/// The OpenBLAS that Fluxion loaded (Config.blasCore loads it, with the kernel it chose for
/// this CPU), for the direct cblas_sgemm baseline: looked up, not linked, since a linked
/// OpenBLAS would load at start with its own choice of kernel.
enum OpenBLAS {
  nonisolated(unsafe) static let library: UnsafeMutableRawPointer = {
    _ = Config.blasCore
    guard
      let lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_NOLOAD) ?? dlopen("libopenblas.so", RTLD_NOW | RTLD_NOLOAD)
    else { fatalError("OpenBLAS is not loaded") }
    return lib
  }()
  static func function<F>(_ name: String, _: F.Type) -> F {
    guard let p = dlsym(library, name) else { fatalError("OpenBLAS has no \(name)") }
    return unsafeBitCast(p, to: F.self)
  }
  static let numProcs = function("openblas_get_num_procs", (@convention(c) () -> Int32).self)
  static let numThreads = function("openblas_get_num_threads", (@convention(c) () -> Int32).self)
  static let setNumThreads = function("openblas_set_num_threads", (@convention(c) (Int32) -> Void).self)
  static let sgemm = function(
    "cblas_sgemm",
    (@convention(c) (
      CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void).self)
}

// MARK: - Workloads

/// f(x) = sin(x)·x³ + exp(−x²), the explorer's running example.
@Sendable func fScalar(_ x: Tensor) -> Tensor { sin(x) * x.pow(3) + exp(-(x * x)) }

/// The plan the cancellation rows run: one fused elementwise region over 1e7 elements.
@Sendable func fCancel(_ x: Tensor) -> Tensor { sin(x) * x + exp(-(x * x)) }

/// Runs the cancellation row missed (its plan ended before the cancellation reached it).
nonisolated(unsafe) var cancelMissed = 0

/// `call` on 1e6 float32 elements, timing the call until it returns (its result is waited for
/// untimed).
func dispatchRow(_ call: @escaping (Tensor) -> Tensor) -> () -> Void {
  let x = Random.normal(Random.PRNGKey(0), [1_000_000])
  return {
    let t0 = now()
    let y = call(x)
    timedPart += now() - t0
    blackHole(y)
  }
}

/// `a + b` on `n` float32 elements, inline or dispatched (and waited for).
func addRow(_ n: Int, inline: Bool) -> () -> Void {
  let a = Random.uniform(Random.PRNGKey(0), [n])
  let b = Random.uniform(Random.PRNGKey(1), [n])
  let threshold = inline ? Int.max : 0
  return { blackHole(Config.withDispatchThreshold(threshold) { a + b }) }
}

struct Workload {
  let name: String
  /// Bytes read + written per iteration, for a GB/s figure.
  var bytes: Double? = nil
  /// Floating-point operations per iteration, for a GFLOP/s figure.
  var flops: Double? = nil
  var note: String
  /// Whether the body times a part of itself (adding its seconds to `timedPart`).
  var partial = false
  /// Iterations of the measured work one call of the body makes (the row is per iteration).
  var iterationsPerCall = 1
  /// Builds the inputs (untimed) and returns the timed body.
  let setup: () -> () -> Void
}

let n7 = 10_000_000

// MARK: - The language (FluxionLang and the fluxion command)

/// Notes measured while a workload is set up (a process's peak memory).
nonisolated(unsafe) var extraNotes: [String: String] = [:]

/// A script run by an interpreter made once; the body runs the parsed program again.
func script(_ source: String) -> () -> Void {
  let interp = Interpreter()
  interp.write = { _ in }
  let module: Module
  do { module = try Parser.parse(source) } catch {
    progress("[fluxion_bench] parse failed: \(error)\n")
    exit(1)
  }
  return {
    do throws(PyError) { try interp.run(module) } catch {
      progress("[fluxion_bench] script failed: \(interp.traceback(error))\n")
      exit(1)
    }
  }
}

/// The `fluxion` command built beside this harness's package (`make bench` builds it first).
let fluxionCommand: String = {
  if let p = getenv("FLUXION_BIN") { return String(cString: p) }
  return FileManager.default.currentDirectoryPath + "/../.build/release/fluxion"
}()

/// Runs a command as a user does, from process start to exit.
func runProcess(_ args: [String]) {
  var pid: pid_t = 0
  var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
  defer { for a in argv { free(a) } }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  defer { posix_spawn_file_actions_destroy(&actions) }
  guard posix_spawn(&pid, args[0], &actions, nil, &argv, environ) == 0 else {
    progress("[fluxion_bench] cannot start \(args[0])\n")
    exit(1)
  }
  var status: Int32 = 0
  waitpid(pid, &status, 0)
  if status != 0 {
    progress("[fluxion_bench] \(args.joined(separator: " ")) exited with status \(status)\n")
    exit(1)
  }
}

/// The peak RSS (KiB) of a command, by GNU time (a spawned child's own ru_maxrss would count
/// this process's pages, shared until exec); nil without /usr/bin/time.
func peakRSS(_ args: [String]) -> Int? {
  guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return nil }
  let out = NSTemporaryDirectory() + "fluxion-bench-rss-\(getpid())"
  runProcess(["/usr/bin/time", "-f", "%M", "-o", out] + args)
  defer { try? FileManager.default.removeItem(atPath: out) }
  return (try? String(contentsOfFile: out, encoding: .utf8)).flatMap {
    Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

let seedNames = [
  "01_cube_and_derivative", "02_vmap_axes", "03_pytree_point", "04_logistic_jvp", "05_logistic_vjp_rows",
]

let languageWorkloads: [Workload] =
  [
    Workload(
      name: "lang_loop_jnp_scalar",
      note: "x = jnp.sin(x) * 0.5 + 0.1 in a Python loop on a 0-d float32 array, per iteration",
      iterationsPerCall: 1000
    ) {
      script("import jax.numpy as jnp\nx = jnp.float32(0.3)\nfor _ in range(1000):\n    x = jnp.sin(x) * 0.5 + 0.1\n")
    },
    Workload(
      name: "lang_loop_float", note: "x = math.sin(x) * 0.5 + 0.1 in a Python loop on a Python float, per iteration",
      iterationsPerCall: 1000
    ) {
      script("import math\nx = 0.3\nfor _ in range(1000):\n    x = math.sin(x) * 0.5 + 0.1\n")
    },
    Workload(
      name: "session_keystroke",
      note: "Session: compile 'lambda x: jnp.sin(x) * x**3' (a new text each call) and evaluate f and grad(f) at 1.5"
    ) {
      let session = Session()
      session.evaluateWorkspace("import jax.numpy as jnp")
      var k = 0
      return {
        k += 1
        do throws(PyError) {
          let f = try session.compile("lambda x: jnp.sin(x) * x**3" + String(repeating: " ", count: k % 97))
          blackHole(try f(.float(1.5)))
          blackHole(try f.grad(at: [.float(1.5)]))
        } catch {
          progress("[fluxion_bench] session failed: \(error.summary)\n")
          exit(1)
        }
      }
    },
  ]
  + seedNames.map { name in
    Workload(
      name: "seed_process_\(name.prefix(2))", note: "fluxion run examples/seed/\(name).py, process start to exit"
    ) {
      let path = FileManager.default.currentDirectoryPath + "/../examples/seed/\(name).py"
      if let rss = peakRSS([fluxionCommand, "run", path]) {
        extraNotes["seed_process_\(name.prefix(2))"] = "peak RSS \(rss / 1024) MiB"
      }
      return { runProcess([fluxionCommand, "run", path]) }
    }
  }

let workloads: [Workload] =
  [
    Workload(
      name: "add_1e7_f32", bytes: Double(3 * 4 * n7),
      note: "a + b, 1e7 float32, fresh output buffer each call"
    ) {
      let a = Random.uniform(Random.PRNGKey(0), [n7])
      let b = Random.uniform(Random.PRNGKey(1), [n7])
      return { blackHole(a + b) }
    },
    Workload(name: "exp_1e7_f32", bytes: Double(2 * 4 * n7), note: "exp(x), 1e7 float32") {
      let a = Random.normal(Random.PRNGKey(0), [n7])
      return { blackHole(exp(a)) }
    },
    Workload(
      name: "copy_1e7_f32", bytes: Double(2 * 4 * n7),
      note: "memcpy of 4e7 bytes into a pre-faulted buffer (bandwidth scale, not a Fluxion op)"
    ) {
      let size = 4 * n7
      let src = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
      let dst = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
      memset(src, 1, size)
      memset(dst, 0, size)
      return {
        memcpy(dst, src, size)
        blackHole(dst)
      }
    },
    Workload(
      name: "copy_1e7_f32_alloc", bytes: Double(2 * 4 * n7),
      note: "malloc + memcpy + free of 4e7 bytes: what any eager op producing 1e7 floats pays (page faults)"
    ) {
      let size = 4 * n7
      let src = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
      memset(src, 1, size)
      return {
        let dst = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        memcpy(dst, src, size)
        blackHole(dst)
        dst.deallocate()
      }
    },
    Workload(
      name: "matmul_1024_f32", flops: 2 * 1024 * 1024 * 1024, note: "matmul(a, b), 1024x1024 float32"
    ) {
      let a = Random.normal(Random.PRNGKey(0), [1024, 1024])
      let b = Random.normal(Random.PRNGKey(1), [1024, 1024])
      return { blackHole(matmul(a, b)) }
    },
    Workload(
      name: "cblas_sgemm_1024_direct", flops: 2 * 1024 * 1024 * 1024,
      note:
        "cblas_sgemm called directly on the same data, into a reused output, on OpenBLAS's own threads (OpenBLAS ceiling)"
    ) {
      let a = floats(Random.normal(Random.PRNGKey(0), [1024, 1024]))
      let b = floats(Random.normal(Random.PRNGKey(1), [1024, 1024]))
      let c = UnsafeMutablePointer<Float>.allocate(capacity: 1024 * 1024)
      c.initialize(repeating: 0, count: 1024 * 1024)
      let threads = OpenBLAS.numProcs()
      return {
        // Fluxion keeps OpenBLAS single-threaded (it splits large products over its own helper
        // threads); the ceiling is OpenBLAS on all its threads, asked for before every call.
        OpenBLAS.setNumThreads(threads)
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            OpenBLAS.sgemm(
              CblasRowMajor, CblasNoTrans, CblasNoTrans, 1024, 1024, 1024, 1, pa.baseAddress, 1024,
              pb.baseAddress, 1024, 0, c, 1024)
          }
        }
        blackHole(c)
      }
    },
    Workload(name: "eager_sin_scalar", note: "sin(x) of a 0-d float32 tensor, per op") {
      let x = Tensor(Float(0.5))
      return { blackHole(sin(x)) }
    },
    Workload(
      name: "eager_grad_first_call",
      note: "grad(<fresh closure>)(0.5), f = sin(x)*x^3 + exp(-x^2); no tracing cache exists, so = eager_grad_call"
    ) {
      return {
        blackHole(grad { (x: Tensor) in sin(x) * x.pow(3) + exp(-(x * x)) }(Tensor(0.5)))
      }
    },
    Workload(name: "eager_grad_call", note: "g = grad(f) once; g(0.5) repeatedly") {
      let g = grad(fScalar)
      return { blackHole(g(Tensor(0.5))) }
    },
    Workload(name: "jacrev_tanh_256", note: "jacrev(x -> tanh(W x)), W 256x256, eager") {
      let w = Random.normal(Random.PRNGKey(0), [256, 256]) / 16
      let x = Random.normal(Random.PRNGKey(1), [256])
      return { blackHole(jacrev { (x: Tensor) in tanh(matmul(w, x)) }(x)) }
    },
    Workload(name: "jacfwd_tanh_256", note: "jacfwd(x -> tanh(W x)), W 256x256, eager") {
      let w = Random.normal(Random.PRNGKey(0), [256, 256]) / 16
      let x = Random.normal(Random.PRNGKey(1), [256])
      return { blackHole(jacfwd { (x: Tensor) in tanh(matmul(w, x)) }(x)) }
    },
    Workload(name: "hessian_100", note: "hessian(x -> sum(sin(x) x^2)) at a 100-vector, eager") {
      let x = linspace(-1, 1, 100)
      return { blackHole(hessian { (x: Tensor) in (sin(x) * x * x).sum() }(x)) }
    },
    Workload(name: "normal_1e6", note: "Random.normal(key, [1e6]) float32 (threefry + erf_inv)") {
      let key = Random.PRNGKey(0)
      return { blackHole(Random.normal(key, [1_000_000])) }
    },
    Workload(
      name: "logreg_grad_1e5x100", note: "grad w.r.t. w of the mean logistic loss, X 1e5x100 float32, eager"
    ) {
      let xs = Random.normal(Random.PRNGKey(0), [100_000, 100])
      let y = (Random.uniform(Random.PRNGKey(1), [100_000]) .< 0.5).astype(.float32)
      let w = Random.normal(Random.PRNGKey(2), [100]) * 0.1
      let g = grad { (w: Tensor) -> Tensor in
        let p = logistic(matmul(xs, w))
        return -(y * log(p) + (1 - y) * log(1 - p)).mean()
      }
      return { blackHole(g(w)) }
    },
    Workload(
      name: "gather_grad_1e6", note: "grad(x -> x[idx].sum()), x and idx 1e6 (random int32 positions), eager"
    ) {
      let x = Random.normal(Random.PRNGKey(0), [1_000_000])
      let idx = Random.randint(Random.PRNGKey(1), [1_000_000], minval: 0, maxval: 1_000_000)
      let g = grad { (x: Tensor) in x[idx].sum() }
      return { blackHole(g(x)) }
    },
    Workload(name: "sum_axis0_4096", bytes: Double(4 * 4096 * 4096), note: "x.sum(axis: 0), 4096x4096 float32") {
      let x = Random.normal(Random.PRNGKey(0), [4096, 4096])
      return { blackHole(x.sum(axis: 0)) }
    },
    Workload(name: "sum_axis1_4096", bytes: Double(4 * 4096 * 4096), note: "x.sum(axis: 1), 4096x4096 float32") {
      let x = Random.normal(Random.PRNGKey(0), [4096, 4096])
      return { blackHole(x.sum(axis: 1)) }
    },
    Workload(
      name: "where_1e7", bytes: Double((1 + 4 + 4 + 4) * n7), note: "select(c, a, b) (jnp.where), 1e7 float32, c bool"
    ) {
      let a = Random.normal(Random.PRNGKey(0), [n7])
      let b = Random.normal(Random.PRNGKey(1), [n7])
      let c = a .> b
      return { blackHole(select(c, a, b)) }
    },
    Workload(
      name: "at_add_1e6", note: "x.at[idx].add(v), x 1e6 float32, 1e6 random int32 positions and updates"
    ) {
      let x = Random.normal(Random.PRNGKey(0), [1_000_000])
      let idx = Random.randint(Random.PRNGKey(1), [1_000_000], minval: 0, maxval: 1_000_000)
      let v = Random.normal(Random.PRNGKey(2), [1_000_000])
      return { blackHole(x.at[idx].add(v)) }
    },
    Workload(name: "astype_1e7", bytes: Double(8 * n7), note: "x.astype(.int32), 1e7 float32") {
      let x = Random.normal(Random.PRNGKey(0), [n7]) * 100
      return { blackHole(x.astype(.int32)) }
    },
    Workload(name: "plot_1e6", note: "vmap(f)(xs) + vmap(grad(f))(xs), 1e6 float32 points, eager") {
      let xs = linspace(-3, 3, 1_000_000)
      let fv = vmap(fScalar)
      let gv = vmap(grad(fScalar))
      return {
        blackHole(fv(xs))
        blackHole(gv(xs))
      }
    },
    // Jitted workloads: the body runs as a compiled plan (fused regions, BLAS, buffer reuse).
    Workload(name: "jit_plot_1e6", note: "jit(vmap(f))(xs) + jit(vmap(grad(f)))(xs), 1e6 float32 points") {
      let xs = linspace(-3, 3, 1_000_000)
      let fv = jit(vmap(fScalar))
      let gv = jit(vmap(grad(fScalar)))
      return {
        blackHole(fv(xs))
        blackHole(gv(xs))
      }
    },
    Workload(name: "jit_hessian_100", note: "jit(hessian(x -> sum(sin(x) x^2))) at a 100-vector") {
      let x = linspace(-1, 1, 100)
      let h = jit(hessian { (x: Tensor) in (sin(x) * x * x).sum() })
      return { blackHole(h(x)) }
    },
    Workload(name: "jit_jacrev_tanh_256", note: "jit(jacrev(x -> tanh(W x))), W 256x256") {
      let w = Random.normal(Random.PRNGKey(0), [256, 256]) / 16
      let x = Random.normal(Random.PRNGKey(1), [256])
      let j = jit(jacrev { (x: Tensor) in tanh(matmul(w, x)) })
      return { blackHole(j(x)) }
    },
    Workload(name: "jit_jacfwd_tanh_256", note: "jit(jacfwd(x -> tanh(W x))), W 256x256") {
      let w = Random.normal(Random.PRNGKey(0), [256, 256]) / 16
      let x = Random.normal(Random.PRNGKey(1), [256])
      let j = jit(jacfwd { (x: Tensor) in tanh(matmul(w, x)) })
      return { blackHole(j(x)) }
    },
    Workload(name: "jit_logreg_grad_1e5x100", note: "jit(grad(mean logistic loss)) w.r.t. w, X 1e5x100 float32") {
      let xs = Random.normal(Random.PRNGKey(0), [100_000, 100])
      let y = (Random.uniform(Random.PRNGKey(1), [100_000]) .< 0.5).astype(.float32)
      let w = Random.normal(Random.PRNGKey(2), [100]) * 0.1
      let g = jit(
        grad { (w: Tensor) -> Tensor in
          let p = logistic(matmul(xs, w))
          return -(y * log(p) + (1 - y) * log(1 - p)).mean()
        })
      return { blackHole(g(w)) }
    },
    Workload(
      name: "jit_grad_first_call",
      note: "jit(grad(<fresh closure>))(0.5), f = sin(x)*x^3 + exp(-x^2): trace + plan + run, nothing cached"
    ) {
      return {
        blackHole(jit(grad { (x: Tensor) in sin(x) * x.pow(3) + exp(-(x * x)) })(Tensor(Float(0.5))))
      }
    },
    // The async executor: what a dispatch, a read and a cancellation cost, and what overlap gains.
    Workload(
      name: "executor_dispatch_eager_1e6", note: "y = exp(x), x 1e6 float32, dispatched: the call until it returns",
      partial: true
    ) {
      dispatchRow { exp($0) }
    },
    Workload(
      name: "executor_dispatch_jit_1e6", note: "g = jit(sin(x) * 2 + 1) once; g(x), x 1e6, the call until it returns",
      partial: true
    ) {
      let g = jit { (x: Tensor) in sin(x) * 2 + 1 }
      return dispatchRow(g)
    },
    Workload(
      name: "executor_read_ready", note: "y.value() of a dispatched result (1e6 float32) already computed",
      partial: true
    ) {
      let x = Random.normal(Random.PRNGKey(0), [1_000_000])
      return {
        let y = exp(x).blockUntilReady()
        let t0 = now()
        let v = try? y.value()
        timedPart += now() - t0
        blackHole(v)
      }
    },
    Workload(
      name: "executor_plan_1e7", note: "g = jit(sin(x) x + exp(-x²)) on 1e7 float32, run to its end (for the row below)"
    ) {
      let x = Random.normal(Random.PRNGKey(0), [n7])
      let g = jit(fCancel)
      return { blackHole(g(x)) }
    },
    Workload(
      name: "executor_cancel_latency_1e7",
      note:
        "the same plan dispatched under a token, cancelled 2 ms into its run: cancel() until every worker and helper is idle",
      partial: true
    ) {
      let x = Random.normal(Random.PRNGKey(0), [n7])
      let g = jit(fCancel)
      blackHole(g(x))
      return {
        let token = CancellationToken()
        let y = withCancellation(token) { g(x) }
        while Executor.shared.runningJobs == 0 && !y.isReady { sched_yield() }
        usleep(2000)
        let t0 = now()
        token.cancel()
        // Sleep until the job has published its result, then wait for the last thread to idle.
        let cancelled = y.blockUntilReady().error?.kind == .cancelled
        while !Executor.shared.isIdle { sched_yield() }
        timedPart += now() - t0
        if !cancelled { cancelMissed += 1 }
      }
    },
    // What the dispatch threshold weighs: a round trip to a worker against a kernel inline.
    Workload(
      name: "executor_roundtrip_scalar", note: "sin of a 0-d float32 dispatched (threshold 0) and waited for"
    ) {
      let x = Tensor(Float(0.5))
      return { blackHole(Config.withDispatchThreshold(0) { sin(x) }) }
    },
    Workload(name: "executor_inline_add_16k", note: "a + b, 16 384 float32, inline") { addRow(1 << 14, inline: true) },
    Workload(name: "executor_inline_add_64k", note: "a + b, 65 536 float32, inline") { addRow(1 << 16, inline: true) },
    Workload(name: "executor_inline_add_256k", note: "a + b, 262 144 float32, inline") {
      addRow(1 << 18, inline: true)
    },
    Workload(name: "executor_dispatched_add_16k", note: "a + b, 16 384 float32, dispatched and waited for") {
      addRow(1 << 14, inline: false)
    },
    Workload(name: "executor_dispatched_add_64k", note: "a + b, 65 536 float32, dispatched and waited for") {
      addRow(1 << 16, inline: false)
    },
    Workload(name: "executor_dispatched_add_256k", note: "a + b, 262 144 float32, dispatched and waited for") {
      addRow(1 << 18, inline: false)
    },
    Workload(name: "jit_cached_call_tiny", note: "g = jit(x -> x * 2 + 1) once; g(x) on a 0-d float32, per call") {
      let g = jit { (x: Tensor) in x * 2 + 1 }
      let x = Tensor(Float(0.5))
      return { blackHole(g(x)) }
    },
    // Where a first call's time goes (Fluxion only): tracing grad(f) to a jaxpr, the optimisation
    // passes, lowering the program to a plan, running the plan once.
    Workload(name: "jit_first_call_trace", note: "makeJaxpr(grad(<fresh closure>), 0.5): the trace of a first call") {
      return {
        blackHole(try? makeJaxpr(grad { (x: Tensor) in sin(x) * x.pow(3) + exp(-(x * x)) }, Tensor(Float(0.5))).get())
      }
    },
    Workload(name: "jit_first_call_passes", note: "the optimisation passes (to a fixpoint) on the traced grad(f) jaxpr")
    {
      let j = try! makeJaxpr(grad(fScalar), Tensor(Float(0.5))).get()
      return { blackHole(PassPipeline.standard.run(j)) }
    },
    Workload(name: "jit_first_call_plan", note: "lowering the traced grad(f) jaxpr to an execution plan") {
      let j = try! makeJaxpr(grad(fScalar), Tensor(Float(0.5))).get()
      return { blackHole(CompiledPlan(j)) }
    },
    Workload(name: "jit_first_call_run", note: "running the grad(f) plan once at 0.5") {
      let j = try! makeJaxpr(grad(fScalar), Tensor(Float(0.5))).get()
      let p = CompiledPlan(j)!
      let x = Tensor(Float(0.5))
      return { blackHole(try? p.run([x])) }
    },
  ]
  // Two independent jitted calls, one after the other and overlapped: the explorer's plot pair
  // (each plan splits over both cores already) and two whole-array sums (one thread each).
  + overlapRows(
    "two_jit", "jit(vmap(f))(xs) and jit(vmap(grad(f)))(xs), 1e6 points",
    { linspace(-3, 3, 1_000_000) }, jit(vmap(fScalar)), jit(vmap(grad(fScalar))))
  + overlapRows(
    "two_sums",
    "jit((sin x · x).sum()) and jit((cos x · x).sum()) on 4e6 float32 (a whole-array sum runs on one thread)",
    { Random.normal(Random.PRNGKey(0), [4_000_000]) }, jit { (v: Tensor) in (sin(v) * v).sum() },
    jit { (v: Tensor) in (cos(v) * v).sum() })
  + languageWorkloads

/// `executor_<name>_serial` (`f(x)` waited for, then `g(x)`) and `executor_<name>_overlapped`
/// (both dispatched, then both read).
func overlapRows(
  _ name: String, _ what: String, _ input: @escaping () -> Tensor, _ f: @escaping (Tensor) -> Tensor,
  _ g: @escaping (Tensor) -> Tensor
) -> [Workload] {
  [
    Workload(name: "executor_\(name)_serial", note: what + ": one waited for before the next starts") {
      let x = input()
      return {
        blackHole(f(x))
        blackHole(g(x))
      }
    },
    Workload(name: "executor_\(name)_overlapped", note: what + ": both dispatched, then both read") {
      let x = input()
      return {
        let (a, b) = (f(x), g(x))
        blackHole(a)
        blackHole(b)
      }
    },
  ]
}

// MARK: - JSON

// jsonString is FluxionLang's (Python's json module's escaping).

func jsonNumber(_ x: Double) -> String {
  x.isFinite ? "\(x)" : "null"
}

func jsonObject(_ pairs: [(String, String)]) -> String {
  "{" + pairs.map { "\(jsonString($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
}

// MARK: - Main

func parseOptions() -> Options {
  var o = Options()
  var args = CommandLine.arguments.dropFirst()
  while let a = args.popFirst() {
    switch a {
    case "--quick": o.quick = true
    case "--list": o.list = true
    case "--only":
      guard let v = args.popFirst() else {
        progress("--only needs a value\n")
        exit(2)
      }
      o.only += v.split(separator: ",").map(String.init)
    case "-h", "--help":
      print("usage: fluxion-bench [--quick] [--only NAME[,NAME...]] [--list]")
      exit(0)
    default:
      if a.hasPrefix("--only=") {
        o.only += a.dropFirst(7).split(separator: ",").map(String.init)
      } else {
        progress("unknown argument \(a)\n")
        exit(2)
      }
    }
  }
  return o
}

/// Progress and errors go to stderr; stdout carries only the JSON.
func progress(_ s: String) {
  var s = s
  s.withUTF8 { b in _ = write(2, b.baseAddress, b.count) }
}

let options = parseOptions()
if options.list {
  for w in workloads { print(w.name) }
  exit(0)
}
let known = Set(workloads.map(\.name))
let unknown = options.only.filter { !known.contains($0) }
if !unknown.isEmpty {
  progress(
    "unknown workload(s): \(unknown.joined(separator: ", ")); known: \(workloads.map(\.name).joined(separator: ", "))\n"
  )
  exit(2)
}
let selected = options.only.isEmpty ? workloads : workloads.filter { options.only.contains($0.name) }

let coreName = Config.blasCore
let blasThreads = Int(OpenBLAS.numThreads())
progress("[fluxion_bench] OpenBLAS core: \(coreName), threads: \(blasThreads)\n")

var results: [(String, String)] = []
var iterations: [(String, String)] = []
var bytesMoved: [(String, String)] = []
var flopCounts: [(String, String)] = []
var gbps: [(String, String)] = []
var gflops: [(String, String)] = []
var notes: [(String, String)] = []
for w in selected {
  progress("[fluxion_bench] \(w.name) ...")
  let body = w.setup()
  checkShapes = []
  checking = true
  body()
  checking = false
  progress(checkShapes.isEmpty ? "\n" : " result shape \(checkShapes.map { "\($0)" }.joined(separator: ", "))\n")
  if let failure = checkFailure {
    progress("[fluxion_bench] \(w.name) FAILED: \(failure)\n")
    exit(1)
  }
  var m = measure(quick: options.quick, partial: w.partial, body)
  m.seconds /= Double(w.iterationsPerCall)
  results.append((w.name, jsonNumber(m.seconds)))
  iterations.append((w.name, "\(m.iterations)"))
  notes.append((w.name, jsonString(w.note + (extraNotes[w.name].map { "; " + $0 } ?? ""))))
  var extra = ""
  if let b = w.bytes {
    let v = b / m.seconds / 1e9
    gbps.append((w.name, jsonNumber(v)))
    bytesMoved.append((w.name, jsonNumber(b)))
    extra += ", \(format1(v)) GB/s"
  }
  if let f = w.flops {
    let v = f / m.seconds / 1e9
    gflops.append((w.name, jsonNumber(v)))
    flopCounts.append((w.name, jsonNumber(f)))
    extra += ", \(format1(v)) GFLOP/s"
  }
  if w.name == "executor_cancel_latency_1e7" {
    extra += ", \(cancelMissed) runs ended before the cancellation"
  }
  progress(
    "[fluxion_bench] \(w.name): \(m.seconds) s (\(m.iterations) iterations in \(m.samples) batches\(extra))\n")
}

func format1(_ x: Double) -> String {
  let r = (x * 10).rounded() / 10
  return "\(r)"
}

// The jitted plot workload's memory: what its plans hold at once, against inputs + outputs.
var planNotes: [(String, String)] = []
if selected.contains(where: { $0.name == "jit_plot_1e6" }) {
  let xs = linspace(-3, 3, 1_000_000)
  for (name, f) in [("f", vmap(fScalar)), ("grad_f", vmap(grad(fScalar)))] {
    if let j = try? makeJaxpr(f, xs).get(), let p = CompiledPlan(j) {
      planNotes.append(
        (
          "jit_plot_1e6_\(name)",
          jsonObject([
            ("peak_bytes_beyond_inputs", "\(p.peakBytes)"), ("input_bytes", "4000000"), ("output_bytes", "4000000"),
            ("steps", "\(p.stepCount)"), ("regions", "\(p.regionCount)"),
            ("fused_equations", "\(p.fusedEquationCount)"),
          ])
        ))
      progress(
        "[fluxion_bench] jit_plot_1e6 plan of \(name): \(p.stepCount) steps, peak \(p.peakBytes) bytes beyond the 4000000-byte input (output 4000000)\n"
      )
    }
  }
}

let out = jsonObject([
  ("fluxion_mode", jsonString("eager, and jit (compiled plans) in the jit_* rows")),
  ("openblas_core", jsonString(coreName)),
  ("openblas_threads", "\(blasThreads)"),
  ("quick", options.quick ? "true" : "false"),
  ("results", jsonObject(results)),
  ("iterations", jsonObject(iterations)),
  ("bytes", jsonObject(bytesMoved)),
  ("flops", jsonObject(flopCounts)),
  ("gbps", jsonObject(gbps)),
  ("gflops", jsonObject(gflops)),
  ("notes", jsonObject(notes)),
  ("plans", jsonObject(planNotes)),
])
print(out)

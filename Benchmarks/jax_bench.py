#!/usr/bin/env python3
"""Run Fluxion's benchmark workloads under JAX (CPU) and print one JSON object:

    {"jax_version": "...", "results": {name: seconds_per_iteration, ...}, "notes": {...}}

Each figure is the median over repeated timed batches, after warm-up, of (batch time / calls in
the batch); every call ends with block_until_ready. Run with the JAX venv:

    /work/.venv-jax/bin/python Benchmarks/jax_bench.py [--quick] [--only NAME[,NAME...]] [--list]

This script changes no environment variable: the caller (the Makefile) decides the environment
(OPENBLAS_*, XLA_FLAGS, JAX_ENABLE_X64 ... ). Progress goes to stderr, the JSON to stdout.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

NOTES = {
    "copy_1e7_f32": "jax.jit(lambda x: jnp.array(x, copy=True)) on a 1e7 float32 array (XLA must "
                    "materialise a fresh output buffer); copy_1e7_f32_numpy is np.copy of the same data",
    "eager_sin_scalar": "un-jitted jnp.sin of a 0-d float32 array, per op",
    "eager_grad_first_call": "jax.grad(<fresh lambda>)(0.5), f = sin(x)*x**3 + exp(-x**2), new lambda each call",
    "eager_grad_call": "g = jax.grad(f) once; g(0.5) repeatedly, no jit",
    "jit_grad_first_call": "jax.jit(jax.grad(<fresh lambda>))(0.5), compile included, new lambda each call",
    "plot_1e6": "jit(vmap(f))(xs) and jit(vmap(grad(f)))(xs) on 1e6 float32 points, the two times summed",
    "logreg_grad_1e5x100": "jit(grad(mean logistic loss)) w.r.t. w (100,), X 1e5x100 float32",
    "hessian_100": "jit(hessian(lambda x: sum(sin(x) * x**2))) at a 100-vector",
    "jit_cached_call_tiny": "g = jax.jit(lambda x: x * 2 + 1) once; g(x) on a 0-d float32, per call",
}


def f_scalar(x):
    return jnp.sin(x) * x**3 + jnp.exp(-x**2)


def timeit(fn, *, quick, min_batch=0.02, repeats=None, warmup=2):
    """Median seconds per call of fn() (fn must block)."""
    repeats = repeats or (3 if quick else 9)
    if quick:
        min_batch = min_batch / 4
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-9)
    n = max(1, int(min_batch / one))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n)
    return statistics.median(samples)


def timeit_fresh(make_and_call, *, quick):
    """For first-call workloads: every call builds a fresh function, so no warm-up of the call
    itself is possible; warm JAX's own one-time initialisation with two throw-away calls."""
    return timeit(make_and_call, quick=quick, min_batch=0.2, repeats=3 if quick else 7, warmup=2)


def bench_add(q):
    a = jnp.asarray(np.random.default_rng(0).standard_normal(10_000_000, dtype=np.float32))
    b = jnp.asarray(np.random.default_rng(1).standard_normal(10_000_000, dtype=np.float32))
    f = jax.jit(lambda a, b: a + b)
    return timeit(lambda: f(a, b).block_until_ready(), quick=q)


def bench_exp(q):
    a = jnp.asarray(np.random.default_rng(0).standard_normal(10_000_000, dtype=np.float32))
    f = jax.jit(jnp.exp)
    return timeit(lambda: f(a).block_until_ready(), quick=q)


def bench_copy(q):
    a = jnp.asarray(np.random.default_rng(0).standard_normal(10_000_000, dtype=np.float32))
    f = jax.jit(lambda x: jnp.array(x, copy=True))
    return timeit(lambda: f(a).block_until_ready(), quick=q)


def bench_copy_numpy(q):
    a = np.random.default_rng(0).standard_normal(10_000_000, dtype=np.float32)
    return timeit(lambda: np.copy(a), quick=q)


def bench_matmul(q):
    rng = np.random.default_rng(0)
    a = jnp.asarray(rng.standard_normal((1024, 1024), dtype=np.float32))
    b = jnp.asarray(rng.standard_normal((1024, 1024), dtype=np.float32))
    f = jax.jit(jnp.matmul)
    return timeit(lambda: f(a, b).block_until_ready(), quick=q)


def bench_eager_sin(q):
    x = jnp.asarray(np.float32(0.5))

    def run():
        for _ in range(100):
            y = jnp.sin(x)
        y.block_until_ready()
    return timeit(run, quick=q) / 100


def bench_eager_grad_first(q):
    def run():
        g = jax.grad(lambda x: jnp.sin(x) * x**3 + jnp.exp(-x**2))
        g(0.5).block_until_ready()
    return timeit_fresh(run, quick=q)


def bench_eager_grad(q):
    g = jax.grad(f_scalar)
    return timeit(lambda: g(0.5).block_until_ready(), quick=q)


def bench_jit_grad_first(q):
    def run():
        g = jax.jit(jax.grad(lambda x: jnp.sin(x) * x**3 + jnp.exp(-x**2)))
        g(0.5).block_until_ready()
    return timeit_fresh(run, quick=q)


def _tanh_setup():
    rng = np.random.default_rng(0)
    W = jnp.asarray(rng.standard_normal((256, 256), dtype=np.float32) / 16)
    x = jnp.asarray(rng.standard_normal(256, dtype=np.float32))
    return W, x


def bench_jacrev(q):
    W, x = _tanh_setup()
    f = jax.jit(jax.jacrev(lambda x: jnp.tanh(W @ x)))
    return timeit(lambda: f(x).block_until_ready(), quick=q)


def bench_jacfwd(q):
    W, x = _tanh_setup()
    f = jax.jit(jax.jacfwd(lambda x: jnp.tanh(W @ x)))
    return timeit(lambda: f(x).block_until_ready(), quick=q)


def bench_hessian(q):
    x = jnp.linspace(-1., 1., 100, dtype=jnp.float32)
    f = jax.jit(jax.hessian(lambda x: jnp.sum(jnp.sin(x) * x**2)))
    return timeit(lambda: f(x).block_until_ready(), quick=q)


def bench_normal(q):
    key = jax.random.PRNGKey(0)
    f = jax.jit(lambda k: jax.random.normal(k, (1_000_000,)))
    return timeit(lambda: f(key).block_until_ready(), quick=q)


def bench_logreg(q):
    rng = np.random.default_rng(0)
    X = jnp.asarray(rng.standard_normal((100_000, 100), dtype=np.float32))
    y = jnp.asarray((rng.random(100_000) < 0.5).astype(np.float32))
    w = jnp.asarray(rng.standard_normal(100, dtype=np.float32) * 0.1)

    def loss(w, X, y):
        p = lax.logistic(X @ w)
        return -jnp.mean(y * jnp.log(p) + (1. - y) * jnp.log(1. - p))
    g = jax.jit(jax.grad(loss))
    return timeit(lambda: g(w, X, y).block_until_ready(), quick=q)


def bench_gather_grad(q):
    x = jax.random.normal(jax.random.PRNGKey(0), (1_000_000,))
    idx = jax.random.randint(jax.random.PRNGKey(1), (1_000_000,), 0, 1_000_000)
    g = jax.jit(jax.grad(lambda x, idx: x[idx].sum()))
    return timeit(lambda: g(x, idx).block_until_ready(), quick=q)


def bench_sum_axis(axis):
    def run(q):
        x = jax.random.normal(jax.random.PRNGKey(0), (4096, 4096))
        f = jax.jit(lambda x: x.sum(axis=axis))
        return timeit(lambda: f(x).block_until_ready(), quick=q)
    return run


def bench_where(q):
    a = jax.random.normal(jax.random.PRNGKey(0), (10_000_000,))
    b = jax.random.normal(jax.random.PRNGKey(1), (10_000_000,))
    c = a > b
    f = jax.jit(jnp.where)
    return timeit(lambda: f(c, a, b).block_until_ready(), quick=q)


def bench_at_add(q):
    x = jax.random.normal(jax.random.PRNGKey(0), (1_000_000,))
    idx = jax.random.randint(jax.random.PRNGKey(1), (1_000_000,), 0, 1_000_000)
    v = jax.random.normal(jax.random.PRNGKey(2), (1_000_000,))
    f = jax.jit(lambda x, idx, v: x.at[idx].add(v))
    return timeit(lambda: f(x, idx, v).block_until_ready(), quick=q)


def bench_astype(q):
    x = jax.random.normal(jax.random.PRNGKey(0), (10_000_000,)) * 100
    f = jax.jit(lambda x: x.astype(jnp.int32))
    return timeit(lambda: f(x).block_until_ready(), quick=q)


def bench_cached_call(q):
    x = jnp.asarray(np.float32(0.5))
    g = jax.jit(lambda x: x * 2 + 1)
    g(x).block_until_ready()

    def run():
        for _ in range(100):
            y = g(x)
        y.block_until_ready()
    return timeit(run, quick=q) / 100


def bench_plot(q):
    xs = jnp.linspace(-3., 3., 1_000_000, dtype=jnp.float32)
    fv = jax.jit(jax.vmap(f_scalar))
    gv = jax.jit(jax.vmap(jax.grad(f_scalar)))
    t_f = timeit(lambda: fv(xs).block_until_ready(), quick=q)
    t_g = timeit(lambda: gv(xs).block_until_ready(), quick=q)
    return t_f + t_g


BENCHES = {
    "add_1e7_f32": bench_add,
    "exp_1e7_f32": bench_exp,
    "copy_1e7_f32": bench_copy,
    "copy_1e7_f32_numpy": bench_copy_numpy,
    "matmul_1024_f32": bench_matmul,
    "eager_sin_scalar": bench_eager_sin,
    "eager_grad_first_call": bench_eager_grad_first,
    "eager_grad_call": bench_eager_grad,
    "jit_grad_first_call": bench_jit_grad_first,
    "jacrev_tanh_256": bench_jacrev,
    "jacfwd_tanh_256": bench_jacfwd,
    "hessian_100": bench_hessian,
    "normal_1e6": bench_normal,
    "logreg_grad_1e5x100": bench_logreg,
    "gather_grad_1e6": bench_gather_grad,
    "sum_axis0_4096": bench_sum_axis(0),
    "sum_axis1_4096": bench_sum_axis(1),
    "where_1e7": bench_where,
    "at_add_1e6": bench_at_add,
    "astype_1e7": bench_astype,
    "plot_1e6": bench_plot,
    # The same jitted JAX workloads under the names of Fluxion's jitted rows.
    "jit_plot_1e6": bench_plot,
    "jit_hessian_100": bench_hessian,
    "jit_jacrev_tanh_256": bench_jacrev,
    "jit_jacfwd_tanh_256": bench_jacfwd,
    "jit_logreg_grad_1e5x100": bench_logreg,
    "jit_cached_call_tiny": bench_cached_call,
}


LOOP_JNP = """
import jax.numpy as jnp
x = jnp.float32(0.3)
for _ in range(N):
    x = jnp.sin(x) * 0.5 + 0.1
x.block_until_ready()
"""

LOOP_FLOAT = """
import math
x = 0.3
for _ in range(N):
    x = math.sin(x) * 0.5 + 0.1
"""


def bench_loop(source, n):
    code = compile(source, "<loop>", "exec")

    def run(q):
        return timeit(lambda: exec(code, {"N": n}), quick=q, min_batch=0.2) / n
    return run


def bench_keystroke(q):
    # What the explorer does per keystroke: a new function text, evaluated at a point with its grad.
    ns = {"jnp": jnp}

    def run():
        f = eval("lambda x: jnp.sin(x) * x**3", ns)
        f(1.5).block_until_ready()
        jax.grad(f)(1.5).block_until_ready()
    return timeit(run, quick=q, min_batch=0.2)


def bench_seed_process(name):
    import os
    import subprocess
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "seed", name + ".py")

    def run(q):
        def once():
            subprocess.run([sys.executable, path], check=True, stdout=subprocess.DEVNULL)
        secs = timeit(once, quick=q, min_batch=0.0, repeats=3 if q else 5, warmup=1)
        # Peak RSS by GNU time: a forked child's own ru_maxrss counts this process's pages.
        if os.access("/usr/bin/time", os.X_OK):
            out = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, path], check=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            rss = int(out.stderr.strip().splitlines()[-1])
            NOTES["seed_process_" + name[:2]] = (f"python {name}.py with JAX {jax.__version__}, process start to "
                                                 f"exit; peak RSS {rss // 1024} MiB")
        return secs
    return run


SEEDS = ["01_cube_and_derivative", "02_vmap_axes", "03_pytree_point", "04_logistic_jvp", "05_logistic_vjp_rows"]
BENCHES.update({
    "lang_loop_jnp_scalar": bench_loop(LOOP_JNP, 200),
    "lang_loop_float": bench_loop(LOOP_FLOAT, 100_000),
    "session_keystroke": bench_keystroke,
    **{"seed_process_" + n[:2]: bench_seed_process(n) for n in SEEDS},
})
NOTES.update({
    "lang_loop_jnp_scalar": "the same Python loop under CPython with jnp on a 0-d float32 array (no jit), per iteration",
    "lang_loop_float": "the same loop under CPython with Python floats (math.sin): CPython's own figure",
    "session_keystroke": "eval of the lambda text, then f(1.5) and jax.grad(f)(1.5), no jit",
})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", default=[],
                    help="run only this workload (repeatable, or comma-separated)")
    ap.add_argument("--quick", action="store_true", help="fewer, shorter timed runs")
    ap.add_argument("--list", action="store_true", help="list workload names and exit")
    args = ap.parse_args()
    if args.list:
        print("\n".join(BENCHES))
        return
    names = [n for o in args.only for n in o.split(",") if n] or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        ap.error(f"unknown workload(s): {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    results = {}
    for n in names:
        print(f"[jax_bench] {n} ...", file=sys.stderr, flush=True)
        results[n] = BENCHES[n](args.quick)
        print(f"[jax_bench] {n}: {results[n]:.6g} s", file=sys.stderr, flush=True)
    out = {"jax_version": jax.__version__, "results": results,
           "notes": {k: v for k, v in NOTES.items() if k in results or k + "_numpy" in results}}
    print(json.dumps(out))


if __name__ == "__main__":
    main()

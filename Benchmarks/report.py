#!/usr/bin/env python3
"""Merge fluxion-bench's and jax_bench.py's JSON into BENCHMARKS.md (standard library only).

    python3 report.py --fluxion F.json [--fluxion-avx2 F8.json] [--jax J.json | --jax-missing REASON] \
        [--tui T.json] --out ../BENCHMARKS.md [--flags "..."] [--commit SHA]

The ratio column is JAX time / Fluxion time: above 1 means Fluxion is faster. --fluxion-avx2 adds
the headline rows run again with FLUXION_VECTOR_WIDTH=8 (the AVX2 kernels) on an AVX-512 machine.
--tui adds tui_latency.py's rows (Fluxion only): "results" in seconds, "figures" shown as given
(bytes, RSS growth), "notes" for the note column.
"""
import argparse
import datetime
import json
import os
import platform

# Rows in this order; names missing from both inputs are skipped, unknown names go last.
ORDER = [
    "add_1e7_f32", "exp_1e7_f32", "copy_1e7_f32", "copy_1e7_f32_alloc", "copy_1e7_f32_numpy",
    "matmul_1024_f32", "cblas_sgemm_1024_direct", "eager_sin_scalar", "eager_grad_first_call",
    "eager_grad_call", "jit_grad_first_call", "jacrev_tanh_256", "jacfwd_tanh_256", "hessian_100",
    "normal_1e6", "logreg_grad_1e5x100", "plot_1e6", "gather_grad_1e6", "at_add_1e6", "sum_axis0_4096",
    "sum_axis1_4096", "where_1e7", "astype_1e7",
    "jit_plot_1e6", "jit_hessian_100", "jit_jacrev_tanh_256", "jit_jacfwd_tanh_256", "jit_logreg_grad_1e5x100",
    "jit_cached_call_tiny", "jit_first_call_trace", "jit_first_call_passes", "jit_first_call_plan",
    "jit_first_call_run",
    "executor_dispatch_eager_1e6",
    "executor_dispatch_jit_1e6",
    "executor_read_ready",
    "executor_plan_1e7",
    "executor_cancel_latency_1e7",
    "executor_two_jit_serial",
    "executor_two_jit_overlapped",
    "executor_two_sums_serial",
    "executor_two_sums_overlapped",
    "executor_roundtrip_scalar",
    "executor_inline_add_16k",
    "executor_inline_add_64k",
    "executor_inline_add_256k",
    "executor_dispatched_add_16k",
    "executor_dispatched_add_64k",
    "executor_dispatched_add_256k",
    "lang_loop_jnp_scalar", "lang_loop_float", "session_keystroke",
    "seed_process_01", "seed_process_02", "seed_process_03", "seed_process_04", "seed_process_05",
]
# tui_latency.py's rows, after the rest: per example, then the whole-screen and memory rows.
TUI_EXAMPLES = ["01_cube", "02_logistic", "03_point", "04_vmap_matrix", "05_tan", "06_two_outputs",
                "07_mlp_loss", "08_rosenbrock", "09_wrong_rule"]
ORDER += [f"tui_{kind}_{ex}" for ex in TUI_EXAMPLES
          for kind in ("keystroke_inside_p50", "keystroke_inside_p95", "keystroke_e2e_p50", "keystroke_e2e_p95",
                       "echo_p95", "bytes_per_key")]
ORDER += [f"tui_insight_{kind}_{ex}" for ex in TUI_EXAMPLES for kind in ("inside_p95", "e2e_p95")]
ORDER += ["tui_full_render_bytes", "tui_rss_growth_1000"]

# What each row compares. "Fluxion" is eager except the jit_* rows (compiled plans); JAX's figures are
# jitted unless the row says otherwise (see jax_bench.py).
NOTES = {
    "add_1e7_f32": "a + b; JAX jit. Both write a fresh 40 MB output",
    "exp_1e7_f32": "exp(x); JAX jit",
    "copy_1e7_f32": "Fluxion column: raw memcpy into a reused, pre-faulted buffer (bandwidth scale); "
                    "JAX: jit copy into a fresh buffer. Not the same work",
    "copy_1e7_f32_alloc": "Fluxion column: malloc + memcpy + free of 40 MB, the cost floor of any eager op "
                          "with a 1e7-float output; compare with JAX's copy_1e7_f32",
    "copy_1e7_f32_numpy": "JAX side only: np.copy",
    "matmul_1024_f32": "matmul 1024³; JAX jit (XLA's own GEMM)",
    "cblas_sgemm_1024_direct": "Fluxion side only: cblas_sgemm called directly, reused output",
    "eager_sin_scalar": "sin of a 0-d float32, per op; both eager",
    "eager_grad_first_call": "grad of a fresh closure at 0.5; both eager (Fluxion has no trace cache, "
                             "so first call = any call)",
    "eager_grad_call": "g = grad(f) once, g(0.5); both eager",
    "jit_grad_first_call": "jit(grad(fresh closure))(0.5), trace + compile + run; both jit",
    "jit_plot_1e6": "jit(vmap(f)) + jit(vmap(grad(f))) on 1e6 points; both jit",
    "jit_hessian_100": "jit(hessian(sum(sin(x) x²))), 100-vector; both jit",
    "jit_jacrev_tanh_256": "jit(jacrev(tanh(W x))), W 256×256; both jit",
    "jit_jacfwd_tanh_256": "jit(jacfwd(tanh(W x))), W 256×256; both jit",
    "jit_logreg_grad_1e5x100": "jit(grad(mean logistic loss)), X 1e5×100; both jit",
    "jit_cached_call_tiny": "g = jit(x*2+1) once, g(x) on a 0-d float32; both jit",
    "jit_first_call_trace": "Fluxion side only: the trace part of jit_grad_first_call",
    "jit_first_call_passes": "Fluxion side only: the optimisation passes on the traced jaxpr",
    "jit_first_call_plan": "Fluxion side only: lowering the traced jaxpr to a plan",
    "jit_first_call_run": "Fluxion side only: running that plan once",
    "lang_loop_jnp_scalar": "a Python loop x = jnp.sin(x) * 0.5 + 0.1 on a 0-d array, per iteration: "
                            "FluxionLang against CPython + JAX (eager)",
    "lang_loop_float": "the same loop on Python floats with math.sin: FluxionLang against CPython",
    "session_keystroke": "compile a lambda text, evaluate f and grad(f) at a point: Session against "
                         "eval + jax.grad (eager)",
    "seed_process_01": "fluxion run seed 01 against python seed.py with JAX, process start to exit",
    "seed_process_02": "the same for seed 02 (vmap axes)",
    "seed_process_03": "the same for seed 03 (pytree Point)",
    "seed_process_04": "the same for seed 04 (logistic jvp)",
    "seed_process_05": "the same for seed 05 (vjp rows)",
    "jacrev_tanh_256": "jacrev(tanh(W x)), W 256×256; Fluxion eager, JAX jit",
    "jacfwd_tanh_256": "jacfwd(tanh(W x)), W 256×256; Fluxion eager, JAX jit",
    "hessian_100": "hessian(sum(sin(x) x²)), 100-vector; Fluxion eager, JAX jit",
    "normal_1e6": "normal(key, [1e6]) float32; Fluxion eager, JAX jit",
    "logreg_grad_1e5x100": "grad of mean logistic loss, X 1e5×100; Fluxion eager, JAX jit",
    "plot_1e6": "vmap(f) + vmap(grad(f)) on 1e6 points; Fluxion eager, JAX jit",
    "gather_grad_1e6": "grad(x[idx].sum()), 1e6 random int32 positions into 1e6 floats; Fluxion eager, JAX jit",
    "at_add_1e6": "x.at[idx].add(v), 1e6 random positions and updates; Fluxion eager, JAX jit",
    "sum_axis0_4096": "x.sum(axis=0), 4096×4096 float32; Fluxion eager, JAX jit",
    "sum_axis1_4096": "x.sum(axis=1), 4096×4096 float32; Fluxion eager, JAX jit",
    "where_1e7": "jnp.where(c, a, b), 1e7 float32; Fluxion eager, JAX jit",
    "astype_1e7": "x.astype(int32), 1e7 float32 (saturating); Fluxion eager, JAX jit",
    "executor_dispatch_eager_1e6": "Fluxion side only: exp of 1e6 dispatched, the call until it returns",
    "executor_dispatch_jit_1e6": "Fluxion side only: a cached jit call on 1e6 dispatched, the call until it returns",
    "executor_read_ready": "Fluxion side only: value() of a dispatched result already computed",
    "executor_plan_1e7": "Fluxion side only: the cancellation row's plan (1e7 elements) run to its end",
    "executor_cancel_latency_1e7": "Fluxion side only: that plan cancelled 2 ms in, cancel() until every worker is idle",
    "executor_two_jit_serial": "Fluxion side only: jit(vmap(f)) then jit(vmap(grad(f))) on 1e6, each waited for",
    "executor_two_jit_overlapped": "Fluxion side only: the same two calls dispatched together, then read",
    "executor_two_sums_serial": "Fluxion side only: two jitted whole-array sums of 4e6 (one thread each), one after the other",
    "executor_two_sums_overlapped": "Fluxion side only: the same two calls dispatched together, then read",
    "executor_roundtrip_scalar": "Fluxion side only: a scalar op dispatched and waited for (the cost of a worker)",
    "executor_inline_add_16k": "Fluxion side only: a + b inline (dispatch threshold: against the next rows)",
    "executor_inline_add_64k": "Fluxion side only: a + b inline",
    "executor_inline_add_256k": "Fluxion side only: a + b inline",
    "executor_dispatched_add_16k": "Fluxion side only: a + b dispatched and waited for",
    "executor_dispatched_add_64k": "Fluxion side only: a + b dispatched and waited for",
    "executor_dispatched_add_256k": "Fluxion side only: a + b dispatched and waited for",
    "tui_full_render_bytes": "Fluxion side only: fluxion tui, bytes of the first complete frame",
    "tui_rss_growth_1000": "Fluxion side only: fluxion tui, RSS after 1000 keys against after 10",
}

JAX_ONLY = {"copy_1e7_f32_numpy"}
FLUXION_ONLY = {"cblas_sgemm_1024_direct", "copy_1e7_f32_alloc", "jit_first_call_trace", "jit_first_call_passes",
                "jit_first_call_plan", "jit_first_call_run"} | {name for name in ORDER
                                                                 if name.startswith(("executor_", "tui_"))}


def fmt_time(s):
    if s is None:
        return "—"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            v = s / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"
    return f"{s} s"


def fmt_ratio(r):
    if r >= 10:
        return f"{r:.0f}"
    if r >= 1:
        return f"{r:.2f}"
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


def cpu_info():
    model, flags, ident = None, "", {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, val = line.partition(":")
                key = key.strip()
                if key == "model name" and model is None:
                    model = val.strip()
                elif key == "flags" and not flags:
                    flags = val
                elif key in ("vendor_id", "cpu family", "model", "stepping") and key not in ident:
                    ident[key] = val.strip()
    except OSError:
        pass
    model = model or platform.processor() or platform.machine()
    # A VM's model name is often generic ("Intel(R) Xeon(R) Processor"): the family, model and
    # stepping name the part.
    if "cpu family" in ident:
        model += (f" ({ident.get('vendor_id', '?')} family {ident['cpu family']} model {ident.get('model', '?')}"
                  f" stepping {ident.get('stepping', '?')})")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    isa = [name for name, flag in (("AVX2", "avx2"), ("AVX-512F", "avx512f"), ("AVX-512 BF16", "avx512_bf16"))
           if f" {flag} " in f" {flags} "]
    return model, os.cpu_count(), usable, isa


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fluxion", required=True)
    ap.add_argument("--fluxion-avx2", help="fluxion-bench JSON of the headline rows with FLUXION_VECTOR_WIDTH=8")
    ap.add_argument("--jax")
    ap.add_argument("--jax-missing", default="JAX not installed",
                    help="why there are no JAX figures (used when --jax is absent)")
    ap.add_argument("--tui", help="tui_latency.py's JSON (the explorer's keystroke rows)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--flags", default="")
    ap.add_argument("--commit", default="")
    ap.add_argument("--quick", action="store_true", help="the figures come from --quick runs")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE pairs in effect, for the record")
    args = ap.parse_args()

    with open(args.fluxion) as f:
        flx = json.load(f)
    jax = None
    if args.jax:
        with open(args.jax) as f:
            jax = json.load(f)
    fr = flx.get("results", {})
    avx2 = {}
    if args.fluxion_avx2:
        with open(args.fluxion_avx2) as f:
            avx2 = json.load(f).get("results", {})
    jr = jax.get("results", {}) if jax else {}
    figures = {}
    if args.tui:
        with open(args.tui) as f:
            tui = json.load(f)
        fr = {**fr, **tui.get("results", {})}
        figures = tui.get("figures", {})
        NOTES.update(tui.get("notes", {}))
    jax_version = jax.get("jax_version", "?") if jax else None
    jax_head = f"JAX {jax_version}" if jax else "JAX"

    names = [n for n in ORDER if n in fr or n in jr or n in figures]
    names += sorted((set(fr) | set(jr) | set(figures)) - set(names))

    lines = []
    out = lines.append
    out("# Benchmarks")
    out("")
    out("Fluxion against JAX on the CPU, the same workloads on the same machine. Produced by "
        "`make bench` (Benchmarks/run.sh, which runs Benchmarks/ `fluxion-bench` and `jax_bench.py`, "
        "then Benchmarks/report.py). Do not edit by hand: rerun `make bench`.")
    out("")
    out("**Fluxion's `jit_*` rows run jit (a compiled plan of fused kernels); every other Fluxion "
        "figure is eager execution** (each primitive runs as it is called, with a fresh output "
        "buffer). JAX's figures are `jax.jit`-compiled except the `eager_*` rows. Times are the "
        "median seconds per call over repeated timed batches after warm-up (≥ 0.3 s of timed calls "
        "per Fluxion workload).")
    out("")
    head = f"| workload | Fluxion | {jax_head} | ratio (JAX / Fluxion) |"
    rule = "| --- | ---: | ---: | ---: |"
    if avx2:
        head += " Fluxion, AVX2 kernels | ratio (JAX / AVX2) |"
        rule += " ---: | ---: |"
    out(head + " note |")
    out(rule + " --- |")
    for n in names:
        ft = fr.get(n)
        jt = jr.get(n)
        if n in figures:
            fcell = figures[n]
        elif ft is not None:
            fcell = fmt_time(ft)
        elif n == "jit_grad_first_call":
            fcell = "n/a (no jit)"
        elif n in JAX_ONLY:
            fcell = "n/a"
        else:
            fcell = "—"
        if not jax:
            jcell = f"n/a ({args.jax_missing})"
        elif jt is not None:
            jcell = fmt_time(jt)
        elif n in FLUXION_ONLY:
            jcell = "n/a"
        else:
            jcell = "—"
        ratio = fmt_ratio(jt / ft) if (ft and jt) else "—"
        if n == "copy_1e7_f32" and ft and jt:
            ratio += " (not like for like)"
        row = f"| `{n}` | {fcell} | {jcell} | {ratio} |"
        if avx2:
            at = avx2.get(n)
            row += f" {fmt_time(at) if at else '—'} | {fmt_ratio(jt / at) if (at and jt) else '—'} |"
        out(row + f" {NOTES.get(n, '')} |")
    out("")
    if avx2:
        out("The AVX2 columns run the same binary with FLUXION_VECTOR_WIDTH=8, so Fluxion's own kernels "
            "take their 8-lane (AVX2) paths as on a CPU without AVX-512 (SLEEF and OpenBLAS still pick "
            "their kernels by the CPU).")
        out("")

    # Throughput lines.
    fb, ff = flx.get("bytes", {}), flx.get("flops", {})
    def rates(amounts, unit, digits, fallback=None):
        """One 'name rate (JAX rate)' entry per workload with an amount (bytes or flops)."""
        parts = []
        for n, amount in amounts.items():
            if not fr.get(n):
                continue
            s = f"`{n}` {amount / fr[n] / 1e9:.{digits}f} {unit}"
            jax_name = n if n in jr else (fallback or {}).get(n)
            if jax_name in jr:
                label = "JAX" if jax_name == n else f"JAX {jax_name}"
                s += f" ({label} {amount / jr[jax_name] / 1e9:.{digits}f})"
            parts.append(s)
        return parts

    parts = rates(fb, "GB/s", 1, {"copy_1e7_f32_alloc": "copy_1e7_f32"})
    if parts:
        out("Memory throughput, bytes read + written per call (add: 3 × 4e7 B; exp, copy: 2 × 4e7 B): "
            + "; ".join(parts) + ".")
        out("")
    parts = rates(ff, "GFLOP/s", 0)
    if parts:
        out("Matrix multiply, 2·1024³ flops per call: " + "; ".join(parts) + ".")
        out("")

    model, ncpu, usable, isa = cpu_info()
    out("## Setup")
    out("")
    out(f"- Machine: {model}, {ncpu} logical cores ({usable} usable by this process)"
        + (f", {', '.join(isa)}" if isa else "") + f"; {platform.system()} {platform.release()}.")
    out(f"- OpenBLAS kernel (openblas_get_corename): {flx.get('openblas_core', '?')}, "
        f"{flx.get('openblas_threads', '?')} threads.")
    out(f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}"
        + (f"; Fluxion commit {args.commit}" if args.commit else "") + ".")
    if args.flags:
        out(f"- Fluxion build: `swift build {args.flags}`.")
    out(f"- JAX: {jax_version + ' (CPU), from jax_bench.py' if jax else 'n/a (' + args.jax_missing + ')'}.")
    out("- `make bench` unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so OpenBLAS runs the kernel a user "
        "gets (Fluxion asks for the one the CPU's instructions support, Sources/CKernels/blas.c)" + (f" (in effect for this run: {', '.join(args.env)})" if args.env else "") + ".")
    if args.quick or flx.get("quick"):
        out("- Run with `--quick`: fewer, shorter timed runs; figures are rougher.")
    out("")
    with open(args.out, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/prng.json (and copy the shared prng-vectors.json verbatim next
to it) by running each case under real JAX (CPU, default threefry2x32, partitionable).

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_prng_fixtures.py
(x64 cases run in a child process of this script with JAX_ENABLE_X64=1).

Each case: {"name", "python": source, "x64": bool, "out": value, optional "note"}.
The source runs with `jax`, `jnp`, `random` (= jax.random) in scope; the last statement is an
expression whose value is "out". Values:
  array  {"dtype", "shape", "data": flat row-major}. uint32 / int32 / uint64 / int64 data are JSON
         numbers; bool data JSON booleans; float32 data are IEEE-754 bit patterns as hex strings
         "0x3f800000" and float64 data 16-digit hex strings, so comparisons can be bit-exact.
         Typed key arrays (random.key) have dtype "key<fry>" and data = key_data (uint32), with
         "shape" the key_data shape (key shape + [2]).
  tuple/list -> JSON list;   error -> {"error": {"type", "message"}}
Tolerance: keys, bits, uniform, randint, bernoulli, permutation, choice are bit-exact
reproducible from the algorithm in PRNG.md; normal / truncated_normal go through XLA's erf_inv
and log1p, which PRNG.md says allow a few ulp unless XLA's log1p is replicated.
"""
import ast
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import FIXTURE_DIR, error_object, run_child, write_json  # noqa: E402

SHARED_VECTORS = "/work/shared/reference/prng-vectors.json"

SEEDS = [0, 1, 42, -1, -2, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 5, 2**40 + 7, 2**63 - 1,
         -2**63, 123456789, 987654321987]


def cases(x64):
    sfx = "_x64" if x64 else ""
    out = []

    def c(name, src, note=None):
        out.append((name + sfx, src, note))

    for s in SEEDS:
        c(f"PRNGKey_{s}".replace("-", "m"), f"random.PRNGKey({s})")
    c("key_typed_42", "random.key(42)", "typed key: data identical to PRNGKey(42)")
    c("key_data_typed_42", "random.key_data(random.key(42))")
    c("PRNGKey_np_int32_m1", "random.PRNGKey(np.int32(-1))")
    c("PRNGKey_np_uint32_max", "random.PRNGKey(np.uint32(2**32 - 1))")
    c("bits_default_dtype", "random.bits(random.PRNGKey(0), (4,))",
      "default bits dtype: uint32 (uint64 under x64)")
    if x64:
        c("uniform_f64_100", "random.uniform(random.PRNGKey(0), (100,), dtype=jnp.float64)")
        c("uniform_default_dtype", "random.uniform(random.PRNGKey(0), (5,))",
          "default float dtype is float64 under x64")
        c("normal_f64_10", "random.normal(random.PRNGKey(0), (10,), dtype=jnp.float64)")
        c("normal_f32_10", "random.normal(random.PRNGKey(0), (10,), dtype=jnp.float32)")
        c("randint_default", "random.randint(random.PRNGKey(0), (10,), 0, 100)",
          "default int dtype is int64 under x64")
        c("randint_int32", "random.randint(random.PRNGKey(0), (10,), -50, 50, dtype=jnp.int32)")
        c("split_5", "random.split(random.PRNGKey(42), 5)")
        c("fold_in_7", "random.fold_in(random.PRNGKey(42), 7)")
        c("bits_u32", "random.bits(random.PRNGKey(0), (7,), dtype=jnp.uint32)")
        c("permutation_10", "random.permutation(random.PRNGKey(0), 10)")
        return out

    for seed in [0, 42, 2**31 + 3]:
        k = f"random.PRNGKey({seed})"
        c(f"split_default_{seed}", f"random.split({k})")
        c(f"split_5_{seed}", f"random.split({k}, 5)")
        c(f"split_2x3_{seed}", f"random.split({k}, (2, 3))")
    c("split_1", "random.split(random.PRNGKey(7), 1)")
    c("split_0", "random.split(random.PRNGKey(7), 0)")
    c("split_typed_3", "random.split(random.key(0), 3)")
    c("split_of_split", "random.split(random.split(random.PRNGKey(0))[1], 3)")
    for d in [0, 1, 2, 7, 12345, 2**31, 2**32 - 1]:
        c(f"fold_in_0_{d}", f"random.fold_in(random.PRNGKey(0), {d})")
        c(f"fold_in_42_{d}", f"random.fold_in(random.PRNGKey(42), {d})")
    c("fold_in_chain", "random.fold_in(random.fold_in(random.PRNGKey(1), 3), 4)")
    c("fold_in_array_data", "random.fold_in(random.PRNGKey(1), jnp.uint32(99))")

    for seed in [0, 42]:
        k = f"random.PRNGKey({seed})"
        c(f"bits_7_{seed}", f"random.bits({k}, (7,))")
        c(f"bits_3x5_{seed}", f"random.bits({k}, (3, 5))")
    c("bits_scalar", "random.bits(random.PRNGKey(0), ())")
    c("bits_uint8", "random.bits(random.PRNGKey(0), (5,), dtype=jnp.uint8)")
    c("bits_from_split", "random.bits(random.split(random.PRNGKey(0))[0], (4,))")

    c("uniform_1000", "random.uniform(random.PRNGKey(0), (1000,))")
    c("uniform_minmax_1000", "random.uniform(random.PRNGKey(0), (1000,), minval=-2., maxval=5.)",
      "f*(max-min)+min is fused into an FMA on XLA CPU (PRNG.md 3.4)")
    c("uniform_2x3_42", "random.uniform(random.PRNGKey(42), (2, 3))")
    c("uniform_scalar", "random.uniform(random.PRNGKey(3))")
    c("uniform_f64_request_x32", "random.uniform(random.PRNGKey(0), (3,), dtype=jnp.float64)",
      "without x64 float64 silently becomes float32")
    c("uniform_typed_key", "random.uniform(random.key(0), (3,))")

    c("normal_1000", "random.normal(random.PRNGKey(0), (1000,))")
    c("normal_4x4", "random.normal(random.PRNGKey(42), (4, 4))")
    c("normal_scalar", "random.normal(random.PRNGKey(1))")

    c("randint_0_10", "random.randint(random.PRNGKey(0), (20,), 0, 10)")
    c("randint_neg", "random.randint(random.PRNGKey(1), (20,), -5, 5)")
    c("randint_neg_only", "random.randint(random.PRNGKey(2), (10,), -1000, -990)")
    c("randint_full_span", "random.randint(random.PRNGKey(3), (20,), -2**31, 2**31 - 1)")
    c("randint_large_span", "random.randint(random.PRNGKey(4), (20,), -2000000000, 2000000000)")
    c("randint_single", "random.randint(random.PRNGKey(5), (5,), 7, 8)")
    c("randint_empty_range", "random.randint(random.PRNGKey(6), (5,), 5, 2)",
      "maxval <= minval")
    c("randint_big_range", "random.randint(random.PRNGKey(7), (10,), 3, 1000000)")
    c("randint_2x3", "random.randint(random.PRNGKey(8), (2, 3), 0, 256)")
    c("randint_max_beyond_int32", "random.randint(random.PRNGKey(9), (10,), 0, 2**40)",
      "a Python int bound beyond int32 overflows when parsed (x32)")
    c("randint_uint32", "random.randint(random.PRNGKey(10), (10,), 0, jnp.uint32(4000000000), dtype=jnp.uint32)")
    c("randint_clip_bounds", "random.randint(random.PRNGKey(11), (10,), jnp.int32(-2**31), jnp.int32(2**31 - 1))")

    c("bernoulli_03_50", "random.bernoulli(random.PRNGKey(0), p=0.3, shape=(50,))")
    c("bernoulli_default", "random.bernoulli(random.PRNGKey(1), shape=(10,))")
    c("bernoulli_p_array", "random.bernoulli(random.PRNGKey(2), p=jnp.array([0., 0.25, 0.5, 0.75, 1.]))")

    c("permutation_20", "random.permutation(random.PRNGKey(0), 20)")
    c("permutation_20_42", "random.permutation(random.PRNGKey(42), 20)")
    c("permutation_array", "random.permutation(random.PRNGKey(0), jnp.arange(10) * 10)")
    c("permutation_2d_axis0", "random.permutation(random.PRNGKey(1), jnp.arange(12.).reshape(4, 3))")
    c("permutation_2d_axis1", "random.permutation(random.PRNGKey(1), jnp.arange(12.).reshape(4, 3), axis=1)")
    c("permutation_independent", "random.permutation(random.PRNGKey(1), jnp.arange(12).reshape(3, 4), axis=1, independent=True)")
    c("permutation_1000", "random.permutation(random.PRNGKey(3), 1000)")

    c("choice_replace", "random.choice(random.PRNGKey(0), 10, (5,))")
    c("choice_no_replace", "random.choice(random.PRNGKey(0), 10, (5,), replace=False)")
    c("choice_p", "random.choice(random.PRNGKey(0), 4, (20,), p=jnp.array([0.1, 0.2, 0.3, 0.4]))")
    c("choice_p_no_replace", "random.choice(random.PRNGKey(1), 5, (3,), replace=False, p=jnp.array([0.1, 0.1, 0.1, 0.1, 0.6]))")
    c("choice_array", "random.choice(random.PRNGKey(2), jnp.array([1.5, -2., 7., 0.25]), (6,))")
    c("choice_scalar", "random.choice(random.PRNGKey(3), 100)")
    c("choice_2d", "random.choice(random.PRNGKey(4), 50, (2, 3), replace=False)")

    c("truncated_normal_50", "random.truncated_normal(random.PRNGKey(0), -1., 2., (50,))")
    c("truncated_normal_2x2", "random.truncated_normal(random.PRNGKey(1), -0.5, 0.5, (2, 2))")

    # errors (PRNG.md 3.1, JAX-ERRORS.md)
    c("error_split_non_key", "random.split(jnp.array([1, 2, 3], dtype=jnp.uint32))")
    c("error_normal_int_key", "random.normal(0, (3,))")
    c("error_seed_float", "random.PRNGKey(3.0)", "JAX's message ends with a tracer repr")
    c("error_seed_too_big", "random.PRNGKey(2**64)")
    c("error_seed_too_small", "random.PRNGKey(-2**63 - 1)")
    c("error_seed_array", "random.PRNGKey(jnp.array([1, 2]))")
    c("error_fold_in_negative", "random.fold_in(random.PRNGKey(0), -1)")
    c("error_uniform_int_dtype", "random.uniform(random.PRNGKey(0), (3,), dtype=jnp.int32)")
    c("error_normal_int_dtype", "random.normal(random.PRNGKey(0), (3,), dtype=jnp.int32)")
    c("error_randint_float_dtype", "random.randint(random.PRNGKey(0), (3,), 0, 10, dtype=jnp.float32)")
    c("error_choice_too_many", "random.choice(random.PRNGKey(0), 3, (5,), replace=False)")
    c("error_key_wrong_dtype", "random.uniform(jnp.array([0., 0.]), (3,))")
    return out


def encode(x):
    import jax
    import jax.numpy as jnp
    if isinstance(x, (tuple, list)):
        return [encode(v) for v in x]
    if isinstance(x, jax.Array) and jnp.issubdtype(x.dtype, jax.dtypes.prng_key):
        d = np.asarray(jax.random.key_data(x))
        return {"dtype": str(x.dtype), "shape": list(d.shape), "data": [int(v) for v in d.ravel()]}
    a = np.asarray(x)
    flat = a.ravel()
    if a.dtype == np.float32:
        data = ["0x%08x" % v for v in flat.view(np.uint32)]
    elif a.dtype == np.float64:
        data = ["0x%016x" % v for v in flat.view(np.uint64)]
    elif a.dtype == np.bool_:
        data = [bool(v) for v in flat]
    elif a.dtype.kind in "iu":
        data = [int(v) for v in flat]
    else:
        raise TypeError(a.dtype)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def run(specs, x64):
    import jax
    import jax.numpy as jnp
    res = []
    for name, src, note in specs:
        ns = {"jax": jax, "jnp": jnp, "random": jax.random, "np": np}
        try:
            v = eval(compile(ast.parse(src, mode="eval"), "<case>", "eval"), ns)
            v = encode(jax.block_until_ready(v))
        except Exception as e:  # noqa: BLE001
            v = error_object(e)
            msg = v["error"]["message"]
            if "impl=PRNGImpl(" in msg:
                # the real message embeds function addresses; keep a stable prefix
                v["error"]["message"] = msg[:msg.index("impl=PRNGImpl(")] + "impl=PRNGImpl(...)"
                note = "message truncated after 'impl=PRNGImpl(': JAX embeds function addresses there"
        case = {"name": name, "python": src, "x64": x64, "out": v}
        if note:
            case["note"] = note
        res.append(case)
    return res


def main():
    import jax
    assert jax.config.jax_default_prng_impl == "threefry2x32"
    assert jax.config.jax_threefry_partitionable
    if len(sys.argv) > 1 and sys.argv[1] == "--x64-child":
        assert jax.config.jax_enable_x64
        json.dump(run(cases(True), True), sys.stdout)
        return
    assert not jax.config.jax_enable_x64
    all_cases = run(cases(False), False)
    all_cases += run_child(os.path.abspath(__file__), "--x64-child", {"JAX_ENABLE_X64": "1"})
    names = [c["name"] for c in all_cases]
    assert len(names) == len(set(names))
    write_json(os.path.join(FIXTURE_DIR, "prng.json"),
               {"jax_version": jax.__version__,
                "config": {"jax_default_prng_impl": "threefry2x32", "jax_threefry_partitionable": True},
                "cases": all_cases})
    shutil.copyfile(SHARED_VECTORS, os.path.join(FIXTURE_DIR, "prng-vectors.json"))
    print(f"{len(all_cases)} cases; copied prng-vectors.json", file=sys.stderr)


if __name__ == "__main__":
    main()

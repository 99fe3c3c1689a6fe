"""Writes Tests/FluxionTests/Fixtures/printing.json: str() and repr() of JAX arrays.

Run with the JAX venv (see /work/shared/oracle/setup-venv.sh):

    /work/.venv-jax/bin/python Tests/fixtures/make_printing_fixture.py

Every plain-array expression of /work/shared/reference/printing-examples.json is evaluated,
plus extra cases for coverage. Cases marked x64 run in a child process with JAX_ENABLE_X64=1.
Each case: {"expr", "x64", "dtype", "shape", "weak_type", "data", "str", "repr"}; float data
are the hex IEEE bit patterns ("0x3f800000"; 16 hex digits for float64) so they are exact,
ints and bools are JSON numbers and booleans.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import FIXTURE_DIR, f32_hex, f64_hex, run_child, write_json  # noqa: E402

REFERENCE = "/work/shared/reference/printing-examples.json"

# Reference entries that are not a single plain array (typed keys, containers).
SKIPPED_REFERENCE = {
    "jax.random.key(0)": "typed PRNG key (prints 'overlaying:')",
    "(jnp.array(1.),)": "tuple container",
    "[jnp.array(1.), jnp.arange(2)]": "list container",
    "{'b': jnp.array(2.), 'a': 1.0}": "dict container",
}

EXTRA_X32 = [
    "jnp.arange(24.).reshape(2, 3, 4) / 3",
    "jnp.arange(16).reshape(2, 2, 2, 2)",
    "jnp.arange(48.).reshape(2, 2, 3, 4) * 0.5 - 6",
    "jnp.arange(60.).reshape(2, 2, 15) / 7",
    "jnp.linspace(0., 1., 40)",
    "jnp.arange(60) * 12345",
    "jnp.arange(30.).reshape(2, 15) * 1.1",
    "jnp.arange(2000.).reshape(40, 50)",
    "jnp.arange(3000).reshape(10, 300)",
    "jnp.arange(5000).reshape(5, 1000)",
    "jnp.arange(1200.).reshape(2, 3, 200) / 9",
    "jnp.arange(8000).reshape(20, 20, 20)",
    "jnp.arange(1200) % 2 == 0",
    "jnp.zeros((1100,))",
    "jnp.arange(10, dtype=jnp.uint32) * jnp.uint32(400000000)",
    "jnp.arange(12).reshape(3, 4) % 3 == 0",
    "jnp.arange(-5, 5) * 1000",
    "jnp.array([2147483647, -2147483648])",
    "jnp.array([-1e-5, 2e10, -3.5e3, 0.])",
    "jnp.array([jnp.nan, jnp.nan])",
    "jnp.array(jnp.nan)",
    "jnp.array(-jnp.inf)",
    "jnp.array([jnp.nan, 1e-5, -jnp.inf])",
    "jnp.array([jnp.inf, 0.5, -1.25])",
    "jnp.array([1e-4])",
    "jnp.array([1e6, 1.])",
    "jnp.array([999999.94, 1.])",
    "jnp.array([0.00123456789, 0.5])",
    "jnp.array([1e-45, 1.0])",
    "jnp.array([3.4028235e38, -1.0])",
    "jnp.float32(1e-5)",
    "jnp.float32(1e-4)",
    "jnp.float32(1e6)",
    "jnp.float32(123456.7)",
    "jnp.float32(-0.0)",
    "jnp.float32(1e-5) * jnp.ones((1,))",
    "jnp.ones((2, 3, 0))",
    "jnp.array([[7]])",
    "jnp.array(False)",
]

EXTRA_X64 = [
    "jnp.arange(5.) / 3",
    "jnp.array([0.1, 0.2]) + 0.1",
    "jnp.array(1.0) / 3",
    "jnp.array(1e16)",
    "jnp.array(123456789.0)",
    "jnp.array([1e16, 1.5])",
    "jnp.array([1e-5, 1.0, 123456789.123])",
    "jnp.array([1e-300, 1e300])",
    "jnp.array([1e-300, -1e-5])",
    "jnp.array([1.001953125, 2.5])",
    "jnp.array([99999999.0, 1.0])",
    "jnp.arange(1500.) ** 2",
    "jnp.arange(5)",
    "jnp.array([2**40, -3])",
    "jnp.array([2**63 - 1, -2**63])",
    "jnp.array([2**64 - 1, 0], dtype=jnp.uint64)",
    "jnp.linspace(-1., 1., 12).reshape(3, 4)",
]


def encode_case(expr, x, x64):
    import jax
    a = np.asarray(x)
    flat = a.reshape(-1)
    if a.dtype == np.float32:
        data = [f32_hex(v) for v in flat]
    elif a.dtype == np.float64:
        data = [f64_hex(v) for v in flat]
    elif a.dtype == np.bool_:
        data = [bool(v) for v in flat]
    elif a.dtype.kind in "iu":
        data = [int(v) for v in flat]
    else:
        raise TypeError(f"{expr}: unsupported dtype {a.dtype}")
    assert isinstance(x, jax.Array), expr
    return {"expr": expr, "x64": x64, "dtype": a.dtype.name,
            "shape": [int(d) for d in a.shape], "weak_type": bool(x.weak_type),
            "data": data, "str": str(x), "repr": repr(x)}


def evaluate(exprs, x64):
    import jax
    import jax.numpy as jnp
    env = {"jax": jax, "jnp": jnp, "np": np}
    return [encode_case(e, eval(e, env), x64) for e in exprs]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--x64-child":
        json.dump(evaluate(EXTRA_X64, True), sys.stdout)
        return

    with open(REFERENCE) as f:
        reference = json.load(f)["cases"]
    ref_exprs = [c["expr"] for c in reference if c["expr"] not in SKIPPED_REFERENCE]
    cases = evaluate(ref_exprs, False)
    for case, ref in zip(cases, [c for c in reference if c["expr"] not in SKIPPED_REFERENCE]):
        if (case["str"], case["repr"]) != (ref["str"], ref["repr"]):
            sys.exit(f"{case['expr']}: JAX output differs from {REFERENCE}")
    cases += evaluate(EXTRA_X32, False)
    cases += run_child(os.path.abspath(__file__), "--x64-child", {"JAX_ENABLE_X64": "1"})

    for expr, why in SKIPPED_REFERENCE.items():
        print(f"skipped {expr}: {why}", file=sys.stderr)
    write_json(os.path.join(FIXTURE_DIR, "printing.json"),
               {"_about": "str() and repr() of JAX 0.10.2 arrays (NumPy 2 print options); "
                          "made by Tests/fixtures/make_printing_fixture.py",
                "cases": cases})


if __name__ == "__main__":
    main()

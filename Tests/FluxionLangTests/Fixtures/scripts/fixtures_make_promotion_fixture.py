#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/promotion.json: JAX's result dtype and weak_type of x + y.

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_promotion_fixture.py
(the x64 table is made by a child process of this script with JAX_ENABLE_X64=1).

Operands: an array of each dtype (jnp.ones((2,), dtype): never weak), or a Python scalar
"weak_int" (1), "weak_float" (1.0), "weak_bool" (True). The sum is jnp.add(x, y) (identical to
x + y for arrays; for two Python scalars `+` would be Python's own addition, so jnp.add is used).

Format: {"jax_version", "core_types": [...], "x32": [{"a", "b", "dtype", "weak_type"}, ...],
         "x64": [...]}  -- every ordered pair (a, b), including a == b. Rows whose a or b is not in
"core_types" are the extra narrow types (int8, uint8, int16, uint16, float16, bfloat16), included
for completeness. In x64, int64/uint64 are core types too. An entry that raised has "error"
instead of dtype/weak_type.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import FIXTURE_DIR, error_object, run_child, write_json  # noqa: E402

CORE32 = ["bool", "int32", "uint32", "float32", "weak_int", "weak_float", "weak_bool"]
CORE64 = ["bool", "int32", "uint32", "int64", "uint64", "float32", "float64",
          "weak_int", "weak_float", "weak_bool"]
EXTRA = ["int8", "uint8", "int16", "uint16", "float16", "bfloat16"]
WEAK = {"weak_int": 1, "weak_float": 1.0, "weak_bool": True}


def operand(name):
    import jax.numpy as jnp
    if name in WEAK:
        return WEAK[name]
    return jnp.ones((2,), dtype=jnp.dtype(name))


def table(types):
    import jax.numpy as jnp
    rows = []
    for a in types:
        for b in types:
            row = {"a": a, "b": b}
            try:
                r = jnp.add(operand(a), operand(b))
                row["dtype"] = str(r.dtype)
                row["weak_type"] = bool(r.weak_type)
            except Exception as e:  # noqa: BLE001
                row.update(error_object(e))
            rows.append(row)
    return rows


def main():
    import jax
    if len(sys.argv) > 1 and sys.argv[1] == "--x64-child":
        import json
        assert jax.config.jax_enable_x64
        json.dump(table(CORE64 + EXTRA), sys.stdout)
        return
    assert not jax.config.jax_enable_x64
    x32 = table(CORE32 + EXTRA)
    x64 = run_child(os.path.abspath(__file__), "--x64-child", {"JAX_ENABLE_X64": "1"})
    write_json(os.path.join(FIXTURE_DIR, "promotion.json"),
               {"jax_version": jax.__version__, "core_types": {"x32": CORE32, "x64": CORE64},
                "x32": x32, "x64": x64})
    print(f"x32 {len(x32)} rows, x64 {len(x64)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()

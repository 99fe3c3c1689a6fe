"""Shared helpers for the fixture generators in this directory.

These scripts run real JAX (the venv made by /work/shared/oracle/setup-venv.sh) and write JSON
fixtures that the Swift tests read. The Swift tests never need JAX: run a generator by hand,
commit its output.

Array encoding used by every fixture:
    {"dtype": "float32", "shape": [2, 3], "weak_type": false, "data": [flat row-major list]}
Float data are JSON numbers (float32 values are exact as doubles; they are written with the
repr of the Python float), non-finite floats are the strings "nan", "inf", "-inf".
An expected error is {"error": {"type": "TypeError", "message": "..."}} with JAX's message.
"""
import ast
import json
import math
import os
import subprocess
import sys

import numpy as np

FIXTURE_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "FluxionTests", "Fixtures"))


def float_json(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def encode_np(a, weak_type=False):
    a = np.asarray(a)
    dt = a.dtype
    flat = a.reshape(-1)
    if dt.kind == "f" or dt.name == "bfloat16":
        data = [float_json(v) for v in flat.astype(np.float64)]
    elif dt.kind == "b":
        data = [bool(v) for v in flat]
    elif dt.kind in "iu":
        data = [int(v) for v in flat]
    else:
        raise TypeError(f"cannot encode dtype {dt}")
    return {"dtype": str(dt), "shape": [int(d) for d in a.shape], "weak_type": bool(weak_type),
            "data": data}


def is_jax_array(x):
    import jax
    return isinstance(x, jax.Array)


def encode_value(x):
    """Encode a JAX result: arrays as above, tuples/lists as JSON lists, dicts as objects,
    Python scalars as arrays with weak_type true (what JAX would make of them) marked
    "python": true, None as null."""
    import jax
    if isinstance(x, jax.Array):
        return encode_np(np.asarray(x), weak_type=bool(x.weak_type))
    if isinstance(x, np.ndarray) or isinstance(x, np.generic):
        return encode_np(x, weak_type=False)
    if x is None:
        return None
    if isinstance(x, bool):
        d = encode_np(np.asarray(x), weak_type=False)
        d["python"] = True
        return d
    if isinstance(x, int):
        d = encode_np(np.asarray(x, dtype=np.int32), weak_type=True)
        d["python"] = True
        return d
    if isinstance(x, float):
        d = encode_np(np.asarray(x, dtype=np.float32), weak_type=True)
        d["python"] = True
        return d
    if isinstance(x, (tuple, list)):
        return [encode_value(v) for v in x]
    if isinstance(x, dict):
        return {str(k): encode_value(x[k]) for k in sorted(x)}
    raise TypeError(f"cannot encode {type(x)}: {x!r}")


def run_source(source, namespace):
    """Run a case's source in `namespace`: every statement but the last is executed, the last
    is an expression whose value (blocked until ready) is returned."""
    import jax
    tree = ast.parse(source)
    body = list(tree.body)
    last = body.pop()
    assert isinstance(last, ast.Expr), "last statement must be an expression"
    ns = dict(namespace)
    exec(compile(ast.Module(body=body, type_ignores=[]), "<case>", "exec"), ns)
    value = eval(compile(ast.Expression(body=last.value), "<case>", "eval"), ns)
    return jax.block_until_ready(value)


def write_source_cases(filename, cases, run, encode):
    """Run each (name, source, note) case with `run`, encode its value (or JAX's error) and
    write them as {"jax_version", "cases": [{"name", "python", "out", "note"?}]} to `filename`
    under FIXTURE_DIR."""
    import jax
    out = []
    names = set()
    for name, src, note in cases:
        assert name not in names, name
        names.add(name)
        try:
            res = encode(run(src))
        except Exception as e:  # noqa: BLE001
            res = error_object(e)
        case = {"name": name, "python": src, "out": res}
        if note:
            case["note"] = note
        out.append(case)
    write_json(os.path.join(FIXTURE_DIR, filename), {"jax_version": jax.__version__, "cases": out})
    print(f"{len(out)} cases", file=sys.stderr)


def error_object(exc):
    return {"error": {"type": type(exc).__name__, "message": str(exc)}}


def f32_hex(v):
    return "0x%08x" % int(np.asarray(v, dtype=np.float32).view(np.uint32))


def f64_hex(v):
    return "0x%016x" % int(np.asarray(v, dtype=np.float64).view(np.uint64))


def run_child(script, flag, env_extra):
    """Run `python script flag` with extra environment; return its stdout parsed as JSON."""
    env = dict(os.environ)
    env.update(env_extra)
    out = subprocess.run([sys.executable, script, flag], env=env, check=True,
                         stdout=subprocess.PIPE).stdout
    return json.loads(out)


def write_json(path, obj, indent=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if indent is None:
            # one case per line: small diffs, still compact
            f.write(dumps_compact(obj))
        else:
            json.dump(obj, f, indent=indent, allow_nan=False)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


def dumps_compact(obj):
    """Top-level object with list values written one element per line."""
    parts = []
    for k, v in obj.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            items = ",\n  ".join(json.dumps(e, allow_nan=False, separators=(",", ":")) for e in v)
            parts.append(f"{json.dumps(k)}: [\n  {items}\n]")
        else:
            parts.append(f"{json.dumps(k)}: {json.dumps(v, allow_nan=False)}")
    return "{\n" + ",\n".join(parts) + "\n}"

#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/whole_programs.json: random whole programs run under real JAX.

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_whole_program_fixtures.py [--count N] [--seed S]

The rule checker tests primitives one at a time; wrong gradients also live in whole programs:
closed-over constants that are views of each other (reshape, expand_dims, broadcast, transpose,
slices, bitcasts and converts), the same constant used twice, values captured by an inner
transformation, pytree inputs. Each program here is a small random function of that kind, and the
fixture holds what JAX computes for it under a dozen transformations. FluxionTests/
WholeProgramTests.swift replays each program through the engine's public API and compares.

A program (JSON):
  "tree": "list" | "dict"        the inputs are a list [x0, x1] or a dict {"a": x0, "b": x1}
  "consts": [spec]               evaluated eagerly, before and outside every transformation:
                                 {"op": "array", "value": A} | {"op": "int_array", "value": A}
                                 | a body op whose args are earlier consts (a view of one, say)
  "inputs": [spec]               the input leaves: {"op": "array", "value": A}, or a view op over
                                 consts and earlier inputs (a view made eagerly, as a user would)
  "body": [op]                   op k defines "v<k>": {"op": name, "args": [ref, ...], params...};
                                 refs name inputs "x<i>", consts "c<i>" and earlier values "v<j>"
                                 The function returns the last value.
  "tangents", "cotangent", "batched"  the extra arguments of the checks
  "checks": {name: expected}     see checks() below; arrays encoded as in fixture_common.py
  "float32_error": {name: [e]}   per result, the largest difference between JAX's float32
                                 result and the same program's in float64: the tolerance scale

Everything is float32 (JAX's default, x64 off). The generator is seeded; commit its output.
"""
import argparse
import multiprocessing
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import FIXTURE_DIR, encode_value, write_json  # noqa: E402

import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
# Op by op, as the engine runs eagerly (and without compiling every jnp helper anew per shape).
jax.config.update("jax_disable_jit", True)

MAX_ELEMENTS = 36
BATCH = 3
KEYS = ["a", "b"]

# ---------------------------------------------------------------------------------------- ops

UNARY = {
    "sin": jnp.sin, "cos": jnp.cos, "tanh": jnp.tanh, "exp": jnp.exp, "log": jnp.log,
    "sqrt": jnp.sqrt, "neg": lambda a: -a, "square": lambda a: a ** 2, "cube": lambda a: a ** 3,
    "logistic": lax.logistic, "abs": jnp.abs,
}
BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "maximum": jnp.maximum, "minimum": jnp.minimum,
}


def apply(op, env, reference=False):
    """One op on concrete or traced values: the semantics the Swift replay mirrors.

    With `reference`, the same function in float64 (x64 on): the float32 converts and bitcasts,
    identities on float32 values, are identities there too. Its results measure how far float32
    itself is from the exact answer, which sets the comparison's tolerance."""
    name = op["op"]
    args = [env[r] for r in op.get("args", [])]
    if reference and name in ("astype_f32", "bitcast_round_trip") and args[0].dtype == jnp.float64:
        return args[0]
    if reference and name in ("astype_f32", "bitcast_round_trip"):  # of integers: as in float32
        return apply(op, env).astype(jnp.float64)
    if reference and name == "int_round_trip":
        return args[0].astype(jnp.int32).astype(jnp.float64)
    if name == "array":
        dtype = np.float64 if reference else np.float32
        return jnp.asarray(np.asarray(op["value"]["data"], dtype=dtype).reshape(op["value"]["shape"]))
    if name == "int_array":
        return jnp.asarray(np.asarray(op["value"]["data"], dtype=np.int32).reshape(op["value"]["shape"]))
    if name in UNARY:
        return UNARY[name](args[0])
    if name in BINARY:
        return BINARY[name](args[0], args[1])
    a = args[0] if args else None
    s = op.get("scalar")
    if name == "mul_scalar":
        return a * s
    if name == "add_scalar":
        return a + s
    if name == "rsub_scalar":
        return s - a
    if name == "where_gt":
        return jnp.where(args[0] > 0, args[1], args[2])
    if name == "reshape":
        return jnp.reshape(a, op["shape"])
    if name == "expand_dims":
        return jnp.expand_dims(a, op["axis"])
    if name == "broadcast_to":
        return jnp.broadcast_to(a, op["shape"])
    if name == "transpose":
        return jnp.transpose(a, op["perm"])
    if name == "squeeze":
        return jnp.squeeze(a, op["axis"])
    if name == "slice":
        return lax.slice(a, op["start"], op["limit"], op["strides"])
    if name == "slice_from":
        return a[op["start"]:]
    if name == "stride":
        return a[::op["step"]]
    if name == "index":
        return a[op["index"]]
    if name == "flip":
        return jnp.flip(a, op["axis"])
    if name == "astype_f32":
        return a.astype(jnp.float32)
    if name == "int_round_trip":
        return a.astype(jnp.int32).astype(jnp.float32)
    if name == "bitcast_round_trip":
        return lax.bitcast_convert_type(lax.bitcast_convert_type(a, jnp.int32), jnp.float32)
    if name == "sum":
        return jnp.sum(a, axis=op["axis"])
    if name == "mean":
        return jnp.mean(a, axis=op["axis"])
    if name == "max":
        return jnp.max(a, axis=op["axis"])
    if name == "matmul":
        return a @ args[1]
    if name == "concatenate":
        return jnp.concatenate([a, args[1]], axis=op["axis"])
    if name == "stack":
        return jnp.stack([a, args[1]], axis=op["axis"])
    if name == "take":
        return a[args[1]]
    if name == "at_set":
        return a.at[op["index"]].set(args[1])
    if name == "at_add":
        return a.at[args[1]].add(args[2])
    if name == "inner_grad":
        b = args[1]
        return jax.grad(lambda z: jnp.sum(jnp.sin(z) * b))(a)
    if name == "inner_jvp":
        b = args[1]
        return jax.jvp(lambda z: jnp.tanh(z * b), (a,), (jnp.ones_like(a),))[1]
    if name == "inner_vmap":
        b = args[1]
        return jax.vmap(lambda r: jnp.sum(jnp.sin(r) * b))(a)
    raise ValueError(f"unknown op {name}")


def run(prog, leaves, consts, reference=False):
    env = {f"c{i}": c for i, c in enumerate(consts)}
    env.update({f"x{i}": x for i, x in enumerate(leaves)})
    for k, op in enumerate(prog["body"]):
        env[f"v{k}"] = apply(op, env, reference)
    return env[f"v{len(prog['body']) - 1}"]


def make_consts(prog, reference=False):
    env = {}
    for i, spec in enumerate(prog["consts"]):
        env[f"c{i}"] = apply(spec, env, reference)
    return [env[f"c{i}"] for i in range(len(prog["consts"]))]


def make_inputs(prog, consts, reference=False):
    env = {f"c{i}": c for i, c in enumerate(consts)}
    for i, spec in enumerate(prog["inputs"]):
        env[f"x{i}"] = apply(spec, env, reference)
    return [env[f"x{i}"] for i in range(len(prog["inputs"]))]


def pack(prog, leaves):
    return list(leaves) if prog["tree"] == "list" else {KEYS[i]: x for i, x in enumerate(leaves)}


def unpack(prog, tree):
    return list(tree) if prog["tree"] == "list" else [tree[k] for k in KEYS[:len(tree)]]


# --------------------------------------------------------------------------------- checks

def checks(prog, reference=False):
    consts = make_consts(prog, reference)
    leaves = make_inputs(prog, consts, reference)
    dtype = np.float64 if reference else np.float32
    x = pack(prog, leaves)
    t = pack(prog, [decode(a, dtype) for a in prog["tangents"]])
    ct = decode(prog["cotangent"], dtype)
    xb = pack(prog, [decode(a, dtype) for a in prog["batched"]])

    def f(tree):
        return run(prog, unpack(prog, tree), consts, reference)

    def loss(tree):
        return jnp.sum(jnp.sin(f(tree)))

    def with_first(x0):
        ls = unpack(prog, x)
        return pack(prog, [x0] + ls[1:])

    out = {}
    out["value"] = f(x)
    y, ty = jax.jvp(f, (x,), (t,))
    out["jvp"] = [y, ty]
    _, pullback = jax.vjp(f, x)
    out["vjp"] = unpack(prog, pullback(ct)[0])
    out["grad"] = unpack(prog, jax.grad(loss)(x))
    out["vmap"] = jax.vmap(f)(xb)
    out["grad_of_vmap"] = unpack(prog, jax.grad(lambda b: jnp.sum(jnp.sin(jax.vmap(f)(b))))(xb))
    out["vmap_of_grad"] = unpack(prog, jax.vmap(jax.grad(loss))(xb))
    out["jvp_of_grad"] = unpack(prog, jax.jvp(jax.grad(loss), (x,), (t,))[1])
    out["jacrev_of_jvp"] = jax.jacrev(lambda x0: jax.jvp(f, (with_first(x0),), (t,))[1])(leaves[0])
    out["jacfwd"] = jax.jacfwd(lambda x0: f(with_first(x0)))(leaves[0])
    if leaves[0].size <= 6:
        out["hessian"] = jax.hessian(lambda x0: loss(with_first(x0)))(leaves[0])
    return out


CHECK_NAMES = ["value", "jvp", "vjp", "grad", "vmap", "grad_of_vmap", "vmap_of_grad", "jvp_of_grad",
               "jacrev_of_jvp", "jacfwd", "hessian"]


def decode(a, dtype=np.float32):
    return jnp.asarray(np.asarray(a["data"], dtype=dtype).reshape(a["shape"]))


def reference_checks(prog):
    """The checks in float64; x64 is switched on for this call only."""
    jax.config.update("jax_enable_x64", True)
    try:
        return checks(prog, reference=True)
    finally:
        jax.config.update("jax_enable_x64", False)


def listed(v):
    return v if isinstance(v, list) else [v]


def enc(a):
    return encode_value(jnp.asarray(a, dtype=jnp.float32))


# ------------------------------------------------------------------------------ generation

SHAPES = [(3,), (4,), (2, 3), (3, 2), (2, 2), (6,), (1, 3), (2, 1, 3), (3, 1), ()]


class Gen:
    def __init__(self, rng):
        self.r = rng

    def array(self, shape, lo=-2.0, hi=2.0):
        v = np.asarray([self.r.uniform(lo, hi) for _ in range(int(np.prod(shape, dtype=int)))],
                       dtype=np.float32).reshape(shape)
        return v

    def shapes_of_size(self, n):
        out = [(n,)]
        for a in range(1, n + 1):
            if n % a == 0:
                out.append((a, n // a))
                for b in range(1, n // a + 1):
                    if (n // a) % b == 0:
                        out.append((a, b, n // a // b))
        return out

    def view_op(self, ref, shape):
        """A random view of a value of `shape`: what shares a buffer (or looks as if it could)."""
        r = self.r
        rank = len(shape)
        n = int(np.prod(shape, dtype=int))
        choices = ["reshape", "expand_dims", "broadcast_to", "astype_f32", "bitcast_round_trip"]
        if rank >= 2:
            choices += ["transpose", "transpose"]
        if 1 in shape:
            choices.append("squeeze")
        if rank >= 1 and shape[0] >= 2:
            choices += ["slice_from", "stride", "index", "flip"]
        if rank >= 1 and any(d >= 2 for d in shape):
            choices.append("slice")
        name = r.choice(choices)
        op = {"op": name, "args": [ref]}
        if name == "reshape":
            op["shape"] = list(r.choice(self.shapes_of_size(n))) if n > 0 else [0]
        elif name == "expand_dims":
            op["axis"] = r.randint(-(rank + 1), rank)
        elif name == "broadcast_to":
            if 1 in shape and r.random() < 0.5:
                op["shape"] = [r.choice([2, 3]) if d == 1 else d for d in shape]
            else:
                op["shape"] = [r.choice([2, 3])] + list(shape)
        elif name == "transpose":
            perm = list(range(rank))
            while perm == list(range(rank)):
                r.shuffle(perm)
            op["perm"] = perm
        elif name == "squeeze":
            op["axis"] = r.choice([i for i, d in enumerate(shape) if d == 1])
        elif name == "slice_from":
            op["start"] = r.randint(1, shape[0] - 1)
        elif name == "stride":
            op["step"] = r.choice([2, 3]) if shape[0] >= 3 else 2
        elif name == "index":
            op["index"] = r.randint(-shape[0], shape[0] - 1)
        elif name == "flip":
            op["axis"] = r.randint(0, rank - 1)
        elif name == "slice":
            start, limit, strides = [], [], []
            for d in shape:
                s = r.randint(0, d - 1)
                start.append(s)
                limit.append(r.randint(s + 1, d))
                strides.append(r.choice([1, 1, 2]))
            op.update(start=start, limit=limit, strides=strides)
        return op


def all_finite_small(v, bound=1e3):
    v = np.asarray(v, dtype=np.float64)
    return bool(np.all(np.isfinite(v)) and np.all(np.abs(v) <= bound))


def far_from(v, points, margin=1e-3):
    """Every element is exactly at one of `points` or at least `margin` away from all."""
    v = np.asarray(v, dtype=np.float64)
    for p in points:
        d = np.abs(v - p)
        if np.any((d > 0) & (d < margin)):
            return False
    return True


def groups_clear(v, axis, margin=1e-3):
    """In each reduced group, the largest element is tied exactly or clear of the next by margin."""
    v = np.asarray(v, dtype=np.float64)
    rows = v.reshape(1, -1) if axis is None else np.moveaxis(v, axis, -1).reshape(-1, v.shape[axis])
    for row in rows:
        s = np.sort(row)[::-1]
        if len(s) > 1 and 0 < s[0] - s[1] < margin:
            return False
    return True


def precondition(op, vals):
    """Whether an op is well conditioned at these arguments (so float32 rounding in JAX and in
    the engine cannot send them different ways at a kink or blow up)."""
    name = op["op"]
    a = np.asarray(vals[0], dtype=np.float64) if vals else None
    if name in ("log", "sqrt"):
        return bool(np.all(a > 0.1))
    if name == "exp":
        return bool(np.all(a < 4))
    if name == "div":
        return bool(np.all(np.abs(np.asarray(vals[1])) > 0.3))
    if name == "abs":
        return far_from(a, [0.0])
    if name in ("maximum", "minimum"):
        return far_from(np.asarray(vals[0], np.float64) - np.asarray(vals[1], np.float64), [0.0])
    if name == "where_gt":
        return far_from(a, [0.0])
    if name == "int_round_trip":
        frac = a - np.trunc(a)
        return bool(np.all(np.abs(a) < 1e4)) and far_from(frac, [0.0, 1.0, -1.0])
    if name == "max":
        return groups_clear(a, op["axis"])
    return True


class ProgramGen(Gen):
    def new(self):
        r = self.r
        prog = {"tree": r.choice(["list", "list", "dict"]), "consts": [], "inputs": [], "body": []}
        # constants: fresh arrays and views of each other
        cshapes = []
        for _ in range(r.randint(1, 4)):
            if cshapes and r.random() < 0.6:
                j = r.randrange(len(cshapes))
                op = self.view_op(f"c{j}", cshapes[j])
            elif r.random() < 0.3:
                d, n = r.choice([2, 3, 4]), r.choice([2, 3, 4, 5])
                idx = np.asarray([r.randint(-d, d - 1) for _ in range(n)], dtype=np.int32)
                op = {"op": "int_array", "value": encode_value(idx)}
            else:
                op = {"op": "array", "value": enc(self.array(r.choice(SHAPES)))}
            prog["consts"].append(op)
            try:
                shapes = [tuple(c.shape) for c in make_consts(prog)]
            except Exception:
                prog["consts"].pop()
                continue
            if int(np.prod(shapes[-1], dtype=int)) > MAX_ELEMENTS or shapes[-1] == (0,):
                prog["consts"].pop()
                continue
            cshapes = shapes
        # inputs: fresh arrays, sometimes views of a constant or of an earlier input
        for i in range(r.choice([1, 1, 2])):
            fconsts = [k for k, c in enumerate(prog["consts"]) if c["op"] != "int_array"
                       and "int" not in str(make_consts(prog)[k].dtype)]
            if i > 0 and r.random() < 0.2:
                op = self.view_op("x0", tuple(make_inputs(prog, make_consts(prog))[0].shape))
            elif fconsts and r.random() < 0.2:
                k = r.choice(fconsts)
                op = self.view_op(f"c{k}", cshapes[k])
            else:
                op = {"op": "array", "value": enc(self.array(r.choice(SHAPES[:-1])))}
            prog["inputs"].append(op)
            try:
                x = make_inputs(prog, make_consts(prog))[-1]
                ok = 0 < x.size <= MAX_ELEMENTS and x.dtype == jnp.float32
            except Exception:
                ok = False
            if not ok:
                prog["inputs"].pop()
        if not prog["inputs"]:
            prog["inputs"].append({"op": "array", "value": enc(self.array((3,)))})
        consts = make_consts(prog)
        leaves = make_inputs(prog, consts)
        # worlds: the point itself and the rows of the vmap batch share one op list
        batched = [self.array((BATCH,) + tuple(x.shape)) for x in leaves]
        for k, x in enumerate(leaves):
            batched[k][0] = np.asarray(x)  # row 0 is the point itself
        prog["batched"] = [enc(b) for b in batched]
        prog["tangents"] = [enc(self.array(tuple(x.shape))) for x in leaves]
        worlds = [leaves] + [[jnp.asarray(b[j]) for b in batched] for j in range(1, BATCH)]
        envs = []
        for w in worlds:
            e = {f"c{i}": c for i, c in enumerate(consts)}
            e.update({f"x{i}": x for i, x in enumerate(w)})
            envs.append(e)
        deps = {f"x{i}": True for i in range(len(leaves))}
        deps.update({f"c{i}": False for i in range(len(consts))})
        length = r.randint(3, 8)
        tries = 0
        while len(prog["body"]) < length and tries < 200:
            tries += 1
            op = self.body_op(envs[0], deps, len(prog["body"]))
            if op is None:
                continue
            try:
                vals = [[e[a] for a in op["args"]] for e in envs]
                if not all(precondition(op, v) for v in vals):
                    continue
                outs = [apply(op, e) for e in envs]
            except Exception:
                continue
            o = outs[0]
            if o.dtype != jnp.float32 or o.size == 0 or o.size > MAX_ELEMENTS or o.ndim > 4:
                continue
            if not all(all_finite_small(v) for v in outs):
                continue
            name = f"v{len(prog['body'])}"
            for e, v in zip(envs, outs):
                e[name] = v
            deps[name] = any(deps[a] for a in op["args"] if a in deps)
            prog["body"].append(op)
        if not prog["body"] or not deps[f"v{len(prog['body']) - 1}"]:
            return None
        y = envs[0][f"v{len(prog['body']) - 1}"]
        prog["cotangent"] = enc(self.array(tuple(y.shape)))
        return prog

    def pick(self, env, deps, want_input_dep=False, float_only=True):
        r = self.r
        names = [k for k in env if (not float_only or env[k].dtype == jnp.float32)]
        vs = [k for k in names if k.startswith("v")]
        cs = [k for k in names if k.startswith("c")]
        xs = [k for k in names if k.startswith("x")]
        pool = []
        if vs:
            pool += [vs[-1]] * 4 + vs
        pool += cs * 2 + xs * 2
        if want_input_dep:
            pool = [k for k in pool if deps.get(k)] or pool
        return r.choice(pool)

    def body_op(self, env, deps, k):
        r = self.r
        kind = r.choices(["unary", "binary", "scalar", "view", "reduce", "matmul", "join", "where",
                          "gather", "inner", "convert"],
                         weights=[14, 18, 6, 16, 7, 5, 4, 3, 9, 6, 3])[0]
        a = self.pick(env, deps, want_input_dep=(k == 0))
        sa = tuple(env[a].shape)
        if kind == "unary":
            return {"op": r.choice(list(UNARY)), "args": [a]}
        if kind == "scalar":
            return {"op": r.choice(["mul_scalar", "add_scalar", "rsub_scalar"]), "args": [a],
                    "scalar": r.choice([2.5, -0.5, 1.5, 3.0, 0.25])}
        if kind == "convert":
            return {"op": r.choice(["astype_f32", "int_round_trip", "bitcast_round_trip"]), "args": [a]}
        if kind == "view":
            return self.view_op(a, sa)
        if kind == "binary":
            b = self.compatible(env, deps, sa)
            return b and {"op": r.choice(list(BINARY)), "args": r.sample([a, b], 2)}
        if kind == "where":
            b = self.compatible(env, deps, sa)
            c = self.compatible(env, deps, sa)
            return b and c and {"op": "where_gt", "args": [r.choice([a, b, c]), a, b if r.random() < 0.5 else c]}
        if kind == "reduce":
            axis = None if not sa or r.random() < 0.3 else r.randint(-len(sa), len(sa) - 1)
            return {"op": r.choice(["sum", "sum", "mean", "max"]), "args": [a], "axis": axis}
        if kind == "matmul":
            cands = [n for n in env if env[n].dtype == jnp.float32 and env[n].ndim >= 1 and len(sa) >= 1
                     and (env[n].shape[0] == sa[-1] if env[n].ndim <= 2 else False)]
            return cands and {"op": "matmul", "args": [a, r.choice(cands)]}
        if kind == "join":
            if not sa:
                return None
            axis = r.randint(0, len(sa) - 1)
            cands = [n for n in env if env[n].dtype == jnp.float32 and env[n].ndim == len(sa)
                     and all(d == e for i, (d, e) in enumerate(zip(env[n].shape, sa)) if i != axis)]
            if r.random() < 0.5:
                return {"op": "concatenate", "args": [a, r.choice(cands)], "axis": axis}
            cands = [n for n in env if env[n].dtype == jnp.float32 and tuple(env[n].shape) == sa]
            return {"op": "stack", "args": [a, r.choice(cands)], "axis": r.randint(0, len(sa))}
        if kind == "gather":
            if not sa:
                return None
            idx = [n for n in env if env[n].dtype == jnp.int32 and env[n].ndim == 1
                   and int(jnp.max(env[n])) < sa[0] and int(jnp.min(env[n])) >= -sa[0]]
            if r.random() < 0.4:
                b = self.with_shape(env, sa[1:])
                return b and {"op": "at_set", "args": [a, b], "index": r.randint(-sa[0], sa[0] - 1)}
            if not idx:
                return None
            i = r.choice(idx)
            if r.random() < 0.5:
                return {"op": "take", "args": [a, i]}
            b = self.compatible(env, deps, tuple(env[i].shape) + sa[1:], into=True)
            return b and {"op": "at_add", "args": [a, i, b]}
        if kind == "inner":
            which = r.choice(["inner_grad", "inner_jvp", "inner_vmap"])
            if which == "inner_vmap":
                if not sa:
                    return None
                b = self.compatible(env, deps, sa[1:])
            else:
                b = self.compatible(env, deps, sa, into=True)
            return b and {"op": which, "args": [a, b]}
        return None

    def compatible(self, env, deps, shape, into=False):
        """A float value that broadcasts with `shape` (into=True: to exactly `shape`)."""
        cands = []
        for n, v in env.items():
            if v.dtype != jnp.float32:
                continue
            try:
                s = np.broadcast_shapes(tuple(v.shape), shape)
            except ValueError:
                continue
            if int(np.prod(s, dtype=int)) > MAX_ELEMENTS or (into and tuple(s) != tuple(shape)):
                continue
            cands.append(n)
        if not cands:
            return None
        pref = [n for n in cands if n.startswith("c") or deps.get(n)]
        return self.r.choice(pref if pref and self.r.random() < 0.7 else cands)

    def with_shape(self, env, shape):
        cands = [n for n, v in env.items() if v.dtype == jnp.float32 and tuple(v.shape) == tuple(shape)]
        return self.r.choice(cands) if cands else None


def make_program(task):
    """Program `index` of a run: its own seeded generator, tried until JAX accepts a program."""
    seed, index = task
    for attempt in range(1000):
        gen = ProgramGen(random.Random(f"{seed}-{index}-{attempt}"))
        prog = gen.new()
        if prog is None:
            continue
        try:
            out = checks(prog)
        except Exception:  # a program JAX refuses is not a fixture
            continue
        flat = [v for vs in out.values() for v in listed(vs)]
        if not all(all_finite_small(v, 1e5) for v in flat):
            continue
        try:
            exact = reference_checks(prog)
        except Exception:
            continue
        prog["name"] = f"program_{index:04d}"
        prog["checks"] = {k: (([enc(v) for v in out[k]]) if isinstance(out[k], list) else enc(out[k]))
                          for k in CHECK_NAMES if k in out}
        # How far JAX's float32 result is from the float64 one, per result: the rounding error a
        # float32 computation of this program has, whoever computes it.
        prog["float32_error"] = {
            k: [float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)), initial=0.0))
                for a, b in zip(listed(out[k]), listed(exact[k]))]
            for k in CHECK_NAMES if k in out}
        return prog, attempt
    raise RuntimeError(f"no program for index {index}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=560)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    opts = ap.parse_args()
    tasks = [(opts.seed, i) for i in range(opts.count)]
    with multiprocessing.Pool(opts.jobs) as pool:
        results = pool.map(make_program, tasks, chunksize=4)
    programs = [p for p, _ in results]
    rejected = sum(a for _, a in results)
    stats = {}
    for p in programs:
        for op in p["consts"] + p["inputs"] + p["body"]:
            stats[op["op"]] = stats.get(op["op"], 0) + 1
    print(f"{len(programs)} programs ({rejected} rejected on the way); op counts: "
          + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())), file=sys.stderr)
    write_json(os.path.join(FIXTURE_DIR, "whole_programs.json"),
               {"jax_version": jax.__version__, "seed": opts.seed,
                "generator": "Tests/fixtures/make_whole_program_fixtures.py", "programs": programs})


if __name__ == "__main__":
    main()

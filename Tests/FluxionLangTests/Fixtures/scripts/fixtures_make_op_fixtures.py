#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/ops.json by running each case under real JAX (CPU).

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_op_fixtures.py
(the x64 cases are run in a child process of this script with JAX_ENABLE_X64=1).

Format:
  {"jax_version": "...", "cases": [
     {"name": unique, "op": OP, "args": [ARG...], "kwargs": {...}, "out": ARRAY | [ARRAY...] | ERROR,
      optional "x64": true, optional "note": "..."}]}
  ARG   = ARRAY (inputs are never weak-typed) | {"scalar": v, "kind": "int"|"float"|"bool"}
          (a Python scalar, i.e. weakly typed) | [ARG...] (only for concatenate's array list)
  ARRAY = {"dtype", "shape", "weak_type", "data": flat row-major; floats as numbers or
           "nan"/"inf"/"-inf"}
  ERROR = {"error": {"type": "TypeError", "message": exact JAX message}}

OP meaning (jnp unless noted):
  unary: negative abs sign floor ceil round sqrt rsqrt(lax) exp expm1 log log1p sin cos tan arcsin
         arccos arctan sinh cosh tanh logistic(lax) erf(lax) erf_inv(lax) isfinite logical_not
         bitwise_not square
  binary: add subtract multiply divide floor_divide remainder power maximum minimum arctan2 equal
          not_equal less less_equal greater greater_equal logical_and logical_or bitwise_and
          bitwise_or bitwise_xor left_shift right_shift
  integer_pow(lax; kwargs y)   where(cond, x, y)   astype(kwargs dtype)
  reductions sum prod max min argmax argmin cumsum mean var: kwargs axis (int | list | null),
         keepdims (cumsum: axis only; axis null = flattened)
  reshape(shape) transpose(axes) broadcast_to(shape) squeeze(axis) expand_dims(axis)
  concatenate(args = [list of arrays], kwargs axis) pad(pad_width [[lo,hi],...], constant)
  flip(axis) getitem(index) at_set/at_add/at_multiply/at_min/at_max(index; args [x, values])
     index = list of {"int": n} | {"slice": [start, stop, step]} (nulls allowed) | {"none": true}
             | {"ellipsis": true} | {"array": ARRAY}; the list is the index tuple.
  dot matmul vdot outer tensordot(axes int | [[a...],[b...]])
  dot_general(lax; dimension_numbers [[lhs_contract, rhs_contract], [lhs_batch, rhs_batch]])
  arange(start, stop, step, dtype)  -- jnp.arange(**kwargs): stop null means start is the stop
  linspace(start, stop, num, endpoint, dtype)  eye(N, M, k, dtype)
  zeros/ones(shape, dtype) full(shape, fill_value, dtype)     (creation ops have no args)
  dtype strings: "float32" etc.; null = JAX's default.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import (FIXTURE_DIR, encode_np, encode_value, error_object,  # noqa: E402
                            run_child, write_json)

nan, inf = float("nan"), float("inf")
f32, f64, i32, u32, bl = np.float32, np.float64, np.int32, np.uint32, np.bool_


class Scalar:
    def __init__(self, v):
        self.v = v


def A(data, dtype, shape=None):
    a = np.array(data, dtype=dtype)
    if shape is not None:
        a = a.reshape(shape)
    return a


def S(v):
    return Scalar(v)


# ------------------------------------------------------------------ decoding / running


def to_jax(arg):
    import jax.numpy as jnp
    if isinstance(arg, Scalar):
        return arg.v
    if isinstance(arg, list):
        return [to_jax(a) for a in arg]
    return jnp.asarray(arg)


def index_to_jax(items):
    import jax.numpy as jnp
    out = []
    for it in items:
        if isinstance(it, np.ndarray):
            out.append(jnp.asarray(it))
        else:
            out.append(it)
    return tuple(out)


def encode_index(items):
    enc = []
    for it in items:
        if it is None:
            enc.append({"none": True})
        elif it is Ellipsis:
            enc.append({"ellipsis": True})
        elif isinstance(it, slice):
            enc.append({"slice": [it.start, it.stop, it.step]})
        elif isinstance(it, np.ndarray):
            enc.append({"array": encode_np(it)})
        elif isinstance(it, int):
            enc.append({"int": it})
        else:
            raise TypeError(it)
    return enc


def encode_arg(arg):
    if isinstance(arg, Scalar):
        v = arg.v
        kind = "bool" if isinstance(v, bool) else "int" if isinstance(v, int) else "float"
        if kind == "float" and not np.isfinite(v):
            v = "nan" if np.isnan(v) else ("inf" if v > 0 else "-inf")
        return {"scalar": v, "kind": kind}
    if isinstance(arg, list):
        return [encode_arg(a) for a in arg]
    return encode_np(arg)


UNARY = ["negative", "abs", "sign", "floor", "ceil", "round", "sqrt", "rsqrt", "exp", "expm1", "log",
         "log1p", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
         "logistic", "erf", "erf_inv", "isfinite", "logical_not", "bitwise_not", "square"]
BINARY = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power", "maximum",
          "minimum", "arctan2", "equal", "not_equal", "less", "less_equal", "greater",
          "greater_equal", "logical_and", "logical_or", "bitwise_and", "bitwise_or", "bitwise_xor",
          "left_shift", "right_shift"]
LAX_UNARY = {"rsqrt", "logistic", "erf", "erf_inv"}
REDUCTIONS = ["sum", "prod", "max", "min", "argmax", "argmin", "cumsum", "mean", "var"]


def dt(name):
    import jax.numpy as jnp
    return None if name is None else jnp.dtype(name)


def axis_arg(a):
    return tuple(a) if isinstance(a, list) else a


def run_op(op, args, kw):
    import jax.numpy as jnp
    from jax import lax
    a = [to_jax(x) for x in args]
    if op in UNARY:
        return (getattr(lax, op) if op in LAX_UNARY else getattr(jnp, op))(*a)
    if op in BINARY:
        return getattr(jnp, op)(*a)
    if op == "integer_pow":
        return lax.integer_pow(a[0], kw["y"])
    if op == "where":
        return jnp.where(*a)
    if op == "astype":
        return a[0].astype(dt(kw["dtype"])) if hasattr(a[0], "astype") else jnp.astype(a[0], dt(kw["dtype"]))
    if op in REDUCTIONS:
        k = dict(kw)
        if "axis" in k:
            k["axis"] = axis_arg(k["axis"])
        return getattr(jnp, op)(a[0], **k)
    if op == "reshape":
        return jnp.reshape(a[0], tuple(kw["shape"]))
    if op == "transpose":
        return jnp.transpose(a[0], axis_arg(kw.get("axes")))
    if op == "broadcast_to":
        return jnp.broadcast_to(a[0], tuple(kw["shape"]))
    if op == "squeeze":
        return jnp.squeeze(a[0], axis_arg(kw.get("axis")))
    if op == "expand_dims":
        return jnp.expand_dims(a[0], axis_arg(kw["axis"]))
    if op == "concatenate":
        return jnp.concatenate(a[0], axis=kw.get("axis", 0))
    if op == "pad":
        return jnp.pad(a[0], [tuple(p) for p in kw["pad_width"]], constant_values=kw.get("constant", 0))
    if op == "flip":
        return jnp.flip(a[0], axis_arg(kw.get("axis")))
    if op == "getitem":
        return a[0][index_to_jax(kw["index"])]
    if op.startswith("at_"):
        ref = a[0].at[index_to_jax(kw["index"])]
        return getattr(ref, op[3:])(a[1])
    if op in ("dot", "matmul", "vdot", "outer"):
        return getattr(jnp, op)(*a)
    if op == "tensordot":
        ax = kw["axes"]
        if isinstance(ax, list):
            ax = (tuple(ax[0]), tuple(ax[1]))
        return jnp.tensordot(a[0], a[1], axes=ax)
    if op == "dot_general":
        (lc, rc), (lb, rb) = kw["dimension_numbers"]
        return lax.dot_general(a[0], a[1], ((tuple(lc), tuple(rc)), (tuple(lb), tuple(rb))))
    if op == "arange":
        k = dict(kw)
        k["dtype"] = dt(k.get("dtype"))
        return jnp.arange(**k)
    if op == "linspace":
        k = dict(kw)
        k["dtype"] = dt(k.get("dtype"))
        return jnp.linspace(**k)
    if op == "eye":
        k = dict(kw)
        k["dtype"] = dt(k.get("dtype"))
        return jnp.eye(**k)
    if op in ("zeros", "ones"):
        return getattr(jnp, op)(tuple(kw["shape"]), dtype=dt(kw.get("dtype")))
    if op == "full":
        return jnp.full(tuple(kw["shape"]), kw["fill_value"], dtype=dt(kw.get("dtype")))
    raise ValueError(f"unknown op {op}")


def encode_kwargs(op, kw):
    out = {}
    for k, v in kw.items():
        if k == "index":
            out[k] = encode_index(v)
        else:
            out[k] = v
    return out


def run_cases(specs, x64):
    import jax
    out = []
    for name, op, args, kw, note in specs:
        try:
            r = run_op(op, args, kw)
            r = jax.block_until_ready(r)
            res = encode_value(r)
        except Exception as e:  # noqa: BLE001
            res = error_object(e)
        case = {"name": name, "op": op, "args": [encode_arg(a) for a in args],
                "kwargs": encode_kwargs(op, kw), "out": res}
        if x64:
            case["x64"] = True
        if note:
            case["note"] = note
        out.append(case)
    return out


# ------------------------------------------------------------------ case lists

F32_VALS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.1, -0.7, 3.0, 3.7, -3.7,
            10.0, -10.0, 100.0, 1e-30, -1e-30, 1e30, -1e30, 3.4e38, nan, inf, -inf]
GRID_F = [-inf, -3.5, -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, 3.5, inf, nan]
GRID_I = [-2147483648, -7, -2, -1, 0, 1, 2, 3, 7, 31, 32, 2147483647]
GRID_U = [0, 1, 2, 3, 7, 31, 32, 33, 100, 0x7fffffff, 0x80000000, 0xffffffff]


class Cases:
    def __init__(self):
        self.specs = []
        self.names = set()

    def __call__(self, name, op, args=(), note=None, **kw):
        assert name not in self.names, name
        self.names.add(name)
        self.specs.append((name, op, list(args), kw, note))


def col(vals, dtype):
    return A(vals, dtype, (len(vals), 1))


def row(vals, dtype):
    return A(vals, dtype, (1, len(vals)))


def x32_cases():
    c = Cases()
    fx = A(F32_VALS, f32)
    # ---- unary, float32, full spread
    for op in UNARY:
        if op == "bitwise_not":
            continue
        c(f"{op}_f32", op, [fx])
    c("bitwise_not_f32_error", "bitwise_not", [A([1.0], f32)])
    c("erf_inv_f32_interior", "erf_inv", [A([0.0, 0.3, -0.3, 0.9, -0.9, 0.99, 0.999999, -0.999999,
                                            1e-7, 0.75], f32)])
    c("arcsin_f32_interior", "arcsin", [A([0.0, 0.25, -0.25, 0.9, -0.9, 1.0, -1.0], f32)])
    c("round_f32_halves", "round", [A([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999997, 2.5000002,
                                       8388609.0], f32)], note="round half to even")
    # subnormals (XLA CPU flushes denormals to zero in arithmetic)
    sub = A([1e-40, -1e-40, 1.4e-45, 1.1754942e-38], f32)
    c("negative_f32_subnormal", "negative", [sub], note="subnormal inputs; XLA CPU runs with FTZ/DAZ")
    c("multiply_f32_subnormal", "multiply", [sub, A([1.0, 1.0, 1.0, 1.0], f32)],
      note="subnormal inputs; XLA CPU runs with FTZ/DAZ")
    c("add_f32_subnormal", "add", [sub, A([0.0, 0.0, 0.0, 0.0], f32)],
      note="subnormal inputs; XLA CPU runs with FTZ/DAZ")
    c("sqrt_f32_subnormal", "sqrt", [sub], note="subnormal inputs; XLA CPU runs with FTZ/DAZ")

    # ---- unary, int32 / uint32 / bool
    ix = A([-2147483648, -7, -1, 0, 1, 2, 5, 2147483647], i32)
    for op in ["negative", "abs", "sign", "square", "bitwise_not", "logical_not", "isfinite",
               "floor", "ceil", "round", "sqrt", "exp", "sin", "tanh", "logistic", "erf"]:
        c(f"{op}_i32", op, [ix])
    ux = A([0, 1, 2, 7, 0x7fffffff, 0x80000000, 0xffffffff], u32)
    for op in ["negative", "abs", "sign", "square", "bitwise_not", "logical_not"]:
        c(f"{op}_u32", op, [ux])
    bx = A([True, False, True], bl)
    for op in ["negative", "abs", "sign", "logical_not", "bitwise_not", "square", "sqrt", "floor"]:
        c(f"{op}_bool", op, [bx])

    # ---- binary, float32 grid (13 x 13 via broadcasting (n,1) with (1,n))
    for op in BINARY:
        if op in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"):
            continue
        c(f"{op}_f32_grid", op, [col(GRID_F, f32), row(GRID_F, f32)])
    c("bitwise_and_f32_error", "bitwise_and", [A([1.0], f32), A([1.0], f32)])
    c("left_shift_f32_error", "left_shift", [A([1.0], f32), A([1], i32)])
    c("floor_divide_f32", "floor_divide", [A([7.0, -7.0, 7.0, -7.0, 7.5, 1.0, -1.0, 0.0], f32),
                                           A([2.0, 2.0, -2.0, -2.0, 0.5, 0.1, 0.1, 3.0], f32)])
    c("remainder_f32", "remainder", [A([7.0, -7.0, 7.0, -7.0, 7.5, 1.0, -1.0, -0.0, 5.25], f32),
                                     A([2.0, 2.0, -2.0, -2.0, 0.5, 0.1, 0.1, 3.0, -1.5], f32)])
    # ---- binary, int32 grid
    for op in BINARY:
        c(f"{op}_i32_grid", op, [col(GRID_I, i32), row(GRID_I, i32)])
    # ---- binary, uint32 grid
    for op in ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power",
               "maximum", "minimum", "less", "equal", "bitwise_and", "bitwise_or", "bitwise_xor",
               "left_shift", "right_shift"]:
        c(f"{op}_u32_grid", op, [col(GRID_U, u32), row(GRID_U, u32)])
    # ---- bool binary
    bc, br = col([False, True], bl), row([False, True], bl)
    for op in ["add", "multiply", "subtract", "logical_and", "logical_or", "bitwise_xor",
               "maximum", "less", "equal", "divide", "bitwise_and", "power", "floor_divide"]:
        c(f"{op}_bool_grid", op, [bc, br])
    # ---- mixed dtypes (promotion through jnp)
    c("add_i32_f32", "add", [A([1, 2, 3], i32), A([0.5, 0.25, -1.0], f32)])
    c("add_u32_i32", "add", [A([1, 2, 0xffffffff], u32), A([-1, 2, 3], i32)],
      note="uint32 + int32 promotes to int64, canonicalized to int32 without x64")
    c("multiply_bool_f32", "multiply", [A([True, False], bl), A([2.5, 3.5], f32)])
    c("add_bool_i32", "add", [A([True, False], bl), A([7, 8], i32)])
    c("equal_i32_f32", "equal", [A([1, 2, 3], i32), A([1.0, 2.5, 3.0], f32)])
    c("maximum_u32_f32", "maximum", [A([1, 4000000000], u32), A([2.5, -1.0], f32)])

    # ---- weak types with Python scalars
    c("weak_mul_scalar_f32", "multiply", [S(2.0), A([1.0, 2.5], f32)])
    c("weak_mul_int_scalar_f32", "multiply", [A([1.0, 2.5], f32), S(3)])
    c("weak_add_i32_float", "add", [A([1, 2], i32), S(2.5)])
    c("weak_add_i32_int", "add", [A([1, 2], i32), S(5)])
    c("weak_add_bool_int", "add", [A([True, False], bl), S(1)])
    c("weak_add_bool_float", "add", [A([True, False], bl), S(0.5)])
    c("weak_add_bool_bool", "add", [A([True, False], bl), S(True)])
    c("weak_add_int_int", "add", [S(2), S(3)])
    c("weak_add_int_float", "add", [S(2), S(3.5)])
    c("weak_add_float_float", "add", [S(2.0), S(3.5)])
    c("weak_add_bool_scalar_int", "add", [S(True), S(1)])
    c("weak_mul_bool_bool", "multiply", [S(True), S(False)])
    c("weak_divide_int_int", "divide", [S(1), S(2)])
    c("weak_divide_i32_int", "divide", [A([1, 3], i32), S(2)])
    c("weak_floor_divide_i32_int", "floor_divide", [A([7, -7], i32), S(2)])
    c("weak_add_u32_neg_int", "add", [A([1, 5], u32), S(-1)])
    c("weak_add_u32_big_int", "add", [A([1], u32), S(2**32)])
    c("weak_add_i32_big_int", "add", [A([1], i32), S(2**31)])
    c("weak_add_i32_max_int", "add", [A([1], i32), S(2**31 - 1)])
    c("weak_add_f32_huge_float", "add", [A([1.0], f32), S(1e40)])
    c("weak_sub_scalar_u32", "subtract", [S(0), A([1, 2], u32)])
    c("weak_power_f32_int", "power", [A([2.0, -3.0, 0.5], f32), S(2)])
    c("weak_power_i32_int", "power", [A([2, -3, 5], i32), S(3)])
    c("weak_power_i32_neg_int", "power", [A([2, -3, 5], i32), S(-1)])
    c("weak_power_int_i32", "power", [S(2), A([0, 1, 10, 31], i32)])
    c("weak_power_i32_float", "power", [A([4, 9], i32), S(0.5)])
    c("weak_maximum_i32_float", "maximum", [A([1, 3], i32), S(2.5)])
    c("weak_equal_f32_int", "equal", [A([1.0, 1.5], f32), S(1)])
    c("weak_less_i32_float", "less", [A([1, 2], i32), S(1.5)])
    c("weak_left_shift_u32_int", "left_shift", [A([1, 3], u32), S(4)])
    c("weak_right_shift_i32_int", "right_shift", [A([-16, 16], i32), S(2)])
    c("weak_logical_and_f32_bool", "logical_and", [A([0.0, 2.0], f32), S(True)])
    c("weak_neg_scalar_int", "negative", [S(3)])
    c("weak_sin_scalar_int", "sin", [S(1)])
    c("weak_sqrt_scalar_float", "sqrt", [S(2.0)])
    c("weak_abs_scalar_bool", "abs", [S(True)])

    # ---- broadcasting
    c("bcast_add_2x3_3", "add", [A(np.arange(6), f32, (2, 3)), A([10, 20, 30], f32)])
    c("bcast_add_2x1_1x3", "add", [A([1, 2], f32, (2, 1)), A([10, 20, 30], f32, (1, 3))])
    c("bcast_add_3d_2d", "add", [A(np.arange(24), f32, (2, 3, 4)), A(np.arange(12) * 10, f32, (3, 4))])
    c("bcast_mul_4d_1", "multiply", [A(np.arange(24), f32, (2, 1, 3, 4)), A([2.0], f32)])
    c("bcast_mul_0d", "multiply", [A(np.arange(6), f32, (2, 3)), A(3.0, f32)])
    c("bcast_sub_2x1x4_3x1", "subtract", [A(np.arange(8), i32, (2, 1, 4)), A([1, 2, 3], i32, (3, 1))])
    c("bcast_add_empty", "add", [A(np.zeros((0, 3)), f32), A([1, 2, 3], f32)])
    c("bcast_add_empty_1", "add", [A(np.zeros((0, 1)), f32), A(np.zeros((1, 0)), f32)])
    c("bcast_error_3_4", "add", [A([1, 2, 3], f32), A([1, 2, 3, 4], f32)])
    c("bcast_error_2x3_2", "multiply", [A(np.arange(6), f32, (2, 3)), A([1, 2], f32)])
    c("bcast_error_less", "less", [A(np.arange(6), f32, (2, 3)), A(np.arange(6), f32, (3, 2))])
    c("bcast_error_3d", "add", [A(np.arange(24), f32, (2, 3, 4)), A(np.arange(6), f32, (2, 3))])
    c("bcast_where", "where", [A([True, False, True], bl), A(np.arange(6), f32, (2, 3)), A(-1.0, f32)])

    # ---- integer_pow
    ipx = A([2.0, -3.0, 0.5, 0.0, -0.0, nan, inf, -inf], f32)
    for y in [0, 1, 2, 3, -1, -2, 7]:
        c(f"integer_pow_f32_{y}".replace("-", "m"), "integer_pow", [ipx], y=y)
    c("integer_pow_i32_3", "integer_pow", [A([2, -3, 0, 1000, -1], i32)], y=3)
    c("integer_pow_i32_0", "integer_pow", [A([2, -3, 0], i32)], y=0)
    c("integer_pow_i32_neg", "integer_pow", [A([2, -3], i32)], y=-2)

    # ---- where
    c("where_f32", "where", [A([True, False, True, False], bl), A([1.0, 2.0, 3.0, 4.0], f32),
                             A([-1.0, -2.0, nan, -4.0], f32)])
    c("where_weak_zero", "where", [A([True, False], bl), A([1.5, 2.5], f32), S(0)])
    c("where_scalars", "where", [A([True, False], bl), S(1), S(2.0)])
    c("where_i32_float", "where", [A([True, False], bl), A([1, 2], i32), S(0.5)])
    c("where_int_cond", "where", [A([0, 3, -1], i32), A([1.0, 2.0, 3.0], f32), A([9.0, 9.0, 9.0], f32)])
    c("where_i32_u32", "where", [A([True, False], bl), A([1, -2], i32), A([3, 4], u32)])

    # ---- astype
    cast_f = A([3.7, -3.7, 0.5, -0.5, 2.5, nan, inf, -inf, 3e9, -3e9, 0.0, -0.0, 16777217.0], f32)
    for to in ["int32", "uint32", "bool", "float32"]:
        c(f"astype_f32_{to}", "astype", [cast_f], dtype=to)
    cast_i = A([-2147483648, -1, 0, 1, 16777217, 2147483647], i32)
    for to in ["uint32", "float32", "bool"]:
        c(f"astype_i32_{to}", "astype", [cast_i], dtype=to)
    for to in ["int32", "float32", "bool"]:
        c(f"astype_u32_{to}", "astype", [A([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 16777217], u32)],
          dtype=to)
    for to in ["int32", "uint32", "float32"]:
        c(f"astype_bool_{to}", "astype", [A([True, False], bl)], dtype=to)
    c("astype_f32_float64_x32", "astype", [A([1.5], f32)], dtype="float64",
      note="without x64 a float64 request gives float32")

    # ---- reductions on 3-d inputs
    r3 = A(np.arange(24) * 0.5 - 3.0, f32, (2, 3, 4))
    for op in ["sum", "max", "min", "mean", "var"]:
        for ax in [None, 0, 1, -1, [0, 2], [1, 2], [0, 1, 2]]:
            axn = "none" if ax is None else ("_".join(str(a) for a in ax) if isinstance(ax, list) else str(ax)).replace("-", "m")
            c(f"{op}_3d_axis_{axn}", op, [r3], axis=ax, keepdims=False)
        c(f"{op}_3d_axis_0_2_keepdims", op, [r3], axis=[0, 2], keepdims=True)
        c(f"{op}_3d_axis_none_keepdims", op, [r3], axis=None, keepdims=True)
    p3 = A((np.arange(24) % 4) * 0.5 + 0.5, f32, (2, 3, 4))
    for ax in [None, 0, 2, [0, 1]]:
        axn = "none" if ax is None else ("_".join(str(a) for a in ax) if isinstance(ax, list) else str(ax))
        c(f"prod_3d_axis_{axn}", "prod", [p3], axis=ax, keepdims=False)
    c("prod_3d_axis_1_keepdims", "prod", [p3], axis=1, keepdims=True)
    for op in ["argmax", "argmin"]:
        for ax in [None, 0, 1, 2, -1]:
            c(f"{op}_3d_axis_{'none' if ax is None else str(ax).replace('-', 'm')}", op,
              [A(np.sin(np.arange(24)), f32, (2, 3, 4))], axis=ax, keepdims=False)
        c(f"{op}_3d_axis_1_keepdims", op, [A(np.sin(np.arange(24)), f32, (2, 3, 4))], axis=1, keepdims=True)
        c(f"{op}_ties", op, [A([1.0, 3.0, 3.0, -2.0, -2.0, 3.0], f32)], axis=None, keepdims=False)
        c(f"{op}_nan", op, [A([1.0, nan, 3.0, nan, -1.0], f32)], axis=None, keepdims=False)
        c(f"{op}_inf", op, [A([-inf, 1.0, inf, 0.0], f32)], axis=None, keepdims=False)
        c(f"{op}_i32", op, [A([[3, 1, 3], [-5, 7, 7]], i32)], axis=1, keepdims=False)
        c(f"{op}_bool", op, [A([False, True, True], bl)], axis=None, keepdims=False)
        c(f"{op}_empty_error", op, [A(np.zeros(0), f32)], axis=None, keepdims=False)
    c("max_nan", "max", [A([1.0, nan, 3.0], f32)], axis=None, keepdims=False)
    c("min_nan", "min", [A([1.0, nan, -3.0], f32)], axis=None, keepdims=False)
    c("max_signed_zero", "max", [A([-0.0, 0.0], f32)], axis=None, keepdims=False)
    c("max_signed_zero2", "max", [A([0.0, -0.0], f32)], axis=None, keepdims=False)
    c("min_signed_zero", "min", [A([0.0, -0.0], f32)], axis=None, keepdims=False)
    c("max_empty_error", "max", [A(np.zeros((0,)), f32)], axis=None, keepdims=False)
    c("max_empty_axis", "max", [A(np.zeros((0, 3)), f32)], axis=1, keepdims=False)
    c("sum_empty", "sum", [A(np.zeros((0,)), f32)], axis=None, keepdims=False)
    c("sum_empty_axis", "sum", [A(np.zeros((0, 3)), f32)], axis=0, keepdims=False)
    c("prod_empty", "prod", [A(np.zeros((0,)), f32)], axis=None, keepdims=False)
    c("mean_empty", "mean", [A(np.zeros((0,)), f32)], axis=None, keepdims=False)
    c("sum_i32", "sum", [A([[2147483647, 1], [3, 4]], i32)], axis=0, keepdims=False)
    c("sum_u32", "sum", [A([0xffffffff, 2, 3], u32)], axis=None, keepdims=False)
    c("sum_bool", "sum", [A([[True, False, True], [True, True, True]], bl)], axis=1, keepdims=False)
    c("prod_bool", "prod", [A([True, True], bl)], axis=None, keepdims=False)
    c("prod_i32", "prod", [A([2, -3, 4, 100000], i32)], axis=None, keepdims=False)
    c("max_bool", "max", [A([False, True], bl)], axis=None, keepdims=False)
    c("max_i32", "max", [A([[-5, 2], [7, -9]], i32)], axis=0, keepdims=True)
    c("min_u32", "min", [A([7, 0xffffffff, 3], u32)], axis=None, keepdims=False)
    c("mean_i32", "mean", [A([1, 2, 4], i32)], axis=None, keepdims=False)
    c("mean_bool", "mean", [A([True, False, False, True], bl)], axis=None, keepdims=False)
    c("var_i32", "var", [A([1, 2, 4, 7], i32)], axis=None, keepdims=False)
    c("var_nan", "var", [A([1.0, nan], f32)], axis=None, keepdims=False)
    c("sum_axis_error", "sum", [A(np.zeros((2, 3)), f32)], axis=2, keepdims=False)
    c("sum_dup_axis_error", "sum", [A(np.zeros((2, 3)), f32)], axis=[0, 0], keepdims=False)
    c("sum_0d", "sum", [A(2.5, f32)], axis=None, keepdims=False)
    for ax in [None, 0, 1, -1]:
        c(f"cumsum_2d_axis_{'none' if ax is None else str(ax).replace('-', 'm')}", "cumsum",
          [A(np.arange(12) * 0.5, f32, (3, 4))], axis=ax)
    c("cumsum_i32", "cumsum", [A([1, -2, 3, 2147483647], i32)], axis=0)
    c("cumsum_bool", "cumsum", [A([True, False, True, True], bl)], axis=0)
    c("cumsum_u32", "cumsum", [A([1, 2, 3], u32)], axis=0)
    c("cumsum_nan", "cumsum", [A([1.0, nan, 2.0], f32)], axis=0)

    # ---- layout
    x6 = A(np.arange(6), f32)
    x24 = A(np.arange(24), i32, (2, 3, 4))
    c("reshape_neg1", "reshape", [x24], shape=[6, -1])
    c("reshape_flat", "reshape", [x24], shape=[-1])
    c("reshape_mid_neg1", "reshape", [x24], shape=[4, -1, 2])
    c("reshape_to_scalar", "reshape", [A([5.0], f32)], shape=[])
    c("reshape_scalar_to_1x1", "reshape", [A(5.0, f32)], shape=[1, 1])
    c("reshape_empty_neg1", "reshape", [A(np.zeros((0, 3)), f32)], shape=[3, -1])
    c("reshape_error", "reshape", [x6], shape=[4, 2])
    c("reshape_error_neg1", "reshape", [x6], shape=[4, -1])
    c("reshape_error_two_neg1", "reshape", [x6], shape=[-1, -1])
    c("reshape_error_neg2", "reshape", [x6], shape=[-2, 3])
    c("transpose_default", "transpose", [x24], axes=None)
    c("transpose_102", "transpose", [x24], axes=[1, 0, 2])
    c("transpose_201", "transpose", [x24], axes=[2, 0, 1])
    c("transpose_negative", "transpose", [x24], axes=[-1, 0, 1])
    c("transpose_1d", "transpose", [x6], axes=None)
    c("transpose_error_dup", "transpose", [x24], axes=[0, 0, 1])
    c("transpose_error_len", "transpose", [x24], axes=[1, 0])
    c("broadcast_to_row", "broadcast_to", [A([1, 2, 3], f32)], shape=[2, 3])
    c("broadcast_to_col", "broadcast_to", [A([1, 2, 3], f32, (3, 1))], shape=[3, 4])
    c("broadcast_to_3d", "broadcast_to", [A([7], i32)], shape=[2, 2, 2])
    c("broadcast_to_scalar", "broadcast_to", [A(1.5, f32)], shape=[3])
    c("broadcast_to_error", "broadcast_to", [A([1, 2, 3], f32)], shape=[4])
    c("broadcast_to_error_rank", "broadcast_to", [A(np.zeros((2, 3)), f32)], shape=[3])
    s1 = A(np.arange(6), f32, (1, 2, 1, 3))
    c("squeeze_all", "squeeze", [s1], axis=None)
    c("squeeze_0", "squeeze", [s1], axis=0)
    c("squeeze_tuple", "squeeze", [s1], axis=[0, 2])
    c("squeeze_neg", "squeeze", [s1], axis=-2)
    c("squeeze_error", "squeeze", [s1], axis=1)
    c("squeeze_error_axis", "squeeze", [s1], axis=4)
    c("expand_dims_0", "expand_dims", [x6], axis=0)
    c("expand_dims_neg1", "expand_dims", [x6], axis=-1)
    c("expand_dims_tuple", "expand_dims", [x6], axis=[0, 2])
    c("expand_dims_tuple_neg", "expand_dims", [A(np.arange(6), f32, (2, 3))], axis=[-1, 0])
    c("expand_dims_error", "expand_dims", [x6], axis=3)
    m23, m22 = A(np.arange(6), f32, (2, 3)), A(np.arange(4) + 10, f32, (2, 2))
    c("concatenate_1d", "concatenate", [[A([1, 2], f32), A([3], f32), A([4, 5, 6], f32)]], axis=0)
    c("concatenate_axis1", "concatenate", [[m23, m22]], axis=1)
    c("concatenate_axis_neg1", "concatenate", [[m23, m22]], axis=-1)
    c("concatenate_axis0", "concatenate", [[m23, A(np.arange(3), f32, (1, 3))]], axis=0)
    c("concatenate_promote", "concatenate", [[A([1, 2], i32), A([0.5], f32), A([True], bl)]], axis=0)
    c("concatenate_error_shape", "concatenate", [[m23, m22]], axis=0)
    c("concatenate_error_rank", "concatenate", [[m23, A([1, 2, 3], f32)]], axis=0)
    c("concatenate_error_scalar", "concatenate", [[A(1.0, f32), A(2.0, f32)]], axis=0)
    c("pad_1d", "pad", [A([1, 2, 3], f32)], pad_width=[[1, 2]], constant=0)
    c("pad_2d", "pad", [m23], pad_width=[[0, 1], [2, 0]], constant=-1.5)
    c("pad_i32", "pad", [A([[1, 2], [3, 4]], i32)], pad_width=[[1, 1], [1, 1]], constant=9)
    c("pad_zero", "pad", [m23], pad_width=[[0, 0], [0, 0]], constant=0)
    c("pad_error_negative", "pad", [A([1, 2, 3], f32)], pad_width=[[-1, 0]], constant=0)
    c("flip_all", "flip", [x24], axis=None)
    c("flip_0", "flip", [x24], axis=0)
    c("flip_tuple", "flip", [x24], axis=[0, 2])
    c("flip_neg", "flip", [x24], axis=-1)

    # ---- getitem
    g = A(np.arange(24), f32, (2, 3, 4))
    v = A(np.arange(10), i32)
    I = lambda *xs: A(list(xs), i32)  # noqa: E731
    sl = slice
    gi = [
        ("int", g, [1]), ("neg_int", g, [-1]), ("two_ints", g, [1, -2]), ("three_ints", g, [0, 2, 3]),
        ("int_oob", g, [2]), ("int_oob_neg", g, [-3]),
        ("slice_all", g, [sl(None)]), ("slice_rev", v, [sl(None, None, -1)]),
        ("slice_step2", v, [sl(1, None, 2)]), ("slice_step_neg2", v, [sl(None, None, -2)]),
        ("slice_neg_bounds", v, [sl(-3, None)]), ("slice_neg_rev", v, [sl(-1, -4, -1)]),
        ("slice_big", v, [sl(None, 100)]), ("slice_empty", v, [sl(7, 3)]),
        ("slice_oob_start", v, [sl(20, 30)]), ("slice_rev_from_oob", v, [sl(100, None, -3)]),
        ("slice_neg_step_stop", v, [sl(8, 2, -2)]), ("slice_step_3d", g, [sl(None), sl(None, None, -1), sl(1, None, 2)]),
        ("none", g, [None]), ("none_mid", g, [sl(None), None, 1]), ("ellipsis_int", g, [Ellipsis, 0]),
        ("int_ellipsis_none", g, [0, Ellipsis, None]), ("ellipsis_only", g, [Ellipsis]),
        ("ellipsis_mid", g, [1, Ellipsis, 2]), ("none_none", v, [None, sl(2, 4), None]),
        ("arr_1d", v, [I(0, 2, -1, 4)]), ("arr_oob_clamp", v, [I(5, 12, -11, -1, 100)]),
        ("arr_2d", v, [A([[0, 1], [8, 9]], i32)]), ("arr_axis1", g, [sl(None), I(2, 0, -1)]),
        ("arr_two_adjacent", g, [sl(None), I(0, 2), I(1, 3)]),
        ("arr_two_separated", g, [I(0, 1), sl(None), I(1, 3)]),
        ("int_slice_arr", g, [0, sl(None), I(1, 2)]), ("arr_int_adjacent", g, [sl(None), 1, I(0, 3)]),
        ("arr_broadcast", g, [A([[0], [1]], i32), sl(None), A([1, 2, 3], i32)]),
        ("arr_0d", g, [A(1, i32)]), ("arr_with_none", g, [None, I(1, 0)]),
        ("arr_ellipsis", g, [Ellipsis, I(3, 3, 0)]), ("arr_u32", v, [A([1, 9], u32)]),
        ("bool_mask", v, [A([i % 3 == 0 for i in range(10)], bl)]),
        ("bool_mask_2d", A(np.arange(6), f32, (2, 3)), [A([[True, False, True], [False, True, False]], bl)]),
        ("too_many_error", v, [0, 1]), ("float_index_error", v, [A([1.0], f32)]),
        ("two_ellipsis_error", g, [Ellipsis, Ellipsis]), ("0d_none", A(3.5, f32), [None]),
    ]
    for nm, x, idx in gi:
        c(f"getitem_{nm}", "getitem", [x], index=idx)

    # ---- .at[] updates
    z5 = A([1.0, 2.0, 3.0, 4.0, 5.0], f32)
    c("at_set_int", "at_set", [z5, S(9.0)], index=[1])
    c("at_set_neg_int", "at_set", [z5, S(9.0)], index=[-1])
    c("at_set_oob_dropped", "at_set", [z5, S(9.0)], index=[7])
    c("at_set_oob_neg_dropped", "at_set", [z5, S(9.0)], index=[-7])
    c("at_set_array", "at_set", [z5, A([10, 20, 30], f32)], index=[I(0, 2, 4)])
    c("at_set_array_oob", "at_set", [z5, A([10, 20, 30], f32)], index=[I(0, 9, -1)])
    c("at_set_slice", "at_set", [z5, A([7, 8], f32)], index=[sl(1, 5, 2)])
    c("at_set_slice_bcast", "at_set", [z5, S(0.0)], index=[sl(None, None, -2)])
    c("at_set_int_into_f32", "at_set", [z5, S(2)], index=[0])
    c("at_set_float_into_i32", "at_set", [A([1, 2, 3], i32), S(2.7)], index=[0])
    c("at_set_f32_array_into_i32", "at_set", [A([1, 2, 3], i32), A([2.7], f32)], index=[0])
    c("at_add_dup", "at_add", [z5, A([1.0, 10.0, 100.0], f32)], index=[I(0, 0, 2)])
    c("at_add_scalar", "at_add", [z5, S(1.5)], index=[sl(2, None)])
    c("at_multiply_dup", "at_multiply", [z5, A([2.0, 3.0, 4.0], f32)], index=[I(1, 1, 4)])
    c("at_min_dup", "at_min", [z5, A([0.5, -1.0, 10.0], f32)], index=[I(3, 3, 0)])
    c("at_max_dup", "at_max", [z5, A([0.5, 7.0, 10.0], f32)], index=[I(3, 3, 0)])
    m34 = A(np.arange(12), f32, (3, 4))
    c("at_set_2d_row", "at_set", [m34, A([9, 8, 7, 6], f32)], index=[1])
    c("at_set_2d_col", "at_set", [m34, S(-1.0)], index=[sl(None), 2])
    c("at_add_2d_bcast", "at_add", [m34, A([[100], [200]], f32)], index=[sl(1, None), sl(None, 2)])
    c("at_add_2d_pairs", "at_add", [m34, A([1, 2, 3], f32)], index=[I(0, 2, 0), I(1, 3, 1)])
    c("at_set_shape_error", "at_set", [z5, A([1, 2], f32)], index=[I(0, 1, 2)])
    c("at_add_i32", "at_add", [A([1, 2, 3], i32), A([5, 5], i32)], index=[I(0, 0)])

    # ---- linear algebra
    vA, vB = A([1, 2, 3], f32), A([4, -5, 6], f32)
    mA = A(np.arange(6) - 2.0, f32, (2, 3))
    mB = A(np.arange(12) * 0.5, f32, (3, 4))
    c("dot_1d_1d", "dot", [vA, vB])
    c("dot_2d_1d", "dot", [mA, vA])
    c("dot_1d_2d", "dot", [vA, mB])
    c("dot_2d_2d", "dot", [mA, mB])
    c("dot_scalar", "dot", [A(2.0, f32), mA])
    c("dot_3d_2d", "dot", [A(np.arange(24), f32, (2, 3, 4)), A(np.arange(8), f32, (4, 2))])
    c("dot_i32", "dot", [A([[1, 2], [3, 4]], i32), A([5, 6], i32)])
    c("dot_mixed", "dot", [A([1, 2], i32), A([0.5, 0.25], f32)])
    c("dot_bool", "dot", [A([True, True, False], bl), A([True, False, False], bl)])
    c("dot_error", "dot", [mA, mA])
    for la, ls, rs in [("1d_1d", (3,), (3,)), ("2d_1d", (2, 3), (3,)), ("1d_2d", (3,), (3, 4)),
                       ("2d_2d", (2, 3), (3, 4)), ("3d_2d", (5, 2, 3), (3, 4)), ("2d_3d", (2, 3), (5, 3, 4)),
                       ("3d_3d", (5, 2, 3), (5, 3, 4)), ("1d_3d", (3,), (5, 3, 4)), ("3d_1d", (5, 2, 3), (3,)),
                       ("bcast_4d_3d", (2, 1, 2, 3), (5, 3, 4)), ("bcast_3d_3d", (1, 2, 3), (5, 3, 4))]:
        l = A((np.arange(np.prod(ls)) % 7) - 3, f32, ls)
        r = A((np.arange(np.prod(rs)) % 5) * 0.5, f32, rs)
        c(f"matmul_{la}", "matmul", [l, r])
    c("matmul_error_scalar", "matmul", [A(2.0, f32), mA])
    c("matmul_error_contract", "matmul", [mA, mA])
    c("matmul_error_batch", "matmul", [A(np.zeros((2, 2, 3)), f32), A(np.zeros((3, 3, 4)), f32)])
    c("matmul_i32", "matmul", [A([[1, 2], [3, 4]], i32), A([[5], [6]], i32)])
    c("vdot_2d", "vdot", [mA, A(np.arange(6), f32, (3, 2))])
    c("vdot_1d", "vdot", [vA, vB])
    c("vdot_error", "vdot", [vA, A([1, 2], f32)])
    c("outer_1d", "outer", [vA, A([1, -1], f32)])
    c("outer_2d_flattens", "outer", [mA, A([1, 2], i32)])
    T1 = A(np.arange(24) % 5, f32, (2, 3, 4))
    T2 = A(np.arange(24) % 3 - 1, f32, (3, 4, 2))
    c("tensordot_0", "tensordot", [vA, A([1, 2], f32)], axes=0)
    c("tensordot_1", "tensordot", [mA, mB], axes=1)
    c("tensordot_2", "tensordot", [T1, T2], axes=2)
    c("tensordot_pairs", "tensordot", [T1, T2], axes=[[1, 2], [0, 1]])
    c("tensordot_pairs_unordered", "tensordot", [T1, A(np.arange(24) % 3 - 1, f32, (4, 2, 3))], axes=[[2, 1], [0, 2]])
    c("tensordot_error", "tensordot", [T1, T2], axes=[[0], [0]])
    L = A(np.arange(2 * 3 * 4) % 7 - 3, f32, (2, 3, 4))
    R = A(np.arange(2 * 4 * 5) % 4 * 0.5, f32, (2, 4, 5))
    c("dot_general_matmul", "dot_general", [mA, mB], dimension_numbers=[[[1], [0]], [[], []]])
    c("dot_general_batch", "dot_general", [L, R], dimension_numbers=[[[2], [1]], [[0], [0]]])
    c("dot_general_batch_rhs_mid", "dot_general", [L, A(np.arange(40) % 4 * 0.5, f32, (4, 2, 5))],
      dimension_numbers=[[[2], [0]], [[0], [1]]])
    c("dot_general_two_contract", "dot_general", [L, A(np.arange(24) % 5, f32, (3, 4, 2))],
      dimension_numbers=[[[1, 2], [0, 1]], [[], []]])
    c("dot_general_outer", "dot_general", [vA, A([1, 2], f32)], dimension_numbers=[[[], []], [[], []]])
    c("dot_general_lhs_contract_0", "dot_general", [A(np.arange(6), f32, (3, 2)), mB],
      dimension_numbers=[[[0], [0]], [[], []]])
    c("dot_general_error_contract", "dot_general", [A(np.zeros(3), f32), A(np.zeros(4), f32)],
      dimension_numbers=[[[0], [0]], [[], []]])
    c("dot_general_error_batch", "dot_general", [L, A(np.zeros((3, 4, 5)), f32)],
      dimension_numbers=[[[2], [1]], [[0], [0]]])
    c("dot_general_mixed_dtype", "dot_general", [A([1, 2], i32), A([1.0, 2.0], f32)],
      dimension_numbers=[[[0], [0]], [[], []]])

    # ---- creation
    c("arange_5", "arange", start=5)
    c("arange_2_10_3", "arange", start=2, stop=10, step=3)
    c("arange_float_step", "arange", start=0, stop=1, step=0.1)
    c("arange_neg_step", "arange", start=10, stop=0, step=-3)
    c("arange_float_start", "arange", start=0.5, stop=3)
    c("arange_5_float32", "arange", start=5, dtype="float32")
    c("arange_float_int32", "arange", start=0.0, stop=5.0, step=1.5, dtype="int32")
    c("arange_empty", "arange", start=5, stop=2)
    c("arange_5_0", "arange", start=5.0)
    c("arange_error_step0", "arange", start=0, stop=5, step=0)
    c("linspace_5", "linspace", start=0.0, stop=1.0, num=5, endpoint=True, dtype=None)
    c("linspace_no_endpoint", "linspace", start=0.0, stop=1.0, num=5, endpoint=False, dtype=None)
    c("linspace_1", "linspace", start=2.0, stop=3.0, num=1, endpoint=True, dtype=None)
    c("linspace_0", "linspace", start=2.0, stop=3.0, num=0, endpoint=True, dtype=None)
    c("linspace_int32", "linspace", start=0, stop=10, num=4, endpoint=True, dtype="int32")
    c("linspace_neg", "linspace", start=-1, stop=-3, num=7, endpoint=True, dtype=None)
    c("linspace_thirds", "linspace", start=0.0, stop=1.0, num=7, endpoint=True, dtype="float32")
    c("linspace_error_num", "linspace", start=0.0, stop=1.0, num=-1, endpoint=True, dtype=None)
    c("eye_3", "eye", N=3, M=None, k=0, dtype=None)
    c("eye_3x4_k1", "eye", N=3, M=4, k=1, dtype=None)
    c("eye_4x3_km1", "eye", N=4, M=3, k=-1, dtype=None)
    c("eye_2_i32", "eye", N=2, M=None, k=0, dtype="int32")
    c("eye_k_beyond", "eye", N=3, M=None, k=5, dtype=None)
    c("eye_bool", "eye", N=2, M=3, k=0, dtype="bool")
    c("zeros_2x3", "zeros", shape=[2, 3], dtype=None)
    c("zeros_scalar", "zeros", shape=[], dtype=None)
    c("zeros_u32", "zeros", shape=[2], dtype="uint32")
    c("ones_3_i32", "ones", shape=[3], dtype="int32")
    c("ones_bool", "ones", shape=[2], dtype="bool")
    c("ones_empty", "ones", shape=[0, 2], dtype=None)
    c("full_float", "full", shape=[2, 2], fill_value=7.5, dtype=None)
    c("full_int", "full", shape=[2], fill_value=3, dtype=None)
    c("full_bool", "full", shape=[2], fill_value=True, dtype=None)
    c("full_int_f32", "full", shape=[2], fill_value=3, dtype="float32")
    c("full_float_i32", "full", shape=[3], fill_value=-2.7, dtype="int32")
    c("zeros_error_neg", "zeros", shape=[-1], dtype=None)
    return c.specs


def x64_cases():
    c = Cases()
    d = A(F32_VALS + [1e-300, 1e300, 1.7e308], f64)
    for op in ["negative", "abs", "sign", "floor", "round", "sqrt", "rsqrt", "exp", "expm1", "log",
               "log1p", "sin", "cos", "tan", "arctan", "tanh", "logistic", "erf", "erf_inv", "isfinite",
               "square"]:
        c(f"{op}_f64", op, [d])
    c("erf_inv_f64_interior", "erf_inv", [A([0.0, 0.3, -0.3, 0.9, -0.9, 0.99, 0.999999, -0.999999,
                                            1e-7, 0.75], f64)])
    c("round_f64_halves", "round", [A([0.5, 1.5, 2.5, -0.5, -2.5, 4503599627370497.0], f64)])
    for op in ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power",
               "maximum", "arctan2", "less", "equal"]:
        c(f"{op}_f64_grid", op, [col(GRID_F, f64), row(GRID_F, f64)])
    c("weak_add_int_int_x64", "add", [S(2), S(3)])
    c("weak_add_int_float_x64", "add", [S(2), S(3.5)])
    c("weak_mul_f32_float_x64", "multiply", [A([1.5], f32), S(2.0)])
    c("weak_add_i32_int_x64", "add", [A([1], i32), S(2)])
    c("weak_add_i32_float_x64", "add", [A([1], i32), S(2.5)])
    c("add_i32_f32_x64", "add", [A([1], i32), A([0.5], f32)])
    c("add_f32_f64_x64", "add", [A([1.5], f32), A([0.25], f64)])
    c("add_u32_i32_x64", "add", [A([0xffffffff], u32), A([1], i32)])
    c("weak_add_bool_int_x64", "add", [A([True], bl), S(1)])
    c("weak_add_i32_big_int_x64", "add", [A([1], i32), S(2**31)])
    c("sum_i32_x64", "sum", [A([2147483647, 1], i32)], axis=None, keepdims=False)
    c("sum_bool_x64", "sum", [A([True, True], bl)], axis=None, keepdims=False)
    c("mean_i32_x64", "mean", [A([1, 2], i32)], axis=None, keepdims=False)
    c("argmax_x64", "argmax", [A([1.0, 3.0], f64)], axis=None, keepdims=False)
    c("sum_f64_3d_axis_1", "sum", [A(np.arange(24) / 7.0, f64, (2, 3, 4))], axis=1, keepdims=False)
    c("var_f64", "var", [A(np.arange(24) / 7.0, f64, (2, 3, 4))], axis=[0, 2], keepdims=True)
    c("matmul_f64", "matmul", [A(np.arange(6) / 3.0, f64, (2, 3)), A(np.arange(12) / 7.0, f64, (3, 4))])
    c("matmul_f32_f64_x64", "matmul", [A(np.arange(6), f32, (2, 3)), A(np.arange(12) / 7.0, f64, (3, 4))])
    c("astype_f64_f32", "astype", [A([1.0 / 3.0, 1e300, -1e-300, 1.0000000596046448], f64)], dtype="float32")
    c("astype_f64_int32", "astype", [A([3.7, -3.7, 3e10, nan], f64)], dtype="int32")
    c("arange_5_x64", "arange", start=5)
    c("arange_float_x64", "arange", start=0, stop=1, step=0.25)
    c("linspace_x64", "linspace", start=0.0, stop=1.0, num=4, endpoint=True, dtype=None)
    c("zeros_x64", "zeros", shape=[2], dtype=None)
    c("full_int_x64", "full", shape=[2], fill_value=3, dtype=None)
    c("eye_x64", "eye", N=2, M=None, k=0, dtype=None)
    c("sqrt_scalar_x64", "sqrt", [S(2.0)])
    c("integer_pow_f64", "integer_pow", [A([2.0, -3.0, 0.5], f64)], y=3)
    c("getitem_x64", "getitem", [A(np.arange(5) * 1.5, f64)], index=[A([4, -1, 9], i32)])
    return c.specs


def main():
    import jax
    if len(sys.argv) > 1 and sys.argv[1] == "--x64-child":
        assert jax.config.jax_enable_x64
        import json
        json.dump(run_cases(x64_cases(), True), sys.stdout, allow_nan=False)
        return
    assert not jax.config.jax_enable_x64, "run without JAX_ENABLE_X64"
    cases = run_cases(x32_cases(), False)
    cases += run_child(os.path.abspath(__file__), "--x64-child", {"JAX_ENABLE_X64": "1"})
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    write_json(os.path.join(FIXTURE_DIR, "ops.json"),
               {"jax_version": jax.__version__, "cases": cases})
    print(f"{len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()

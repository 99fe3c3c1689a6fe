#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/transforms.json by running each case under real JAX (CPU, x32).

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_transform_fixtures.py

Each case is {"name", "python": source text, "out": value, optional "note"}. The source is run
with `jax`, `jnp` (jax.numpy) and `lax` (jax.lax) in scope: every statement but the last is
executed, the last one is an expression whose value is "out". Value encoding:
  array   {"dtype", "shape", "weak_type", "data": flat row-major; non-finite floats as strings}
  a raw Python float/int that JAX passed through untouched: the same, weak_type true, plus
          "python": true
  tuple / list   JSON list;  dict   JSON object (keys sorted, as JAX orders them)
  error   {"error": {"type": "TypeError", "message": exact JAX message}}
Only elementary jnp / lax functions (the op list of ops.json) are used inside the functions, so
every case can be rewritten in Swift.
"""
import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import encode_value, run_source, write_source_cases  # noqa: E402

F = "f = lambda x, y: x**2 * y\n"
X23 = "x = jnp.arange(6.).reshape(2, 3)\n"

CASES = [
    # ---------------------------------------------------------------- grad / value_and_grad
    ("grad_default_argnum", F + "jax.grad(f)(3., 2.)", None),
    ("grad_argnums_1", F + "jax.grad(f, argnums=1)(3., 2.)", None),
    ("grad_argnums_tuple", F + "jax.grad(f, argnums=(0, 1))(3., 2.)", "tuple argnums -> tuple result"),
    ("grad_argnums_1tuple", F + "jax.grad(f, argnums=(0,))(3., 2.)", "1-tuple stays a 1-tuple"),
    ("grad_argnums_negative", F + "jax.grad(f, argnums=-1)(3., 2.)", None),
    ("grad_has_aux", "jax.grad(lambda x: (x**2, {'aux': x + 1.}), has_aux=True)(3.)", "returns (g, aux)"),
    ("value_and_grad", F + "jax.value_and_grad(f)(3., 2.)", None),
    ("value_and_grad_has_aux",
     "jax.value_and_grad(lambda x: (jnp.sin(x) * x, {'sq': x * x}), has_aux=True)(2.)",
     "((value, aux), grad)"),
    ("value_and_grad_argnums_tuple",
     "jax.value_and_grad(lambda a, b: jnp.sum(a * b), argnums=(0, 1))(jnp.array([1., 2.]), jnp.array([3., 4.]))",
     None),
    ("grad_array_input", "jax.grad(lambda x: jnp.sum(jnp.sin(x) * x))(jnp.linspace(0., 1., 5))", None),
    ("grad_pytree_dict", "jax.grad(lambda p: p['w'] * p['b'][0])({'w': 2., 'b': (3., 4.)})",
     "grad has the input's structure"),
    ("grad_int_second_arg", "jax.grad(lambda x, n: x * n)(2., 3)", "non-differentiated int args are fine"),
    ("grad_f32_array_scalar", "jax.grad(lambda x: x * x * 2.)(jnp.float32(3.))",
     "strongly typed f32 input -> non-weak gradient"),
    # ---------------------------------------------------------------- jvp / vjp / linearize
    ("jvp_sin", "jax.jvp(jnp.sin, (1.,), (1.,))", None),
    ("jvp_two_outputs", "jax.jvp(lambda x, y: (x * y, x + y), (2., 3.), (1., 0.))", None),
    ("jvp_identity_passthrough", "jax.jvp(lambda x: (x, x * 2), (1.,), (1.,))",
     "the identity output is the raw Python float 1.0 (marked python: true)"),
    ("jvp_array", "jax.jvp(lambda x: jnp.tanh(x) * 2., (jnp.arange(3.),), (jnp.ones(3),))", None),
    ("vjp_two_primals", F + "y, f_vjp = jax.vjp(f, 3., 2.)\n(y, f_vjp(1.))",
     "vjp_fun returns one cotangent per positional primal"),
    ("vjp_one_primal_tuple", "y, f_vjp = jax.vjp(jnp.sin, 1.)\nf_vjp(1.)", "always a tuple, even for one primal"),
    ("vjp_tuple_output", "y, f_vjp = jax.vjp(lambda x: (x * 2., x * 3.), 1.)\nf_vjp((1., 1.))", None),
    ("vjp_matmul",
     "W = jnp.arange(6.).reshape(2, 3)\n"
     "y, f_vjp = jax.vjp(lambda w, x: w @ x, W, jnp.array([1., 2., 3.]))\n"
     "(y, f_vjp(jnp.array([1., -1.])))", None),
    ("vjp_has_aux", "y, f_vjp, aux = jax.vjp(lambda x: (jnp.sin(x), x * 10.), 0.5, has_aux=True)\n"
     "(y, f_vjp(2.), aux)", "(y, vjp_fun, aux)"),
    ("linearize_sin", "y, f_jvp = jax.linearize(jnp.sin, 1.)\n(y, f_jvp(2.))", None),
    ("linearize_two_args", F + "y, f_jvp = jax.linearize(f, 3., 2.)\n(y, f_jvp(1., 0.), f_jvp(0., 1.))", None),
    # ---------------------------------------------------------------- vmap
    ("vmap_sum_rows", X23 + "jax.vmap(jnp.sum)(x)", None),
    ("vmap_in_axes_1", X23 + "jax.vmap(jnp.sum, in_axes=1)(x)", None),
    ("vmap_in_axes_negative", X23 + "jax.vmap(jnp.sum, in_axes=-1)(x)",
     "negative in_axes normalized against the argument's rank"),
    ("vmap_in_axes_none", X23 + "jax.vmap(lambda a, b: a + b, in_axes=(0, None))(x, jnp.array([10., 20., 30.]))", None),
    ("vmap_in_axes_per_arg", X23 + "jax.vmap(lambda a, b: a * b, in_axes=(1, 0))(x, jnp.array([1., 2., 3.]))", None),
    ("vmap_in_axes_list", X23 + "jax.vmap(lambda a, b: a - b, in_axes=[0, None])(x, jnp.array([1., 1., 1.]))",
     "list in_axes accepted like a tuple"),
    ("vmap_out_axes_1", X23 + "jax.vmap(lambda r: r * 2., out_axes=1)(x)", None),
    ("vmap_out_axes_negative", X23 + "jax.vmap(lambda r: jnp.outer(r, r[:2]), out_axes=-1)(x)", None),
    ("vmap_out_axes_none", X23 + "jax.vmap(lambda r: (r * 2., 5.), out_axes=(0, None))(x)",
     "unbatched output with out_axes None passes through (raw Python float)"),
    ("vmap_axis_size", "jax.vmap(lambda c: c * 2., in_axes=None, axis_size=4)(3.)", None),
    ("vmap_nested_outer",
     "jax.vmap(jax.vmap(lambda a, b: a * b, in_axes=(0, None)), in_axes=(None, 0))(jnp.arange(3.), jnp.arange(4.))",
     None),
    ("vmap_dot_unbatched_rhs", "jax.vmap(jnp.dot, in_axes=(0, None))(jnp.ones((4, 3)), jnp.arange(3.))", None),
    ("vmap_matmul_batch", "jax.vmap(jnp.matmul)(jnp.arange(12.).reshape(2, 2, 3), jnp.arange(12.).reshape(2, 3, 2))", None),
    ("vmap_reduction_axis",
     "jax.vmap(lambda m: jnp.max(m, axis=0), in_axes=2)(jnp.sin(jnp.arange(24.)).reshape(2, 3, 4))", None),
    ("vmap_getitem", X23 + "jax.vmap(lambda r: r[jnp.array([2, 0])] + r[-1])(x)", None),
    # ---------------------------------------------------------------- jacobians / higher order
    ("jacfwd_square", "jax.jacfwd(lambda x: x**2)(jnp.arange(3.))", None),
    ("jacrev_sin_times_first", "jax.jacrev(lambda x: jnp.sin(x) * x[0])(jnp.arange(3.))", None),
    ("jacrev_argnums_tuple", F + "jax.jacrev(f, argnums=(0, 1))(3., 2.)", None),
    ("jacfwd_dict_output", "jax.jacfwd(lambda x: {'a': x * 2., 'b': jnp.sum(x)})(jnp.array([1., 2.]))", None),
    ("jacrev_matrix_input",
     "jax.jacrev(lambda m: jnp.tanh(m @ jnp.array([1., -1.])))(jnp.arange(4.).reshape(2, 2) / 4.)", None),
    ("hessian_sum_cube", "jax.hessian(lambda x: jnp.sum(x**3))(jnp.arange(3.))", None),
    ("hessian_scalar", "jax.hessian(lambda x: x**3)(2.)", None),
    ("hessian_mixed",
     "jax.hessian(lambda x: jnp.sum(jnp.sin(x) * x**2) + x[0] * x[1])(jnp.array([0.5, -1., 2.]))", None),
    ("grad_grad_grad", "jax.grad(jax.grad(jax.grad(lambda x: jnp.sin(x) * x**3)))(0.7)", None),
    ("vmap_of_grad", "jax.vmap(jax.grad(lambda x: jnp.sin(x) * x**2))(jnp.linspace(-1., 1., 5))", None),
    ("grad_of_vmap_sum",
     "jax.grad(lambda x: jnp.sum(jax.vmap(lambda r: jnp.dot(r, r) * r[0])(x)))(jnp.arange(6.).reshape(2, 3))", None),
    ("jacfwd_of_jacrev",
     "jax.jacfwd(jax.jacrev(lambda x: jnp.sum(jnp.exp(x) * x[::-1])))(jnp.array([0.1, 0.2, 0.3]))", None),
    ("jvp_of_grad", "jax.jvp(jax.grad(lambda x: jnp.exp(-x * x)), (0.3,), (1.,))", None),
    # ---------------------------------------------------------------- derivative conventions at kinks
    ("kink_maximum_at_0", "jax.grad(lambda x: jnp.maximum(x, 0.))(0.)", "ties split 0.5 / 0.5"),
    ("kink_minimum_at_0", "jax.grad(lambda x: jnp.minimum(x, 0.))(0.)", None),
    ("kink_lax_max_self", "jax.grad(lambda x: lax.max(x, x))(2.)", "0.5 + 0.5"),
    ("kink_max_reduction_ties", "jax.grad(lambda x: jnp.max(x))(jnp.array([1., 3., 3.]))", "ties share equally"),
    ("kink_min_reduction_ties", "jax.grad(lambda x: jnp.min(x, axis=1).sum())(jnp.array([[2., 2., 5.], [1., 0., 0.]]))", None),
    ("kink_relu_via_maximum", "jax.vmap(jax.grad(lambda x: jnp.maximum(x, 0.)))(jnp.array([-1., 0., 2.]))",
     "relu written as jnp.maximum(x, 0) has derivative 0.5 at 0"),
    ("kink_relu_nn_custom_jvp", "jax.grad(jax.nn.relu)(0.)",
     "jax.nn.relu is a custom_jvp whose derivative at 0 is 0 (not an elementary op; for reference)"),
    ("kink_abs_at_0", "jax.grad(jnp.abs)(0.)", None),
    ("kink_abs_vector", "jax.vmap(jax.grad(jnp.abs))(jnp.array([-2., -0., 0., 3.]))", None),
    ("kink_sqrt_at_0", "jax.grad(jnp.sqrt)(0.)", None),
    ("kink_pow_half_at_0", "jax.grad(lambda x: x**0.5)(0.)", None),
    ("kink_square_at_0", "jax.grad(lambda x: x**2)(0.)", None),
    ("kink_where_at_0", "jax.grad(lambda x: jnp.where(x > 0, x, 0.))(0.)", None),
    ("kink_sign_floor_round", "(jax.grad(jnp.sign)(0.5), jax.grad(jnp.floor)(1.5), jax.grad(jnp.round)(2.3))", None),
    ("kink_logistic_tanh_log_erfinv",
     "(jax.grad(lax.logistic)(0.), jax.grad(jnp.tanh)(0.), jax.grad(jnp.log)(0.), jax.grad(lax.erf_inv)(0.))", None),
    ("kink_argmax_index", "jax.grad(lambda x: x[jnp.argmax(x)])(jnp.array([1., 3., 3.]))", "first max gets it"),
    ("kink_where_nan_trap", "jax.grad(lambda x: jnp.sum(jnp.where(x > 0, jnp.sqrt(x), 0.)))(jnp.array([0., 4.]))",
     "the untaken sqrt branch still poisons the gradient (0 * inf = nan)"),
    # ---------------------------------------------------------------- stop_gradient / custom rules
    ("stop_gradient", "jax.grad(lambda x: x * lax.stop_gradient(x))(3.)", None),
    ("custom_jvp_safe_log1pexp",
     textwrap.dedent("""\
        @jax.custom_jvp
        def log1pexp(x):
            return jnp.log1p(jnp.exp(x))

        @log1pexp.defjvp
        def log1pexp_jvp(primals, tangents):
            x, = primals
            x_dot, = tangents
            ans = log1pexp(x)
            ans_dot = (1. - 1. / (1. + jnp.exp(x))) * x_dot
            return ans, ans_dot

        (jax.grad(log1pexp)(100.), jax.grad(lambda x: jnp.log1p(jnp.exp(x)))(100.), log1pexp(3.))"""),
     "(custom rule: 1.0, naive: nan, primal value)"),
    ("custom_vjp_clip_gradient",
     textwrap.dedent("""\
        @jax.custom_vjp
        def clip_gradient(x):
            return x

        def clip_fwd(x):
            return x, None

        def clip_bwd(res, g):
            return (jnp.minimum(jnp.maximum(g, -1.), 1.),)

        clip_gradient.defvjp(clip_fwd, clip_bwd)
        (jax.grad(lambda x: 5. * clip_gradient(x))(2.), jax.grad(lambda x: 0.5 * clip_gradient(x))(2.))"""),
     None),
    # ---------------------------------------------------------------- ops inside grad
    ("grad_dot_general",
     "W = jnp.arange(6.).reshape(2, 3) / 6.\n"
     "x = jnp.array([[1., -1.], [2., 0.5], [0., 3.]])\n"
     "jax.grad(lambda w: jnp.sum(lax.dot_general(w, x, (((1,), (0,)), ((), ()))) ** 2))(W)", None),
    ("grad_dot_general_batch",
     "a = jnp.arange(12.).reshape(2, 2, 3) / 10.\n"
     "b = jnp.arange(12.).reshape(2, 3, 2) / 5.\n"
     "jax.grad(lambda a, b: jnp.sum(jnp.sin(lax.dot_general(a, b, (((2,), (1,)), ((0,), (0,)))))), argnums=(0, 1))(a, b)",
     None),
    ("grad_matmul_both",
     "jax.grad(lambda a, b: jnp.sum(jnp.tanh(a @ b)), argnums=(0, 1))"
     "(jnp.arange(6.).reshape(2, 3) / 10., jnp.arange(3.) - 1.)", None),
    ("grad_logreg",
     "X = jnp.array([[1., 2.], [-1., 0.5], [0.3, -2.], [2., 2.]])\n"
     "y = jnp.array([1., 0., 0., 1.])\n"
     "def loss(w):\n"
     "    p = lax.logistic(X @ w)\n"
     "    return -jnp.mean(y * jnp.log(p) + (1. - y) * jnp.log(1. - p))\n"
     "jax.grad(loss)(jnp.array([0.1, -0.2]))", None),
    ("grad_reductions",
     "x = jnp.array([[1., 2., 3.], [4., 5., 6.]]) / 4.\n"
     "(jax.grad(lambda x: jnp.mean(x))(x), jax.grad(lambda x: jnp.var(x))(x),"
     " jax.grad(lambda x: jnp.prod(x))(x), jax.grad(lambda x: jnp.sum(jnp.max(x, axis=1)))(x),"
     " jax.grad(lambda x: jnp.sum(jnp.cumsum(x, axis=1) ** 2))(x))", None),
    ("grad_prod_with_zero", "jax.grad(jnp.prod)(jnp.array([2., 0., 3.]))", None),
    ("grad_indexing",
     "x = jnp.arange(1., 7.)\n"
     "jax.grad(lambda x: jnp.sum(x[::2] * x[1::2]) + x[-1] ** 2 + jnp.sum(x[jnp.array([0, 0, 5])]))(x)",
     "duplicate gather indices accumulate"),
    ("grad_at_set_add",
     "jax.grad(lambda x: jnp.sum(x.at[1].set(10.) * x) + jnp.sum(x.at[jnp.array([0, 0])].add(x[2]) ** 2))"
     "(jnp.array([1., 2., 3.]))", None),
    ("grad_where", "jax.grad(lambda x: jnp.sum(jnp.where(x > 0, x**2, -x)))(jnp.array([-1., 0., 2.]))", None),
    ("grad_layout",
     "jax.grad(lambda x: jnp.sum(jnp.transpose(x.reshape(2, 3)) @ jnp.array([1., 2.]) * jnp.flip(jnp.arange(3.))))"
     "(jnp.arange(6.))", None),
    ("grad_concatenate_pad_broadcast",
     "jax.grad(lambda x: jnp.sum(jnp.concatenate([x, x * 2.]) * jnp.arange(6.)) "
     "+ jnp.sum(jnp.pad(x, [(1, 1)]) ** 2) + jnp.sum(jnp.broadcast_to(x, (2, 3))))(jnp.array([1., 2., 3.]))",
     None),
    ("grad_integer_pow_and_power",
     "(jax.grad(lambda x: lax.integer_pow(x, 3))(2.), jax.grad(lambda x: x ** 2.5)(4.),"
     " jax.grad(lambda y: 2. ** y)(3.), jax.grad(lambda x: jnp.power(x, 3))(-2.))", None),
    ("grad_division_and_atan2",
     "jax.grad(lambda x, y: x / y + jnp.arctan2(x, y), argnums=(0, 1))(1., 2.)", None),
    ("grad_astype_roundtrip", "jax.grad(lambda x: jnp.sum(x.astype(jnp.float32) * 3.))(jnp.array([1., 2.]))", None),
    # ---------------------------------------------------------------- misuse errors
    ("error_grad_nonscalar", "jax.grad(lambda x: x * 2.)(jnp.ones(3))", None),
    ("error_grad_int_input", "jax.grad(lambda x: x * 2)(3)", None),
    ("error_grad_int_array_input", "jax.grad(lambda x: jnp.sum(x))(jnp.arange(3))", None),
    ("error_grad_int_output", "jax.grad(lambda x: jnp.argmax(x))(jnp.ones(3))", None),
    ("error_grad_argnums_range", F + "jax.grad(f, argnums=2)(3., 2.)", None),
    ("error_vmap_inconsistent",
     "jax.vmap(lambda x, y: x + y)(jnp.ones(3), jnp.ones(4))", None),
    ("error_vmap_axis_size", "jax.vmap(lambda x: x * 2., axis_size=4)(jnp.ones(3))", None),
    ("error_vmap_in_axes_rank", "jax.vmap(lambda x: x * 2., in_axes=1)(jnp.ones(3))", None),
    ("error_vmap_scalar_arg", "jax.vmap(lambda x: x * 2.)(1.)", None),
    ("error_vmap_all_none", "jax.vmap(lambda x: x * 2., in_axes=None)(jnp.ones(3))", None),
    ("error_vmap_in_axes_len", "jax.vmap(lambda x, y: x + y, in_axes=(0,))(jnp.ones(3), jnp.ones(3))", None),
    ("error_vmap_out_axes_none", "jax.vmap(lambda x: x * 2., out_axes=None)(jnp.ones(3))", None),
    ("error_jvp_dtype", "jax.jvp(jnp.sin, (1.,), (jnp.int32(1),))", None),
    ("error_jvp_not_tuple", "jax.jvp(jnp.sin, 1., 1.)", None),
    ("error_jvp_shape", "jax.jvp(jnp.sin, (jnp.ones(3),), (jnp.ones(2),))", None),
    ("error_vjp_cotangent_shape", "y, f_vjp = jax.vjp(jnp.sin, jnp.ones(3))\nf_vjp(jnp.ones(2))", None),
    ("error_vjp_cotangent_dtype", "y, f_vjp = jax.vjp(jnp.sin, jnp.ones(3))\nf_vjp(jnp.ones(3, jnp.int32))", None),
]


def run(source):
    import jax
    import jax.numpy as jnp
    from jax import lax
    return run_source(source, {"jax": jax, "jnp": jnp, "lax": lax})


def write_cases(cases, filename):
    """Run each (name, source, note) case under JAX and write them to Fixtures/<filename>.
    A case whose value is a string (a printed PyTreeDef) is written as that string."""
    import jax
    assert not jax.config.jax_enable_x64
    write_source_cases(filename, cases, run, lambda v: v if isinstance(v, str) else encode_value(v))


def main():
    write_cases(CASES, "transforms.json")


if __name__ == "__main__":
    main()

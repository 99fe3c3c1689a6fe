#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/api_functions.json by running each case under real JAX (CPU, x32).

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_api_fixtures.py

The functions of issue 15's "a Swift API people enjoy": einsum, jax.nn, logsumexp, logaddexp,
jnp.linalg.norm, inner, isclose/allclose, any/all, Python scalars and `**`, dtype-named
constructors, typed PRNG keys. Values, their gradients (grad / jvp / vmap / jacrev / hessian)
and JAX's error messages for bad input.

Each case is {"name", "python": source, "out": value, optional "note"}, as in
make_transform_fixtures.py: the source runs with `jax`, `jnp`, `lax`, `nn` (jax.nn), `random`
(jax.random), `jsp` (jax.scipy.special) and `np` in scope; every statement but the last is
executed and the last is an expression whose value is "out". Values are encoded as there (arrays,
lists for tuples, errors as {"error": {"type", "message"}}); a string result (a printed jaxpr)
is {"text": ...}; a typed key is its key data.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import encode_value, run_source, write_source_cases  # noqa: E402

A23 = "a = jnp.arange(6.).reshape(2, 3)\n"
B34 = "b = jnp.arange(12.).reshape(3, 4) / 10.\n"
M33 = "m = jnp.array([[1., 2., 3.], [4., 5., 6.], [7., 8., 10.]])\n"
V = "v = jnp.array([3., -4., 0., 1.5])\n"
M = "m = jnp.array([[1., -2., 3.], [-4., 5., -6.]])\n"

CASES = [
    # ---------------------------------------------------------------- einsum values
    ("einsum_matmul", A23 + B34 + "jnp.einsum('ij,jk->ik', a, b)", None),
    ("einsum_implicit", A23 + B34 + "jnp.einsum('ij,jk', a, b)", "result labels: the ones seen once, sorted"),
    ("einsum_implicit_transpose", A23 + "jnp.einsum('ba', a)", "implicit output 'ab' is a transpose"),
    ("einsum_implicit_uppercase_first", A23 + "jnp.einsum('bA', a)", "uppercase sorts before lowercase"),
    ("einsum_transpose", A23 + "jnp.einsum('ij->ji', a)", None),
    ("einsum_sum_all", A23 + "jnp.einsum('ij->', a)", None),
    ("einsum_sum_rows", A23 + "jnp.einsum('ij->i', a)", None),
    ("einsum_trace", M33 + "jnp.einsum('ii', m)", None),
    ("einsum_diagonal", M33 + "jnp.einsum('ii->i', m)", None),
    ("einsum_triple_diagonal", "t = jnp.arange(27.).reshape(3, 3, 3)\njnp.einsum('iii->i', t)", None),
    ("einsum_partial_diagonal", "t = jnp.arange(18.).reshape(3, 2, 3)\njnp.einsum('iji->ij', t)", None),
    ("einsum_outer", "jnp.einsum('i,j->ij', jnp.array([1., 2.]), jnp.array([3., 4., 5.]))", None),
    ("einsum_dot", "jnp.einsum('i,i', jnp.array([1., 2., 3.]), jnp.array([4., 5., 6.]))", None),
    ("einsum_hadamard", A23 + "jnp.einsum('ij,ij->ij', a, a + 1.)", None),
    ("einsum_batch_matmul",
     "x = jnp.arange(12.).reshape(2, 2, 3)\ny = jnp.arange(24.).reshape(2, 3, 4) / 7.\njnp.einsum('bij,bjk->bik', x, y)",
     None),
    ("einsum_batch_implicit",
     "x = jnp.arange(12.).reshape(2, 2, 3)\ny = jnp.arange(24.).reshape(2, 3, 4) / 7.\njnp.einsum('bij,bjk', x, y)",
     None),
    ("einsum_ellipsis_broadcast",
     "x = jnp.arange(12.).reshape(2, 2, 3)\n" + B34 + "jnp.einsum('...ij,jk->...ik', x, b)", None),
    ("einsum_ellipsis_rowdot", A23 + "jnp.einsum('...i,...i->...', a, a)", None),
    ("einsum_ellipsis_implicit", A23 + "jnp.einsum('...i,...i', a, a)",
     "implicit output with ellipsis: ellipsis axes first"),
    ("einsum_ellipsis_broadcast_size1",
     "x = jnp.arange(6.).reshape(2, 1, 3)\ny = jnp.arange(12.).reshape(4, 3)\njnp.einsum('...i,...i->...', x, y)", None),
    ("einsum_ellipsis_middle", "t = jnp.arange(24.).reshape(2, 3, 4)\njnp.einsum('i...k->ki...', t)", None),
    ("einsum_ellipsis_output_sum", "t = jnp.arange(24.).reshape(2, 3, 4)\njnp.einsum('i...->...', t)", None),
    ("einsum_three_operands", A23 + B34 + "c = jnp.array([[1.], [2.], [0.5], [-1.]])\njnp.einsum('ij,jk,kl->il', a, b, c)",
     None),
    ("einsum_four_operands_scalar_out",
     "x = jnp.array([1., 2.])\ny = jnp.array([[1., 2., 3.], [4., 5., 6.]])\nz = jnp.array([1., -1., 2.])\n"
     "jnp.einsum('i,ij,j,j->', x, y, z, z)", None),
    ("einsum_singleton_broadcast", "jnp.einsum('ij,ij->ij', jnp.array([[2.], [3.]]), jnp.arange(6.).reshape(2, 3))",
     "a size-1 axis broadcasts"),
    ("einsum_singleton_contracted", "jnp.einsum('ij,ij->i', jnp.array([[2.], [3.]]), jnp.arange(6.).reshape(2, 3))", None),
    ("einsum_repeated_in_pair", M33 + "jnp.einsum('ii,ij->j', m, m)", None),
    ("einsum_unique_summed_in_pair", A23 + "jnp.einsum('ij,j->', a, jnp.array([1., 2., 3.]))", None),
    ("einsum_spaces", A23 + "jnp.einsum(' ij -> ji ', a)", "spaces are ignored"),
    ("einsum_int", "jnp.einsum('ij,jk->ik', jnp.arange(6).reshape(2, 3), jnp.arange(6).reshape(3, 2))", "stays int32"),
    ("einsum_mixed_dtypes", "jnp.einsum('i,i->i', jnp.arange(3), jnp.array([0.5, 1.5, 2.5]))", None),
    ("einsum_scalar_operand", "jnp.einsum(',i->i', jnp.float32(2.), jnp.array([1., 2.]))", None),
    # ---------------------------------------------------------------- einsum transformations
    ("einsum_grad_both",
     A23 + B34 + "jax.grad(lambda a, b: jnp.sum(jnp.einsum('ij,jk->ik', a, b) ** 2), argnums=(0, 1))(a, b)", None),
    ("einsum_grad_trace", M33 + "jax.grad(lambda m: jnp.einsum('ii', m) * 2.)(m)", None),
    ("einsum_grad_diagonal", M33 + "jax.grad(lambda m: jnp.sum(jnp.einsum('ii->i', m) ** 2))(m)", None),
    ("einsum_jvp", A23 + B34 + "jax.jvp(lambda a: jnp.einsum('ij,jk', a, b), (a,), (jnp.ones((2, 3)),))", None),
    ("einsum_vmap_trace", "ms = jnp.arange(18.).reshape(2, 3, 3)\njax.vmap(lambda m: jnp.einsum('ii', m))(ms)", None),
    ("einsum_vmap_in_axes_1",
     "x = jnp.arange(24.).reshape(3, 2, 4)\nw = jnp.arange(8.).reshape(4, 2)\n"
     "jax.vmap(lambda x: jnp.einsum('ij,jk->ik', x, w), in_axes=1)(x)", None),
    ("einsum_jit", A23 + B34 + "jax.jit(lambda a, b: jnp.einsum('ij,jk->ki', a, b))(a, b)", None),
    ("einsum_jacrev", A23 + "jax.jacrev(lambda v: jnp.einsum('ij,j->i', a, v))(jnp.array([1., 2., 3.]))", None),
    ("einsum_hessian_quadratic_form",
     M33 + "jax.hessian(lambda x: jnp.einsum('i,ij,j', x, m, x))(jnp.array([1., -1., 2.]))", None),
    # ---------------------------------------------------------------- einsum errors
    ("einsum_error_operand_count", A23 + "jnp.einsum('ij,jk', a)", None),
    ("einsum_error_operand_count_3", A23 + "jnp.einsum('ij,jk->ik', a, a, a)", None),
    ("einsum_error_size_mismatch", A23 + "jnp.einsum('ij,jk->ik', a, a)", None),
    ("einsum_error_output_unknown", A23 + "jnp.einsum('ij->ijk', a)", None),
    ("einsum_error_output_repeated", A23 + "jnp.einsum('ij->ii', a)", None),
    ("einsum_error_too_many_labels", A23 + "jnp.einsum('ijk', a)", None),
    ("einsum_error_too_few_labels", A23 + "jnp.einsum('i', a)", None),
    ("einsum_error_two_arrows", A23 + "jnp.einsum('ij->i->j', a)", None),
    ("einsum_error_dangling_dash", A23 + "jnp.einsum('ij-', a)", None),
    ("einsum_error_two_dots", A23 + "jnp.einsum('i..j', a)", None),
    ("einsum_error_two_ellipses", A23 + "jnp.einsum('...i...', a)", None),
    ("einsum_error_ellipsis_too_long", "jnp.einsum('...ij', jnp.ones(3))", None),
    ("einsum_error_repeated_sizes", A23 + "jnp.einsum('ii', a)", None),
    ("einsum_error_ellipsis_sizes", A23 + "jnp.einsum('...,...', a, jnp.ones(4))", None),
    ("einsum_error_no_operands", "jnp.einsum('ij')", None),
    ("einsum_edge_empty_contract", "jnp.einsum('i,i', jnp.ones(0), jnp.ones(0))", None),
    ("einsum_edge_empty_trace", "jnp.einsum('ii', jnp.ones((0, 0)))", None),
    ("einsum_edge_arrow_only", "jnp.einsum('->', jnp.float32(3.))", None),
    ("einsum_edge_unicode_labels", "jnp.einsum('αβ->βα', jnp.arange(6.).reshape(2, 3))", "any character is a label"),
    ("einsum_edge_ellipsis_scalar", "jnp.einsum('...->...', jnp.float32(2.))", None),
    ("einsum_edge_ellipsis_missing_operand", "jnp.einsum('...,...', jnp.ones(2))", None),
    ("einsum_edge_comma_in_output", "jnp.einsum('ij->i,j', jnp.ones((2, 2)))", None),
    ("einsum_edge_dot_in_output", "jnp.einsum('ij->.i', jnp.ones((2, 2)))", None),
    # ---------------------------------------------------------------- jax.nn
    ("nn_relu", "nn.relu(jnp.array([-2., -0.5, 0., 0.5, 2.]))", None),
    ("nn_relu_int", "nn.relu(jnp.array([-2, 0, 3]))", None),
    ("nn_relu_python_scalar", "nn.relu(2)", None),
    ("nn_relu_grad_at_kink", "jax.vmap(jax.grad(nn.relu))(jnp.array([-1., 0., 1.]))", "relu'(0) = 0 (custom_jvp)"),
    ("nn_relu_jvp", "jax.jvp(nn.relu, (jnp.array([-1., 0., 2.]),), (jnp.array([5., 6., 7.]),))", None),
    ("nn_relu_jit_grad", "jax.jit(jax.grad(lambda x: jnp.sum(nn.relu(x) ** 2)))(jnp.array([-1., 0., 3.]))", None),
    ("nn_relu_hessian", "jax.hessian(lambda x: jnp.sum(nn.relu(x) ** 3))(jnp.array([-1., 0., 2.]))", None),
    ("nn_softplus", "nn.softplus(jnp.array([-100., -20., -1., 0., 1., 20., 100.]))", None),
    ("nn_softplus_grad", "jax.vmap(jax.grad(nn.softplus))(jnp.array([-100., -1., 0., 1., 100.]))", None),
    ("nn_softplus_hessian", "jax.vmap(jax.hessian(nn.softplus))(jnp.array([-2., 0., 3.]))", None),
    ("nn_softplus_int", "nn.softplus(jnp.arange(3))", None),
    ("nn_sigmoid", "nn.sigmoid(jnp.array([-10., -1., 0., 1., 10.]))", None),
    ("nn_sigmoid_grad", "jax.vmap(jax.grad(nn.sigmoid))(jnp.array([-2., 0., 3.]))", None),
    ("nn_sigmoid_int_error", "nn.sigmoid(jnp.arange(3))", "lax.logistic takes floats only"),
    ("nn_gelu", "nn.gelu(jnp.array([-5., -1., -0.1, 0., 0.1, 1., 3.]))", None),
    ("nn_gelu_exact", "nn.gelu(jnp.array([-10., -5., -1., 0., 1., 3.]), approximate=False)", None),
    ("nn_gelu_grad", "jax.vmap(jax.grad(nn.gelu))(jnp.array([-2., 0., 0.5, 2.]))", None),
    ("nn_gelu_exact_grad", "jax.vmap(jax.grad(lambda x: nn.gelu(x, approximate=False)))(jnp.array([-2., 0., 0.5, 2.]))",
     None),
    ("nn_silu", "nn.silu(jnp.array([-2., 0., 1.5]))", None),
    ("nn_log_sigmoid", "nn.log_sigmoid(jnp.array([-50., -1., 0., 2.]))", None),
    ("nn_softmax", A23 + "nn.softmax(a)", None),
    ("nn_softmax_axis0", A23 + "nn.softmax(a, axis=0)", None),
    ("nn_softmax_all_axes", A23 + "nn.softmax(a, axis=None)", None),
    ("nn_softmax_axes_tuple", "t = jnp.arange(12.).reshape(2, 3, 2) / 3.\nnn.softmax(t, axis=(0, 2))", None),
    ("nn_softmax_int", "nn.softmax(jnp.arange(3))", None),
    ("nn_softmax_neg_inf", "nn.softmax(jnp.array([-jnp.inf, 0., 1.]))", None),
    ("nn_softmax_jacrev", "jax.jacrev(nn.softmax)(jnp.array([0.5, -1., 2.]))", None),
    ("nn_softmax_vmap", A23 + "jax.vmap(nn.softmax)(a)", None),
    ("nn_softmax_axis_error", "nn.softmax(jnp.ones(3), axis=2)", None),
    ("nn_log_softmax", A23 + "nn.log_softmax(a)", None),
    ("nn_log_softmax_axis0", A23 + "nn.log_softmax(a, axis=0)", None),
    ("nn_log_softmax_grad", "jax.grad(lambda x: nn.log_softmax(x)[1])(jnp.array([0.5, -1., 2.]))", None),
    ("nn_one_hot", "nn.one_hot(jnp.array([0, 2, -1, 3]), 3)", "out-of-range indices give zeros"),
    ("nn_one_hot_axis0", "nn.one_hot(jnp.array([[0, 1]]), 3, axis=0)", None),
    ("nn_one_hot_dtype", "nn.one_hot(jnp.array([1, 0]), 2, dtype=jnp.int32)", None),
    ("nn_one_hot_float_input", "nn.one_hot(jnp.array([0., 1.5, 2.]), 3)", None),
    ("nn_one_hot_axis_error", "nn.one_hot(jnp.array([0, 1]), 3, axis=2)", None),
    ("nn_one_hot_negative_classes", "nn.one_hot(jnp.arange(2), -1)", None),
    ("nn_one_hot_vmap", "jax.vmap(lambda i: nn.one_hot(i, 4))(jnp.array([3, 0]))", None),
    ("erfc_values", "lax.erfc(jnp.array([-3., -1., 0., 0.5, 3., 10.]))", "no cancellation for large x"),
    ("erfc_grad", "jax.vmap(jax.grad(lax.erfc))(jnp.array([-1., 0., 2.]))", None),
    ("isinf_values", "(jnp.isinf(jnp.array([jnp.inf, -jnp.inf, jnp.nan, 1.])), jnp.isinf(jnp.arange(2)))", None),
    ("jit_nn_norm_logsumexp",
     A23 + "(jax.jit(nn.softmax)(a), jax.jit(jnp.linalg.norm)(a), jax.jit(jsp.logsumexp)(a), "
     "jax.jit(lambda x: jnp.isclose(x, 1.))(a), jax.jit(nn.relu)(a - 2.))", None),
    ("nn_edge_empty",
     "(nn.softmax(jnp.ones(0)), jsp.logsumexp(jnp.ones(0)), nn.one_hot(jnp.arange(2), 0), jnp.logaddexp(jnp.nan, 1.))",
     None),
    ("nn_one_hot_bool_error", "nn.one_hot(jnp.array([True, False]), 2)", None),
    # ---------------------------------------------------------------- logsumexp
    ("logsumexp_all", "jsp.logsumexp(jnp.array([1., 2., 3.]))", None),
    ("logsumexp_axis", A23 + "jsp.logsumexp(a, axis=1)", None),
    ("logsumexp_axis0_keepdims", A23 + "jsp.logsumexp(a, axis=0, keepdims=True)", None),
    ("logsumexp_axes_tuple", "t = jnp.arange(12.).reshape(2, 3, 2)\njsp.logsumexp(t, axis=(0, 2))", None),
    ("logsumexp_all_neg_inf", "jsp.logsumexp(jnp.array([-jnp.inf, -jnp.inf]))", "the shift is 0, not -inf: no NaN"),
    ("logsumexp_pos_inf", "jsp.logsumexp(jnp.array([jnp.inf, 1.]))", None),
    ("logsumexp_large", "jsp.logsumexp(jnp.array([1000., 1000.]))", None),
    ("logsumexp_b", "jsp.logsumexp(jnp.array([1., 2., 3.]), b=jnp.array([1., 0.5, 0.]))", None),
    ("logsumexp_b_negative_sum", "jsp.logsumexp(jnp.array([1., 2.]), b=jnp.array([1., -1.]))",
     "a negative weighted sum is NaN"),
    ("logsumexp_b_broadcast", A23 + "jsp.logsumexp(a, axis=1, b=jnp.array([1., 2., 3.]))", None),
    ("logsumexp_int", "jsp.logsumexp(jnp.arange(3))", None),
    ("logsumexp_nn_alias", A23 + "nn.logsumexp(a, axis=-1)", "jax.nn.logsumexp is the same function"),
    ("logsumexp_grad", "jax.grad(jsp.logsumexp)(jnp.array([1., 2., 3.]))", None),
    ("logsumexp_grad_neg_inf", "jax.grad(jsp.logsumexp)(jnp.array([-jnp.inf, 0.]))", None),
    ("logsumexp_hessian", "jax.hessian(jsp.logsumexp)(jnp.array([0.5, -1., 2.]))", None),
    ("logsumexp_vmap", A23 + "jax.vmap(jsp.logsumexp)(a)", None),
    ("logsumexp_axis_error", "jsp.logsumexp(jnp.ones(3), axis=2)", None),
    ("logsumexp_b_shape_error", "jsp.logsumexp(jnp.ones(3), b=jnp.ones(4))", None),
    # ---------------------------------------------------------------- logaddexp
    ("logaddexp_values",
     "inf = jnp.inf\njnp.logaddexp(jnp.array([1., inf, -inf, inf, -inf, 1., inf, 0., 1000., -1000.]),"
     " jnp.array([1., 1., 1., inf, -inf, inf, -inf, -inf, 1000., 3.]))", None),
    ("logaddexp_grads",
     "inf = jnp.inf\njax.vmap(jax.grad(jnp.logaddexp, argnums=(0, 1)))(jnp.array([1., inf, -inf, inf, -inf, 1., inf, 0.]),"
     " jnp.array([1., 1., 1., inf, -inf, inf, -inf, -inf]))",
     "custom_jvp: exp(x - out) with +inf read as 0; equal inputs share 0.5"),
    ("logaddexp_broadcast", "jnp.logaddexp(jnp.array([[0.], [1.]]), jnp.array([0., 1., 2.]))", None),
    ("logaddexp_python_scalars", "jnp.logaddexp(1., 1.)", None),
    ("logaddexp_int", "jnp.logaddexp(jnp.arange(3), 1)", None),
    ("logaddexp_jvp", "jax.jvp(jnp.logaddexp, (jnp.array([0., 2.]), jnp.array([1., 2.])), (jnp.array([1., 1.]), jnp.array([10., 10.])))",
     None),
    ("logaddexp_hessian", "jax.hessian(lambda x: jnp.logaddexp(x[0], x[1]))(jnp.array([0.5, -1.]))", None),
    ("logaddexp_shape_error", "jnp.logaddexp(jnp.ones(3), jnp.ones(4))", None),
    # ---------------------------------------------------------------- linalg.norm
    ("norm_default", V + "jnp.linalg.norm(v)", None),
    ("norm_vector_orders",
     V + "[jnp.linalg.norm(v, ord=o) for o in (2, 1, jnp.inf, -jnp.inf, 0, 3, 0.5, -1)]", None),
    ("norm_int_input", "jnp.linalg.norm(jnp.arange(4))", None),
    ("norm_rank3_default", "jnp.linalg.norm(jnp.arange(8.).reshape(2, 2, 2))", "no ord, no axis: all elements"),
    ("norm_matrix_orders", M + "[jnp.linalg.norm(m, ord=o) for o in (None, 'fro', 1, -1, jnp.inf, -jnp.inf)]", None),
    ("norm_axis", M + "jnp.linalg.norm(m, axis=1)", None),
    ("norm_axis_keepdims", M + "jnp.linalg.norm(m, axis=0, keepdims=True)", None),
    ("norm_axis_ord1", M + "jnp.linalg.norm(m, ord=1, axis=-1)", None),
    ("norm_axis_ord0", M + "jnp.linalg.norm(m, ord=0, axis=1)", None),
    ("norm_matrix_axes_reversed", M + "[jnp.linalg.norm(m, ord=o, axis=(1, 0)) for o in (1, jnp.inf)]", None),
    ("norm_matrix_keepdims", "t = jnp.arange(12.).reshape(2, 3, 2) - 5.\n"
     "[jnp.linalg.norm(t, ord=o, axis=(0, 2), keepdims=True) for o in (None, 1, -1, jnp.inf, -jnp.inf)]", None),
    ("norm_grad_vector", V + "[jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(v) for o in (None, 1, jnp.inf, -jnp.inf, 3)]",
     None),
    ("norm_grad_at_zero",
     "z = jnp.zeros(3)\n[jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(z) for o in (None, 1, jnp.inf, -jnp.inf, 0, 3)]",
     "2-norm: NaN; inf-norm: ties share with initial=0; -inf: ties share"),
    ("norm_grad_matrix", M + "[jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(m) for o in (None, 1, -1, jnp.inf, -jnp.inf)]",
     None),
    ("norm_grad_matrix_at_zero",
     "z = jnp.zeros((2, 2))\n[jax.grad(lambda x: jnp.linalg.norm(x, ord=o))(z) for o in (None, 1, -1, jnp.inf, -jnp.inf)]",
     None),
    ("norm_vmap", M + "jax.vmap(jnp.linalg.norm)(m)", None),
    ("norm_hessian", "jax.hessian(jnp.linalg.norm)(jnp.array([3., 4.]))", None),
    ("norm_edge_empty", "(jnp.linalg.norm(jnp.ones(0), ord=jnp.inf), jnp.linalg.norm(jnp.ones(0)))", None),
    ("norm_edge_empty_neg_inf", "jnp.linalg.norm(jnp.ones(0), ord=-jnp.inf)", None),
    ("norm_error_matrix_order", M + "jnp.linalg.norm(m, ord=3)", None),
    ("norm_error_matrix_order_0", M + "jnp.linalg.norm(m, ord=0)", None),
    ("norm_error_vector_fro", V + "jnp.linalg.norm(v, ord='fro')", None),
    ("norm_error_vector_inf_string", V + "jnp.linalg.norm(v, ord='inf')", None),
    ("norm_error_three_axes", "jnp.linalg.norm(jnp.ones((2, 2, 2)), ord=2)", None),
    ("norm_error_axis", "jnp.linalg.norm(jnp.ones((2, 2, 2)), axis=3)", None),
    ("norm_error_duplicate_axes", "jnp.linalg.norm(jnp.ones((2, 2, 2)), axis=(0, 0))", None),
    # ---------------------------------------------------------------- inner, isclose, allclose, any, all
    ("inner_vectors", "jnp.inner(jnp.array([1., 2., 3.]), jnp.array([4., 5., 6.]))", None),
    ("inner_matrices", "jnp.inner(jnp.arange(6.).reshape(2, 3), jnp.arange(12.).reshape(4, 3))", None),
    ("inner_scalar", "jnp.inner(2., jnp.array([1., 2.]))", None),
    ("inner_grad", "jax.grad(lambda a, b: jnp.sum(jnp.inner(a, b)), argnums=(0, 1))(jnp.arange(6.).reshape(2, 3), jnp.ones(3))",
     None),
    ("inner_error", "jnp.inner(jnp.ones((2, 3)), jnp.ones((4, 2)))", None),
    ("isclose_values",
     "inf, nan = jnp.inf, jnp.nan\njnp.isclose(jnp.array([1., 1., 1e10, inf, inf, nan, 0., 1e-9]),"
     " jnp.array([1.000001, 1.01, 1.00001e10, inf, -inf, nan, 1e-9, 0.]))", None),
    ("isclose_equal_nan", "jnp.isclose(jnp.array([jnp.nan, 1.]), jnp.array([jnp.nan, jnp.nan]), equal_nan=True)", None),
    ("isclose_tolerances", "jnp.isclose(jnp.array([1., 2.]), jnp.array([1.1, 2.5]), rtol=0., atol=0.2)", None),
    ("isclose_int", "jnp.isclose(jnp.arange(3), 1)", None),
    ("isclose_weak_scalar", "jnp.isclose(jnp.arange(3), 1.0000001)", "computed in float32, so 1.0000001 is 1"),
    ("isclose_broadcast", "jnp.isclose(jnp.ones((1, 3)), jnp.ones((2, 3)))", None),
    ("isclose_shape_error", "jnp.isclose(jnp.ones(3), jnp.ones(4))", None),
    ("allclose_true", "jnp.allclose(jnp.array([1., 2.]), jnp.array([1.000001, 2.]))", None),
    ("allclose_false", "jnp.allclose(jnp.array([1., 2.]), jnp.array([1.1, 2.]))", None),
    ("allclose_python", "jnp.allclose(1., 1.)", None),
    ("any_all_values",
     "x = jnp.array([[0, 1, 0], [0, 0, 0]])\n"
     "(jnp.any(x), jnp.all(x), jnp.any(x, axis=0), jnp.any(x, axis=1), jnp.all(x + 1, axis=1), "
     "jnp.any(x, axis=(0, 1), keepdims=True), jnp.all(x, axis=0, keepdims=True))", None),
    ("any_all_floats", "x = jnp.array([0., jnp.nan, -0., 2.])\n(jnp.any(x), jnp.all(x), jnp.any(-0.), jnp.all(jnp.array([1., 2.])))",
     None),
    ("any_all_empty", "(jnp.any(jnp.ones((2, 0)), axis=1), jnp.all(jnp.ones((2, 0)), axis=1), jnp.any(jnp.ones(0)))", None),
    ("any_vmap", "jax.vmap(jnp.any)(jnp.array([[0, 0], [0, 3]]))", None),
    ("any_axis_error", "jnp.any(jnp.ones(3), axis=1)", None),
    ("all_duplicate_axes_error", "jnp.all(jnp.ones((2, 2)), axis=(1, 1))", None),
    ("jaxpr_any", "str(jax.make_jaxpr(lambda x: jnp.any(x, axis=0))(jnp.ones((2, 3))))", None),
    ("jaxpr_all_bool", "str(jax.make_jaxpr(jnp.all)(jnp.ones(3, dtype=bool)))", None),
    # ---------------------------------------------------------------- Python scalars, **, constructors
    ("weak_scalar_variables",
     "d = 2.0\nn = 3\nx = jnp.array([1., 2., 3.], dtype=jnp.float32)\ni = jnp.array([1, 2, 3])\n"
     "(d * x, x + n, n - x, x / d, i + n, i * d, n * i, i // n, x % d, d - i, i / n)", None),
    ("weak_scalar_comparisons",
     "d = 2.0\nn = 2\nx = jnp.array([1., 2., 3.])\ni = jnp.array([1, 2, 3])\n"
     "(x < d, x >= n, d > x, i == n, i != d, n <= i)", None),
    ("weak_scalar_in_grad", "d = 3.0\njax.grad(lambda x: d * x ** 2 + x / d)(2.)", None),
    ("power_int_exponent", "x = jnp.array([1., 2., 3.])\n(x ** 2, x ** 3, x ** -1, x ** 0)", None),
    ("power_float_exponent", "x = jnp.array([1., 2., 4.])\n(x ** 2.0, x ** 0.5, x ** -1.5)", None),
    ("power_scalar_base", "x = jnp.array([0., 1., 2.])\n(2 ** x, 2.0 ** x, 2 ** jnp.arange(4))", None),
    ("power_int_arrays", "(jnp.arange(4) ** 2, jnp.arange(4) ** jnp.array([0, 1, 2, 3]))", None),
    ("power_int_negative_error", "jnp.arange(3) ** -1", None),
    ("power_grads",
     "(jax.grad(lambda x: x ** 3)(2.), jax.grad(lambda x: x ** 0.5)(4.), jax.grad(lambda x: x ** 2.0)(3.), "
     "jax.grad(lambda y: 2. ** y)(3.), jax.grad(lambda x: x ** 2)(0.))", None),
    ("power_precedence", "x = jnp.array([1., 2.])\n(2 * x ** 2, x ** 2 * 3, 2 ** x ** 2)", "** binds tighter, to the right"),
    ("jaxpr_power_int", "str(jax.make_jaxpr(lambda x: x ** 2)(jnp.ones(3)))", None),
    ("jaxpr_power_float", "str(jax.make_jaxpr(lambda x: x ** 2.0)(jnp.ones(3)))", None),
    ("array_int_literal", "jnp.array([[1, 2], [3, 4]])", "int32, as the literal"),
    ("array_float_literal", "jnp.array([[1., 2], [3, 4]])", None),
    ("array_bool_literal", "jnp.array([[True], [False]])", None),
    ("array_ragged_error", "jnp.array([[1, 2], [3]])", None),
    ("array_ragged_deep_error", "jnp.array([[[1, 2], [3, 4]], [[1, 2], [3]]])", None),
    ("dtype_constructors",
     "(jnp.float32(2.0), jnp.int32(3), jnp.float32(2), jnp.int32(3.7), jnp.uint32(7), jnp.float32([1, 2]),"
     " jnp.int32([[1.5, -2.5]]), jnp.bool_(1), jnp.float64(1.5), jnp.float32(2.) * 2)", None),
    # ---------------------------------------------------------------- typed PRNG keys
    ("typed_key_normal", "random.normal(random.key(0), (3,))", None),
    ("typed_key_uniform", "random.uniform(random.key(42), (2, 2), minval=-1., maxval=1.)", None),
    ("typed_key_split", "random.key_data(random.split(random.key(0)))", None),
    ("typed_key_split_n", "random.key_data(random.split(random.key(1), 4))", None),
    ("typed_key_fold_in", "random.key_data(random.fold_in(random.key(0), 7))", None),
    ("typed_key_bits", "random.bits(random.key(3), (4,))", None),
    ("typed_key_randint", "random.randint(random.key(0), (5,), 0, 10)", None),
    ("typed_key_permutation", "random.permutation(random.key(0), 6)", None),
    ("typed_key_choice", "random.choice(random.key(0), 5, (3,), replace=False)", None),
    ("typed_key_bernoulli", "random.bernoulli(random.key(0), 0.3, (6,))", None),
    ("typed_key_gumbel", "random.gumbel(random.key(0), (3,))", None),
    ("typed_key_truncated_normal", "random.truncated_normal(random.key(0), -1., 1., (3,))", None),
    ("typed_key_split_then_normal",
     "key, subkey = random.split(random.key(0))\n(random.normal(subkey, (2,)), random.key_data(key))", None),
    ("typed_key_vmap_normal", "jax.vmap(lambda k: random.normal(k, (2,)))(random.split(random.key(0), 3))", None),
    ("typed_key_batch_error", "random.normal(random.split(random.key(0), 3), (2,))", None),
    ("typed_key_split_batch_error", "random.split(random.split(random.key(0), 3))", None),
]


def run(source):
    import jax
    import jax.numpy as jnp
    import jax.scipy.special as jsp
    import numpy as np
    from jax import lax
    return run_source(source, {"jax": jax, "jnp": jnp, "lax": lax, "nn": jax.nn, "random": jax.random, "jsp": jsp,
                               "np": np})


def encode(value):
    import jax
    if isinstance(value, str):
        return {"text": value}
    if isinstance(value, jax.Array) and jax.dtypes.issubdtype(value.dtype, jax.dtypes.prng_key):
        return encode_value(jax.random.key_data(value))
    return encode_value(value)


def main():
    import warnings

    import jax
    assert not jax.config.jax_enable_x64
    warnings.simplefilter("ignore")
    write_source_cases("api_functions.json", CASES, run, encode)


if __name__ == "__main__":
    main()

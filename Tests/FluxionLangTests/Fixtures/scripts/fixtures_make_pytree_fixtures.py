#!/usr/bin/env python3
"""Write Tests/FluxionTests/Fixtures/pytrees.json by running each case under real JAX (CPU, x32).

Usage:  /work/.venv-jax/bin/python Tests/fixtures/make_pytree_fixtures.py

Cases for the Swift API over pytrees (Tests/FluxionTests/PyTreeAPITests.swift): a nested
params tree of mixed leaves and containers, transformations of several arguments with argnums,
jacobians and hessians over pytrees, nodes with aux data, and JAX's structure errors. Same
encoding as make_transform_fixtures.py (arrays, lists for tuples/lists, objects for dicts,
null for None, {"error": {...}} for an exception).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_transform_fixtures import write_cases  # noqa: E402

PARAMS = (
    "w1 = jnp.array([[0.5, -1.], [2., 0.25]]); b1 = jnp.array([0.1, -0.2])\n"
    "w2 = jnp.array([[1.5], [-0.5]]); b2 = jnp.array([0.3])\n"
    "a = jnp.array([1., 2.])\n"
    "params = {'layers': [{'w': w1, 'b': b1}, {'w': w2, 'b': b2}], 'scale': (a, 2.), 'unused': None}\n"
    "x = jnp.array([0.5, -0.25])\n"
    "def predict(p, x):\n"
    "    h = jnp.tanh(x @ p['layers'][0]['w'] + p['layers'][0]['b'])\n"
    "    y = h @ p['layers'][1]['w'] + p['layers'][1]['b']\n"
    "    return jnp.sum(y * p['scale'][1]) + jnp.sum(p['scale'][0] * x)\n"
)

POINT = (
    "class Layer:\n"
    "    def __init__(s, w, b, name): s.w, s.b, s.name = w, b, name\n"
    "jax.tree_util.register_pytree_node(Layer, lambda l: (((l.w, l.b),), l.name),\n"
    "                                   lambda aux, ch: Layer(*ch[0], aux))\n"
)

NOSIG = (
    "class NoSignature:\n"
    "    def __init__(s, f): s.f = f\n"
    "    def __call__(s, *args): return s.f(*args)\n"
    "    @property\n"
    "    def __signature__(s): raise ValueError('no signature')\n"
)

CASES = [
    ("tree_leaves_order", PARAMS + "jax.tree_util.tree_leaves(params)", "dict keys sorted, None has no leaves"),
    ("tree_structure", PARAMS + "str(jax.tree_util.tree_structure(params))", None),
    ("predict_value", PARAMS + "predict(params, x)", None),
    ("grad_params", PARAMS + "jax.grad(predict)(params, x)", "grad has the params' structure"),
    ("value_and_grad_argnums_01", PARAMS + "jax.value_and_grad(predict, argnums=(0, 1))(params, x)", None),
    ("grad_argnums_1", PARAMS + "jax.grad(predict, argnums=1)(params, x)", None),
    ("grad_three_args",
     "jax.grad(lambda a, b, c: jnp.sum(a * b) * c, argnums=(0, 1, 2))(jnp.array([1., 2.]), jnp.array([3., 4.]), 2.)",
     None),
    ("grad_argnums_skip_int", "jax.grad(lambda x, n, y: x * n * y, argnums=(0, 2))(2., 3, 5.)",
     "the int argument is not differentiated"),
    ("jacrev_tree_in_scalar_out", PARAMS + "jax.jacrev(lambda p: predict(p, x))(params)", None),
    ("jacrev_tree_in_tree_out",
     "jax.jacrev(lambda p: {'y': p['w'] * p['b'], 's': jnp.sum(p['w'])})({'w': jnp.array([1., 2.]), 'b': 3.})",
     "output structure outside, input structure inside"),
    ("jacfwd_tree_in_tree_out",
     "jax.jacfwd(lambda p: {'y': p['w'] * p['b'], 's': jnp.sum(p['w'])})({'w': jnp.array([1., 2.]), 'b': 3.})",
     None),
    ("jacrev_three_args",
     "jax.jacrev(lambda a, b, c: a * b + c, argnums=(0, 1, 2))(jnp.array([1., 2.]), jnp.array([3., 4.]), jnp.array([5., 6.]))",
     None),
    ("hessian_tree",
     "jax.hessian(lambda p: jnp.sum(p['w'] ** 2 * p['b']) + p['b'] ** 3)({'b': 2., 'w': jnp.array([1., -1.])})",
     "input structure outside and inside"),
    ("vmap_three_args",
     "jax.vmap(lambda a, b, c: a * b + c, in_axes=(0, None, 1))(jnp.arange(6.).reshape(3, 2), jnp.array([1., 10.]), jnp.arange(6.).reshape(2, 3))",
     None),
    ("vmap_tree_in_axes",
     "jax.vmap(lambda p, x: p['w'] * x + p['b'], in_axes=({'w': 0, 'b': None}, 0))({'w': jnp.arange(6.).reshape(3, 2), 'b': jnp.array([1., 2.])}, jnp.array([1., 2., 3.])[:, None])",
     None),
    ("vjp_has_aux_tree",
     "y, f_vjp, aux = jax.vjp(lambda p: (p['w'] * p['b'], {'n': jnp.sum(p['w'])}), {'w': jnp.array([1., 2.]), 'b': 3.}, has_aux=True)\n"
     "(y, f_vjp(jnp.array([1., -1.])), aux)", None),
    ("vjp_three_args", "y, f_vjp = jax.vjp(lambda a, b, c: a * b * c, 2., 3., 4.)\n(y, f_vjp(1.))", None),
    ("jit_tree", PARAMS + "jax.jit(lambda p: jax.tree_util.tree_map(lambda t: t * 2., p))(params)", None),
    ("tree_map_shapes", PARAMS + "str(jax.tree_util.tree_map(lambda t: jnp.shape(t), params))",
     "tree_map to another kind of leaf (shapes; tuples of ints become nodes when printed)"),
    # ------------------------------------------------------------- nodes with aux data
    ("aux_structure", POINT + "str(jax.tree_util.tree_structure(Layer(1., 2., 'dense')))", None),
    ("aux_grad",
     POINT + "g = jax.grad(lambda l: l.w * l.b)(Layer(2., 3., 'dense'))\n(g.w, g.b)", None),
    ("aux_grad_structure",
     POINT + "str(jax.tree_util.tree_structure(jax.grad(lambda l: l.w * l.b)(Layer(2., 3., 'dense'))))",
     "the aux rides along"),
    ("aux_tree_map_mismatch",
     POINT + "jax.tree_util.tree_map(lambda a, b: a + b, {'k': [Layer(1., 2., 'dense')]}, {'k': [Layer(1., 2., 'conv')]})",
     None),
    ("aux_jvp_mismatch",
     POINT + "jax.jvp(lambda l: l.w, (Layer(1., 2., 'dense'),), (Layer(1., 2., 'conv'),))", None),
    # ------------------------------------------------------------- structure errors
    ("tree_map_list_length", "jax.tree_util.tree_map(lambda a, b: a + b, {'k': [1., 2.]}, {'k': [1., 2., 3.]})", None),
    ("tree_map_types",
     "jax.tree_util.tree_map(lambda a, b: a + b, [jnp.array(1.), None], [jnp.array(1.), jnp.array(2.)])", None),
    ("tree_map_dict_keys", "jax.tree_util.tree_map(lambda a, b: a + b, {'a': 1., 'b': 2.}, {'a': 1., 'c': 2.})", None),
    ("tree_map_dict_count", "jax.tree_util.tree_map(lambda a, b: a + b, {'a': 1., 'b': 2.}, {'a': 1.})", None),
    ("grad_argnums_too_large", "jax.grad(lambda a, b: a * b, argnums=(0, 2))(1., 2.)", None),
    ("grad_argnums_too_negative", "jax.grad(lambda a, b: a * b, argnums=-3)(1., 2.)", None),
    # ------------------------------------------------------------- vmap's size message
    ("vmap_sizes_tree_paths",
     NOSIG + "f = NoSignature(lambda p, y: p['x'][1] + y)\n"
     "jax.vmap(f, in_axes=(0, 0))({'x': [jnp.ones(3), jnp.ones(3)]}, jnp.ones(4))",
     "JAX names arguments without a signature args[i] with the key path"),
    ("vmap_sizes_most_and_some",
     NOSIG + "f = NoSignature(lambda *args: args[0])\n"
     "jax.vmap(f, in_axes=(0, 1, 0, 0, 0))(jnp.ones(3), jnp.ones((2, 4)), jnp.ones(4), jnp.ones(3), jnp.ones(3))",
     None),
    ("vmap_sizes_axis_size",
     NOSIG + "f = NoSignature(lambda a: a[0])\n"
     "jax.vmap(f, axis_size=4, in_axes=({'a': -1},))({'a': jnp.ones((2, 3))})", None),
]


def main():
    write_cases(CASES, "pytrees.json")


if __name__ == "__main__":
    main()

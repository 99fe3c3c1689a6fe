import jax
import jax.numpy as jnp

params = {"dense": {"w": jnp.ones((2, 3)), "b": jnp.zeros(3)}, "scale": 2.0, "extra": None, "layers": [jnp.arange(3.0), (1.5, jnp.array(4.0))]}
leaves = jax.tree.leaves(params)
print(len(leaves), [type(l).__name__ for l in leaves])
print(jax.tree.structure(params))
doubled = jax.tree.map(lambda x: x * 2, params)
print(doubled["layers"][1], doubled["extra"])
flat, treedef = jax.tree.flatten(params)
back = jax.tree.unflatten(treedef, [jnp.asarray(l) + 1 for l in flat])
print(back["scale"], back["dense"]["b"])
summed = jax.tree.reduce(lambda a, b: a + jnp.sum(b), params, 0.0)
print("sum of leaves", summed)
pairs = jax.tree.map(lambda a, b: a - b, doubled, params)
print(jax.tree.leaves(pairs)[0])
print(jax.tree_util.tree_leaves([None, (None,), {"a": None}]))
(summed, doubled["dense"]["w"], back["layers"][0])

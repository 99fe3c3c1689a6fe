import jax
import jax.numpy as jnp
from jax import tree_util

tree = {"b": (1.0, 2.0), "a": [3, {"c": 4.0}], "n": None}
leaves, treedef = tree_util.tree_flatten(tree)
print(leaves)
print(treedef)
print(tree_util.tree_structure((1, [2, 3])), treedef.num_leaves)
print(tree_util.tree_map(lambda x: x * 10, tree))
print(tree_util.tree_map(lambda x, y: x + y, (1, 2), (10, 20)), tree_util.tree_leaves([None, (), [1]]))
rebuilt = tree_util.tree_unflatten(treedef, [x * 2 for x in leaves])
print(rebuilt)
print(jax.tree.map(lambda x: -x, [1.0, (2.0,)]), jax.tree.leaves({"z": 1, "y": 2}))
print(tree_util.tree_reduce(lambda a, b: a + b, [1, 2, (3, 4)]))
(leaves, rebuilt, tree_util.tree_map(lambda x: jnp.asarray(x) + 1, {"k": 1.0}))

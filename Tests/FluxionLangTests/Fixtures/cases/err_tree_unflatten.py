import jax
leaves, treedef = jax.tree_util.tree_flatten((1.0, 2.0))
print(leaves, treedef)
jax.tree_util.tree_unflatten(treedef, [1.0])

import jax
import jax.numpy as jnp
from jax import tree_util

class Box:
    def __init__(self, value, tag):
        self.value = value
        self.tag = tag

tree_util.register_pytree_node(
    Box,
    lambda b: ((b.value,), b.tag),
    lambda tag, children: Box(children[0], tag),
)

b = Box(jnp.array([1.0, 2.0]), "w")
doubled = tree_util.tree_map(lambda v: v * 2, b)
print(doubled.value, doubled.tag, tree_util.tree_structure(b))
g = jax.grad(lambda box: jnp.sum(box.value ** 2))(b)
print(type(g).__name__, g.value, g.tag)
tree = {"a": [1, 2], "b": {"c": 3}}
for path, leaf in tree_util.tree_flatten_with_path(tree)[0]:
    print(tree_util.keystr(path), leaf)
(doubled, g)

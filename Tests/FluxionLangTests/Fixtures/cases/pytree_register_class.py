import jax
import jax.numpy as jnp
from jax.tree_util import register_pytree_node_class

@register_pytree_node_class
class Linear:
    def __init__(self, w, b, name="lin"):
        self.w = w
        self.b = b
        self.name = name

    def __repr__(self):
        return f"Linear(w={self.w}, b={self.b}, name={self.name!r})"

    def __call__(self, x):
        return x @ self.w + self.b

    def tree_flatten(self):
        return (self.w, self.b), self.name

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children, name=aux)

layer = Linear(jnp.array([[1.0], [2.0]]), jnp.array([0.5]))
x = jnp.array([1.0, 1.0])
g = jax.grad(lambda m: jnp.sum(m(x)))(layer)
print(g)
print(jax.jit(lambda m, v: m(v))(layer, x))
print(jax.tree_util.tree_leaves(layer), len(jax.tree_util.tree_leaves([layer, layer])))
scaled = jax.tree_util.tree_map(lambda a: a * 10, layer)
(g, scaled)

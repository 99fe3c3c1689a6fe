import jax
import jax.numpy as jnp
from typing import NamedTuple

class Params(NamedTuple):
    w: jnp.ndarray
    b: float

p = Params(jnp.array([1.0, 2.0]), 0.5)
loss = lambda p, x: jnp.sum(p.w * x) + p.b
g = jax.grad(loss)(p, jnp.array([3.0, 4.0]))
print(type(g).__name__, g.w, g.b)
print(jax.tree_util.tree_leaves(p), jax.tree_util.tree_structure(p))
doubled = jax.tree_util.tree_map(lambda v: v * 2, p)
print(doubled)
(g, doubled)

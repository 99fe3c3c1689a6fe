import dataclasses
import collections
import jax
import jax.numpy as jnp

@dataclasses.dataclass
class Layer:
    w: jnp.ndarray
    b: jnp.ndarray
    name: str = "dense"

jax.tree_util.register_dataclass(Layer, data_fields=["w", "b"], meta_fields=["name"])
layer = Layer(jnp.ones((2, 2)), jnp.zeros(2))
g = jax.grad(lambda l: jnp.sum(l.w * 2.0 + l.b))(layer)
print(type(g).__name__, g.w, g.b, g.name)
print(layer == Layer(layer.w, layer.b) if False else "eq skipped", dataclasses.fields(layer)[0].name if hasattr(dataclasses, "fields") else "w")
Pair = collections.namedtuple("Pair", ["left", "right"])
p = Pair(1.0, jnp.array(2.0))
print(p, p.left, p[1], jax.tree_util.tree_leaves(p), len(p))
doubled = jax.tree_util.tree_map(lambda v: v * 2, p)
(g, doubled)

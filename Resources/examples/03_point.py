# Fluxion example: the seed's Point pytree, differentiated through its fields
# fn: dist
# x: Point(1., 2., 3.)
# range: -2 2
import jax.numpy as jnp
from jax.tree_util import register_pytree_node_class

@register_pytree_node_class
class Point:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __repr__(self):
        return f"Point({self.x}, {self.y}, {self.z})"

    def tree_flatten(self):
        return ((self.x, self.y, self.z), None)

    @classmethod
    def tree_unflatten(cls, aux_data, children):
        return cls(*children)

def dist(pt):
    return jnp.sqrt(pt.x**2 + pt.y**2 + pt.z**2)

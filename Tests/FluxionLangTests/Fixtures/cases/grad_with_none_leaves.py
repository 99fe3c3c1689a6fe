import jax
import jax.numpy as jnp

params = {"w": jnp.array([1.0, 2.0]), "frozen": None, "opt": (jnp.array(0.5), None)}

def loss(p):
    return jnp.sum(p["w"] ** 2) * p["opt"][0]

g = jax.grad(loss)(params)
print(g["frozen"], g["opt"][1], g["w"], g["opt"][0])
print(jax.tree_util.tree_structure(g))
print(len(jax.tree_util.tree_leaves(g)))
upd = jax.tree_util.tree_map(lambda a, b: a - 0.1 * b, params, g)
print(upd["w"], upd["frozen"])
(g["w"], upd["opt"][0])

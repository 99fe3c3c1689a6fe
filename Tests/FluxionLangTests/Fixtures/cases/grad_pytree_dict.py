import jax
import jax.numpy as jnp

params = {"w": jnp.array([[1.0, 2.0], [3.0, 4.0]]), "b": jnp.array([0.5, -0.5]), "scale": 2.0}

def predict(p, x):
    return p["scale"] * jnp.tanh(x @ p["w"] + p["b"])

def loss(p, x):
    return jnp.sum(predict(p, x) ** 2)

x = jnp.array([0.1, -0.2])
g = jax.grad(loss)(params, x)
print(sorted(g.keys()), g["b"].shape, g["w"].shape)
new = jax.tree_util.tree_map(lambda p, gp: p - 0.01 * gp, params, g)
print(sorted(new))
(g, new["b"])

import jax
import jax.numpy as jnp

def affine(w, x, b):
    return jnp.dot(w, x) + b

W = jnp.arange(6.0).reshape(2, 3)
xs = jnp.arange(12.0).reshape(4, 3)
b = jnp.array([1.0, -1.0])
print(jax.vmap(affine, in_axes=(None, 0, None))(W, xs, b))
print(jax.vmap(lambda row: row.sum())(W), jax.vmap(jnp.sum, in_axes=1)(W))
print(jax.vmap(lambda a, s: a * s, in_axes=(0, None))(xs, 2.0).shape)
batched = jax.vmap(affine, in_axes=(None, 1, None))(W, xs.T, b)
(batched, jax.vmap(lambda d: d["a"] + d["b"])({"a": jnp.ones(3), "b": jnp.arange(3.0)}))

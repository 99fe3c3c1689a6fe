import jax
import jax.numpy as jnp

def affine(w, b, x):
    return w @ x + b

w = jnp.arange(6.0).reshape(2, 3)
b = jnp.array([0.5, -0.5])
xs = jnp.arange(12.0).reshape(4, 3)
batched = jax.vmap(affine, in_axes=(None, None, 0))(w, b, xs)
print(batched.shape)
print(jax.vmap(affine, in_axes=(None, None, 0), out_axes=1)(w, b, xs).shape)
ws = jnp.stack([w, w * 2])
print(jax.vmap(affine, in_axes=(0, None, None))(ws, b, xs[0]))
print(jax.vmap(lambda d: d["a"] * d["b"], in_axes=({"a": 0, "b": None},))({"a": jnp.arange(3.0), "b": 2.0}))
print(jax.vmap(lambda x: x.sum(), in_axes=1)(jnp.ones((2, 5))))
print(jax.vmap(jnp.outer)(jnp.ones((2, 3)), jnp.arange(4.0).reshape(2, 2)).shape)
(batched, jax.vmap(jax.grad(lambda x: jnp.sum(x ** 3)))(xs))

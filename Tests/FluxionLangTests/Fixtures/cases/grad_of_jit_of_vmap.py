import jax
import jax.numpy as jnp

def loss(w, xs, ys):
    preds = jax.vmap(lambda x: jnp.dot(w, x))(xs)
    return jnp.mean((preds - ys) ** 2)

xs = jnp.arange(6.0).reshape(3, 2)
ys = jnp.array([1.0, 2.0, 3.0])
w = jnp.array([0.5, -0.5])
g = jax.jit(jax.grad(loss))(w, xs, ys)
print(g, jax.grad(loss)(w, xs, ys))
per_example = jax.vmap(jax.grad(lambda w, x, y: (jnp.dot(w, x) - y) ** 2), in_axes=(None, 0, 0))(w, xs, ys)
print(per_example, per_example.mean(axis=0))
(g, per_example)

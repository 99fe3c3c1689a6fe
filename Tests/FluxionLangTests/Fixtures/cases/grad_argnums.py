import jax
import jax.numpy as jnp

def loss(w, b, x):
    return jnp.sum((w * x + b) ** 2)

x = jnp.array([1.0, 2.0, 3.0])
w, b = 0.5, -1.0
print(jax.grad(loss)(w, b, x))
print(jax.grad(loss, argnums=1)(w, b, x))
gw, gb = jax.grad(loss, argnums=(0, 1))(w, b, x)
print(gw, gb)
(jax.grad(loss, argnums=(0, 1))(w, b, x), jax.grad(loss, argnums=2)(w, b, x))

import jax.numpy as jnp

x = jnp.array([3.0, -1.0, 2.5, 0.0, 7.0, -4.0])
print(jnp.sort(x))
print(jnp.argsort(x))
print(jnp.sort(x)[::-1])
m = jnp.array([[3, 1, 2], [9, 7, 8]])
print(jnp.sort(m, axis=1))
print(jnp.sort(m, axis=0))
print(jnp.argmax(x), jnp.argmin(x))
print(jnp.argmax(m, axis=1), jnp.argmin(m, axis=0))
print(jnp.max(m), jnp.min(m, axis=1))
(jnp.sort(x), jnp.argsort(m, axis=1), jnp.argmax(m))

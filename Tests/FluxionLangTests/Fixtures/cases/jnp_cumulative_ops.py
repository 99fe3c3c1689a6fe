import jax.numpy as jnp

x = jnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(jnp.cumsum(x))
print(jnp.cumsum(x, axis=0))
print(jnp.diff(jnp.array([1.0, 4.0, 9.0, 16.0])))
print(jnp.diff(x, axis=0))
i = jnp.arange(1, 6)
print(jnp.cumsum(i), jnp.cumsum(i).dtype)
(jnp.cumsum(x, axis=1), jnp.cumsum(i * 2), jnp.diff(x))

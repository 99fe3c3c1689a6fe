import jax.numpy as jnp
W = jnp.ones((3, 2))
x = jnp.ones(4)
print(jnp.dot(jnp.ones(2), jnp.ones(2)))
jnp.dot(x, W)

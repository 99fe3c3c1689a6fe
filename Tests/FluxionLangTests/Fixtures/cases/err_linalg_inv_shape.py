import jax.numpy as jnp

m = jnp.ones((2, 3))
print(m.shape)
jnp.linalg.inv(m)

import jax.numpy as jnp
x = jnp.arange(6)
print(x.reshape(2, 3))
print(x.reshape(-1, 2).shape)
x.reshape(4, 2)

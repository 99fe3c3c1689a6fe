import jax.numpy as jnp
x = jnp.zeros(3)
y = x.at[0].set(1.0)
print(x, y)
x[0] = 1.0

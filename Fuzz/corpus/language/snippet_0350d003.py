import jax.numpy as jnp
x = jnp.arange(6.).reshape(2, 3)
print(x[:, 1], x.T @ x, x.at[0, 1].set(9.))

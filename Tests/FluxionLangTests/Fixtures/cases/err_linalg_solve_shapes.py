import jax.numpy as jnp

A = jnp.eye(3)
b = jnp.ones(2)
jnp.linalg.solve(A, b)

import jax
import jax.numpy as jnp

# The derivative of U for a non-square matrix needs full_matrices=False.
f = lambda m: jnp.linalg.svd(m)[0].sum()
jax.grad(f)(jnp.ones((3, 2)))

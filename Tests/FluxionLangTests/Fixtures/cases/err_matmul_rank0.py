import jax.numpy as jnp
jnp.matmul(jnp.array(2.0), jnp.ones(3))

import jax
import jax.numpy as jnp
print(jax.vmap(lambda v: v * 2, in_axes=1)(jnp.ones((2, 3))).shape)
jax.vmap(lambda v: v * 2, in_axes=1)(jnp.ones(3))

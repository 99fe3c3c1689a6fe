import jax.numpy as jnp
from jax import lax
print(lax.cond(True, lambda x: x + 1.0, lambda x: x - 1.0, 1.0))
lax.cond(True, lambda x: x, lambda x: jnp.stack([x, x]), 1.0)

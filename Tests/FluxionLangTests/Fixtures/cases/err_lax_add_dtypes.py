import jax.numpy as jnp
from jax import lax
print(lax.add(jnp.float32(1.0), jnp.float32(2.0)))
lax.add(jnp.ones(2), jnp.ones(2, dtype=jnp.int32))

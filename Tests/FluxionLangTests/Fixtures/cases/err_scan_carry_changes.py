import jax.numpy as jnp
from jax import lax
print(lax.scan(lambda c, x: (c + x, c), 0.0, jnp.arange(3.0))[0])
lax.scan(lambda c, x: (jnp.stack([c, x]), x), 0.0, jnp.arange(3.0))

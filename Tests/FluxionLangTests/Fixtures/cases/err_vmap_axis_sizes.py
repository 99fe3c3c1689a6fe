import jax
import jax.numpy as jnp
f = lambda x, y: x * y
print(jax.vmap(f)(jnp.arange(3.0), jnp.arange(3.0)))
jax.vmap(f)(jnp.ones(3), jnp.ones(4))

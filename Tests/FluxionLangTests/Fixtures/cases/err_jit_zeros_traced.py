import jax
import jax.numpy as jnp
def make(n):
    return jnp.zeros(n)
print(make(3), jax.jit(make, static_argnums=0)(2))
jax.jit(make)(3)

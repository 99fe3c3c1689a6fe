import jax
import jax.numpy as jnp

def to_int(x):
    return int(x) + 1

print(to_int(jnp.array(2.0)))
jax.jit(to_int)(jnp.array(2.0))

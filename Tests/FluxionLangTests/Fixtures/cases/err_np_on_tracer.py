import numpy as np
import jax
import jax.numpy as jnp

@jax.jit
def f(x):
    return np.sin(x) * 2

f(jnp.ones(3))

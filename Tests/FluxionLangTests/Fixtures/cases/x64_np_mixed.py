import numpy as np
import jax
import jax.numpy as jnp

a = jnp.ones(3) + np.ones(3)
print(repr(a))
print(repr(jnp.arange(3) + np.arange(3)))
print(repr(jnp.float32(1) * np.float64(2)))
print(repr(jax.jit(lambda x: x * np.pi)(np.ones(2))))
print(repr(np.asarray(jnp.linspace(0, 1, 3))))
a

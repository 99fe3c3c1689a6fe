import numpy as np
import jax.numpy as jnp

data = np.linspace(0.0, 1.0, 5)
x = jnp.asarray(data)
print(x.dtype, repr(x))
print(jnp.asarray(np.arange(4)).dtype)
print(repr(jnp.ones(2, dtype=jnp.float32) + np.ones(2)))
print(repr(jnp.array(np.float32(1.5)) * 2))
x

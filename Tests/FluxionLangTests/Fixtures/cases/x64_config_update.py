import jax
import jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
y = jnp.linspace(0.0, 1.0, 4)
print(y, y.dtype, repr(y))
print(jnp.array(2) ** 40, jnp.arange(3, dtype=jnp.int32) + 1)
(y, jnp.array(2) ** 40, (jnp.arange(3, dtype=jnp.int32) + 1))

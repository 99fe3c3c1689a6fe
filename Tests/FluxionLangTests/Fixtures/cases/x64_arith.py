import jax
import jax.numpy as jnp
x = jnp.arange(3.0)
print(x.dtype, jnp.arange(3).dtype, jnp.array(1.0).dtype, (x / 3).dtype)
print(x / 3, repr(x / 3), repr(jnp.array(1) + 1))
print(jnp.float32(1.0) + 1.0, (jnp.float32(1.0) + 1.0).dtype, jnp.sum(x / 3))
print(jnp.array([0.1 * 3, 1 / 3]), jnp.sqrt(2.0))
(x / 3, jnp.arange(4) * 2, jnp.array(0.1) + 0.2, jnp.ones(2, dtype=jnp.float32))

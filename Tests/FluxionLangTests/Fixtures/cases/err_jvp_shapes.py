import jax
import jax.numpy as jnp
try:
    jax.jvp(lambda x: x * 2, (jnp.ones(3),), (jnp.ones(2),))
except ValueError as e:
    print("ValueError:", e)
jax.jvp(lambda x: x * 2, (1.0,), (1,))

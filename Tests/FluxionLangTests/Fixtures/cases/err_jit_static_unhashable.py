import jax
import jax.numpy as jnp
f = jax.jit(lambda x, opts: x * len(opts), static_argnums=1)
f(jnp.ones(2), [1, 2])

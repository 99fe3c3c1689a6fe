import jax
import jax.numpy as jnp
from functools import partial

@partial(jax.jit, static_argnums=1)
def power(x, n):
    out = 1.0
    for _ in range(n):
        out = out * x
    return out

@partial(jax.jit, static_argnames=("mode",))
def combine(x, mode="sum"):
    if mode == "sum":
        return jnp.sum(x)
    return jnp.prod(x)

g = jax.jit(lambda x, k: jnp.ones(k) * x, static_argnums=(1,))
print(power(2.0, 3), power(jnp.array([1.0, 2.0]), 2))
print(combine(jnp.arange(1.0, 4.0)), combine(jnp.arange(1.0, 4.0), mode="prod"))
print(g(3.0, 2))
(power(3.0, 4), combine(jnp.array([2.0, 5.0]), mode="prod"), g(1.5, 3))

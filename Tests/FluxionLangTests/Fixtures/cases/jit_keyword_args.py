import jax
import jax.numpy as jnp
from functools import partial

@partial(jax.jit, static_argnames=["n"])
def power_sum(x, n):
    total = jnp.zeros_like(x)
    for k in range(n):
        total = total + x ** k
    return total

x = jnp.array([0.5, 2.0])
print(power_sum(x, n=3))
print(power_sum(x, n=4))

@partial(jax.jit, static_argnums=(1,))
def reshape_to(x, shape):
    return x.reshape(shape)

print(reshape_to(jnp.arange(6.0), (2, 3)))
print(reshape_to(jnp.arange(6.0), (3, 2)).shape)

@jax.jit
def step(params, lr=0.1):
    return {k: v - lr * v for k, v in params.items()}

print(step({"a": jnp.ones(2), "b": jnp.array(3.0)}))
print(jax.jit(lambda x, *, scale: x * scale, static_argnames="scale")(x, scale=3.0))
(power_sum(x, n=2), reshape_to(jnp.arange(4.0), (2, 2)))

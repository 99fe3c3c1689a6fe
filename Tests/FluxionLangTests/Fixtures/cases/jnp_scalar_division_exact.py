# A Python-level division of 0-d values is exact; a broadcast divisor multiplies by its reciprocal.
import jax
import jax.numpy as jnp

x = jnp.float32(2.5)
print(x / 3, jnp.divide(x, 3), jnp.array([2.5]) / 3)
print(jnp.array([2.5, 2.5]) / 3)
print(jax.jit(lambda t: t / 3)(x))
print(jnp.mean(jnp.array([2.5, 2.5, 2.5])) / 7, jnp.array([1.0, 2.0, 4.0]).mean())
y = jnp.float32(1.0) / 10
[y, y * 3 / 7, jax.grad(lambda t: t / 3)(x), jax.grad(lambda t: 2.5 / t)(jnp.float32(3.0))]

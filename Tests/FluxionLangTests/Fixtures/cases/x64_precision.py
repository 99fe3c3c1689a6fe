import jax
import jax.numpy as jnp
x = jnp.array(1.0) / 3.0
print(x, x.dtype, repr(x), jnp.float32(1.0) / 3.0)
print(jnp.sum(jnp.full(10, 0.1)), jnp.exp(jnp.array(1.0)), jnp.finfo if False else "finfo skipped")
print(jax.grad(lambda t: jnp.sin(t) ** 2)(0.5), jnp.arange(3) * 2 ** 40)
(x, jnp.sum(jnp.full(10, 0.1)), jax.grad(lambda t: t ** 3)(jnp.array(2.0)))

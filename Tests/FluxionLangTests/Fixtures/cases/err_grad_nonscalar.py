import jax
import jax.numpy as jnp
f = lambda x: x ** 2
print(jax.grad(lambda x: jnp.sum(f(x)))(jnp.arange(3.0)))
jax.grad(f)(jnp.arange(3.0))

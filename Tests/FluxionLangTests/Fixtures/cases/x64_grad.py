import jax
import jax.numpy as jnp
f = lambda x: jnp.sum(x ** 3 / 3.0)
x = jnp.array([0.1, 0.2, 0.3])
print(jax.grad(f)(x), jax.grad(f)(x).dtype)
print(jax.grad(lambda t: t * t)(1.0 / 3.0))
print(jax.jacfwd(lambda v: v * v)(jnp.array([1.0, 2.0])))
(jax.grad(f)(x), jax.value_and_grad(lambda t: t ** 0.5)(2.0))

import jax
import jax.numpy as jnp

f = lambda x: jnp.sin(x) * x ** 2
y, f_jvp = jax.linearize(f, 2.0)
print(y, f_jvp(1.0), f_jvp(2.0))
g = jax.checkpoint(lambda x: jnp.sum(x ** 3))
print(jax.grad(g)(jnp.arange(3.0)))
h = lambda x, y: x * jax.lax.stop_gradient(y) + y
print(jax.grad(h, argnums=(0, 1))(2.0, 3.0))
print(jax.jacrev(lambda v: v[::-1] * 2.0)(jnp.arange(3.0)))
(f_jvp(1.0), jax.grad(g)(jnp.ones(2)), jax.grad(h, argnums=(0, 1))(2.0, 3.0))

import jax
import jax.numpy as jnp

f = lambda x: x ** 2 * 3.0
x = jnp.array([1.0, 2.0, 3.0])
y, f_vjp = jax.vjp(f, x)
(ct,) = f_vjp(jnp.ones(3))
print(y, ct)
g = lambda a, b: a * b
out, g_vjp = jax.vjp(g, 2.0, 5.0)
print(out, g_vjp(1.0))
rows = [jax.vjp(f, x)[1](e)[0] for e in jnp.eye(3)]
print(jnp.stack(rows))
(y, ct, g_vjp(1.0))

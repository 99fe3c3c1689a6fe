import jax
import jax.numpy as jnp

def f(x):
    return x ** 3 + 2 * x

df = jax.grad(f)
d2f = jax.grad(jax.grad(f))
print(df(2.0), d2f(2.0), jax.grad(jax.grad(jax.grad(f)))(1.0))
print(jax.grad(lambda x: jnp.sum(x ** 2))(jnp.arange(3.0)))
print(repr(df(2.0)), repr(jax.grad(lambda x: x * 3.0)(1.0)))
(df(2.0), d2f(2.0), jax.grad(lambda x: jnp.sum(jnp.sin(x) * 0 + x * x))(jnp.array([1.0, 2.0])))

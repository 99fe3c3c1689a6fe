import jax
import jax.numpy as jnp

@jax.jit
def scatter(x, i, v):
    return x.at[i].set(v).at[0].add(1.0)

print(scatter(jnp.zeros(4), 2, 5.0), scatter(jnp.zeros(4), 10, 5.0))
# jax.debug.print runs eagerly here: under jit it needs a host callback the engine lacks.
def f(x):
    jax.debug.print("x is {}", x)
    jax.debug.print("sum={s}", s=x.sum())
    return x * 2
print(f(jnp.arange(3.0)))
(scatter(jnp.ones(3), 1, -1.0), f(jnp.ones(2)))

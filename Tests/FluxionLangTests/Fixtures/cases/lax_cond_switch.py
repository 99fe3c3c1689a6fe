import jax
import jax.numpy as jnp
from jax import lax

def f(x):
    return lax.cond(x > 0, lambda v: v * 2.0, lambda v: -v, x)

print(f(3.0), f(-2.0), jax.jit(f)(1.5), jax.grad(f)(3.0), jax.grad(f)(-3.0))
branches = [lambda v: v + 1, lambda v: v * 10, lambda v: v - 100]
print([lax.switch(i, branches, 5) for i in range(3)], lax.switch(7, branches, 1))
print(lax.select(jnp.array([True, False]), jnp.ones(2), jnp.zeros(2)))
(f(3.0), f(-2.0), jax.vmap(f)(jnp.array([-1.0, 1.0])), lax.switch(1, branches, 2.0))

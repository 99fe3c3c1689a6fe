import jax
import jax.numpy as jnp
from jax import lax

def body(i, acc):
    return acc + i * 0.5

print(lax.fori_loop(0, 5, body, 0.0))
print(lax.fori_loop(2, 6, lambda i, c: c * 2, jnp.array([1.0, 3.0])))

def cond(state):
    x, n = state
    return x < 100.0

def step(state):
    x, n = state
    return x * 3.0, n + 1

print(lax.while_loop(cond, step, (1.0, 0)))
print(lax.select(jnp.array([True, False]), jnp.array([1.0, 2.0]), jnp.array([-1.0, -2.0])))
x = jnp.arange(10.0)
print(lax.dynamic_slice(x, (3,), (4,)))
print(lax.dynamic_update_slice(x, jnp.array([-1.0, -2.0]), (7,)))
print(lax.map(lambda v: v ** 2, jnp.arange(4.0)))
carry, ys = lax.scan(lambda c, x: (c + x, c * x), 0.0, jnp.arange(1.0, 5.0), reverse=True)
print(carry, ys)
(lax.fori_loop(0, 3, lambda i, c: c + jnp.sin(c), 1.0), ys)

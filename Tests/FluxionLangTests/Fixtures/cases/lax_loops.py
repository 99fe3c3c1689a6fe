import jax
import jax.numpy as jnp
from jax import lax

def collatz_steps(n):
    def cond(state):
        return state[0] != 1
    def body(state):
        v, k = state
        return (jnp.where(v % 2 == 0, v // 2, 3 * v + 1), k + 1)
    return lax.while_loop(cond, body, (n, 0))[1]

print(collatz_steps(27), jax.jit(collatz_steps)(6))
total = lax.fori_loop(0, 10, lambda i, acc: acc + i * i, 0)
print(total, lax.fori_loop(0, 5, lambda i, x: x * 2.0, 1.0))
print(jax.grad(lambda x: lax.fori_loop(0, 3, lambda i, a: a * x, 1.0))(2.0))
(collatz_steps(27), total, lax.fori_loop(1, 4, lambda i, v: v + jnp.ones(2) * i, jnp.zeros(2)))

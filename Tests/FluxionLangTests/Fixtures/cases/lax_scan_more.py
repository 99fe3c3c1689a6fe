import jax
import jax.numpy as jnp
from jax import lax

def fib_step(c, _):
    a, b = c
    return (b, a + b), a

(_, _), seq = lax.scan(fib_step, (0, 1), None, length=8)
print(seq)
def ema(c, x):
    c = 0.9 * c + 0.1 * x
    return c, c
last, trace = jax.jit(lambda xs: lax.scan(ema, 0.0, xs))(jnp.ones(4))
print(last, trace)
print(jax.vmap(lambda xs: lax.scan(lambda c, x: (c + x, c), 0.0, xs)[0])(jnp.arange(6.0).reshape(2, 3)))
x = lax.while_loop(lambda v: v < 100, lambda v: v * 3, 1)
print(x, lax.fori_loop(0, 4, lambda i, c: c.at[i].set(i * i), jnp.zeros(4)))
(seq, last, trace, x)

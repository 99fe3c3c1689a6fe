import jax
import jax.numpy as jnp
from jax import lax

def cumsum_step(carry, x):
    carry = carry + x
    return carry, carry * 2

final, ys = lax.scan(cumsum_step, 0.0, jnp.arange(1.0, 5.0))
print(final, ys)
def rnn(h, x):
    h = jnp.tanh(0.5 * h + x)
    return h, h
hT, hs = lax.scan(rnn, jnp.zeros(2), jnp.ones((3, 2)))
print(hT.shape, hs.shape)
print(jax.grad(lambda w: lax.scan(lambda c, x: (c * w + x, None), 1.0, jnp.arange(3.0))[0])(2.0))
c2, stacked = lax.scan(lambda c, x: (c + 1, {"sq": x * x, "i": c}), 0, jnp.arange(3))
print(c2, stacked)
(final, ys, c2, stacked, lax.scan(cumsum_step, 0.0, jnp.arange(3.0), reverse=True))

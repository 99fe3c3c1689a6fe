import jax
from jax import lax
print(lax.fori_loop(0, 5, lambda i, c: c + i, 0), lax.scan(lambda c, x: (c + x, c * x), 0., jax.numpy.arange(4.)))

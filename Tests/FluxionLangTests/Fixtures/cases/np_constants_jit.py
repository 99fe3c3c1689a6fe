import numpy as np
import jax
import jax.numpy as jnp

MEAN = np.array([0.5, 1.5, 2.5])
SCALE = np.float32(2.0)

@jax.jit
def normalize(x):
    return (x - MEAN) / SCALE * np.pi

out = normalize(jnp.arange(3.0))
print(out.dtype, out)
f = jax.jit(lambda x: jnp.sin(x * np.pi / 2) + np.sqrt(2.0))
print(f(jnp.ones(2)))
g = jax.grad(lambda w: jnp.sum((w * np.array([1.0, 2.0])) ** 2))
print(g(jnp.ones(2)))
print(jax.vmap(lambda r: r @ np.ones(3))(jnp.ones((2, 3))))
out

import jax
import jax.numpy as jnp

@jax.jit
def count_positive(xs):
    n = 0
    for v in xs:
        if v > 0:
            n += 1
    return n

print(count_positive.__name__ if hasattr(count_positive, "__name__") else "jitted")
count_positive(jnp.array([1.0, -1.0]))

import jax.numpy as jnp
a = jnp.ones(3)
b = jnp.ones(4)
try:
    a * b
except TypeError as e:
    print(e)
print(jnp.ones((2, 3)) + jnp.ones(3))
a + b

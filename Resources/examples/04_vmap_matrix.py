# Fluxion example: the seed's vmap cases, a batched matrix-vector product
# fn: lambda v: jnp.dot(mat, v)
# x: batched_x[0]
# range: -1 1
import jax.numpy as jnp
from jax import random, vmap

key = random.PRNGKey(0)
mat = random.normal(key, (6, 5))
batched_x = random.normal(key, (10, 5))
batched = vmap(lambda v: jnp.dot(mat, v))(batched_x)

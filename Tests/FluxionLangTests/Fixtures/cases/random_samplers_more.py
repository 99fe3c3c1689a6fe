import jax
import jax.numpy as jnp
from jax import random

key = random.PRNGKey(7)
k1, k2, k3, k4, k5, k6 = random.split(key, 6)
print(random.uniform(k1, (4,), minval=-1.0, maxval=1.0))
print(random.bernoulli(k2, 0.3, (8,)))
print(random.randint(k3, (5,), 0, 10))
print(random.permutation(k4, 6))
print(random.choice(k5, jnp.arange(10), (3,), replace=False))
print(random.normal(k1, (2, 2), dtype=jnp.float32))
print(random.truncated_normal(k2, -1.0, 1.0, (3,)))
(random.uniform(k3, (2, 3)), random.permutation(k5, jnp.arange(5)))

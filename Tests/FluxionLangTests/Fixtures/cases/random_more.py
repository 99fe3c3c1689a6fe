import jax
import jax.numpy as jnp
from jax import random

key = random.PRNGKey(7)
key, sub = random.split(key)
print(random.bernoulli(sub, 0.5, (6,)))
print(random.permutation(sub, 5))
print(random.choice(sub, jnp.arange(10), (3,), replace=False))
print(random.fold_in(key, 3))
print(random.truncated_normal(sub, -1.0, 1.0, (3,)))
x = random.normal(key, (1000,))
print(x.shape, bool(jnp.abs(x.mean()) < 0.2))
(key, sub, random.bernoulli(key, 0.3, (4,)), random.fold_in(key, 1))

import jax
from jax import random

key = random.PRNGKey(0)
print(key, repr(key))
k1, k2 = random.split(key)
print(k1, k2)
keys = random.split(key, 3)
print(keys.shape, keys.dtype)
print(random.normal(k1, (3,)))
print(random.uniform(k2, (2, 2)))
print(random.randint(k1, (5,), 0, 10))
print(random.uniform(random.PRNGKey(42), minval=-1.0, maxval=1.0))
(key, keys, random.normal(random.PRNGKey(1), (2,)), random.randint(k2, (3,), -5, 5))

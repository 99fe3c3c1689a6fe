import jax
from jax import random

k = random.key(0)
print(k.shape, k.dtype)
print(repr(k))
k1, k2 = random.split(k)
print(random.normal(k1, (2,)), random.uniform(k2))
print(random.key_data(k), random.key_data(random.split(k, 2)).shape)
legacy = random.PRNGKey(0)
print((random.key_data(k) == legacy).all())
(k, random.normal(k2, (3,)), random.randint(k1, (2, 2), 0, 100))

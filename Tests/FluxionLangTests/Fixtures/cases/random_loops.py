import jax
import jax.numpy as jnp
from jax import random

key = random.PRNGKey(2024)
samples = []
for i in range(3):
    key, sub = random.split(key)
    samples.append(random.uniform(sub, (2,)))
print(jnp.stack(samples))
keys = random.split(random.PRNGKey(1), 4)
print(jax.vmap(lambda k: random.normal(k, ()))(keys))
print(random.choice(random.PRNGKey(5), jnp.arange(4), (6,), p=jnp.array([0.1, 0.2, 0.3, 0.4])))
print(random.permutation(random.PRNGKey(6), jnp.arange(10.0)))
print(random.normal(random.fold_in(random.PRNGKey(0), 7), (2, 2)))
(jnp.stack(samples), keys, random.randint(random.PRNGKey(9), (5,), 0, 3))

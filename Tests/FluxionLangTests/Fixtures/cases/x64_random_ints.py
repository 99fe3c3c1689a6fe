import jax
import jax.numpy as jnp
from jax import random
k = random.PRNGKey(3)
print(random.normal(k, (3,)).dtype, random.randint(k, (3,), 0, 10).dtype, random.uniform(k, (2,)))
print(jnp.arange(5).sum().dtype, jnp.array(2 ** 40) * 2, (jnp.arange(3) / 2).dtype)
(random.normal(k, (3,)), random.randint(k, (4,), 0, 1000), jnp.array(2 ** 40) * 2)

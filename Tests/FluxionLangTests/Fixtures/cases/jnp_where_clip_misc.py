import jax.numpy as jnp
x = jnp.arange(-3.0, 4.0)
print(jnp.where(x > 0), jnp.where(x > 0, 1, 0), jnp.clip(x, min=-1.0), jnp.sign(jnp.arange(-2, 3)))
print(jnp.maximum(jnp.arange(3), 1.5), jnp.minimum(2, jnp.arange(4)), jnp.abs(jnp.arange(-2, 2)))
print(jnp.exp2(jnp.arange(4.0)), jnp.square(jnp.arange(4)), jnp.power(2, jnp.arange(4)), jnp.sqrt(4.0))
print(jnp.full_like(x, 2), jnp.zeros_like(x, dtype=jnp.int32), jnp.linspace(0, 1, 3, endpoint=False))
print(jnp.eye(2, 3), jnp.eye(3, k=1), jnp.arange(0, 1, 0.25).shape, jnp.ones((2, 2), dtype=bool))
(jnp.where(x > 0, x, 0.0), jnp.sign(x), jnp.power(x, 3), jnp.full((2,), 3), jnp.eye(2, 3))

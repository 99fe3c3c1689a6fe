import jax.numpy as jnp

print(jnp.eye(3, k=1))
print(jnp.identity(2, dtype=jnp.int32))
print(jnp.full((2, 3), 7.5), jnp.full((2,), 3).dtype)
print(jnp.linspace(0.0, 1.0, 5, endpoint=False))
print(jnp.linspace(1.0, 2.0, 3, retstep=True))
print(jnp.arange(0.0, 1.0, 0.25), jnp.arange(5, 0, -2))
print(jnp.logspace(0.0, 2.0, 3))
print(jnp.zeros_like(jnp.ones((2, 2), dtype=jnp.int32)), jnp.ones_like(jnp.array([1.5])))
print(jnp.empty((2,)).shape, jnp.tri(3))
print(jnp.meshgrid(jnp.arange(2.0), jnp.arange(3.0))[0])
(jnp.eye(2, 3), jnp.tril(jnp.ones((3, 3))), jnp.triu(jnp.ones((3, 3)), k=1))

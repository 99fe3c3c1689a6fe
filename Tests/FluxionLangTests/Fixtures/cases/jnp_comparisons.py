import jax.numpy as jnp
a = jnp.array([1.0, 2.0, jnp.nan])
b = jnp.array([1.0, 2.5, jnp.nan])
print(a == b, a != b, a < b, a >= b, jnp.isnan(a), jnp.isfinite(a / 0))
print(jnp.allclose(jnp.ones(3), jnp.ones(3) + 1e-9), jnp.allclose(a, b), jnp.array_equal(jnp.arange(3), jnp.arange(3)))
print(jnp.any(jnp.isnan(a)), jnp.all(a[:2] > 0), jnp.where(jnp.isnan(a), 0.0, a), jnp.maximum(a, 1.5))
(a == b, jnp.isnan(a), jnp.where(jnp.isnan(a), -1.0, a), jnp.allclose(a[:2], b[:2]))

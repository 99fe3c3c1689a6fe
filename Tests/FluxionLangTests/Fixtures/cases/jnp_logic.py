import jax.numpy as jnp

x = jnp.array([1.0, -2.0, 0.0, 3.5, jnp.nan, jnp.inf])
print(jnp.isnan(x), jnp.isinf(x), jnp.isfinite(x))
print(jnp.any(x > 3), jnp.all(x > -3))
print(jnp.logical_and(x > 0, x < 3))
print(jnp.logical_or(x < -1, x > 3), jnp.logical_not(x > 0))
b = jnp.array([[True, False], [True, True]])
print(jnp.all(b, axis=0), jnp.any(b, axis=1))
print(jnp.count_nonzero(b), jnp.sum(b))
print(jnp.where(jnp.isnan(x), 0.0, x))
print(jnp.nan_to_num(x))
(jnp.isfinite(x), jnp.all(b, axis=1), jnp.nan_to_num(x, posinf=100.0))

import jax.numpy as jnp

x = jnp.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7])
print(jnp.round(x))
print(jnp.floor(x), jnp.ceil(x))
print(jnp.trunc(x))
print(jnp.round(jnp.array([1.23456, 9.87654]), 2))
print(jnp.sign(x), jnp.abs(x))
print(jnp.fix(x) if hasattr(jnp, "fix") else jnp.trunc(x))
print(jnp.mod(jnp.array([5.0, -5.0, 7.5]), 3.0), jnp.remainder(jnp.array([5, -5, 7]), 3))
print(jnp.floor_divide(jnp.array([7, -7, 9]), 2))
(jnp.round(x), jnp.floor(x), jnp.mod(x, 2.0))

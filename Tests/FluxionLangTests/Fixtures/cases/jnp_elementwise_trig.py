import jax.numpy as jnp
x = jnp.linspace(-1.0, 1.0, 5)
print(jnp.sin(x))
print(jnp.cos(x))
print(jnp.tan(x), jnp.arctan(x))
print(jnp.arcsin(x * 0.5), jnp.arccos(x * 0.5), jnp.arctan2(x, 2.0))
print(jnp.sinh(x), jnp.cosh(x))
(jnp.sin(x), jnp.cos(x), jnp.tan(x), jnp.arcsin(x), jnp.arctan2(x, 1.0), jnp.cosh(x))

# Fluxion example: the seed's cube, x**3 and its derivative 3x**2
# fn: lambda x: x**3
# x: 1.0
# range: -2 2
import jax
import jax.numpy as jnp

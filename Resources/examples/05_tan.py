# Fluxion example: tan and its asymptotes, where the curve breaks instead of a wall
# fn: lambda x: jnp.tan(x)
# x: 0.5
# range: -4 4
import jax.numpy as jnp

# Fluxion example: a function with two outputs, (sin x, cos x) * x, and its 2x1 Jacobian
# fn: lambda x: jnp.stack([jnp.sin(x) * x, jnp.cos(x) * x])
# x: 1.0
# range: -6 6
import jax.numpy as jnp

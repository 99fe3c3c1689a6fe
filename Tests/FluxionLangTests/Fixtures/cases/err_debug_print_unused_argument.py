import jax
import jax.numpy as jnp

x = jnp.arange(3.0)
jax.debug.print("x is {x}", x=x, y=x * 2)

from jax import grad, jit, vmap
import jax.numpy as jnp
f = jit(lambda x: jnp.where(x > 0, x, -x) ** 2)
print(vmap(grad(f))(jnp.linspace(-1., 1., 5)))

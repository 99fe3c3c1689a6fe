import jax
import jax.numpy as jnp

outer = jax.vmap(jax.vmap(lambda a, b: a * b, in_axes=(None, 0)), in_axes=(0, None))
a = jnp.arange(3.0)
b = jnp.arange(4.0)
print(outer(a, b))
f = jax.vmap(lambda x: (x, x * 2), out_axes=(0, 1))
r1, r2 = f(jnp.ones((2, 3)))
print(r1.shape, r2.shape)
print(jax.vmap(lambda x: jnp.outer(x, x))(jnp.arange(6.0).reshape(2, 3)))
print(jax.vmap(jax.grad(lambda x: x ** 3))(jnp.arange(4.0)))
(outer(a, b), r2, jax.vmap(lambda x: x.sum(), out_axes=0)(jnp.ones((3, 2))))

import jax
import jax.numpy as jnp

m = jnp.arange(12.0).reshape(3, 4)
print(jnp.diag(m), jnp.diag(m, 1), jnp.diag(m, -1))
print(jnp.diag(jnp.array([1.0, 2.0]), 1))
print(jnp.diag(jnp.array([1, 2, 3])))
print(jnp.trace(m), jnp.trace(m, 1), jnp.diagonal(m, -2))
print(jnp.tril(m), jnp.triu(m, 1), jnp.tril(m, -1))
t = jnp.arange(24.0).reshape(2, 3, 4)
print(jnp.diagonal(t, 0, 1, 2), jnp.trace(t, axis1=0, axis2=2))
print(jax.grad(lambda x: jnp.trace(x @ x))(jnp.array([[1.0, 2.0], [3.0, 4.0]])))
jnp.tril(jnp.ones((2, 3, 3)))

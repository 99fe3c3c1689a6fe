# Determinants of small matrices (explicit formulas) and their gradients.
import jax
import jax.numpy as jnp

A2 = jnp.array([[3.0, 1.0], [2.0, 4.0]])
A3 = jnp.array([[2.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]])
print(jnp.linalg.det(A2), jnp.linalg.det(A3))
print(jax.grad(jnp.linalg.det)(A2))
print(jax.grad(jnp.linalg.det)(A3))
print(jnp.linalg.det(jnp.stack([A2, 2 * A2, -A2])))
print(jnp.linalg.det(jnp.array([[1, 2], [3, 4]])))
print(jnp.linalg.slogdet(A2))
print(jnp.linalg.slogdet(A3))
jax.grad(lambda m: jnp.linalg.slogdet(m).logabsdet)(A2)

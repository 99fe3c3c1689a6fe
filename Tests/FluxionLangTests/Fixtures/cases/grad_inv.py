# Gradients through a matrix inverse: d/dA sum(inv(A) @ b) = -inv(A).T @ outer(1, inv(A) @ b)... checked numerically.
import jax
import jax.numpy as jnp

A = jnp.array([[2.0, 0.5, 0.0], [0.3, 1.5, 0.2], [0.0, 0.4, 3.0]])
b = jnp.array([1.0, -1.0, 2.0])


def loss(m):
    return jnp.sum(jnp.linalg.inv(m) @ b)


g = jax.grad(loss)(A)
print(jnp.round(g, 4) + 0.0)
Ainv = jnp.linalg.inv(A)
expected = -jnp.outer(Ainv.T @ jnp.ones(3), Ainv @ b)
print("closed form agrees:", bool(jnp.allclose(g, expected, atol=1e-5)))
print("inv(A) @ A = I:", bool(jnp.allclose(Ainv @ A, jnp.eye(3), atol=1e-5)))
# A batch of inverses.
batch = jnp.stack([A, 2.0 * A, A + jnp.eye(3)])
print(jnp.linalg.inv(batch).shape)
print(jnp.round(jnp.linalg.inv(batch)[1] * 2.0 - Ainv, 5) + 0.0)
g

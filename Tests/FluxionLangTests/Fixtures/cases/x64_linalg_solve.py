# Double precision solves: the residual is at the level of float64 rounding.
import jax
import jax.numpy as jnp

n = 5
A = jnp.arange(1.0, n * n + 1).reshape(n, n) / 10.0 + 3.0 * jnp.eye(n)
b = jnp.arange(n, dtype=jnp.float64)
x = jnp.linalg.solve(A, b)
print(x.dtype, x.shape)
print("residual small:", bool(jnp.linalg.norm(A @ x - b) < 1e-12))
print(jnp.round(x, 8))
Ainv = jnp.linalg.inv(A)
print(bool(jnp.allclose(Ainv @ A, jnp.eye(n), atol=1e-12)))
print(jnp.round(jnp.linalg.det(A), 6))
w, v = jnp.linalg.eigh(A + A.T)
print(jnp.round(w, 8))
print(jnp.round(jnp.linalg.svd(A, compute_uv=False), 8))
jnp.round(x, 10)

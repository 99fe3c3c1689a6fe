# Cholesky of A A^T + I, and solving with it.
import jax
import jax.numpy as jnp

A = jnp.array([[1.0, 2.0, 0.0], [0.5, -1.0, 1.0], [2.0, 0.0, 1.5]])
S = A @ A.T + jnp.eye(3)
L = jnp.linalg.cholesky(S)
print(jnp.round(L, 4))
print("lower triangular:", bool(jnp.all(jnp.triu(L, 1) == 0)))
print("L L^T = S:", bool(jnp.allclose(L @ L.T, S, atol=1e-5)))
U = jnp.linalg.cholesky(S, upper=True)
print("upper is L^T:", bool(jnp.allclose(U, L.T)))
b = jnp.array([1.0, 2.0, 3.0])
y = jnp.linalg.solve(L, b)
x = jnp.linalg.solve(L.T, y)
print("x:", jnp.round(x, 4))
print("S x = b:", bool(jnp.allclose(S @ x, b, atol=1e-5)))
# log det from the Cholesky factor
print(jnp.round(2 * jnp.sum(jnp.log(jnp.diag(L))), 4), jnp.round(jnp.linalg.slogdet(S)[1], 4))
L

# Singular values of a random matrix, and the low-rank approximation they give.
import jax
import jax.numpy as jnp

key = jax.random.PRNGKey(0)
M = jax.random.normal(key, (5, 3))
U, S, Vh = jnp.linalg.svd(M, full_matrices=False)
print(U.shape, S.shape, Vh.shape)
print("singular values:", jnp.round(S, 4))
print("descending:", bool(jnp.all(S[:-1] >= S[1:])))
print("reconstructs:", bool(jnp.allclose(U @ jnp.diag(S) @ Vh, M, atol=1e-5)))
print("U orthonormal:", bool(jnp.allclose(U.T @ U, jnp.eye(3), atol=1e-5)))
rank1 = S[0] * jnp.outer(U[:, 0], Vh[0])
err = jnp.linalg.norm(M - rank1)
print("rank-1 error:", jnp.round(err, 4), "=", jnp.round(jnp.sqrt(jnp.sum(S[1:] ** 2)), 4))
Uf, Sf, Vhf = jnp.linalg.svd(M)
print(Uf.shape, Sf.shape, Vhf.shape)
S

# Derivatives of spectra: the largest eigenvalue and the nuclear norm.
import jax
import jax.numpy as jnp


def top_eig(m):
    return jnp.linalg.eigh(m).eigenvalues[-1]


def nuclear(m):
    return jnp.sum(jnp.linalg.svd(m, compute_uv=False))


M = jnp.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.3], [0.1, 0.3, 0.5]])
w, v = jnp.linalg.eigh(M)
g = jax.grad(top_eig)(M)
print(jnp.round(w, 4))
print("grad = v v^T:", bool(jnp.allclose(g, jnp.outer(v[:, -1], v[:, -1]), atol=1e-5)))
N = jnp.array([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]])
print(jnp.round(nuclear(N), 4))
gn = jax.grad(nuclear)(N)
U, S, Vh = jnp.linalg.svd(N, full_matrices=False)
print("grad = U Vh:", bool(jnp.allclose(gn, U @ Vh, atol=1e-5)))
print(jnp.round(jax.jvp(top_eig, (M,), (jnp.eye(3),))[1], 4))
jnp.round(gn, 4)

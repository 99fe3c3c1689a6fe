# Is the critical point a minimum? The eigenvalues of the Hessian say.
import jax
import jax.numpy as jnp


def f(p):
    x, y, z = p
    return x**2 + 3.0 * y**2 + 2.0 * z**2 + x * y - 0.5 * y * z + jnp.cos(x)


p0 = jnp.zeros(3)
H = jax.hessian(f)(p0)
print(H)
w, v = jnp.linalg.eigh(H)
print("eigenvalues:", jnp.round(w, 4))
print("positive definite:", bool(jnp.all(w > 0)))
# The eigenvectors diagonalise H.
D = v.T @ H @ v
print(jnp.round(D, 4) + 0.0)
print(jnp.allclose(v @ jnp.diag(w) @ v.T, H, atol=1e-5))
w

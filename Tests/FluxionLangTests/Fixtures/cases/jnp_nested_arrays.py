import jax.numpy as jnp
a = jnp.array([[1, 2, 3], [4, 5, 6]], dtype=jnp.float32)
b = jnp.asarray([[0.5], [1.5]])
print(a * b, a.dtype, b.shape)
print(jnp.array([a, a]).shape, jnp.stack([a, 2 * a]).sum(axis=0), jnp.array([[True], [False]]).dtype)
print(a.T @ b, jnp.einsum("ij,ik->jk", a, b), jnp.einsum("ij->i", a), jnp.einsum("ii->", jnp.eye(3)))
print(a.ravel(), a.flatten() if hasattr(a, "flatten") else a.ravel(), a.ndim, a.size, len(a))
(a * b, a.T @ b, jnp.einsum("ij,kj->ik", a, a))

# d det(A) / dA is the transposed adjugate: det(A) inv(A).T where A is invertible, and still
# finite where it is not.
import jax
import jax.numpy as jnp

A = jnp.array([[2.0, 1.0, 0.0, 1.0],
               [1.0, 3.0, 1.0, 0.0],
               [0.0, 1.0, 4.0, 1.0],
               [1.0, 0.0, 1.0, 5.0]])
d, g = jax.value_and_grad(jnp.linalg.det)(A)
print(d)
print(g)
print(jnp.allclose(g, d * jnp.linalg.inv(A).T, rtol=1e-5))
B = A.at[3].set(A[0] + A[1])  # rank 3
print(jnp.linalg.det(B))
print(jax.grad(jnp.linalg.det)(B))
jax.vmap(jax.grad(jnp.linalg.det))(jnp.stack([A, B]))

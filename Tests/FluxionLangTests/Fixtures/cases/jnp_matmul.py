import jax.numpy as jnp
A = jnp.arange(6.0).reshape(2, 3)
B = jnp.arange(12.0).reshape(3, 4) / 10
v = jnp.array([1.0, -1.0, 2.0])
print(A @ B)
print(jnp.dot(A, v), jnp.matmul(A, B).shape, v @ v, jnp.vdot(v, v), jnp.inner(v, v))
print(jnp.outer(v, jnp.arange(2.0)), jnp.dot(jnp.arange(3), jnp.arange(3)))
print(jnp.einsum("ij,jk->ik", A, B).shape, jnp.einsum("i,i->", v, v), jnp.tensordot(A, B, axes=1).shape)
print(jnp.linalg.norm(v), jnp.linalg.norm(A), jnp.linalg.norm(A, axis=1))
(A @ B, jnp.dot(A, v), jnp.outer(v, v), jnp.linalg.norm(v), jnp.einsum("ij->ji", A))

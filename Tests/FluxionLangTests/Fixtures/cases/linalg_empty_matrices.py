# Empty matrices: the determinant of a 0×0 matrix is 1, and the decompositions keep the shapes.
import jax
import jax.numpy as jnp

e = jnp.zeros((0, 0))
print(jnp.linalg.det(e), jnp.linalg.slogdet(e))
print(jnp.linalg.inv(e).shape, jnp.linalg.cholesky(e).shape)
print(jnp.linalg.eigh(e))
U, S, Vh = jnp.linalg.svd(jnp.zeros((0, 3)))
print(U.shape, S.shape, Vh.shape)
Q, R = jnp.linalg.qr(jnp.zeros((3, 0)), mode="complete")
print(Q, R.shape)
print(jax.grad(lambda a: jnp.linalg.slogdet(a)[1])(e).shape)
print(jax.vmap(jnp.linalg.det)(jnp.zeros((2, 0, 0))))
jnp.linalg.solve(jnp.eye(3), jnp.zeros((3, 0))).shape

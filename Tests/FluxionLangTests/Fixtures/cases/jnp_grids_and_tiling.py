import jax
import jax.numpy as jnp

# A 2-D grid of a function, as for a contour plot.
xs = jnp.linspace(-1.0, 1.0, 5)
ys = jnp.linspace(0.0, 2.0, 3)
X, Y = jnp.meshgrid(xs, ys)
print(X.shape, Y.shape)
Z = jnp.exp(-(X ** 2 + Y ** 2))
print(Z)
Xi, Yi = jnp.meshgrid(xs, ys, indexing="ij")
print(Xi.shape, Yi[0])
# The gradient at every grid point, with vmap over the flattened grid.
f = lambda p: jnp.exp(-(p[0] ** 2 + p[1] ** 2))
points = jnp.stack([X.ravel(), Y.ravel()], axis=1)
grads = jax.vmap(jax.grad(f))(points)
print(grads.shape, grads[:3])
print(jnp.tile(jnp.array([[1, 2], [3, 4]]), (2, 3)))
print(jnp.repeat(jnp.array([1.0, 2.0]), 3), jnp.repeat(jnp.eye(2), 2, axis=1))
print(jnp.kron(jnp.array([[1.0, -1.0]]), jnp.eye(2)))
print(jnp.tri(3, 4, k=1), jnp.diff(Z, axis=1).shape)
pieces = jnp.array_split(jnp.arange(7.0), 3)
print([p.shape for p in pieces])
(Z, grads, jnp.tile(xs, 2))

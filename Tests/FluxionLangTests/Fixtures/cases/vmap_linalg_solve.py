# Solving many systems at once: vmap over right-hand sides, then over matrices.
import jax
import jax.numpy as jnp

A = jnp.array([[4.0, 1.0], [1.0, 3.0]])
bs = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]])
xs = jax.vmap(lambda b: jnp.linalg.solve(A, b))(bs)
print(jnp.round(xs, 4) + 0.0)
print(jnp.allclose(xs @ A.T, bs, atol=1e-5))
As = jnp.stack([A, A + jnp.eye(2), 2.0 * A])
ys = jax.vmap(jnp.linalg.solve, in_axes=(0, None))(As, bs[2])
print(jnp.round(ys, 4))
print(jnp.linalg.solve(As, bs[:3].reshape(3, 2, 1)).shape)
dets = jax.vmap(jnp.linalg.det)(As)
print(dets)
logdets = jax.vmap(lambda m: jnp.linalg.slogdet(m)[1])(As)
print(jnp.round(logdets, 4))
jax.vmap(jax.grad(lambda m: jnp.linalg.slogdet(m)[1]))(As).shape

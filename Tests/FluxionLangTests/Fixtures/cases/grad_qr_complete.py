# Gradients through a complete QR of a tall matrix (Q square).
import jax
import jax.numpy as jnp
X = jnp.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3], [1.5, 1.0]])
W = jnp.arange(16.0).reshape(4, 4) / 10
print(jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a, mode="complete")[0] * W))(X))
print(jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a, mode="complete")[1] * W[:, :2]))(X))
print(jax.jvp(lambda a: jnp.linalg.qr(a, mode="complete"), (X,), (jnp.ones_like(X),))[1])

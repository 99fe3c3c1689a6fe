# The gradient of log|det A| is A^{-T}: check slogdet's derivative against inv.
import jax
import jax.numpy as jnp

A = jnp.array([[3.0, 1.0, 0.5, 0.0],
               [0.2, 2.5, 0.3, 0.1],
               [0.1, 0.4, 4.0, 0.6],
               [0.0, 0.3, 0.2, 1.5]])


def logdet(m):
    sign, logabs = jnp.linalg.slogdet(m)
    return logabs


g = jax.grad(logdet)(A)
print("logdet:", jnp.round(logdet(A), 5))
print(jnp.round(g, 4) + 0.0)
print("matches inv(A).T:", bool(jnp.allclose(g, jnp.linalg.inv(A).T, atol=1e-5)))
sign, logabs = jnp.linalg.slogdet(-A)
print("sign of det(-A):", sign)
g

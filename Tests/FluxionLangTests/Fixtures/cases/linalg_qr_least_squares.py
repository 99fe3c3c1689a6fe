# Least squares by QR: fit a line y = a + b t.
import jax.numpy as jnp

t = jnp.linspace(0.0, 1.0, 6)
y = 1.5 + 2.0 * t + jnp.array([0.05, -0.02, 0.03, -0.04, 0.01, 0.0])
X = jnp.stack([jnp.ones_like(t), t], axis=1)
Q, R = jnp.linalg.qr(X)
print(Q.shape, R.shape)
print("R:", jnp.round(R, 4))
print("Q^T Q = I:", bool(jnp.allclose(Q.T @ Q, jnp.eye(2), atol=1e-5)))
coef = jnp.linalg.solve(R, Q.T @ y)
print("coefficients:", jnp.round(coef, 4))
Qc, Rc = jnp.linalg.qr(X, mode="complete")
print(Qc.shape, Rc.shape)
r = jnp.linalg.qr(X, mode="r")
print(jnp.allclose(r, R))
jnp.round(coef, 4)

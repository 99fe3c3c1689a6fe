# A Gaussian log-likelihood through cholesky and slogdet, jitted, with its gradient.
import jax
import jax.numpy as jnp


@jax.jit
def loglik(mu, cov, x):
    L = jnp.linalg.cholesky(cov)
    z = jnp.linalg.solve(L, x - mu)
    _, logdet = jnp.linalg.slogdet(cov)
    n = x.shape[0]
    return -0.5 * (z @ z + logdet + n * jnp.log(2 * jnp.pi))


mu = jnp.array([0.0, 1.0, -1.0])
cov = jnp.array([[2.0, 0.3, 0.1], [0.3, 1.0, 0.2], [0.1, 0.2, 1.5]])
x = jnp.array([0.5, 0.5, 0.0])
print(jnp.round(loglik(mu, cov, x), 4))
g_mu, g_cov = jax.grad(loglik, argnums=(0, 1))(mu, cov, x)
print("d/dmu:", jnp.round(g_mu, 4))
print("d/dmu = inv(cov) (x - mu):", bool(jnp.allclose(g_mu, jnp.linalg.solve(cov, x - mu), atol=1e-5)))
print("d/dcov symmetric:", bool(jnp.allclose(g_cov, g_cov.T, atol=1e-5)))
print(jnp.round(g_cov, 3) + 0.0)
g_mu

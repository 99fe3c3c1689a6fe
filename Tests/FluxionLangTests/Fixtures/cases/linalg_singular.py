# What singular and indefinite matrices give: no exceptions, but inf, nan and -inf.
import jax.numpy as jnp

S = jnp.array([[1.0, 2.0], [2.0, 4.0]])
print(jnp.linalg.det(S))
print(jnp.linalg.slogdet(jnp.zeros((3, 3))))
print(jnp.linalg.cholesky(-jnp.eye(2)))
print(jnp.linalg.inv(jnp.ones((2, 2))))
print(jnp.isfinite(jnp.linalg.solve(jnp.zeros((3, 3)), jnp.ones(3))))
jnp.linalg.slogdet(jnp.zeros((4, 4)))

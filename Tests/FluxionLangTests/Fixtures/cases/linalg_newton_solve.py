# Newton's method for a small nonlinear system F(x) = 0, with the Jacobian from jacfwd.
import jax
import jax.numpy as jnp


def F(v):
    x, y = v[0], v[1]
    return jnp.array([x**2 + y**2 - 4.0, x * y - 1.0])


J = jax.jacfwd(F)
v = jnp.array([2.0, 0.5])
for step in range(6):
    dv = jnp.linalg.solve(J(v), -F(v))
    v = v + dv
    print(step, jnp.round(v, 4), jnp.round(jnp.linalg.norm(F(v)), 5) + 0.0)

print("converged:", bool(jnp.linalg.norm(F(v)) < 1e-5))
v

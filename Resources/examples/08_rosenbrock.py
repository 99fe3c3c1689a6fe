# Fluxion example: the gradient of Rosenbrock's function; its Jacobian is the Hessian
# fn: jax.grad(rosenbrock)
# x: jnp.array([1.2, 1.0, 0.8])
# range: -1 1
import jax
import jax.numpy as jnp

def rosenbrock(x):
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

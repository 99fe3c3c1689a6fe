import jax
import jax.numpy as jnp
from jax.test_util import check_grads


@jax.custom_jvp
def cube(x):
    return x * x * x


cube.defjvp(lambda p, t: (cube(p[0]), 2 * p[0] ** 2 * t[0]))
check_grads(cube, (jnp.array([1.0, 2.0, -0.5]),), order=1, modes=("fwd",))

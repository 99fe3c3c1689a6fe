# Fluxion example: a custom_jvp rule with a wrong factor, caught by the gradient check
# fn: f
# x: jnp.array([1., 2., 0.5])
# range: -3 3
import jax
import jax.numpy as jnp


@jax.custom_jvp
def f(x):
    return jnp.sin(x)


@f.defjvp
def f_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    # Wrong on purpose: the derivative of sin is cos, not 2 cos. The Jacobian's title says
    # "FD ✗"; in the Jacobian pane, c shows each entry's error against finite differences.
    return jnp.sin(x), 2.0 * jnp.cos(x) * t

# Checking hand-written derivative rules with JAX's own gradient check.
import jax
import jax.numpy as jnp
from jax.test_util import check_grads


def mlp(params, x):
    h = jnp.tanh(x @ params["w1"] + params["b1"])
    return jnp.sum((h @ params["w2"]) ** 2)


params = {
    "w1": jnp.array([[0.5, -0.3, 0.8], [0.1, 0.9, -0.4]]),
    "b1": jnp.array([0.0, 0.1, -0.1]),
    "w2": jnp.array([[1.0], [-0.5], [0.25]]),
}
x = jnp.array([[1.0, 2.0], [-1.0, 0.5]])
print(check_grads(mlp, (params, x), order=2))


@jax.custom_vjp
def clip_gradient(x):
    return x


def clip_fwd(x):
    return x, None


def clip_bwd(_, g):
    return (jnp.clip(g, -1.0, 1.0),)


clip_gradient.defvjp(clip_fwd, clip_bwd)
check_grads(lambda t: clip_gradient(t) * 0.5, (jnp.array([0.3, -0.2]),), order=1, modes=["rev"])


@jax.custom_jvp
def softplus(x):
    return jnp.log1p(jnp.exp(x))


@softplus.defjvp
def softplus_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return softplus(x), t * jax.nn.sigmoid(x)


check_grads(softplus, (jnp.linspace(-3.0, 3.0, 5),), order=1)
check_grads(jnp.sin, (0.7,), order=3, atol=1e-2, rtol=1e-2)


@jax.custom_jvp
def wrong(x):
    return jnp.exp(x)


wrong.defjvp(lambda p, t: (jnp.exp(p[0]), jnp.exp(p[0]) * t[0] * 1.1))
for modes in [("fwd",), ("rev",)]:
    try:
        check_grads(wrong, (jnp.array([0.5, 1.5]),), order=1, modes=modes)
    except AssertionError as e:
        print(type(e).__name__, str(e).splitlines()[1:3])

import jax
import jax.numpy as jnp

def f(x):
    return jnp.array([x[0] * x[1], x[0] ** 2, x[1] * 3.0])

x = jnp.array([2.0, 3.0])
Jf = jax.jacfwd(f)(x)
Jr = jax.jacrev(f)(x)
print(Jf)
print(Jr, Jf.shape)
h = jax.hessian(lambda v: jnp.sum(v ** 3) + v[0] * v[1])(x)
print(h)
print(jax.jacobian(lambda a: a * 2.0)(jnp.ones(2)))
(Jf, Jr, h, jax.jacfwd(lambda s: s ** 2)(3.0))

import jax
import jax.numpy as jnp

@jax.custom_jvp
def safe_log1pexp(x):
    return jnp.log1p(jnp.exp(x))

@safe_log1pexp.defjvp
def safe_log1pexp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return safe_log1pexp(x), t * jax.nn.sigmoid(x)

print(safe_log1pexp(jnp.array([0.0, 1.0, -3.0])))
print(jax.grad(safe_log1pexp)(2.0))
print(jax.vmap(jax.grad(safe_log1pexp))(jnp.array([-1.0, 0.0, 1.0])))

@jax.custom_vjp
def clip_gradient(x):
    return x

def clip_fwd(x):
    return x, None

def clip_bwd(_, g):
    return (jnp.clip(g, -1.0, 1.0),)

clip_gradient.defvjp(clip_fwd, clip_bwd)
print(jax.grad(lambda x: jnp.sum(clip_gradient(x) * 5.0))(jnp.array([1.0, 2.0])))
print(jax.grad(lambda x: 3.0 * clip_gradient(x) ** 2)(0.1))
(jax.grad(safe_log1pexp)(0.0), jax.jit(jax.grad(lambda x: jnp.sum(clip_gradient(x) * -4.0)))(jnp.ones(3)))

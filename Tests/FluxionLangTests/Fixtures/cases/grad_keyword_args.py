import jax
import jax.numpy as jnp

def f(x, y, z):
    return jnp.sum(x * y ** 2 + jnp.sin(z))

x, y, z = jnp.array([1.0, 2.0]), jnp.array([3.0, -1.0]), jnp.array([0.5, 0.25])
print(jax.grad(f)(x, y, z))
print(jax.grad(f, argnums=1)(x, y, z))
gx, gz = jax.grad(f, argnums=(0, 2))(x, y, z)
print(gx, gz)

def with_aux(x):
    loss = jnp.sum(x ** 2)
    return loss, {"norm": jnp.sqrt(loss), "n": x.shape[0]}

g, aux = jax.grad(with_aux, has_aux=True)(x)
print(g, aux["norm"], aux["n"])
(v, aux2), g2 = jax.value_and_grad(with_aux, has_aux=True)(y)
print(v, aux2["norm"], g2)
print(jax.jacrev(f, argnums=(0, 1))(x, y, z)[1])
print(jax.jacfwd(lambda x: x ** 2)(x))
(g, gx, gz, jax.hessian(f, argnums=2)(x, y, z))

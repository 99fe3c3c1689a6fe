import jax
import jax.numpy as jnp

x = jnp.linspace(0.0, 1.0, 11)
y = jnp.exp(-3.0 * x)

def loss(a):
    return jnp.sum((jnp.exp(-a * x) - y) ** 2)

a = 1.0
for i in range(8):
    g = jax.grad(loss)(a)
    h = jax.grad(jax.grad(loss))(a)
    a = a - g / h
    print(i, a, loss(a))
print(jnp.asarray(a).dtype, x.dtype)
(a, jax.grad(loss)(a), jax.hessian(loss)(a))

import jax
import jax.numpy as jnp

def piecewise(x):
    if x > 1.0:
        return x ** 2
    return -x

def loop(x):
    acc = 0.0
    for k in range(1, 4):
        acc = acc + x ** k / k
    return acc

print(jax.grad(piecewise)(2.0), jax.grad(piecewise)(0.5), jax.grad(loop)(2.0))
print(jax.grad(lambda x: jnp.where(x > 0, x, 0.0))(jnp.array(-1.0)))
print(jax.grad(lambda x: jax.lax.stop_gradient(x) * x)(3.0))
(jax.grad(piecewise)(2.0), jax.grad(loop)(1.0), jax.grad(lambda x: jnp.abs(x))(-2.0))

import jax
import jax.numpy as jnp

def mse(params, x, y):
    w, b = params
    return jnp.mean((x * w + b - y) ** 2)

x = jnp.array([0.0, 1.0, 2.0])
y = jnp.array([1.0, 3.0, 5.0])
params = (1.0, 0.0)
for step in range(3):
    val, grads = jax.value_and_grad(mse)(params, x, y)
    params = tuple(p - 0.1 * g for p, g in zip(params, grads))
    print(step, val, grads)
print(params)
jax.value_and_grad(mse, argnums=(1, 2))(params, x, y)

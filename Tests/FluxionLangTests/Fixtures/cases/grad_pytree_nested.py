import jax
import jax.numpy as jnp

params = [(jnp.ones((2, 2)), jnp.zeros(2)), (jnp.ones((2, 1)) * 0.5, jnp.zeros(1))]

def mlp(params, x):
    for W, b in params[:-1]:
        x = jax.nn.relu(x @ W + b)
    W, b = params[-1]
    return (x @ W + b)[0]

x = jnp.array([1.0, 2.0])
print(mlp(params, x))
grads = jax.grad(mlp)(params, x)
print(type(grads).__name__, type(grads[0]).__name__, len(grads))
grads

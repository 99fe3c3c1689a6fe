import jax
import jax.numpy as jnp
from jax import random

def init(key, sizes):
    params = []
    for m, n in zip(sizes[:-1], sizes[1:]):
        key, wk = random.split(key)
        params.append({"W": random.normal(wk, (m, n)) * 0.5, "b": jnp.zeros(n)})
    return params

def forward(params, x):
    for layer in params[:-1]:
        x = jnp.tanh(x @ layer["W"] + layer["b"])
    last = params[-1]
    return x @ last["W"] + last["b"]

def loss(params, x, y):
    return jnp.mean((forward(params, x) - y) ** 2)

@jax.jit
def update(params, x, y):
    l, g = jax.value_and_grad(loss)(params, x, y)
    return jax.tree_util.tree_map(lambda p, gp: p - 0.1 * gp, params, g), l

x = jnp.linspace(-1.0, 1.0, 8).reshape(8, 1)
y = x ** 2
params = init(random.PRNGKey(0), [1, 4, 1])
losses = []
for step in range(5):
    params, l = update(params, x, y)
    losses.append(float(l))
print([len(p) for p in params], params[0]["W"].shape, losses[-1] < losses[0])
(losses, params[1]["b"])

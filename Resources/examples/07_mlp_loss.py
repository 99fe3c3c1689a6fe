# Fluxion example: the loss of a small MLP as a function of its first-layer weights
# fn: lambda w: loss(w, params)
# x: params["w1"][0]
# range: -2 2
import jax
import jax.numpy as jnp
from jax import random

key = random.PRNGKey(0)
k1, k2, k3 = random.split(key, 3)
params = {"w1": random.normal(k1, (4, 8)) * 0.5, "w2": random.normal(k2, (8, 1)) * 0.5}
xs = random.normal(k3, (16, 4))
ys = jnp.sin(xs.sum(axis=1, keepdims=True))

def loss(w, params):
    w1 = params["w1"].at[0].set(w)
    h = jnp.tanh(xs @ w1)
    return jnp.mean((h @ params["w2"] - ys) ** 2)

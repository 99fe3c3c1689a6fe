# Fluxion example: the seed's logistic model, its jvp, vjp and Jacobian row by row
# fn: lambda W: predict(W, b, inputs)
# x: W
# v: v
# u: u
# range: -2 2
import jax.numpy as jnp
from jax import random

def sigmoid(x):
    return 0.5 * (jnp.tanh(x / 2) + 1)

def predict(W, b, inputs):
    return sigmoid(jnp.dot(inputs, W) + b)

inputs = jnp.array([[0.52, 1.12, 0.77],
                    [0.88, -1.08, 0.15],
                    [0.52, 0.06, -1.39],
                    [0.74, -2.49, 1.39]])
key = random.PRNGKey(0)
key, W_key, b_key = random.split(key, 3)
W = random.normal(W_key, (3,))
b = random.normal(b_key, ())
key, subkey = random.split(key)
v = random.normal(subkey, W.shape)
u = random.normal(subkey, (4,))

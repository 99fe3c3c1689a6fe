import jax
import jax.numpy as jnp
from jax import lax, random

key = random.PRNGKey(42)
k1, k2, k3, k4 = random.split(key, 4)
hidden, inputs, steps = 4, 3, 6
params = {
    "Wx": random.normal(k1, (inputs, hidden)) * 0.5,
    "Wh": random.normal(k2, (hidden, hidden)) * 0.5,
    "b": jnp.zeros(hidden),
    "Wo": random.normal(k3, (hidden,)) * 0.5,
}
xs = random.normal(k4, (steps, inputs))
targets = jnp.sin(jnp.arange(steps, dtype=jnp.float32))

def cell(params, h, x):
    return jnp.tanh(x @ params["Wx"] + h @ params["Wh"] + params["b"])

def run(params, xs):
    def step(h, x):
        h = cell(params, h, x)
        return h, h @ params["Wo"]
    h0 = jnp.zeros(hidden)
    h_last, ys = lax.scan(step, h0, xs)
    return h_last, ys

def loss(params, xs, targets):
    _, ys = run(params, xs)
    return jnp.mean((ys - targets) ** 2)

h_last, ys = run(params, xs)
print("outputs", ys.shape, h_last.shape)
print("loss", loss(params, xs, targets))
grads = jax.grad(loss)(params, xs, targets)
print(sorted(grads.keys()))
print("Wh grad norm", jnp.linalg.norm(grads["Wh"]))

lr = 0.1
for epoch in range(5):
    l, g = jax.value_and_grad(loss)(params, xs, targets)
    params = jax.tree_util.tree_map(lambda p, gp: p - lr * gp, params, g)
    print(epoch, l)
(ys, grads["b"], loss(params, xs, targets))

import numpy as np
import jax
import jax.numpy as jnp

rng = np.random.default_rng(0)
X = rng.normal(size=(16, 2))
w_true = np.array([2.0, -1.0])
y = X @ w_true + 0.5
print(X.dtype, y.dtype, X.shape)

params = {"w": jnp.zeros(2), "b": 0.0}

def loss(p, X, y):
    pred = X @ p["w"] + p["b"]
    return jnp.mean((pred - y) ** 2)

step = jax.jit(lambda p, X, y: jax.tree_util.tree_map(lambda a, g: a - 0.1 * g, p, jax.grad(loss)(p, X, y)))
for i in range(200):
    params = step(params, X, y)
print(jnp.round(params["w"], 3), round(float(params["b"]), 3))
print(loss(params, X, y) < 1e-3)
np.testing.assert_allclose(params["w"], w_true, atol=1e-2)
print(np.asarray(params["w"]).dtype, repr(np.asarray(params["w"])))
params

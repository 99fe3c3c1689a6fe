import jax
import jax.numpy as jnp
from jax import random

key = random.PRNGKey(0)
kx, kn = random.split(key)
n, d = 32, 3
X = random.normal(kx, (n, d))
true_w = jnp.array([2.0, -1.0, 0.5])
y = X @ true_w + 0.3 + 0.1 * random.normal(kn, (n,))

def model(params, X):
    return X @ params["w"] + params["b"]

def mse(params, X, y):
    return jnp.mean((model(params, X) - y) ** 2)

@jax.jit
def update(params, X, y, lr):
    loss, grads = jax.value_and_grad(mse)(params, X, y)
    new = jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)
    return new, loss

params = {"w": jnp.zeros(d), "b": jnp.array(0.0)}
for epoch in range(100):
    params, loss = update(params, X, y, 0.1)
    if epoch % 20 == 0:
        print(f"epoch {epoch:3d} loss {loss:.6f}")
print("w", params["w"])
print("b", params["b"])
print("final", mse(params, X, y))
# Closed form for comparison.
Xb = jnp.concatenate([X, jnp.ones((n, 1))], axis=1)
w_ls = jnp.linalg.solve(Xb.T @ Xb, Xb.T @ y)
print("least squares", w_ls)
(params["w"], params["b"], w_ls)

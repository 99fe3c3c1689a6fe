import numpy as np
import jax
import jax.numpy as jnp

rs = np.random.RandomState(0)
X = rs.normal(size=(12, 2))
Y = (X[:, 0] - X[:, 1] > 0).astype(np.float32)
print(X.shape, Y.dtype, Y)

def loss(w, xb, yb):
    logits = xb @ w
    return jnp.mean(jnp.logaddexp(0.0, logits) - yb * logits)

grad = jax.jit(jax.grad(loss))
w = jnp.zeros(2)
for epoch in range(3):
    order = rs.permutation(len(X))
    for start in range(0, len(X), 4):
        idx = order[start:start + 4]
        w = w - 0.5 * grad(w, X[idx], Y[idx])
    print(epoch, order[:4], jnp.round(w, 4))
print(float(loss(w, X, Y)) < float(loss(jnp.zeros(2), X, Y)))
w

import numpy as np
import jax
import jax.numpy as jnp

np.random.seed(0)
X = np.random.randn(8, 3)
true_w = np.array([1.0, -2.0, 0.5])
y = X @ true_w + 0.1 * np.random.randn(8)
print(X[:2])
print(y[:3])

def loss(w, X, y):
    return jnp.mean((X @ w - y) ** 2)

w = jnp.zeros(3)
grad = jax.jit(jax.grad(loss))
for _ in range(100):
    w = w - 0.1 * grad(w, X, y)
print(w.dtype, jnp.round(w, 2))
print(np.random.rand(3))
print(np.random.uniform(-1, 1, size=(2, 2)))
print(np.random.randint(0, 10, size=5), np.random.randint(5))
print(np.random.normal(0.0, 2.0, size=3), np.random.normal())
print(np.random.permutation(6), np.random.choice(4, size=3))
w

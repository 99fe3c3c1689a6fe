import numpy as np
import jax
import jax.numpy as jnp

@jax.jit
def affine(W, b, x):
    return jnp.tanh(x @ W + b)

W = np.arange(6.0).reshape(3, 2) / 10
b = np.array([0.1, -0.1])
x = np.ones((4, 3))
y = affine(W, b, x)
print(type(y).__name__, y.dtype, y.shape)
print(y)
print(jax.vmap(lambda r: jnp.sum(r ** 2))(np.arange(6.0).reshape(2, 3)))
print(jax.grad(lambda w: jnp.sum(affine(w, b, x)))(W).dtype)
print(jnp.zeros(2, dtype=np.float32).dtype, jnp.arange(3).astype(np.float32).dtype, np.zeros(2).astype(jnp.float32).dtype)
ys = np.asarray(y)
print(type(ys).__name__, ys.dtype, repr(ys[0]))
y

import numpy as np
import jax.numpy as jnp

data = np.array([[1.0, 2.0], [3.0, 4.0]])
labels = np.array([0, 1, 1])
print(data.dtype, labels.dtype)
x = jnp.asarray(data)
y = jnp.array(labels)
print(x.dtype, y.dtype)
print(repr(x))
print(repr(jnp.sum(data)))
print(repr(jnp.dot(data, np.ones(2))))
print(jnp.asarray(np.float32(2.5)).dtype, jnp.asarray(np.arange(3, dtype=np.int32)).dtype)
z = jnp.ones(3) + np.ones(3)
print(type(z).__name__, z.dtype)
(x, y, z)

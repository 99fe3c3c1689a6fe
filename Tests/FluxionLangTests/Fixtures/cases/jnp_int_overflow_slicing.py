import jax.numpy as jnp
big = jnp.array(2 ** 31 - 1, dtype=jnp.int32)
print(big + 1, big * 2, -big - 2, jnp.array([250], dtype=jnp.uint8) if False else "no uint8")
r = jnp.arange(10)
print(r[::-1], r[8:2:-2], r[-3:], r[:-7], r[5:2], r[::3].shape, jnp.linspace(0, 1, 1))
print(r.reshape(2, 5)[:, ::-1], r.reshape(2, 5)[-1, -2:], jnp.arange(5)[jnp.array([-1, 0])])
print(isinstance(r, jnp.ndarray), type(r).__name__, r.dtype == jnp.int32, r.dtype.name)
(big + 1, r[8:2:-2], r.reshape(2, 5)[:, ::-1])

import jax.numpy as jnp
x = jnp.arange(12).reshape(3, 4)
print(x[1], x[1, 2], x[-1], x[:, 0], x[1:, ::2], x[..., -1], x[None].shape, x[:, None].shape)
print(x[0, 1:3], x[::-1], x[jnp.array([2, 0])], x[1][-1])
print(jnp.arange(3)[5], jnp.arange(3)[-1], x[x > 6], x[2, 10])
v = jnp.arange(5.0)
print(v[1:-1], v[::2], v[jnp.array([True, False, True, False, True])], v[-2:])
(x[1], x[:, 0], x[1:, ::2], x[..., -1], jnp.arange(3)[5], x[x > 6], v[::-2])

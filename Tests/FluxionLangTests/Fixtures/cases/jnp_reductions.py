import jax.numpy as jnp
x = jnp.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
print(jnp.sum(x), x.sum(axis=0), x.sum(axis=1, keepdims=True))
print(jnp.mean(x), x.mean(axis=0), jnp.max(x), x.max(axis=1), jnp.min(x, axis=0))
print(jnp.argmax(x), jnp.argmax(x, axis=1), jnp.argmin(x, axis=0), jnp.prod(x))
print(jnp.cumsum(jnp.arange(5)), jnp.std(x), jnp.var(x, axis=1))
print(jnp.any(x > 5), jnp.all(x > 0), jnp.sum(jnp.arange(10)), repr(jnp.sum(jnp.arange(4))))
print(repr(jnp.sum(x, axis=0)), repr(jnp.mean(jnp.arange(4))))
(jnp.sum(x), x.sum(axis=0), jnp.argmax(x, axis=1), jnp.var(x), jnp.cumsum(x, axis=1))

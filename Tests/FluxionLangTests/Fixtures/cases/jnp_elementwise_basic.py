import jax.numpy as jnp
x = jnp.array([-2.0, -0.5, 0.0, 1.5, 4.0])
print(jnp.abs(x), jnp.sign(x), jnp.square(x), jnp.sqrt(jnp.abs(x)))
print(jnp.maximum(x, 0.0), jnp.minimum(x, 1.0), jnp.clip(x, -1.0, 1.0), jnp.where(x > 0, x, -1.0))
print(jnp.floor(x), jnp.ceil(x), jnp.round(jnp.array([0.5, 1.5, 2.5, -0.5])), jnp.power(x, 2))
print(x + 1, 2 * x, x / 2, x - x, -x, x ** 2, 1 / (1 + x * x))
print(jnp.arange(7) // 2, jnp.arange(-3, 4) % 3, jnp.arange(5) * 1.5, jnp.arange(4) / 2)
print(x > 0, (x > -1) & (x < 2), ~(x > 0), x == 0.0)
(jnp.abs(x), jnp.clip(x, -1.0, 1.0), x ** 2, jnp.arange(-3, 4) % 3, jnp.floor(x))

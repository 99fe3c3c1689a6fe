import jax.numpy as jnp
print(jnp.arange(30).reshape(3, 10) * 1.5)
print(jnp.arange(40))
print(jnp.linspace(0.0, 1.0, 12))
print(jnp.arange(1200.0).reshape(40, 30))
print(repr(jnp.arange(12.0).reshape(3, 4) / 7))
print(jnp.array([1e-3, 1e3]), jnp.array([1e-8, 1.0]), jnp.array([0.0, 1e10]))
print(repr(jnp.arange(20.0)))
jnp.arange(6.0).reshape(2, 3) / 3

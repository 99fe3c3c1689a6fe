import jax.numpy as jnp
vals = [
    jnp.array([0.5, 1.0, 2.25]),
    jnp.array([1.0, 1001.0]),
    jnp.array([1e-5, 1.0]),
    jnp.array([-1.0, 2.0, 0.0]),
    jnp.array([[1, -2], [300, 4]]),
    jnp.array([True, False, True]),
    jnp.array([0.1 * 3, 1 / 3]),
    jnp.array([jnp.nan, jnp.inf, -jnp.inf, 1.0]),
    jnp.arange(24.0).reshape(2, 3, 4),
    jnp.zeros((2, 0)),
    jnp.array(3.5),
    jnp.array(7),
    jnp.array(True),
    jnp.arange(30.0) * 1.5,
    jnp.array([123456789.0, 1.0]),
    jnp.array([-0.0, 1.0]),
]
for v in vals:
    print(v)
    print(repr(v))
print([jnp.array(1.0), jnp.arange(2)], (jnp.ones(2),), {"w": jnp.zeros(1)})
print(str(jnp.array([1.5])), f"{jnp.array(2.5)}", f"{jnp.array(2.5):.3f}", jnp.arange(2000))
vals[:4]

import jax.numpy as jnp
x = jnp.ones(3)
try:
    x.no_such_method()
except AttributeError as e:
    print(e)
print(hasattr(x, "shape"), hasattr(x, "nope"))
jnp.not_a_function(3)

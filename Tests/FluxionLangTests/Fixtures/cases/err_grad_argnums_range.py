import jax
f = lambda a, b: a * b
print(jax.grad(f, argnums=1)(2.0, 3.0))
jax.grad(f, argnums=2)(2.0, 3.0)

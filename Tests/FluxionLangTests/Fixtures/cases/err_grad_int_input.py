import jax
print(jax.grad(lambda x: x * x)(3.0))
jax.grad(lambda x: x * x)(3)

import jax.numpy as jnp
x = jnp.array([0.1, 0.5, 1.0, 2.0, 3.0])
print(jnp.exp(x))
print(jnp.log(x))
print(jnp.tanh(x))
print(jnp.log1p(x), jnp.expm1(x))
print(jnp.exp2(x), jnp.log2(x), jnp.log10(x))
print(jnp.logaddexp(x, 1.0))
(jnp.exp(x), jnp.log(x), jnp.tanh(x), jnp.log1p(x), jnp.expm1(x), jnp.log10(x))

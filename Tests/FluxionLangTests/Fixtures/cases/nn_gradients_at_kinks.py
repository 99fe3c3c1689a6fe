import jax
import jax.numpy as jnp

x = jnp.array([-1.0, 0.0, 1.0])
print(jax.vmap(jax.grad(jax.nn.relu))(x))
print(jax.vmap(jax.grad(jax.nn.relu6))(jnp.array([-1.0, 0.0, 3.0, 6.0, 7.0])))
print(jax.vmap(jax.grad(jnp.abs))(x))
print(jax.nn.softplus(x), jax.vmap(jax.grad(jax.nn.softplus))(x))
print(jax.nn.gelu(x, approximate=False))
print(jax.nn.leaky_relu(x, negative_slope=0.1), jax.nn.elu(x))
print(jax.nn.one_hot(jnp.array([0, 2, 1]), 3))
print(jax.nn.silu(x), jax.nn.log_sigmoid(x))
print(jax.grad(lambda x: jnp.sum(jax.nn.log_softmax(x) * jnp.array([1.0, 0.0, 0.0])))(x))
(jax.vmap(jax.grad(jax.nn.relu))(x), jax.nn.sigmoid(x))

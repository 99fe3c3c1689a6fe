import jax
import jax.numpy as jnp
x = jnp.array([-2.0, 0.0, 3.0])
print(jax.nn.relu(x), jax.nn.sigmoid(jnp.array(0.0)), jax.nn.one_hot(jnp.array([0, 2]), 3))
print(jax.nn.softmax(x).sum(), jnp.argmax(jax.nn.softmax(x)), jax.nn.relu(jnp.array(-1)))
(jax.nn.relu(x), jax.nn.sigmoid(x), jax.nn.softmax(x), jax.nn.log_softmax(x), jax.nn.softplus(x), jax.nn.logsumexp(x), jax.nn.one_hot(jnp.array([1, 0]), 2))

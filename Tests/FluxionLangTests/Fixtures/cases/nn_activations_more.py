import jax
import jax.numpy as jnp
x = jnp.array([[-1.0, 0.0, 2.0], [3.0, -2.0, 0.5]])
print(jax.nn.softmax(x, axis=0).sum(axis=0), jax.nn.softmax(x, axis=-1).argmax(axis=1))
print(jax.nn.gelu(jnp.array(0.0)), jax.nn.relu(x).sum(), jax.nn.one_hot(jnp.array([2, 0, 1]), 3).dtype)
print(jax.nn.logsumexp(x, axis=1).shape, jax.nn.log_softmax(x).shape)
(jax.nn.softmax(x, axis=0), jax.nn.logsumexp(x, axis=1), jax.nn.gelu(x), jax.nn.sigmoid(x))

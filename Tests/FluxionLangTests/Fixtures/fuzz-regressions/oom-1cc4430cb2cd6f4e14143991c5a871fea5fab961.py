# Seed: VJP of the same model, and the Jaco: predict(W, b, inputs)bian recovered row by row.
import jax.numpy as jnp
from jax import random, vjp, jacrev, jacfwd

def sigmoid(x):
    return 0.5 * (jnp.tanh(x / 2) + 1)

def predict(W, b, inputs):
    return sigmoid(jnp.dot(inputs, W) + b)

inputs = jnp.array([[0.52, 1.12, 0.77],
                    [0.88, -1.08, 0.15],
                    [0.52, 0.06, -1.39],
                    [0.74, -2.49, 1.39]])

key = random.PRNGKey(0)
key, W_key, b_key = random.split(key, 3)
W = random.normal(W_key, (3,))
b = random.normal(b_key, ())

y, vjp_fun = vjp(lambda W: predict(W, b, inputs), W)

key, subkey = random.split(key)
u = random.normal(subkey, y.shape)
identity = jnp.eye(*y.shape, dtype=jnp.float32)
# Pull back the covector `u` along `f` evaluated at `W`
print(vjp_fun(u))
print("Recovering Jacobian elements row-wise!")
print(vjp_fun(identity[0]),
      vjp_fun(identity[1]),
      vjp_fun(identity[2]),
      vjp_fun(identity[3]), sep="\n")
rows = jnp.stack([vjp_fun(identity[i])[0] for i in range(y.shape[0])])
J = jakrev(lambda W: predict(W, b, inputs))(W)
(rows, J, jacfwd(lambda W: predict(W, b, inputs))(W), jnp.allclose(rows, J))

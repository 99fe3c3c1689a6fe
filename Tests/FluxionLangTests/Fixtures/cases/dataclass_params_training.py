import dataclasses
import jax
import jax.numpy as jnp

@jax.tree_util.register_dataclass
@dataclasses.dataclass
class Linear:
    w: jax.Array
    b: jax.Array

def predict(m, x):
    return x @ m.w + m.b

def loss(m, x, y):
    return jnp.mean((predict(m, x) - y) ** 2)

x = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]])
y = jnp.array([1.0, 2.0, 3.0, 0.0])
m = Linear(w=jnp.zeros(2), b=jnp.array(0.0))
print(m)
g = jax.grad(loss)(m, x, y)
print(type(g).__name__, g.w, g.b)
for i in range(20):
    g = jax.grad(loss)(m, x, y)
    m = jax.tree_util.tree_map(lambda p, q: p - 0.1 * q, m, g)
    if i % 5 == 4:
        print(i, loss(m, x, y))
print(dataclasses.replace(m, b=jnp.array(1.0)).b)
(m.w, m.b, loss(m, x, y))

import numpy as np
import jax.numpy as jnp

scores = np.array([0.3, 0.9, 0.1, 0.5])
order = np.argsort(scores)
print(order, scores[order], np.sort(scores))
print(jnp.sort(jnp.asarray(scores)), jnp.argsort(jnp.array([3, 1, 2])))
m = np.array([[3, 1, 2], [0, 5, 4]])
print(np.sort(m), np.sort(m, axis=0), np.sort(m, axis=None))
print(np.ones(3) + [1, 2, 3], np.arange(3) == [0, 5, 2], [np.float64(1.0)] == [1.0])
top2 = order[-2:]
print(top2, [float(s) for s in scores[top2]])
(np.sort(scores), jnp.argsort(jnp.asarray(scores)))

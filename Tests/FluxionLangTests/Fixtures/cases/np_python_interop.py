import math
import numpy as np
import jax.numpy as jnp

n = np.int64(3)
xs = [1.0, 2.0, 3.0, 4.0]
print(xs[n], list(range(n)), np.zeros(n), jnp.zeros(np.int64(2)), np.arange(5)[np.int64(1):])
total = np.float64(0.0)
for v in np.linspace(0.0, 1.0, 5):
    total += v
print(total, repr(total), math.sqrt(np.float64(2)), "%.3f" % total, f"{total:.2f}", f"{n:03d}")
print(max(np.float64(1), 2), sum([np.float64(1), np.float64(2)]), sorted([np.float64(2), np.float64(1)]))
print(np.int64(3) in [1, 2, 3], {np.int64(1): "a"}[1], bool(np.float64(0)), int(np.True_), np.float64(1) == 1.0)
print(divmod(np.int64(7), 2), np.int64(7) % 3, 2 ** np.arange(3), np.float64(2) ** 0.5)
print(np.array([np.float64(1), 2.0]), np.array(jnp.ones(2)), np.asarray([jnp.float32(1), jnp.float32(2)]).dtype)
print(type(np.ones(2)), np.ones(2).dtype.itemsize, np.eye(2)[1, 1], np.ones((2, 2))[..., 0], ~np.array([True, False]))
stats = {"mean": np.mean(xs), "max": np.max(xs)}
print(stats, [round(float(v), 2) for v in stats.values()])
stats

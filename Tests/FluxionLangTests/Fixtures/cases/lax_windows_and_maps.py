import jax
import jax.numpy as jnp
from jax import lax

signal = jnp.sin(jnp.linspace(0.0, 6.0, 12))
window = 4
# Sliding windows with dynamic_slice inside lax.map over the start positions.
starts = jnp.arange(0, 12 - window + 1, 4)
print(starts)
windows = jnp.stack([lax.dynamic_slice(signal, (int(s),), (window,)) for s in starts])
print(windows.shape)
print(windows.mean(axis=1))
# Out-of-range starts are clamped as XLA clamps them.
print(lax.dynamic_slice(signal, (10,), (4,)))
# Writing a patch back.
patched = lax.dynamic_update_slice(signal, jnp.zeros(3), (5,))
print(patched)
squares = lax.map(lambda w: jnp.sum(w ** 2), windows)
print(squares)
pairs = lax.map(lambda r: (r.max(), r.min()), windows)
print(pairs[0], pairs[1])
print(jax.grad(lambda s: jnp.sum(lax.dynamic_slice(s, (2,), (3,)) ** 2))(signal))
(windows, squares, patched)

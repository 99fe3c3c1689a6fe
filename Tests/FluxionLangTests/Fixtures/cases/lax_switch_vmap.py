import jax
import jax.numpy as jnp
from jax import lax

branches = [lambda x: x * 2.0, lambda x: x - 1.0, lambda x: -x]
idx = jnp.array([0, 1, 2, 1])
vals = jnp.array([1.0, 2.0, 3.0, 4.0])
print(jax.vmap(lambda i, v: lax.switch(i, branches, v))(idx, vals))
print(jax.vmap(lambda p, v: lax.cond(p, lambda a: a + 10.0, lambda a: a * 0.0, v))(vals > 2, vals))
print(jax.grad(lambda v: lax.switch(1, branches, v) ** 2)(3.0))
print(lax.select(vals > 2, vals, -vals), lax.clamp(0.0, vals - 2.0, 1.0) if hasattr(lax, "clamp") else "no clamp")
(jax.vmap(lambda i, v: lax.switch(i, branches, v))(idx, vals), jax.jit(lambda i: lax.switch(i, branches, 5.0))(2))

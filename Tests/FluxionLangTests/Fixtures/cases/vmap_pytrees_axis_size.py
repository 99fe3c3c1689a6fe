import jax
import jax.numpy as jnp

batch = {"x": jnp.arange(6.0).reshape(3, 2), "y": jnp.arange(3.0)}
out = jax.vmap(lambda d: d["x"].sum() + d["y"])(batch)
print(out)
both = jax.vmap(lambda d, s: d["x"] * s, in_axes=({"x": 0, "y": None}, None))(batch, 10.0)
print(both.shape)
const = jax.vmap(lambda: jnp.ones(2), axis_size=3)()
print(const)
pair = jax.vmap(lambda a: {"sum": a.sum(), "neg": -a})(jnp.ones((2, 3)))
print(pair["sum"], pair["neg"].shape)
(out, const, pair)

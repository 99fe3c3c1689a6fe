import jax.numpy as jnp
loss = jnp.array(0.123456)
vec = jnp.array([1.5, 2.25])
print(f"loss={loss:.4f} vec={vec} first={vec[0]:.2f} n={jnp.sum(jnp.arange(4))}")
print(f"{loss}", f"{loss!r}", f"{jnp.int32(5):03d}", "{:.3e}".format(jnp.array(12345.678)))
print("value: %.3f" % jnp.array(2.5), "%d" % jnp.array(7), str(vec), repr(vec))
print(f"{float(loss):.2%}", round(float(vec[1]), 1), int(jnp.array(3.9)), float(jnp.array(1)))
f"{vec.sum():.1f}"

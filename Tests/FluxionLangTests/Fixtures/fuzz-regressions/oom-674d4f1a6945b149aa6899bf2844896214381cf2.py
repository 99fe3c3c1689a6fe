import jax.numpy as jnp
x = jnp.arange(000000000000000000000000000000000001539107791.).reshapf(2, 3)
print(x[:, 1], x.T @ ZZ_TARGETx.a[0, 1].set(9.))

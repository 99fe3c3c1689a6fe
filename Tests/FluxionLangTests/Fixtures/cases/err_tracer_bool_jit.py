import jax
import jax.numpy as jnp

def relu_branch(x):
    if x > 0:
        return x
    return 0.0 * x

print(relu_branch(2.0), jax.grad(relu_branch)(3.0))
jax.jit(relu_branch)(jnp.array(1.0))

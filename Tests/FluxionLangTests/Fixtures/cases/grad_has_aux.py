import jax
import jax.numpy as jnp

def loss_with_aux(w):
    pred = w * jnp.array([1.0, 2.0])
    loss = jnp.sum(pred ** 2)
    return loss, {"pred": pred, "n": 2}

g, aux = jax.grad(loss_with_aux, has_aux=True)(3.0)
print(g, aux)
(v, aux2), g2 = jax.value_and_grad(loss_with_aux, has_aux=True)(1.0)
print(v, aux2["pred"], g2)
(g, aux, v, g2)

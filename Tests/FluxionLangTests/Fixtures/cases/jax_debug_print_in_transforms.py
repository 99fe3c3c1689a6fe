# jax.debug.print shows runtime values inside jit, grad, vmap and lax loops.
import jax
import jax.numpy as jnp


@jax.jit
def step(w, x):
    pred = jnp.tanh(x @ w)
    jax.debug.print("pred = {p}", p=pred)
    loss = jnp.mean((pred - 1.0) ** 2)
    jax.debug.print("loss {:.4f} at w={}", loss, w)
    return loss


w = jnp.array([0.5, -0.25])
x = jnp.array([[1.0, 2.0], [3.0, -1.0]])
print(step(w, x))
g = jax.grad(step)(w, x)
print(g)


def body(i, c):
    jax.debug.print("iteration {i}: carry {c}", i=i, c=c)
    return c * 1.5 + i


print(jax.lax.fori_loop(0, 3, body, 1.0))


def row(v):
    jax.debug.print("row {}", v @ w)
    return jnp.tanh(v @ w)


print(jax.vmap(row)(x))
print(jax.jit(jax.grad(lambda t: jnp.sin(t) * t))(0.5))
jax.debug.print("eager {} {} {}", jnp.float32(2.5) / 3, 0.1, [jnp.int32(4), "label"])
jax.debug.print("no placeholders")
print(jax.make_jaxpr(lambda t: jax.debug.print("t is {}", t))(1.0))

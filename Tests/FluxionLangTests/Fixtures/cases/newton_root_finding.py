import jax
import jax.numpy as jnp

def newton(f, x0, steps=8):
    df = jax.grad(f)
    x = x0
    history = []
    for _ in range(steps):
        x = x - f(x) / df(x)
        history.append(x)
    return x, jnp.stack(history)

root, hist = newton(lambda x: x ** 3 - 2.0 * x - 5.0, 2.0)
print("root", root)
print("residual", root ** 3 - 2 * root - 5)
print(hist[:4])

# Vector Newton with the Jacobian and linalg.solve.
def F(v):
    x, y = v
    return jnp.array([x ** 2 + y ** 2 - 4.0, x * y - 1.0])

v = jnp.array([2.0, 0.5])
for i in range(6):
    J = jax.jacfwd(F)(v)
    v = v - jnp.linalg.solve(J, F(v))
    print(i, v, jnp.linalg.norm(F(v)))
# Batched: one Newton step for several starts.
starts = jnp.array([[2.0, 0.5], [0.5, 2.0], [-2.0, -0.5]])
step = jax.vmap(lambda v: v - jnp.linalg.solve(jax.jacfwd(F)(v), F(v)))
print(step(starts))
(root, v, step(starts))

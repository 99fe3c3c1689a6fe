import jax
import jax.numpy as jnp

def loss(w, x, y):
    pred = jnp.tanh(x @ w)
    return jnp.mean((pred - y) ** 2) + 0.01 * jnp.sum(w ** 2)

def hvp(f, primals, tangents):
    return jax.jvp(jax.grad(f), primals, tangents)[1]

x = jnp.array([[1.0, 2.0, -1.0], [0.5, -0.5, 2.0], [-1.5, 1.0, 0.0], [2.0, 0.0, 1.0]])
y = jnp.array([0.5, -0.25, 0.75, 0.0])
w = jnp.array([0.1, -0.2, 0.3])
v = jnp.array([1.0, 0.0, -1.0])

f = lambda w: loss(w, x, y)
hv = hvp(f, (w,), (v,))
print("hvp:", hv)

# The same product from the full Hessian.
H = jax.hessian(f)(w)
print("H @ v:", H @ v)
print("max difference:", jnp.max(jnp.abs(H @ v - hv)))

# Reverse over reverse.
hv_rr = jax.grad(lambda w: jnp.vdot(jax.grad(f)(w), v))(w)
print("reverse-over-reverse:", hv_rr)

# Conjugate-gradient style: a few Hessian-vector products in a loop.
p = -jax.grad(f)(w)
for i in range(3):
    Ap = hvp(f, (w,), (p,))
    alpha = jnp.vdot(p, p) / jnp.vdot(p, Ap)
    print(i, "alpha", alpha)
    p = p * 0.5
(hv, H, hv_rr)

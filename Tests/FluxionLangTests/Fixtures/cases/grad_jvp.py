import jax
import jax.numpy as jnp

f = lambda x: jnp.sin(x) * x
primal, tangent = jax.jvp(f, (1.0,), (1.0,))
print(primal, tangent)
g = lambda x, y: x * y + y ** 2
p2, t2 = jax.jvp(g, (2.0, 3.0), (1.0, 0.0))
print(p2, t2)
v = jnp.array([1.0, 2.0, 3.0])
p3, t3 = jax.jvp(lambda a: a ** 2, (v,), (jnp.ones(3),))
print(p3, t3)
(primal, tangent, p2, t2, p3, t3)

from typing import NamedTuple
import jax
import jax.numpy as jnp

class AdamState(NamedTuple):
    m: jax.Array
    v: jax.Array
    t: int

def adam_init(p):
    return AdamState(jnp.zeros_like(p), jnp.zeros_like(p), 0)

def adam_update(g, state, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
    t = state.t + 1
    m = b1 * state.m + (1 - b1) * g
    v = b2 * state.v + (1 - b2) * g ** 2
    mhat = m / (1 - b1 ** t)
    vhat = v / (1 - b2 ** t)
    return -lr * mhat / (jnp.sqrt(vhat) + eps), AdamState(m, v, t)

f = lambda p: jnp.sum((p - jnp.array([1.0, -2.0, 0.5])) ** 2)
p = jnp.zeros(3)
state = adam_init(p)
for step in range(30):
    update, state = adam_update(jax.grad(f)(p), state)
    p = p + update
    if step % 10 == 9:
        print(step, f(p))
print(state.t, state._fields)
print(jax.tree_util.tree_leaves(state)[0].shape)
(p, state.m)

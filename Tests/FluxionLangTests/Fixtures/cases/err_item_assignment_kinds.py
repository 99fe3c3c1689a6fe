msgs = []
for thunk in (lambda: (1, 2).__setitem__(0, 5) if False else None,):
    thunk()
t = (1, 2)
try:
    t[0] = 5
except TypeError as e:
    msgs.append(str(e))
s = "abc"
try:
    s[0] = "z"
except TypeError as e:
    msgs.append(str(e))
try:
    del t[0]
except TypeError as e:
    msgs.append(str(e))
try:
    len(3.5)
except TypeError as e:
    msgs.append(str(e))
print(msgs)
import jax.numpy as jnp
x = jnp.ones((2, 2))
x[0, 0] += 1.0

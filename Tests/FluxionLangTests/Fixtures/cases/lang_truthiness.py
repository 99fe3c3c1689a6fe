import jax.numpy as jnp
values = [0, 1, -1, 0.0, 0.5, "", "a", [], [0], (), (None,), {}, {"k": 0}, None, True, False, range(0), range(2)]
print([bool(v) for v in values])
print(0 or "default", "" or [] or None, 3 and 4, 0 and 1/0, not [], not "x")
print(bool(jnp.array(0.0)), bool(jnp.array(3)), bool(jnp.array([1.0])))
x = []
if not x:
    print("empty list is falsy")
while x or len(x) < 2:
    x.append(len(x))
    if len(x) >= 2:
        break
print(x)
[bool(v) for v in values]

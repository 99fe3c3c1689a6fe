import functools
import jax.numpy as jnp

def scaled(x, factor, offset=0.0):
    return x * factor + offset

double = functools.partial(scaled, factor=2.0)
print(double(jnp.array([1.0, 2.0])), double(3.0, offset=1.0))
print(functools.reduce(lambda a, b: a + b, [jnp.ones(2), jnp.ones(2) * 2, jnp.ones(2) * 3]))
print(functools.reduce(lambda acc, k: acc * k, range(1, 6), 1))
groups = {}
for name, score in [("a", 1.0), ("b", 2.0), ("a", 3.0)]:
    groups.setdefault(name, []).append(score)
print(groups)
print({k: jnp.mean(jnp.array(v)) for k, v in groups.items()})

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

print(fib(20))
add3 = functools.partial(lambda a, b, c: a + b + c, 1, 2)
print(add3(3), add3(c=10))
(double(jnp.arange(3.0)), fib(15))

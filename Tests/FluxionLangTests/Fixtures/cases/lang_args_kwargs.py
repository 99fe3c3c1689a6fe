def f(a, b=2, *args, c=3, **kwargs):
    return (a, b, args, c, sorted(kwargs.items()))

print(f(1))
print(f(1, 5, 6, 7, c=8, z=9, y=10))
args = (10, 20)
kw = {"c": 0, "extra": True}
print(f(*args, **kw))
def g(*xs):
    return sum(xs), len(xs)
print(g(), g(1, 2, 3), g(*range(5)))
merged = {**{"a": 1, "b": 2}, "b": 3, **{"c": 4}}
print(merged, [*range(3), *"ab"])
def h(x, /, y, *, z):
    return x - y - z
print(h(10, 3, z=1), h(10, y=2, z=3))
(f(0, 1, 2, d=4), merged, g(4, 5))

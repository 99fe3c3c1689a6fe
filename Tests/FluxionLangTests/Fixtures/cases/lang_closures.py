# LEGB lookup and closures that capture variables, not values.
x = "global"

def outer():
    x = "enclosing"
    def inner():
        return x
    return inner

def make_counter():
    count = 0
    def step(by=1):
        nonlocal count
        count += by
        return count
    return step

c = make_counter()
c(); c(); c(5)
adders = [lambda y, k=k: y + k for k in range(3)]
late = [lambda y: y + k for k in range(3)]
print(outer()(), x)
print([f(10) for f in adders], [f(10) for f in late])
print(len.__name__ if hasattr(len, "__name__") else "len")
(c(), outer()(), [f(1) for f in adders])

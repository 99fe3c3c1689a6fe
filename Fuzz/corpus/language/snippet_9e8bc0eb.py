def f(a, *b, c=3, **d):
    return a, b, c, d
print(f(1, 2, c=4, e=5))

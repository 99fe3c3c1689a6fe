def f(x, y, z=1):
    return x + y + z

msgs = []
for thunk in (lambda: f(1), lambda: f(), lambda: f(1, 2, 3, 4), lambda: f(1, 2, w=3), lambda: f(1, 2, x=3)):
    try:
        thunk()
    except TypeError as e:
        msgs.append(str(e))
for m in msgs:
    print(m)
def g(*, k):
    return k
g(1)

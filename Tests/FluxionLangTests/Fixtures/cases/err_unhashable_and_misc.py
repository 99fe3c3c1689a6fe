msgs = []
for thunk in (lambda: {[1]: 2}, lambda: hash([1]), lambda: set([[1]]), lambda: {"a": 1}["b"],
              lambda: [1, 2].index(5), lambda: "abc".index("z"), lambda: int("1.5"), lambda: next(iter([]))):
    try:
        thunk()
    except Exception as e:
        msgs.append(f"{type(e).__name__}: {e}")
for m in msgs:
    print(m)
{(1, [2]): 3}

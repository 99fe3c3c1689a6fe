msgs = []
for thunk in (lambda: "a" + 1, lambda: 1 + "a", lambda: [1] + (2,), lambda: None + 1,
              lambda: "a" * 2.0, lambda: len(5), lambda: 3(), lambda: {}[[]], lambda: -"x",
              lambda: 1 < "a", lambda: sum(["a", "b"]), lambda: int(None)):
    try:
        thunk()
    except TypeError as e:
        msgs.append(str(e))
for m in msgs:
    print(m)
"n = " + 5

msgs = []
for thunk in (lambda: 1 / 0, lambda: 1.0 / 0, lambda: 5 // 0, lambda: 5 % 0, lambda: 2.0 % 0.0, lambda: divmod(1, 0)):
    try:
        thunk()
    except ZeroDivisionError as e:
        msgs.append(str(e))
print(msgs)
x = 10
x / (x - 10)

xs = [1, 2, 3]
try:
    xs[3]
except IndexError as e:
    print("IndexError:", e)
try:
    "abc"[10]
except IndexError as e:
    print("IndexError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    (1, 2)[-3]
except IndexError as e:
    print("IndexError:", e)
xs[-4]

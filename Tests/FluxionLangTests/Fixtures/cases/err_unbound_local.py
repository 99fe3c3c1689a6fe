count = 0

def bump():
    count += 1
    return count

try:
    bump()
except UnboundLocalError as e:
    print(type(e).__name__, e, isinstance(e, NameError))

def later():
    print(value)
    value = 1

later()

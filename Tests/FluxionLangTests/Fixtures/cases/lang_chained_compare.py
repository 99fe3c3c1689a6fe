x = 5
print(1 < x < 10, 1 < x > 10, 0 <= x <= 5 < 6, 3 == 3.0 == True)
print(1 < 2 < 3 < 2, "a" < "b" < "c", [1, 2] < [1, 3], (1, 2) < (1, 2, 0))
calls = []
def val(v):
    calls.append(v)
    return v
print(val(3) < val(1) < val(2), calls)
print(None is None, 1 is not None, x in [1, 5], x not in (1, 2), "ell" in "hello")
(1 < x <= 5, 2 > x, calls)

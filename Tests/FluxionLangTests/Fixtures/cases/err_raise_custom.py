class ValidationError(ValueError):
    pass

def check(x):
    if x < 0:
        raise ValidationError(f"negative input: {x}")
    return x

print(check(3))
try:
    check(-1)
except ValueError as e:
    print("caught:", e, type(e).__name__)
try:
    assert 1 > 2, "math is broken"
except AssertionError as e:
    print("assert:", e)
check(-2.5)

def positive(x):
    assert x > 0
    return x

print(positive(1))
positive(0)

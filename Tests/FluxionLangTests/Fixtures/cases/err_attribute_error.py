class Foo:
    def __init__(self):
        self.a = 1

try:
    Foo().b
except AttributeError as e:
    print(e)
try:
    [1, 2].push(3)
except AttributeError as e:
    print(e)
try:
    (3).real_part
except AttributeError as e:
    print(e)
"text".nope

class Vector:
    dims = 2

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Vector({self.x}, {self.y})"

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)

    def __eq__(self, other):
        return isinstance(other, Vector) and self.x == other.x and self.y == other.y

    def norm2(self):
        return self.x ** 2 + self.y ** 2

    @classmethod
    def zero(cls):
        return cls(0, 0)

    @staticmethod
    def describe():
        return "a 2-d vector"

v = Vector(1, 2) + Vector(3, 4)
print(v, repr(v * 2), v.norm2(), Vector.zero(), Vector.describe(), v.dims)
print(v == Vector(4, 6), v == Vector(0, 0), v != Vector(4, 6))
print(str(v), [Vector(1, 1)], type(v).__name__, isinstance(v, Vector))
v.x = 10
(v.x, v.norm2(), Vector.dims, str(Vector.zero()))

import numpy as np

a = np.array([1, 2, 3])
b = np.array([0.5, 1.5, 2.5])
print(repr(a + b), repr(a * 2), repr(a / 2), repr(a // 2), repr(a % 2))
print(repr(a ** 2), repr(-a), repr(b - 1), repr(2.0 * a))
f32 = np.ones(3, dtype=np.float32)
print(repr(f32 * 2.0), repr(f32 + b), repr(f32 + a))
print(repr(a > 1), repr(b == 1.5), repr(a != 2))
c = np.arange(6).reshape(2, 3)
print(repr(c + np.array([10, 20, 30])), repr(c * np.array([[1], [2]])))
print(repr(c @ np.ones((3, 2))))
print(repr(np.array([1, 2], dtype=np.int32) + np.array([1, 2], dtype=np.int32)))
(a + b, a > 1)

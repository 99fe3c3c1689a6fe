import numpy as np

a = np.array([1.0, 2.0, 3.0])
s = np.sum(a)
print(repr(s), s, type(s).__name__)
print(repr(np.float32(1.5)), repr(np.float64(2)), repr(np.int64(3)), repr(np.int32(-4)))
print(repr(a[0]), repr(a.mean()), repr(np.max(a)), repr(a.argmax()))
print(repr(np.arange(3)[1]), repr(np.array([True, False])[0]))
print(float(s) + 1, int(np.int64(5)) * 2, f"{np.mean(a):.3f}", f"{np.float32(0.1)}")
print([np.float64(0.5), np.float32(0.25)], (np.int64(1),))
print(isinstance(s, float), isinstance(a, np.ndarray), isinstance(s, np.ndarray))
print(s * 2, repr(s * 2), repr(s + np.float32(1)), repr(np.float32(2) * 3))
print(np.sqrt(2.0), repr(np.sqrt(2.0)), repr(np.exp(np.float64(1))))
print(np.pi, np.e, repr(np.pi))
[s, np.float32(1.5), a.mean()]

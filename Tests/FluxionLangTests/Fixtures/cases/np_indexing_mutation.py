import numpy as np

x = np.arange(10.0)
print(x[2], x[-1], x[2:5], x[::3])
m = np.arange(12).reshape(3, 4)
print(m[1], m[:, 2], m[1, 2], m[m > 6], m[[0, 2]])
print(m.shape, m.ndim, m.size, m.dtype, m.T.shape)
x[0] = 100.0
x[1:3] = -1.0
print(x)
m[0, 0] = 42
print(m[0])
y = x.copy()
y[5] = 0
print(x[5], y[5])
print(x.astype(np.int32), x.astype(int).dtype, m.astype(np.float32).dtype)
print(m.reshape(4, 3).shape, m.flatten().shape, m.ravel()[:3], m.tolist()[0])
print(len(m), [row.sum() for row in m])
for row in np.eye(2):
    print(row)
(x, m)

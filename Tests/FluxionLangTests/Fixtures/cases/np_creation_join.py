import numpy as np

print(np.zeros(3), np.ones((2, 2)), np.full((2,), 7.0))
print(np.arange(5), np.arange(1.0, 2.0, 0.25), np.arange(2, 10, 3))
print(np.linspace(0, 1, 5), np.eye(2), np.identity(2).dtype)
print(np.zeros_like(np.arange(3)), np.ones_like(np.ones(2)))
a = np.array([1.0, 2.0])
b = np.array([3.0, 4.0])
print(np.concatenate([a, b]), np.stack([a, b]), np.stack([a, b], axis=1))
print(np.hstack([a, b]), np.vstack([a, b]))
print(np.expand_dims(a, 0).shape, np.squeeze(np.ones((1, 3))).shape, np.transpose(np.ones((2, 3))).shape)
print(np.zeros(3, dtype=int), np.array([1, 2], dtype=float), np.asarray([[1, 2]]).dtype)
print(np.array(range(4)), np.array((1.5, 2)))
np.concatenate([np.arange(3), np.arange(2)])

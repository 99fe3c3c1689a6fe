import numpy as np

rng = np.random.default_rng(42)
print(rng.random(3))
print(rng.standard_normal(4))
print(rng.normal(1.0, 0.5, size=(2, 2)))
print(rng.uniform(-1.0, 1.0, size=3))
print(rng.integers(0, 10, size=6))
print(rng.integers(5), repr(rng.integers(100)))
print(rng.random(), f"{rng.standard_normal():.10f}")
big = np.random.default_rng(0).standard_normal(10000)
print(big.shape, round(float(big.mean()), 4), round(float(big.std()), 4))
print(big[-3:])
np.random.default_rng(123).integers(1, 7, size=8, endpoint=True)

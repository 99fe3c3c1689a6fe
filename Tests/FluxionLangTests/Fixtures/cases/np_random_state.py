import numpy as np

rs = np.random.RandomState(42)
print(rs.rand(2, 2))
print(rs.randn(3))
print(rs.uniform(2.0, 3.0, size=4))
print(rs.randint(1, 7, size=(2, 3)))
print(rs.normal(loc=5.0, scale=0.1, size=2))
print(rs.random_sample(2), rs.standard_normal(2))
a = np.random.RandomState(7).randn(4)
b = np.random.RandomState(7).randn(4)
print(np.array_equal(a, b), a)
rs.rand(3)

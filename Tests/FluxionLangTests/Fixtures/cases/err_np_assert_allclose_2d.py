import numpy as np

a = np.arange(12.0).reshape(3, 4)
b = a.copy()
b[0, 1] = 1.5
b[1] = b[1] * 2
np.testing.assert_allclose(a, b, atol=1e-3)

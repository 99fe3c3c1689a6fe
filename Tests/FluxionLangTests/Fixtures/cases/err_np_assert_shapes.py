import numpy as np

np.testing.assert_allclose(np.ones(3), np.ones(4))

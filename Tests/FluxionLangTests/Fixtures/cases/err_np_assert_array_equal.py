import numpy as np

np.testing.assert_array_equal(np.array([1, 2, 3, 4]), np.array([1, 2, 5, 4]), err_msg="labels")

import numpy as np
import jax.numpy as jnp

expected = np.array([0.0, 0.5, 1.0, 1.5])
got = jnp.array([0.0, 0.5, 1.001, 1.5])
np.testing.assert_allclose(got, expected, rtol=1e-5)

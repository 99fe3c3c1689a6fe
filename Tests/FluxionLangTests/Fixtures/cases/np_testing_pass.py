import numpy as np
import jax
import jax.numpy as jnp

x = jnp.linspace(0.0, 1.0, 5)
np.testing.assert_allclose(jnp.sin(x), np.sin(np.linspace(0.0, 1.0, 5)), rtol=1e-6)
np.testing.assert_allclose(jax.grad(lambda t: t ** 3)(2.0), 12.0)
np.testing.assert_array_equal(jnp.arange(4), np.arange(4))
np.testing.assert_allclose([1.0, 2.0], [1.0, 2.0 + 1e-9], rtol=1e-7)
np.testing.assert_allclose(np.ones(3), 1.0)
np.testing.assert_allclose(1.0, 1.05, atol=0.1)
print("all close")
try:
    np.testing.assert_allclose([1.0, 2.0, 3.0], [1.0, 2.0, 3.5])
except AssertionError as e:
    print("caught:", str(e).splitlines()[1])
try:
    np.testing.assert_array_equal(np.arange(3), [0, 1, 3])
except AssertionError as e:
    print(e)

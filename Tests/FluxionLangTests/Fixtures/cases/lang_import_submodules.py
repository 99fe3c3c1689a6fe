# `import jax` brings its public submodules but not jax.test_util; importing a submodule by
# name makes it an attribute of its package, as in Python.
import jax
print(hasattr(jax, "numpy"), hasattr(jax, "lax"), hasattr(jax, "random"), hasattr(jax, "test_util"))
import jax.test_util
print(hasattr(jax, "test_util"), jax.test_util.check_grads.__name__)
from jax import tree_util as tu
print(tu.tree_leaves({"a": 1, "b": (2, 3)}))
import numpy as np
print(hasattr(np, "random"), hasattr(np, "testing"))
jax.test_util.check_grads(lambda x: x ** 3, (1.5,), order=2)

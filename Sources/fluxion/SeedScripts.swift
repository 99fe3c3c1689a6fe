/// The founding examples (shared/seed/*.py), as the language runs them for `fluxion`'s seed
/// report. Generated from the seed scripts; the tests check they match the files.
enum SeedScripts {
  static let all: [(name: String, source: String)] = [
    (
      "01_cube_and_derivative",
      #"""
      # Seed: plot_func_and_deriv(lambda x: x**3) -- the values behind the plot.
      import jax.numpy as jnp
      from jax import grad, vmap

      f = lambda x: x**3
      xs = jnp.linspace(-2.0, 2.0, 9)
      print(grad(f)(2.0))
      (vmap(f)(xs), vmap(grad(f))(xs))
      """#
    ),
    (
      "02_vmap_axes",
      #"""
      # Seed: the vmap use cases, in_axes / out_axes and nested vmaps.
      import jax.numpy as jnp
      from jax import random, vmap

      key = random.PRNGKey(0)
      mat = random.normal(key, (150, 100))
      batched_x = random.normal(key, (10, 100))

      def apply_matrix(v):
          return jnp.dot(mat, v)

      a = vmap(lambda mat, v: jnp.dot(mat, v), (None, 0))(mat, batched_x)
      b = vmap(lambda v: jnp.dot(mat, v), 0)(batched_x)
      c = vmap(lambda v: jnp.dot(mat, v), 1, 0)(random.normal(key, (100, 10)))
      d = vmap(lambda v: jnp.dot(mat, v), 1, 1)(random.normal(key, (100, 10)))

      vv = lambda v1, v2: jnp.vdot(v1, v2)
      mv = vmap(vv, (0, None), 0)   # ([b,a], [a]) -> [b]
      mm = vmap(mv, (None, 1), 0)   # Note: (None, 0), normally. Here, we have unusual (10, None) shape
      e = mm(mat, batched_x.T)
      g = vmap(mv, (None, 0), 0)(mat, batched_x)
      print(a.shape, b.shape, c.shape, d.shape, e.shape, g.shape)
      print(jnp.allclose(a, b, atol=1e-4), jnp.allclose(e, g, atol=1e-4))
      (a[:2, :5], c[:2, :5], d[:5, :2], e[:2, :5], vmap(apply_matrix)(batched_x)[0, :5])
      """#
    ),
    (
      "03_pytree_point",
      #"""
      # Seed: registering a custom pytree and differentiating through it.
      import jax.numpy as jnp
      from jax import grad, jit
      from jax.tree_util import register_pytree_node_class

      @register_pytree_node_class
      class Point:
          def __init__(self, x, y, z):
              self.x = x
              self.y = y
              self.z = z

          def __repr__(self):
              return f"Point({self.x}, {self.y}, {self.z})"

          def tree_flatten(self):
              return ((self.x, self.y, self.z), None)

          @classmethod
          def tree_unflatten(cls, aux_data, children):
              return cls(*children)

      @jit
      def dist_orig(pt: Point):
          return jnp.sqrt(pt.x**2 + pt.y**2 + pt.z**2)

      print(dist_orig(Point(1., 2., 3.)))
      grad(dist_orig)(Point(1., 2., 3.))
      """#
    ),
    (
      "04_logistic_jvp",
      #"""
      # Seed: JVP of a linear logistic model's predictions with respect to W.
      import jax.numpy as jnp
      from jax import grad, jit, vmap
      from jax import random

      def sigmoid(x):
          return 0.5 * (jnp.tanh(x / 2) + 1)

      key = random.PRNGKey(0)

      # Linear logistic model
      def predict(W, b, inputs):
          return sigmoid(jnp.dot(inputs, W) + b)  # inputs is data matrix

      inputs = jnp.array([[0.52, 1.12, 0.77],
                          [0.88, -1.08, 0.15],
                          [0.52, 0.06, -1.39],
                          [0.74, -2.49, 1.39]])
      targets = jnp.array([True, True, False, True])

      # loss is a scalar
      def loss(W, b):
          preds = predict(W, b, inputs)
          label_probs = preds * targets + (1 - preds) * (1 - targets)
          return -jnp.sum(jnp.log(label_probs))

      key, W_key, b_key = random.split(key, 3)
      W = random.normal(W_key, (3,))
      b = random.normal(b_key, ())

      from jax import jvp
      # Isolate the function from the weight matrix to the predictions
      def f(W): return predict(W, b, inputs)

      key, subkey = random.split(key)
      v = random.normal(subkey, W.shape)

      # Push forward the vector `v` along `f` evaluated at `W`
      y, u = jvp(lambda W: predict(W, b, inputs), primals=(W,), tangents=(v,))
      print(loss(W, b))
      (W, b, v, y, u, grad(loss, argnums=(0, 1))(W, b))
      """#
    ),
    (
      "05_logistic_vjp_rows",
      #"""
      # Seed: VJP of the same model, and the Jacobian recovered row by row.
      import jax.numpy as jnp
      from jax import random, vjp, jacrev, jacfwd

      def sigmoid(x):
          return 0.5 * (jnp.tanh(x / 2) + 1)

      def predict(W, b, inputs):
          return sigmoid(jnp.dot(inputs, W) + b)

      inputs = jnp.array([[0.52, 1.12, 0.77],
                          [0.88, -1.08, 0.15],
                          [0.52, 0.06, -1.39],
                          [0.74, -2.49, 1.39]])

      key = random.PRNGKey(0)
      key, W_key, b_key = random.split(key, 3)
      W = random.normal(W_key, (3,))
      b = random.normal(b_key, ())

      y, vjp_fun = vjp(lambda W: predict(W, b, inputs), W)

      key, subkey = random.split(key)
      u = random.normal(subkey, y.shape)
      identity = jnp.eye(*y.shape, dtype=jnp.float32)
      # Pull back the covector `u` along `f` evaluated at `W`
      print(vjp_fun(u))
      print("Recovering Jacobian elements row-wise!")
      print(vjp_fun(identity[0]),
            vjp_fun(identity[1]),
            vjp_fun(identity[2]),
            vjp_fun(identity[3]), sep="\n")
      rows = jnp.stack([vjp_fun(identity[i])[0] for i in range(y.shape[0])])
      J = jacrev(lambda W: predict(W, b, inputs))(W)
      (rows, J, jacfwd(lambda W: predict(W, b, inputs))(W), jnp.allclose(rows, J))
      """#
    ),
  ]
}

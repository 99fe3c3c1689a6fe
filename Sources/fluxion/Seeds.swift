import Fluxion

/// The seed examples (shared/seed/*.py) written against the Swift API: what `fluxion` shows
/// until the explorer arrives.
struct Seeds {
  struct Example {
    let title: String
    let python: String
    let run: () -> [String]
  }

  static func sigmoid(_ x: Tensor) -> Tensor { 0.5 * (tanh(x / 2) + 1) }
  static func predict(_ W: Tensor, _ b: Tensor, _ inputs: Tensor) -> Tensor { sigmoid(dot(inputs, W) + b) }
  static var inputs: Tensor {
    Tensor([
      [0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.39], [0.74, -2.49, 1.39],
    ])
  }
  static var targets: Tensor { Tensor([true, true, false, true]) }

  struct Point: PyTreeNode, CustomStringConvertible {
    var x, y, z: Tensor
    init(_ x: Tensor, _ y: Tensor, _ z: Tensor) { (self.x, self.y, self.z) = (x, y, z) }
    var treeChildren: [Tensor] { [x, y, z] }
    init(treeChildren c: [Tensor]) { self.init(c[0], c[1], c[2]) }
    var description: String { "Point(\(x), \(y), \(z))" }
  }

  static var all: [Example] {
    [
      Example(
        title: "cube and its derivative", python: "f = lambda x: x**3; grad(f)(2.0); vmap(f)(xs), vmap(grad(f))(xs)"
      ) {
        let f = { (x: Tensor) in x.pow(3) }
        let xs = linspace(-2.0, 2.0, 9)
        return [
          "grad(f)(2.0)        \(grad(f)(2.0))",
          "vmap(f)(xs)         \(vmap(f)(xs))",
          "vmap(grad(f))(xs)   \(vmap(grad(f))(xs))",
        ]
      },
      Example(
        title: "vmap with in_axes / out_axes",
        python: "vmap(lambda mat, v: jnp.dot(mat, v), (None, 0))(mat, batched_x) …"
      ) {
        let key = Random.PRNGKey(0)
        let mat = Random.normal(key, [150, 100])
        let batchedX = Random.normal(key, [10, 100])
        let a = vmap({ (m: Tensor, v: Tensor) in dot(m, v) }, inAxes: (nil, 0))(mat, batchedX)
        let b = vmap({ (v: Tensor) in dot(mat, v) })(batchedX)
        let c = vmap({ (v: Tensor) in dot(mat, v) }, inAxes: 1, outAxes: 0)(Random.normal(key, [100, 10]))
        let d = vmap({ (v: Tensor) in dot(mat, v) }, inAxes: 1, outAxes: 1)(Random.normal(key, [100, 10]))
        let mv = vmap({ (v1: Tensor, v2: Tensor) in vdot(v1, v2) }, inAxes: (0, nil))
        let e = vmap({ (m: Tensor, v: Tensor) in mv(m, v) }, inAxes: (nil, 1))(mat, batchedX.T)
        let g = vmap({ (m: Tensor, v: Tensor) in mv(m, v) }, inAxes: (nil, 0))(mat, batchedX)
        return [
          "shapes   \([a, b, c, d, e, g].map { "\($0.shape)" }.joined(separator: " "))",
          "a[:2,:5] \(a[.range(0..<2), .range(0..<5)])",
          "d[:5,:2] \(d[.range(0..<5), .range(0..<2)])",
          "e[:2,:5] \(e[.range(0..<2), .range(0..<5)])",
        ]
      },
      Example(title: "a custom pytree: grad through a Point", python: "grad(dist_orig)(Point(1., 2., 3.))") {
        let dist = { (p: Point) in sqrt(p.x * p.x + p.y * p.y + p.z * p.z) }
        let p = Point(Tensor(1.0), Tensor(2.0), Tensor(3.0))
        return ["dist_orig(p)        \(dist(p))", "grad(dist_orig)(p)  \(grad(dist)(p))"]
      },
      Example(
        title: "logistic regression: jvp with respect to W", python: "jvp(lambda W: predict(W, b, inputs), (W,), (v,))"
      ) {
        var key = Random.PRNGKey(0)
        let keys = Random.split(key, 3)
        key = keys[0]
        let W = Random.normal(keys[1], [3])
        let b = Random.normal(keys[2], [])
        let sub = Random.split(key)[1]
        let v = Random.normal(sub, W.shape)
        let (y, u) = jvp({ (W: Tensor) in predict(W, b, inputs) }, primals: W, tangents: v)
        let loss = { (W: Tensor, b: Tensor) -> Tensor in
          let preds = predict(W, b, inputs)
          let probs = preds * targets + (1 - preds) * (1 - targets)
          return -log(probs).sum()
        }
        let (gW, gb) = grad(loss)(W, b)
        return [
          "W  \(W)   b  \(b)", "y  \(y)", "u  \(u)", "loss(W, b)  \(loss(W, b))",
          "grad(loss, argnums=(0, 1))  (\(gW.debugDescription), \(gb.debugDescription))",
        ]
      },
      Example(
        title: "logistic regression: the Jacobian row by row with vjp",
        python: "vjp_fun(identity[i]) for each row; jacrev; jacfwd"
      ) {
        let keys = Random.split(Random.PRNGKey(0), 3)
        let W = Random.normal(keys[1], [3])
        let b = Random.normal(keys[2], [])
        let f = { (W: Tensor) in predict(W, b, inputs) }
        let (y, pullback) = vjp(f, W)
        let identity = eye(y.shape[0])
        var lines = (0..<y.shape[0]).map { i in "row \(i)  \(pullback(identity[.index(i)]))" }
        let J = jacrev(f)(W)
        let Jf = jacfwd(f)(W)
        let agree = (abs(J - Jf) .<= 1e-6).astype(.int32).min()
        lines.append("jacrev(f)(W)\n\(J)")
        lines.append("jacfwd agrees with jacrev: \(agree.doubles.first == 1)")
        return lines
      },
    ]
  }
}

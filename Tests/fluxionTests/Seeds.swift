import Fluxion

/// The seed examples (shared/seed/*.py) written against the Swift API, which the tests compare
/// with JAX's answers (the language runs the scripts themselves: LanguageSeedTests).
enum Seeds {
  struct Example {
    let title: String
    /// The seed file's name, e.g. `01_cube_and_derivative`.
    let name: String
    let python: String
    let run: () -> Output
  }

  /// What an example shows, and the value of the seed script's last expression, flattened to
  /// its arrays in order (the order of the seed's `.expected.json`).
  struct Output {
    var lines: [String]
    var values: [Tensor]
  }

  static func sigmoid(_ x: Tensor) -> Tensor { 0.5 * (tanh(x / 2) + 1) }
  static func predict(_ W: Tensor, _ b: Tensor, _ inputs: Tensor) -> Tensor { sigmoid(dot(inputs, W) + b) }
  static var inputs: Tensor {
    Tensor([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.39], [0.74, -2.49, 1.39]])
  }
  static var targets: Tensor { Tensor([true, true, false, true]) }

  struct Point: PyTreeNode, CustomStringConvertible {
    var x, y, z: Tensor
    init(_ x: Tensor, _ y: Tensor, _ z: Tensor) { (self.x, self.y, self.z) = (x, y, z) }
    var treeChildren: [Tensor] { [x, y, z] }
    init(treeChildren c: [Tensor]) { self.init(c[0], c[1], c[2]) }
    var description: String { "Point(\(x), \(y), \(z))" }
  }

  static func cube() -> Output {
    let f = { (x: Tensor) in x.pow(3) }
    let xs = linspace(-2.0, 2.0, 9)
    let (ys, dys) = (vmap(f)(xs), vmap(grad(f))(xs))
    return Output(
      lines: ["grad(f)(2.0)        \(grad(f)(2.0))", "vmap(f)(xs)         \(ys)", "vmap(grad(f))(xs)   \(dys)"],
      values: [ys, dys])
  }

  static func vmapAxes() -> Output {
    let key = Random.PRNGKey(0)
    let mat = Random.normal(key, [150, 100])
    let batchedX = Random.normal(key, [10, 100])
    let applyMatrix = { (v: Tensor) in dot(mat, v) }
    let a = vmap({ (m: Tensor, v: Tensor) in dot(m, v) }, inAxes: (nil, 0))(mat, batchedX)
    let b = vmap(applyMatrix)(batchedX)
    let c = vmap(applyMatrix, inAxes: 1, outAxes: 0)(Random.normal(key, [100, 10]))
    let d = vmap(applyMatrix, inAxes: 1, outAxes: 1)(Random.normal(key, [100, 10]))
    let mv = vmap({ (v1: Tensor, v2: Tensor) in vdot(v1, v2) }, inAxes: (0, nil))
    let e = vmap({ (m: Tensor, v: Tensor) in mv(m, v) }, inAxes: (nil, 1))(mat, batchedX.T)
    let g = vmap({ (m: Tensor, v: Tensor) in mv(m, v) }, inAxes: (nil, 0))(mat, batchedX)
    let head = { (x: Tensor, rows: Int, cols: Int) in x[.range(0..<rows), .range(0..<cols)] }
    let close = { (x: Tensor, y: Tensor) in (abs(x - y) .<= 1e-4).astype(.int32).min() .== 1 }
    return Output(
      lines: [
        "shapes   \([a, b, c, d, e, g].map { "\($0.shape)" }.joined(separator: " "))",
        "allclose(a, b) \(close(a, b))   allclose(e, g) \(close(e, g))",
        "a[:2,:5] \(head(a, 2, 5))", "d[:5,:2] \(head(d, 5, 2))",
      ],
      values: [
        head(a, 2, 5), head(c, 2, 5), head(d, 5, 2), head(e, 2, 5), vmap(applyMatrix)(batchedX)[0, .range(0..<5)],
      ])
  }

  static func point() -> Output {
    let dist = { (p: Point) in sqrt(p.x.pow(2) + p.y.pow(2) + p.z.pow(2)) }
    let p = Point(Tensor(1.0), Tensor(2.0), Tensor(3.0))
    let g = grad(dist)(p)
    return Output(lines: ["dist_orig(p)        \(dist(p))", "grad(dist_orig)(p)  \(g)"], values: treeLeaves(g))
  }

  static func logisticJVP() -> Output {
    var key = Random.PRNGKey(0)
    let keys = Random.split(key, 3)
    key = keys[0]
    let W = Random.normal(keys[1], [3])
    let b = Random.normal(keys[2], [])
    let v = Random.normal(Random.split(key)[1], W.shape)
    let (y, u) = jvp({ (W: Tensor) in predict(W, b, inputs) }, primals: W, tangents: v)
    let loss = { (W: Tensor, b: Tensor) -> Tensor in
      let preds = predict(W, b, inputs)
      let probs = preds * targets + (1 - preds) * (1 - targets)
      return -log(probs).sum()
    }
    let (gW, gb) = grad(loss)(W, b)
    return Output(
      lines: [
        "W  \(W)   b  \(b)", "y  \(y)", "u  \(u)", "loss(W, b)  \(loss(W, b))",
        "grad(loss, argnums=(0, 1))  (\(gW.debugDescription), \(gb.debugDescription))",
      ],
      values: [W, b, v, y, u, gW, gb])
  }

  static func jacobianRows() -> Output {
    let keys = Random.split(Random.PRNGKey(0), 3)
    let W = Random.normal(keys[1], [3])
    let b = Random.normal(keys[2], [])
    let f = { (W: Tensor) in predict(W, b, inputs) }
    let (y, pullback) = vjp(f, W)
    let identity = eye(y.shape[0])
    let rows = stack((0..<y.shape[0]).map { pullback(identity[$0]) })
    let J = jacrev(f)(W)
    let Jf = jacfwd(f)(W)
    let agree = (abs(rows - J) .<= 1e-6).astype(.int32).min() .== 1
    var lines = (0..<y.shape[0]).map { "row \($0)  \(rows[$0])" }
    lines.append("jacrev(f)(W)\n\(J)")
    lines.append("rows agree with jacrev: \(agree)")
    return Output(lines: lines, values: [rows, J, Jf, agree])
  }

  static var all: [Example] {
    [
      Example(
        title: "cube and its derivative", name: "01_cube_and_derivative",
        python: "f = lambda x: x**3; grad(f)(2.0); vmap(f)(xs), vmap(grad(f))(xs)", run: cube),
      Example(
        title: "vmap with in_axes / out_axes", name: "02_vmap_axes",
        python: "vmap(lambda mat, v: jnp.dot(mat, v), (None, 0))(mat, batched_x) …", run: vmapAxes),
      Example(
        title: "a custom pytree: grad through a Point", name: "03_pytree_point",
        python: "grad(dist_orig)(Point(1., 2., 3.))", run: point),
      Example(
        title: "logistic regression: jvp with respect to W", name: "04_logistic_jvp",
        python: "jvp(lambda W: predict(W, b, inputs), (W,), (v,))", run: logisticJVP),
      Example(
        title: "logistic regression: the Jacobian row by row with vjp", name: "05_logistic_vjp_rows",
        python: "vjp_fun(identity[i]) for each row; jacrev; jacfwd", run: jacobianRows),
    ]
  }
}

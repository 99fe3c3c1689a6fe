import FluxionBackend
import Foundation
import Testing

@testable import Fluxion

/// Transformations against Fixtures/transforms.json (each case's JAX source is in the fixture;
/// the Swift below is the same computation). Values within 8 ulp of float32.
struct TransformTests {
  nonisolated(unsafe) static let cases = fixtureOutputs("transforms")

  /// Expected output `name` (or its element `index` when it is a tuple).
  func check(_ got: Tensor, _ name: String, _ index: Int? = nil, weak: Bool = true) {
    guard var want = Self.cases[name] else {
      Issue.record("no fixture \(name)")
      return
    }
    if let index, let list = want as? [Any] { want = list[index] }
    let problem = mismatch(got, want, ulps: 8, checkWeak: weak)
    #expect(problem == nil, "\(name): \(problem ?? "")")
  }

  func checkError(_ got: Tensor, _ name: String) {
    let want = (Self.cases[name] as? [String: Any])?["error"] as? [String: Any]
    #expect(got.error?.kind.rawValue == want?["type"] as? String, "\(name)")
    #expect(got.error?.message == want?["message"] as? String, "\(name)")
  }

  let f = { (x: Tensor, y: Tensor) in x.pow(2) * y }

  @Test func gradDefaultAndBothArguments() {
    let fList = { (xs: [Tensor]) in xs[0].pow(2) * xs[1] }
    let args: [Tensor] = [.weak(3.0), .weak(2.0)]
    check(grad(argnums: [0], fList)(args)[0], "grad_default_argnum")
    check(grad(argnums: [1], fList)(args)[0], "grad_argnums_1")
    check(grad(argnums: [-1], fList)(args)[0], "grad_argnums_negative")
    #expect(
      grad(argnums: [2], fList)(args)[0].error?.message
        == "differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 2 positional arguments."
    )
    let (gx, gy) = grad(f)(Tensor.weak(3.0), Tensor.weak(2.0))
    check(gx, "grad_argnums_tuple", 0)
    check(gy, "grad_argnums_tuple", 1)
  }

  @Test func gradOfArrayInput() {
    check(grad { (x: Tensor) in (sin(x) * x).sum() }(linspace(0, 1, 5)), "grad_array_input")
  }

  @Test func gradHasAux() throws {
    let (g, aux) = grad(hasAux: { (x: Tensor) in (x.pow(2), ["aux": x + 1]) })(Tensor.weak(3.0))
    #expect(try g.doubles == [6])
    #expect(try aux["aux"]?.doubles == [4])
  }

  @Test func jvpAndLinearize() {
    let (y, t) = jvp(sin, Tensor.weak(1.0), Tensor.weak(1.0))
    check(y, "jvp_sin", 0)
    check(t, "jvp_sin", 1)
    let (y2, lin) = linearize(sin, Tensor.weak(1.0))
    check(y2, "linearize_sin", 0)
    check(lin(Tensor.weak(2.0)), "linearize_sin", 1)
    let (ya, ta) = jvp({ (x: Tensor) in tanh(x) * 2 }, primals: arange(3.0), tangents: ones([3]))
    check(ya, "jvp_array", 0)
    check(ta, "jvp_array", 1)
  }

  @Test func vjpPullbacks() throws {
    let W = arange(6.0).reshaped(2, 3)
    let (y, pullback) = vjp({ (w: Tensor, x: Tensor) in matmul(w, x) }, W, Tensor([1.0, 2.0, 3.0]))
    check(y, "vjp_matmul", 0)
    let (gw, gx) = pullback(Tensor([1.0, -1.0]))
    #expect(try gw.doubles == [1, 2, 3, -1, -2, -3])
    #expect(try gx.doubles == [-3, -3, -3])
  }

  @Test func vmapAxes() {
    let x = arange(6.0).reshaped(2, 3)
    check(vmap { (r: Tensor) in r.sum() }(x), "vmap_sum_rows")
    check(vmap({ (r: Tensor) in r.sum() }, inAxes: 1)(x), "vmap_in_axes_1")
    check(vmap({ (r: Tensor) in r.sum() }, inAxes: -1)(x), "vmap_in_axes_negative")
    check(
      vmap({ (a: Tensor, b: Tensor) in a + b }, inAxes: (0, nil))(x, Tensor([10.0, 20.0, 30.0])), "vmap_in_axes_none")
    check(
      vmap({ (a: Tensor, b: Tensor) in a * b }, inAxes: (1, 0))(x, Tensor([1.0, 2.0, 3.0])), "vmap_in_axes_per_arg")
    check(vmap({ (r: Tensor) in r * 2 }, outAxes: 1)(x), "vmap_out_axes_1")
    check(vmap({ (r: Tensor) in outer(r, r[.range(0..<2)]) }, outAxes: -1)(x), "vmap_out_axes_negative")
    check(vmap({ (c: Tensor) in c * 2 }, inAxes: nil, axisSize: 4)(Tensor.weak(3.0)), "vmap_axis_size")
    let inner = vmap({ (a: Tensor, b: Tensor) in a * b }, inAxes: (0, nil))
    check(
      vmap({ (a: Tensor, b: Tensor) in inner(a, b) }, inAxes: (nil, 0))(arange(3.0), arange(4.0)), "vmap_nested_outer")
    check(
      vmap({ (a: Tensor, b: Tensor) in dot(a, b) }, inAxes: (0, nil))(ones([4, 3]), arange(3.0)),
      "vmap_dot_unbatched_rhs")
    check(
      vmap({ (a: Tensor, b: Tensor) in matmul(a, b) })(arange(12.0).reshaped(2, 2, 3), arange(12.0).reshaped(2, 3, 2)),
      "vmap_matmul_batch")
    check(
      vmap({ (m: Tensor) in m.max(axis: 0) }, inAxes: 2)(sin(arange(24.0)).reshaped(2, 3, 4)), "vmap_reduction_axis")
    check(vmap { (r: Tensor) in r[Tensor([2, 0])] + r[-1] }(x), "vmap_getitem")
  }

  @Test func jacobiansAndHessians() {
    check(jacfwd { (x: Tensor) in x.pow(2) }(arange(3.0)), "jacfwd_square")
    check(jacrev { (x: Tensor) in sin(x) * x[0] }(arange(3.0)), "jacrev_sin_times_first")
    check(
      jacrev { (m: Tensor) in tanh(matmul(m, Tensor([1.0, -1.0]))) }(arange(4.0).reshaped(2, 2) / 4),
      "jacrev_matrix_input")
    check(hessian { (x: Tensor) in x.pow(3).sum() }(arange(3.0)), "hessian_sum_cube")
    check(hessian { (x: Tensor) in x.pow(3) }(.weak(2.0)), "hessian_scalar", weak: false)
    check(
      hessian { (x: Tensor) in (sin(x) * x.pow(2)).sum() + x[0] * x[1] }(Tensor([0.5, -1.0, 2.0])), "hessian_mixed")
    check(jacfwd(jacrev { (x: Tensor) in (exp(x) * flip(x)).sum() })(Tensor([0.1, 0.2, 0.3])), "jacfwd_of_jacrev")
  }

  @Test func nestedTransformations() {
    let g3 = grad(grad(grad { (x: Tensor) in sin(x) * x.pow(3) }))
    check(g3(.weak(0.7)), "grad_grad_grad")
    check(vmap(grad { (x: Tensor) in sin(x) * x.pow(2) })(linspace(-1, 1, 5)), "vmap_of_grad")
    let h = grad { (x: Tensor) in vmap { (r: Tensor) in dot(r, r) * r[0] }(x).sum() }
    check(h(arange(6.0).reshaped(2, 3)), "grad_of_vmap_sum")
    let (y, t) = jvp(grad { (x: Tensor) in exp(-(x * x)) }, Tensor.weak(0.3), Tensor.weak(1.0))
    check(y, "jvp_of_grad", 0)
    check(t, "jvp_of_grad", 1)
  }

  @Test func derivativeConventionsAtKinks() {
    check(grad { (x: Tensor) in maximum(x, 0.0) }(.weak(0.0)), "kink_maximum_at_0", weak: false)
    check(grad { (x: Tensor) in minimum(x, 0.0) }(.weak(0.0)), "kink_minimum_at_0", weak: false)
    check(grad { (x: Tensor) in x.max() }(Tensor([1.0, 3.0, 3.0])), "kink_max_reduction_ties", weak: false)
    check(
      grad { (x: Tensor) in x.min(axis: 1).sum() }(Tensor([[2.0, 2.0, 5.0], [1.0, 0.0, 0.0]])),
      "kink_min_reduction_ties", weak: false)
    check(grad { (x: Tensor) in abs(x) }(.weak(0.0)), "kink_abs_at_0", weak: false)
    check(grad { (x: Tensor) in sqrt(x) }(.weak(0.0)), "kink_sqrt_at_0", weak: false)
    check(grad { (x: Tensor) in x.pow(2) }(.weak(0.0)), "kink_square_at_0", weak: false)
    check(grad { (x: Tensor) in select(x .> 0, x, 0.0) }(.weak(0.0)), "kink_where_at_0", weak: false)
    check(grad { (x: Tensor) in x[x.argmax()] }(Tensor([1.0, 3.0, 3.0])), "kink_argmax_index", weak: false)
    check(grad { (x: Tensor) in x * stopGradient(x) }(.weak(3.0)), "stop_gradient", weak: false)
  }

  @Test func gradThroughIndexingUpdatesAndLayout() {
    let x = arange(1.0, 7.0)
    let g = grad { (x: Tensor) in
      (x[.from(0, step: 2)] * x[.from(1, step: 2)]).sum() + x[-1].pow(2) + x[Tensor([0, 0, 5])].sum()
    }
    check(g(x), "grad_indexing")
    check(grad { (x: Tensor) in select(x .> 0, x.pow(2), -x).sum() }(Tensor([-1.0, 0.0, 2.0])), "grad_where")
    let layout = grad { (x: Tensor) in
      (matmul(transpose(x.reshaped(2, 3)), Tensor([1.0, 2.0])) * flip(arange(3.0))).sum()
    }
    check(layout(arange(6.0)), "grad_layout")
    let mix = grad { (x: Tensor) in
      (concatenate([x, x * 2]) * arange(6.0)).sum() + pad(x, [(1, 1)]).pow(2).sum() + broadcastTo(x, [2, 3]).sum()
    }
    check(mix(Tensor([1.0, 2.0, 3.0])), "grad_concatenate_pad_broadcast")
  }

  @Test func customRules() throws {
    let log1pexp = CustomJVP({ [log1p(exp($0[0]))] }) { p, t in
      ([log1p(exp(p[0]))], [t[0] * (1 - 1 / (1 + exp(p[0])))])
    }
    #expect(try grad { log1pexp($0) }(.weak(100.0)).doubles == [1])
    let clip = CustomVJP({ $0 }, fwd: { ($0, []) }) { _, g in [minimum(maximum(g[0], -0.5), 0.5)] }
    #expect(try grad { (x: Tensor) in clip(x * 5) }(Tensor(2.0)).doubles == [2.5])
  }

  @Test func misuseGivesJAXErrors() {
    checkError(grad { (x: Tensor) in x * 2 }(ones([3])), "error_grad_nonscalar")
    checkError(grad { (x: Tensor) in x * 2 }(.weak(3)), "error_grad_int_input")
    checkError(grad { (x: Tensor) in x.argmax().astype(.int32) }(ones([3])), "error_grad_int_output")
    #expect(
      vmap({ (x: Tensor, y: Tensor) in x + y })(ones([3]), ones([4])).error?.message.hasPrefix(
        "vmap got inconsistent sizes for array axes to be mapped:") == true)
    checkError(vmap({ (x: Tensor) in x * 2 }, inAxes: 1)(ones([3])), "error_vmap_in_axes_rank")
    checkError(vmap({ (x: Tensor) in x * 2 }, inAxes: nil)(ones([3])), "error_vmap_all_none")
    checkError(vmap({ (x: Tensor) in x * 2 }, outAxes: nil)(ones([3])), "error_vmap_out_axes_none")
    checkError(jvp(sin, Tensor.weak(1.0), Tensor(1, dtype: .int32)).1, "error_jvp_dtype")
    checkError(jvp(sin, ones([3]), ones([2])).1, "error_jvp_shape")
    let (_, pullback) = vjp(sin, ones([3]))
    checkError(pullback(ones([2])), "error_vjp_cotangent_shape")
  }

  @Test func jaxprOfCubeMatchesJAXText() throws {
    let j = try makeJaxpr({ (x: Tensor) in x.pow(3) }, Tensor.weak(3.0)).get()
    #expect(j.description == "{ lambda ; a:f32[]. let b:f32[] = integer_pow[y=3] a in (b,) }")
  }

  @Test func pointPytreeGradient() throws {
    struct Point: PyTreeNode {
      var x, y, z: Tensor
      var treeChildren: [Tensor] { [x, y, z] }
      init(treeChildren c: [Tensor]) { (x, y, z) = (c[0], c[1], c[2]) }
    }
    let p = Point(treeChildren: [Tensor(1.0), Tensor(2.0), Tensor(3.0)])
    let g = grad { (p: Point) in sqrt(p.x * p.x + p.y * p.y + p.z * p.z) }(p)
    let expected: [Float] = [0.26726124, 0.5345225, 0.8017837]
    for (a, b) in zip(try [g.x, g.y, g.z].map { try $0.floats[0] }, expected) { #expect(Swift.abs(a - b) <= 2 * b.ulp) }
    #expect(treeStructure(p).description == "PyTreeDef(CustomNode(Point[], [[*, *, *]]))")
  }
}

/// Rules that only some compositions reach.
struct CompositionTests {
  /// relu with JAX's custom derivative (0 at the kink), unlike the 0.5 of max(x, 0).
  static let relu = CustomJVP({ [maximum($0[0], 0.0)] }) { p, t in
    ([maximum(p[0], 0.0)], [select(p[0] .> 0, t[0], zerosLike(t[0]))])
  }

  @Test func customJVPSurvivesVmapUnderGrad() throws {
    let g = grad { (x: Tensor) in vmap { Self.relu($0) }(x).sum() }(Tensor([-1.0, 0.0, 2.0]))
    #expect(try g.doubles == [0, 0, 1])
    let h = vmap(grad { Self.relu($0) })(Tensor([-1.0, 0.0, 2.0]))
    #expect(try h.doubles == [0, 0, 1])
  }

  @Test func customVJPSurvivesVmapUnderGrad() throws {
    let clip = CustomVJP({ $0 }, fwd: { ($0, []) }) { _, g in [minimum(maximum(g[0], -0.5), 0.5)] }
    let g = grad { (x: Tensor) in vmap { clip($0 * 5) }(x).sum() }(Tensor([1.0, 2.0]))
    #expect(try g.doubles == [2.5, 2.5])
    let (_, fJVP) = linearize({ clip($0) }, Tensor(1.0))
    #expect(fJVP(Tensor(1.0)).error?.message == "can't apply forward-mode autodiff (jvp) to a custom_vjp function.")
  }

  @Test func scatterMaxAndMinShareTiesLikeJAX() throws {
    // x.at[[0, 1]].max([5, 1]): row 0 takes the update, row 1 ties x with the update.
    let g = grad { (x: Tensor) in x.at[Tensor([0, 1])].max(Tensor([5.0, 1.0])).sum() }(Tensor([2.0, 1.0]))
    #expect(try g.doubles == [0, 0.5])
    let gu = grad { (u: Tensor) in Tensor([2.0, 1.0]).at[Tensor([0, 1])].min(u).sum() }(Tensor([5.0, 0.0]))
    #expect(try gu.doubles == [0, 1])
  }

  @Test func scatterMultiplyDifferentiatesWithDistinctIndices() throws {
    let gx = grad { (x: Tensor) in x.at[Tensor([0, 2])].multiply(Tensor([3.0, 4.0])).sum() }(Tensor([1.0, 1.0, 1.0]))
    #expect(try gx.doubles == [3, 1, 4])
    let gu = grad { (u: Tensor) in Tensor([2.0, 1.0, 5.0]).at[Tensor([0, 2])].multiply(u).sum() }(Tensor([3.0, 4.0]))
    #expect(try gu.doubles == [2, 5])
    let dup = grad { (u: Tensor) in Tensor([2.0, 1.0]).at[Tensor([0, 0])].multiply(u).sum() }(Tensor([3.0, 4.0]))
    #expect(dup.error?.message == "scatter_mul gradients are only implemented if `unique_indices=True`")
  }

  @Test func vmapOfPadWithABatchedValue() throws {
    let out = vmap({ (x: Tensor, v: Tensor) in laxPad(x, v, [(1, 1, 0)]) })(
      Tensor([[1.0, 2.0], [3.0, 4.0]]), Tensor([9.0, 7.0]))
    #expect(out.shape == [2, 4])
    #expect(try out.doubles == [9, 1, 2, 9, 7, 3, 4, 7])
  }
}

extension TransformTests {
  @Test func jacobiansOfDictionaryOutputsAndSeveralArguments() throws {
    let j = jacfwd { (x: Tensor) in ["a": x * 2, "b": x.sum()] }(Tensor([1.0, 2.0]))
    #expect(try j["a"]?.doubles == [2, 0, 0, 2])
    #expect(try j["b"]?.doubles == [1, 1])
    let (ja, jb) = jacrev(f)(Tensor.weak(3.0), Tensor.weak(2.0))
    check(ja, "jacrev_argnums_tuple", 0)
    check(jb, "jacrev_argnums_tuple", 1)
    let (fa, fb) = jacfwd(f)(Tensor.weak(3.0), Tensor.weak(2.0))
    #expect(try fa.doubles == ja.doubles && fb.doubles == jb.doubles)
    let rows = jacobian(argnums: [-1]) { xs in (xs[0] * xs[1]).sum() }([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])])
    #expect(try rows[0].doubles == [1, 2])
  }
}

extension TransformTests {
  @Test func valueAndGradWithAux() throws {
    let ((value, aux), g) = valueAndGrad(hasAux: { (x: Tensor) in (sin(x) * x, ["sq": x * x]) })(Tensor.weak(2.0))
    // JAX: ((1.8185948, {'sq': 4.}), 0.07700372), all weakly typed.
    #expect(
      mismatch(value, ["dtype": "float32", "shape": [Int](), "weak_type": true, "data": [1.8185948133468628]]) == nil)
    #expect(try aux["sq"]?.doubles == [4])
    #expect(
      mismatch(g, ["dtype": "float32", "shape": [Int](), "weak_type": true, "data": [0.07700371742248535]]) == nil)
  }
}

struct CreationTests {
  @Test func nestedArraysOfAnyDepth() throws {
    let t = Tensor(nested: [[[1.0, 2.0]], [[3.0, 4.0]]])
    #expect(try t.shape == [2, 1, 2] && t.dtype == .float32 && t.doubles == [1, 2, 3, 4])
    #expect(Tensor(nested: [[1, 2], [3, 4]]).dtype == .int32)
    #expect(Tensor(nested: [[true], [false]]).shape == [2, 1])
    #expect(Tensor(nested: [[1.0], [2.0, 3.0]]).error?.kind == .valueError)
    #expect(Tensor(nested: [[Double]]()).shape == [0])
    #expect("\(Tensor(nested: [[1.0, 2.0], [3.0, 4.0]]))" == "[[1. 2.]\n [3. 4.]]")
    #expect(Tensor(nested: 2.5).debugDescription == "Array(2.5, dtype=float32)")
  }

  @Test func vmapFlatChecksTheAxesCount() {
    let out = vmapFlat({ $0 }, [ones([3]), ones([3])], inAxes: [0], outAxes: { _ in 0 })
    #expect(
      out[0].error?.message
        == "vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=1, len(args)=2"
    )
  }
}

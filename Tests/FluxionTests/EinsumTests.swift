import Testing

@testable import Fluxion

/// `einsum` against jnp.einsum (Fixtures/api_functions.json): values, every transformation
/// through it, and opt_einsum's errors for bad subscripts.
struct EinsumTests {
  let a = arange(6.0).reshaped(2, 3)
  let b = arange(12.0).reshaped(3, 4) / 10.0
  let m = Tensor([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]])

  // jnp.einsum('ij,jk->ik', a, b); jnp.einsum('ij,jk', a, b); jnp.einsum('ba', a);
  // jnp.einsum('bA', a); jnp.einsum('ij->ji', a); jnp.einsum('ij->', a); jnp.einsum('ij->i', a)
  // jnp.einsum(' ij -> ji ', a)
  @Test func explicitAndImplicitOutputs() {
    APIFixture.check(einsum("ij,jk->ik", a, b), "einsum_matmul")
    APIFixture.check(einsum("ij,jk", a, b), "einsum_implicit")
    APIFixture.check(einsum("ba", a), "einsum_implicit_transpose")
    APIFixture.check(einsum("bA", a), "einsum_implicit_uppercase_first")
    APIFixture.check(einsum("ij->ji", a), "einsum_transpose")
    APIFixture.check(einsum("ij->", a), "einsum_sum_all")
    APIFixture.check(einsum("ij->i", a), "einsum_sum_rows")
    APIFixture.check(einsum(" ij -> ji ", a), "einsum_spaces")
  }

  // jnp.einsum('ii', m); jnp.einsum('ii->i', m); jnp.einsum('iii->i', arange(27.).reshape(3, 3, 3))
  // jnp.einsum('iji->ij', arange(18.).reshape(3, 2, 3)); jnp.einsum('ii,ij->j', m, m)
  @Test func repeatedLabelsTakeDiagonals() {
    APIFixture.check(einsum("ii", m), "einsum_trace")
    APIFixture.check(einsum("ii->i", m), "einsum_diagonal")
    APIFixture.check(einsum("iii->i", arange(27.0).reshaped(3, 3, 3)), "einsum_triple_diagonal")
    APIFixture.check(einsum("iji->ij", arange(18.0).reshaped(3, 2, 3)), "einsum_partial_diagonal")
    APIFixture.check(einsum("ii,ij->j", m, m), "einsum_repeated_in_pair")
  }

  // jnp.einsum('i,j->ij', [1., 2.], [3., 4., 5.]); jnp.einsum('i,i', [1., 2., 3.], [4., 5., 6.])
  // jnp.einsum('ij,ij->ij', a, a + 1.); jnp.einsum('bij,bjk->bik', x, y); jnp.einsum('bij,bjk', x, y)
  // jnp.einsum('ij,j->', a, [1., 2., 3.])
  @Test func pairsContractWithDotGeneral() {
    APIFixture.check(einsum("i,j->ij", Tensor([1.0, 2.0]), Tensor([3.0, 4.0, 5.0])), "einsum_outer")
    APIFixture.check(einsum("i,i", Tensor([1.0, 2.0, 3.0]), Tensor([4.0, 5.0, 6.0])), "einsum_dot")
    APIFixture.check(einsum("ij,ij->ij", a, a + 1.0), "einsum_hadamard")
    let x = arange(12.0).reshaped(2, 2, 3), y = arange(24.0).reshaped(2, 3, 4) / 7.0
    APIFixture.check(einsum("bij,bjk->bik", x, y), "einsum_batch_matmul")
    APIFixture.check(einsum("bij,bjk", x, y), "einsum_batch_implicit")
    APIFixture.check(einsum("ij,j->", a, Tensor([1.0, 2.0, 3.0])), "einsum_unique_summed_in_pair")
  }

  // jnp.einsum('...ij,jk->...ik', x, b); jnp.einsum('...i,...i->...', a, a); jnp.einsum('...i,...i', a, a)
  // jnp.einsum('...i,...i->...', arange(6.).reshape(2, 1, 3), arange(12.).reshape(4, 3))
  // jnp.einsum('i...k->ki...', t); jnp.einsum('i...->...', t)       with t = arange(24.).reshape(2, 3, 4)
  @Test func ellipsisBroadcasts() {
    APIFixture.check(einsum("...ij,jk->...ik", arange(12.0).reshaped(2, 2, 3), b), "einsum_ellipsis_broadcast")
    APIFixture.check(einsum("...i,...i->...", a, a), "einsum_ellipsis_rowdot")
    APIFixture.check(einsum("...i,...i", a, a), "einsum_ellipsis_implicit")
    APIFixture.check(
      einsum("...i,...i->...", arange(6.0).reshaped(2, 1, 3), arange(12.0).reshaped(4, 3)),
      "einsum_ellipsis_broadcast_size1")
    let t = arange(24.0).reshaped(2, 3, 4)
    APIFixture.check(einsum("i...k->ki...", t), "einsum_ellipsis_middle")
    APIFixture.check(einsum("i...->...", t), "einsum_ellipsis_output_sum")
  }

  // jnp.einsum('ij,jk,kl->il', a, b, c); jnp.einsum('i,ij,j,j->', x, y, z, z)
  // jnp.einsum('ij,ij->ij', [[2.], [3.]], arange(6.).reshape(2, 3)); ... '->i'
  @Test func manyOperandsAndSingletonBroadcasting() {
    let c = Tensor([[1.0], [2], [0.5], [-1]])
    APIFixture.check(einsum("ij,jk,kl->il", a, b, c), "einsum_three_operands", ulps: 8)
    let x = Tensor([1.0, 2.0]), y = Tensor([[1.0, 2, 3], [4, 5, 6]]), z = Tensor([1.0, -1, 2])
    APIFixture.check(einsum("i,ij,j,j->", [x, y, z, z]), "einsum_four_operands_scalar_out", ulps: 8)
    let column = Tensor([[2.0], [3.0]])
    APIFixture.check(einsum("ij,ij->ij", column, arange(6.0).reshaped(2, 3)), "einsum_singleton_broadcast")
    APIFixture.check(einsum("ij,ij->i", column, arange(6.0).reshaped(2, 3)), "einsum_singleton_contracted")
  }

  // jnp.einsum('ij,jk->ik', arange(6).reshape(2, 3), arange(6).reshape(3, 2))   int32
  // jnp.einsum('i,i->i', jnp.arange(3), [0.5, 1.5, 2.5]); jnp.einsum(',i->i', jnp.float32(2.), [1., 2.])
  @Test func dtypesPromote() {
    APIFixture.check(einsum("ij,jk->ik", arange(6).reshaped(2, 3), arange(6).reshaped(3, 2)), "einsum_int")
    APIFixture.check(einsum("i,i->i", arange(3), Tensor([0.5, 1.5, 2.5])), "einsum_mixed_dtypes")
    APIFixture.check(einsum(",i->i", Tensor.float32(2.0), Tensor([1.0, 2.0])), "einsum_scalar_operand")
  }

  // jax.grad(lambda a, b: jnp.sum(jnp.einsum('ij,jk->ik', a, b) ** 2), argnums=(0, 1))(a, b)
  // jax.grad(lambda m: jnp.einsum('ii', m) * 2.)(m)
  // jax.grad(lambda m: jnp.sum(jnp.einsum('ii->i', m) ** 2))(m)
  // jax.jvp(lambda a: jnp.einsum('ij,jk', a, b), (a,), (jnp.ones((2, 3)),))
  @Test func differentiates() {
    let (ga, gb) = grad { (a: Tensor, b: Tensor) in (einsum("ij,jk->ik", a, b) ** 2).sum() }(a, b)
    APIFixture.check(ga, "einsum_grad_both", 0)
    APIFixture.check(gb, "einsum_grad_both", 1)
    APIFixture.check(grad { (m: Tensor) in einsum("ii", m) * 2.0 }(m), "einsum_grad_trace")
    APIFixture.check(grad { (m: Tensor) in (einsum("ii->i", m) ** 2).sum() }(m), "einsum_grad_diagonal")
    let (y, t) = jvp({ (a: Tensor) in einsum("ij,jk", a, b) }, primals: a, tangents: ones([2, 3]))
    APIFixture.check(y, "einsum_jvp", 0)
    APIFixture.check(t, "einsum_jvp", 1)
  }

  // jax.vmap(lambda m: jnp.einsum('ii', m))(arange(18.).reshape(2, 3, 3))
  // jax.vmap(lambda x: jnp.einsum('ij,jk->ik', x, w), in_axes=1)(arange(24.).reshape(3, 2, 4))
  // jax.jit(lambda a, b: jnp.einsum('ij,jk->ki', a, b))(a, b)
  // jax.jacrev(lambda v: jnp.einsum('ij,j->i', a, v))([1., 2., 3.])
  // jax.hessian(lambda x: jnp.einsum('i,ij,j', x, m, x))([1., -1., 2.])
  @Test func batchesStagesAndNests() {
    APIFixture.check(vmap { (m: Tensor) in einsum("ii", m) }(arange(18.0).reshaped(2, 3, 3)), "einsum_vmap_trace")
    let w = arange(8.0).reshaped(4, 2)
    APIFixture.check(
      vmap({ (x: Tensor) in einsum("ij,jk->ik", x, w) }, inAxes: 1)(arange(24.0).reshaped(3, 2, 4)),
      "einsum_vmap_in_axes_1")
    let staged = jit { (xs: [Tensor]) in [einsum("ij,jk->ki", xs[0], xs[1])] }
    APIFixture.check(staged([a, b])[0], "einsum_jit")
    APIFixture.check(jacrev { (v: Tensor) in einsum("ij,j->i", a, v) }(Tensor([1.0, 2.0, 3.0])), "einsum_jacrev")
    APIFixture.check(
      hessian { (x: Tensor) in einsum("i,ij,j", x, m, x) }(Tensor([1.0, -1.0, 2.0])), "einsum_hessian_quadratic_form")
  }

  // jnp.einsum('i,i', jnp.ones(0), jnp.ones(0)); jnp.einsum('ii', jnp.ones((0, 0)));
  // jnp.einsum('->', jnp.float32(3.)); jnp.einsum('αβ->βα', arange(6.).reshape(2, 3));
  // jnp.einsum('...->...', jnp.float32(2.)); and three that fail: jnp.einsum('...,...', jnp.ones(2)),
  // jnp.einsum('ij->i,j', jnp.ones((2, 2))), jnp.einsum('ij->.i', jnp.ones((2, 2)))
  @Test func edgeCases() {
    APIFixture.check(einsum("i,i", ones([0]), ones([0])), "einsum_edge_empty_contract")
    APIFixture.check(einsum("ii", ones([0, 0])), "einsum_edge_empty_trace")
    APIFixture.check(einsum("->", Tensor.float32(3.0)), "einsum_edge_arrow_only")
    APIFixture.check(einsum("αβ->βα", a), "einsum_edge_unicode_labels")
    APIFixture.check(einsum("...->...", Tensor.float32(2.0)), "einsum_edge_ellipsis_scalar")
    APIFixture.checkError(einsum("...,...", ones([2])), "einsum_edge_ellipsis_missing_operand")
    APIFixture.checkError(einsum("ij->i,j", ones([2, 2])), "einsum_edge_comma_in_output")
    APIFixture.checkError(einsum("ij->.i", ones([2, 2])), "einsum_edge_dot_in_output")
  }

  // jnp.einsum('ij,jk', a)  and each malformed subscript below: opt_einsum's ValueError
  @Test func badSubscriptsGiveJAXErrors() {
    let cases: [(String, [Tensor], String)] = [
      ("ij,jk", [a], "operand_count"), ("ij,jk->ik", [a, a, a], "operand_count_3"),
      ("ij,jk->ik", [a, a], "size_mismatch"), ("ij->ijk", [a], "output_unknown"), ("ij->ii", [a], "output_repeated"),
      ("ijk", [a], "too_many_labels"), ("i", [a], "too_few_labels"), ("ij->i->j", [a], "two_arrows"),
      ("ij-", [a], "dangling_dash"), ("i..j", [a], "two_dots"), ("...i...", [a], "two_ellipses"),
      ("...ij", [ones([3])], "ellipsis_too_long"), ("ii", [a], "repeated_sizes"),
      ("...,...", [a, ones([4])], "ellipsis_sizes"), ("ij", [], "no_operands"),
    ]
    for (subscripts, operands, name) in cases {
      APIFixture.checkError(einsum(subscripts, operands), "einsum_error_" + name)
    }
    // An operand that already failed passes its error on.
    #expect(einsum("i,i", Tensor(failed: .valueError("earlier")), a).error?.message == "earlier")
  }
}

import FluxionLang
import Testing

/// `import numpy`: what the oracle cases leave out (errors on bad input, mutation, reading the
/// values back), each against what NumPy 2.4 gives.
@Suite struct NumpyTests {
  /// The repr of the last expression of `source` (after `import numpy as np`), or the error.
  func eval(_ source: String) -> String {
    let interp = Interpreter()
    do throws(PyError) {
      guard let v = try interp.run("import numpy as np\nimport jax.numpy as jnp\n" + source) else { return "None" }
      return try interp.representation(v)
    } catch {
      return "\(error.kind): \(error.message)"
    }
  }

  @Test func numpyArraysAreMutableAndCopiesAreNot() {
    #expect(eval("a = np.zeros(3)\nb = a\nb[1] = 5\na") == "array([0., 5., 0.])")
    #expect(eval("a = np.zeros(3)\nc = a.copy()\nc[0] = 1\na") == "array([0., 0., 0.])")
    #expect(eval("a = np.arange(4)\na[1:3] = 9.7\na") == "array([0, 9, 9, 3])")
    #expect(
      eval("s = np.float64(1.0)\ns[0] = 2") == "TypeError: 'numpy.float64' object does not support item assignment")
  }

  @Test func jaxConvertsNumpyDataToItsDtypes() {
    #expect(eval("jnp.asarray(np.arange(3)).dtype") == "dtype('int32')")
    #expect(eval("(jnp.ones(2) * np.ones(2)).dtype") == "dtype('float32')")
    #expect(eval("np.ones(2) + jnp.ones(2)") == "Array([2., 2.], dtype=float32)")
    #expect(eval("np.asarray(jnp.ones(2))") == "array([1., 1.], dtype=float32)")
  }

  @Test func numpyPromotion() {
    #expect(eval("(np.ones(2, dtype=np.float32) + np.ones(2, dtype=np.int32)).dtype") == "dtype('float64')")
    #expect(eval("(np.ones(2, dtype=np.float32) * 2.0).dtype") == "dtype('float32')")
    #expect(eval("np.exp(np.arange(2, dtype=np.int32)).dtype") == "dtype('float64')")
    #expect(eval("np.arange(3) / 2") == "array([0. , 0.5, 1. ])")
  }

  @Test func badRandomArgumentsAreNumpysErrors() {
    #expect(eval("np.random.seed(-1)") == "ValueError: Seed must be between 0 and 2**32 - 1")
    #expect(eval("np.random.seed([])") == "ValueError: Seed must be non-empty")
    #expect(eval("np.random.rand(-2)") == "ValueError: negative dimensions are not allowed")
    #expect(eval("np.random.randint(5, 5)") == "ValueError: low >= high")
    #expect(eval("np.random.default_rng(0).integers(0)") == "ValueError: high <= 0")
    #expect(eval("np.random.default_rng(-3)") == "ValueError: expected non-negative integer")
  }

  @Test func edgesOfTheIntegerRangesNeverTrap() {
    #expect(eval("np.random.default_rng(0).integers(0, 2**63 - 1, endpoint=True) >= 0") == "np.True_")
    #expect(eval("np.random.default_rng(0).integers(-2**63, 2**63 - 1, size=2).shape") == "(2,)")
    #expect(eval("np.random.randint(2**70)") == "ValueError: high is out of bounds for int64")
    #expect(eval("np.random.randint(0, 2**40, dtype=np.int32)") == "ValueError: high is out of bounds for int32")
    #expect(eval("np.random.default_rng(0).integers(3, 2, endpoint=True)") == "ValueError: low > high")
    #expect(eval("np.random.permutation(0)") == "array([], dtype=int64)")
  }

  @Test func indexingOutOfRangeIsNumpysIndexError() {
    #expect(eval("np.zeros(3)[5]") == "IndexError: index 5 is out of bounds for axis 0 with size 3")
    #expect(
      eval("a = np.zeros((2, 3))\na[1, -4] = 1") == "IndexError: index -4 is out of bounds for axis 1 with size 3")
    #expect(eval("np.arange(4)[[0, 9]]") == "IndexError: index 9 is out of bounds for axis 0 with size 4")
    #expect(
      eval("np.array(5)[0]") == "IndexError: too many indices for array: array is 0-dimensional, but 1 were indexed")
    #expect(eval("np.zeros((2, 3))[..., 2]") == "array([0., 0.])")
  }

  @Test func seedingAgainRepeatsTheDraws() {
    #expect(
      eval("np.random.seed(5)\na = np.random.rand(3)\nnp.random.seed(5)\nnp.array_equal(a, np.random.rand(3))")
        == "True")
    #expect(eval("np.random.seed(2)\nnp.random.randn()\nnp.random.seed(2)\nnp.random.randn()") == "-0.4167578474054706")
  }

  @Test func assertionMessages() {
    #expect(
      eval("np.testing.assert_allclose(np.array([1.0, np.nan]), np.array([1.0, 2.0]))")
        == "AssertionError: \nNot equal to tolerance rtol=1e-07, atol=0\n\nnan location mismatch:\n ACTUAL: array([ 1., nan])\n DESIRED: array([1., 2.])"
    )
    #expect(eval("np.testing.assert_allclose(np.array([1.0, np.nan]), np.array([1.0, np.nan]))") == "None")
    #expect(
      eval("np.testing.assert_array_equal(3, 4)")
        == "AssertionError: \nArrays are not equal\n\nMismatched elements: 1 / 1 (100%)\nMax absolute difference among violations: 1\nMax relative difference among violations: 0.25\n ACTUAL: array(3)\n DESIRED: array(4)"
    )
  }

  @Test func numpyFunctionsRefuseTracers() {
    #expect(
      eval("import jax\njax.jit(lambda x: np.sum(x))(jnp.ones(2))").hasPrefix(
        "TracerArrayConversionError: The numpy.ndarray conversion method __array__() was called on traced array with shape float32[2]"
      ))
  }
}

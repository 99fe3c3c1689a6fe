/// `jax.test_util`: JAX's gradient check, written in the language itself over `jax.jvp`,
/// `jax.vjp`, NumPy's arrays and `np.random.RandomState(0)`, as JAX writes it over the same
/// pieces — so its random directions, tolerances and AssertionError texts are JAX's.
///
/// The check, per JAX's `public_test_util`: one random direction per argument (a standard
/// normal from RandomState(0), in the argument's dtype); forward mode compares the jvp with a
/// central difference `(f(x + eps·t) - f(x - eps·t)) · (0.5 / eps)`; reverse mode compares
/// ⟨t, vjp(c)⟩ with ⟨jvp_numeric(t), c⟩ for a random cotangent c; `order` > 1 checks the
/// derivative functions again. Tolerances default to 2e-3 (float32) and 1e-5 (float64), scaled by
/// the compared array's size.
let testUtilSource = #"""
  import numpy as np
  import jax
  from functools import partial
  from jax.tree_util import tree_map, tree_leaves

  EPS = 1e-4
  _gradient_tolerance = {"float16": 1e-2, "float32": 2e-3, "float64": 1e-5}
  _default_tolerance = {"bool": 0, "int8": 0, "int16": 0, "int32": 0, "int64": 0, "uint8": 0,
                        "uint32": 0, "float16": 1e-3, "float32": 1e-6, "float64": 1e-15}


  def _is_python_scalar(x):
      return isinstance(x, (bool, int, float))


  def _dtype(x):
      return np.asarray(x).dtype


  def _tolerance(dtype, tol):
      if not isinstance(tol, dict):
          return tol
      name = str(dtype)
      if name in tol:
          return tol[name]
      return _default_tolerance.get(name, 0)


  def _merge_tolerance(tol, default):
      if tol is None:
          return default
      if not isinstance(tol, dict):
          return tol
      out = dict(default)
      for k, v in tol.items():
          out[str(np.dtype(k))] = v
      return out


  def _assert_close(a, b, atol, rtol, err_msg):
      a, b = np.asarray(a), np.asarray(b)
      assert a.shape == b.shape
      atol = max(_tolerance(a.dtype, atol), _tolerance(b.dtype, atol))
      rtol = max(_tolerance(a.dtype, rtol), _tolerance(b.dtype, rtol))
      kw = {}
      if atol * a.size:
          kw["atol"] = atol * a.size
      if rtol * b.size:
          kw["rtol"] = rtol * b.size
      np.testing.assert_allclose(a, b, err_msg=err_msg, **kw)


  def check_close(xs, ys, atol=None, rtol=None, err_msg=''):
      tree_map(partial(_assert_close, atol=atol, rtol=rtol, err_msg=err_msg), xs, ys)


  def _contract(x, y):
      return np.dot(np.asarray(x).reshape(-1), np.asarray(y).reshape(-1))


  def inner_prod(xs, ys):
      parts = tree_leaves(tree_map(_contract, xs, ys))
      total = parts[0]
      for p in parts[1:]:
          total = np.add(total, p)
      return total


  def _preserve_input_types(op):
      def wrapped(*args):
          result = np.array(op(*args), dtype=_dtype(args[0]))
          if all(_is_python_scalar(a) for a in args):
              result = result.item()
          return result
      return wrapped


  def _add(x, y):
      return x + y


  def _sub(x, y):
      return x - y


  def _safe_subtract(x, y):
      x, y = np.asarray(x), np.asarray(y)
      return np.where(np.equal(x, y), np.array(0, x.dtype), np.subtract(x, y))


  def scalar_mul(xs, a):
      def mul(x):
          dtype = _dtype(x)
          result = np.multiply(np.asarray(x, dtype=dtype), np.array(a, dtype=dtype))
          return result.item() if _is_python_scalar(x) else result
      return tree_map(mul, xs)


  def rand_like(rng, x):
      result = np.asarray(rng.randn(*np.shape(x)), dtype=_dtype(x))
      return result.item() if _is_python_scalar(x) else result


  def numerical_jvp(f, primals, tangents, eps=EPS):
      delta = scalar_mul(tangents, eps)
      f_pos = f(*tree_map(_preserve_input_types(_add), primals, delta))
      f_neg = f(*tree_map(_preserve_input_types(_sub), primals, delta))
      return scalar_mul(tree_map(_safe_subtract, f_pos, f_neg), 0.5 / eps)


  def check_jvp(f, f_jvp, args, atol=None, rtol=None, eps=EPS, err_msg=''):
      atol = _merge_tolerance(atol, _gradient_tolerance)
      rtol = _merge_tolerance(rtol, _gradient_tolerance)
      rng = np.random.RandomState(0)
      tangent = tree_map(partial(rand_like, rng), args)
      v_out, t_out = f_jvp(args, tangent)
      v_out_expected = f(*args)
      t_out_expected = numerical_jvp(f, args, tangent, eps=eps)
      check_close(v_out, v_out_expected, atol=atol, rtol=rtol,
                  err_msg=f'{err_msg} primal' if err_msg else 'primal')
      check_close(t_out, t_out_expected, atol=atol, rtol=rtol,
                  err_msg=f'{err_msg} tangent' if err_msg else 'tangent')


  def check_vjp(f, f_vjp, args, atol=None, rtol=None, eps=EPS, err_msg=''):
      atol = _merge_tolerance(atol, _gradient_tolerance)
      rtol = _merge_tolerance(rtol, _gradient_tolerance)
      rng = np.random.RandomState(0)
      v_out, vjpfun = f_vjp(*args)
      v_out_expected = f(*args)
      check_close(v_out, v_out_expected, atol=atol, rtol=rtol,
                  err_msg=f'{err_msg} primal' if err_msg else 'primal')
      tangent = tree_map(partial(rand_like, rng), args)
      tangent_out = numerical_jvp(f, args, tangent, eps=eps)
      cotangent = tree_map(partial(rand_like, rng), v_out)
      cotangent_out = vjpfun(cotangent)
      ip = inner_prod(tangent, cotangent_out)
      ip_expected = inner_prod(tangent_out, cotangent)
      check_close(ip, ip_expected, atol=atol, rtol=rtol,
                  err_msg=f'{err_msg} cotangent projection' if err_msg else 'cotangent projection')


  def check_grads(f, args, order, modes=("fwd", "rev"), atol=None, rtol=None, eps=None):
      args = tuple(args)
      eps = eps or EPS

      def check(f, args, order, err_msg=''):
          if "fwd" in modes:
              fwd_msg = f'JVP of {err_msg}' if err_msg else 'JVP'
              check_jvp(f, partial(jax.jvp, f), args, atol=atol, rtol=rtol, eps=eps, err_msg=fwd_msg)
              if order > 1:
                  check(partial(jax.jvp, f), (args, args), order - 1, fwd_msg)
          if "rev" in modes:
              rev_msg = f'VJP of {err_msg}' if err_msg else 'VJP'
              check_vjp(f, partial(jax.vjp, f), args, atol=atol, rtol=rtol, eps=eps, err_msg=rev_msg)
              if order > 1:
                  def f_vjp(*args):
                      out, vjp_fun = jax.vjp(f, *args)
                      return vjp_fun(out)
                  check(f_vjp, args, order - 1, rev_msg)
          if "lin" in modes:
              lin_msg = f'LIN of {err_msg}' if err_msg else 'LIN'

              def jvp_from_lin(f, primals, tangents):
                  out, f_lin = jax.linearize(f, *primals)
                  return out, f_lin(*tangents)
              check_jvp(f, partial(jvp_from_lin, f), args, atol=atol, rtol=rtol, eps=eps, err_msg=lin_msg)
              if order > 1:
                  check(partial(jvp_from_lin, f), (args, args), order - 1, lin_msg)

      check(f, args, order)
  """#

/// A library module written in the language, wrapped and parsed once per process: `source`
/// becomes the body of a function `__module__` (the interpreter has one global namespace, the
/// script's, so the module's names are that function's locals, which its functions close over)
/// returning its public names. Parsing it was three quarters of every `import jax`.
struct LibrarySource: Sendable {
  let name: String
  let filename: String
  let text: String
  let parsed: Result<Module, SyntaxError>

  init(_ name: String, _ source: String, filename: String) {
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
    let names = Set(
      source.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("def ") || (line.first?.isLetter ?? false && line.contains(" = ")) else { return nil }
        let n = line.hasPrefix("def ") ? line.dropFirst(4).prefix { $0 != "(" } : line.prefix { $0 != " " }
        return n.hasPrefix("_") ? nil : String(n)
      }
    ).sorted()
    lines.insert("def __module__():", at: 0)
    lines.append("    return {" + names.map { "'\($0)': \($0)" }.joined(separator: ", ") + "}")
    self.name = name
    self.filename = filename
    let text = lines.joined(separator: "\n") + "\n"
    self.text = text
    parsed = Result { () throws(SyntaxError) -> Module in try Parser.parse(text) }
  }
}

let testUtilLibrary = LibrarySource("jax.test_util", testUtilSource, filename: "jax/_src/public_test_util.py")

extension Interpreter {
  /// A module written in the language, run in this interpreter; its file is named in tracebacks.
  func sourceModule(_ library: LibrarySource) throws(PyError) -> PyModule {
    let filename = library.filename
    sources[filename] = library.text
    let parsed: Module
    switch library.parsed {
    case .success(let m): parsed = m
    case .failure(let error): throw syntaxError(error, filename: filename)
    }
    let scope = Scope(parent: nil)
    let saved = currentFilename
    currentFilename = filename
    defer { currentFilename = saved }
    for stmt in parsed.body.map({ compile($0, .module) }) {
      _ = try inEngineContext { () throws(PyError) -> Flow in try stmt(scope) }
    }
    guard let make = scope.vars["__module__"],
      case .dict(let d) = try inEngineContext({ () throws(PyError) -> Value in try call(make, []) })
    else { throw PyError("ImportError", "cannot import name '\(library.name)'") }
    let m = PyModule(library.name)
    for (k, v) in d.pairs { if case .str(let s) = k { m.attributes[Name(s)] = v } }
    return m
  }
}

# Every jnp.linalg function on every kind of input, plain, under grad and under jit: what succeeds, and which
# exception the rest raise.
import jax
import jax.numpy as jnp
fs = {
 "solve": lambda a: jnp.linalg.solve(a, jnp.ones(a.shape[:-1]) if a.ndim >= 1 else a),
 "inv": jnp.linalg.inv, "det": jnp.linalg.det, "slogdet": lambda a: jnp.linalg.slogdet(a)[1],
 "cholesky": jnp.linalg.cholesky, "eigh": lambda a: jnp.linalg.eigh(a)[0],
 "svd": lambda a: jnp.linalg.svd(a)[1], "svdv": lambda a: jnp.linalg.svd(a, compute_uv=False),
 "qr": lambda a: jnp.linalg.qr(a)[1], "norm2": lambda a: jnp.linalg.norm(a, 2),
}
inputs = {
 "scalar": jnp.array(2.0), "vec": jnp.ones(3), "rect": jnp.ones((2, 3)), "int": jnp.eye(3, dtype=jnp.int32) * 2,
 "bool": jnp.eye(2, dtype=bool), "batch0": jnp.zeros((0, 3, 3)), "batch": jnp.stack([jnp.eye(3) * 2] * 2),
 "one": jnp.ones((1, 1)) * 3,
}
for fn, f in fs.items():
    for name, x in inputs.items():
        for tr, t in [("plain", f), ("grad", lambda x: jax.grad(lambda a: jnp.sum(f(a)))(x)), ("jit", jax.jit(f))]:
            try:
                r = t(x)
                print(fn, name, tr, "ok", r.shape, r.dtype)
            except Exception as e:
                print(fn, name, tr, type(e).__name__)
len(fs) * len(inputs)

import jax.numpy as jnp

a = jnp.arange(6.0).reshape(2, 3)
b = jnp.arange(12.0).reshape(3, 4)
print(jnp.einsum("ij,jk->ik", a, b))
print(jnp.einsum("ij->ji", a))
print(jnp.einsum("ii->", jnp.eye(3) * 2))
print(jnp.einsum("i,i->", a[0], a[1]))
print(jnp.einsum("bij,bjk->bik", jnp.stack([a, a]), jnp.stack([b, b])).shape)
print(jnp.outer(a[0], a[1]))
print(jnp.inner(a[0], a[1]), jnp.vdot(a, a))
print(jnp.tensordot(a, b, axes=1).shape, jnp.kron(jnp.eye(2), jnp.ones((1, 2))))
(jnp.einsum("ij,jk->ik", a, b), jnp.outer(a[1], a[0]))

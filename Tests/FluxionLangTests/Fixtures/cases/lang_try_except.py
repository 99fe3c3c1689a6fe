import jax.numpy as jnp

class AppError(Exception):
    pass

class DetailError(AppError):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code

log = []
def risky(n):
    try:
        if n == 0:
            raise DetailError(42)
        if n == 1:
            return 1 / 0
        if n == 2:
            return [1, 2][5]
        if n == 3:
            return jnp.ones(3) + jnp.ones(4)
        return "fine"
    except AppError as e:
        log.append(("app", str(e), e.code))
        return "app"
    except (ZeroDivisionError, IndexError) as e:
        log.append((type(e).__name__, str(e)))
        return "builtin"
    except TypeError as e:
        log.append(("TypeError", str(e)))
        return "jax"
    else:
        log.append("else")
    finally:
        log.append(f"finally {n}")

print([risky(n) for n in range(5)])
for entry in log:
    print(entry)
try:
    try:
        raise ValueError("inner")
    except ValueError:
        raise KeyError("outer")
except LookupError as e:
    print("caught", repr(e), e.args)
try:
    raise RuntimeError("a", 1)
except Exception as e:
    print(e, e.args)
log

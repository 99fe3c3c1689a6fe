import math
x = 3.14159265
n = 42
name = "flux"
print(f"{x:.3f} {x:10.2f}| {x:<10.1f}| {x:^10.4}| {x:e} {x:.2e} {x:g}")
print(f"{n:05d} {n:x} {n:X} {n:o} {n:b} {n:>6} {n:<6}| {n:+d} {-n:d} {n:,} {1234567:,}")
print(f"{name!r} {name:>8} {name:*^10} {name.upper()} {len(name)}")
print(f"{x=} {n = } {name=!s}")
print(f"{0.1 + 0.2} {1/3} {1e20} {1e-7} {2.5:.0f} {3.5:.0f} {float('inf')} {-0.0}")
print(f"{{braces}} {n % 5} {'nested' if n > 40 else 'no'} {[1, 2][0]} {math.pi:.6f}")
print(f"{12.5:%} {0.256:.1%} {1e6:.3g} {123456789.0:.3g} {True} {None}")
width = 8
print(f"[{x:{width}.2f}] [{n:{width}}]")
f"{x:.1f}-{n}"

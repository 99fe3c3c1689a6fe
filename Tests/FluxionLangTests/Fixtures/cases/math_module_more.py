import math

print(math.floor(2.7), math.ceil(-2.3), math.trunc(-2.7))
print(math.isclose(0.1 + 0.2, 0.3), math.isfinite(1e308 * 10))
print(math.gcd(12, 18), math.factorial(10), math.comb(5, 2), math.perm(5, 2))
print(math.hypot(3, 4), math.copysign(2.0, -0.0), math.fmod(7.5, 2))
print(math.log(8, 2), math.log2(1024), math.log10(0.001), math.log1p(1e-10))
print(math.degrees(math.pi), math.radians(180))
print(math.prod([1, 2, 3, 4]), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.inf > 1e308, math.isnan(math.nan), math.e)
print(round(2.675, 2), round(-0.5), round(1.5), divmod(-7, 2))
(math.sqrt(2.0), math.atan2(1.0, -1.0), math.exp(1.0))

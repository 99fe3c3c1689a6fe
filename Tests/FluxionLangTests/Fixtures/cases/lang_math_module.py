import math
print(math.pi, math.e, math.sqrt(2), math.floor(-2.5), math.ceil(2.1), math.fabs(-3))
print(math.exp(1.0), math.log(10), math.log(8, 2), math.log10(1000), math.log2(1024))
print(math.sin(0.5), math.cos(0.5), math.tan(0.5), math.atan2(1, -1), math.hypot(3, 4))
print(math.isnan(float("nan")), math.isinf(math.inf), math.isclose(1.0, 1.0 + 1e-10), math.factorial(10))
print(math.gcd(12, 18), math.trunc(-3.7), math.copysign(2, -0.0), math.pow(2, 10), math.inf > 1e308)
(math.sqrt(16), math.floor(3.7), math.exp(0))

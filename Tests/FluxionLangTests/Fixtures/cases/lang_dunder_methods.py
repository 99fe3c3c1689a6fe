class Poly:
    def __init__(self, coeffs):
        self.coeffs = list(coeffs)

    def __len__(self):
        return len(self.coeffs)

    def __getitem__(self, i):
        return self.coeffs[i]

    def __call__(self, x):
        return sum(c * x ** k for k, c in enumerate(self.coeffs))

    def __iter__(self):
        return iter(self.coeffs)

    def __repr__(self):
        return "Poly(" + ", ".join(str(c) for c in self.coeffs) + ")"

    def __hash__(self):
        return hash(tuple(self.coeffs))

    def __eq__(self, other):
        return self.coeffs == other.coeffs

p = Poly([1, 0, 2])
print(len(p), p[2], p(3), list(p), p, [c for c in p if c])
print(p == Poly([1, 0, 2]), len({p, Poly([1, 0, 2])}), callable(p), callable(3))
(p(2), len(p), p[-1])

class Counter:
    created = 0

    def __init__(self, start=0):
        Counter.created += 1
        self._n = start

    @property
    def n(self):
        return self._n

    def inc(self, by=1):
        self._n += by
        return self

    def __str__(self):
        return f"Counter<{self._n}>"

a = Counter()
b = Counter(10).inc().inc(5)
print(a, b, str(b), b.n, Counter.created, a.created)
print(repr(b) == repr(b), [str(c) for c in (a, b)])
(a.n, b.n, Counter.created)

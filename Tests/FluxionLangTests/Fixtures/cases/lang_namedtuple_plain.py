from typing import NamedTuple

class Point(NamedTuple):
    x: float
    y: float
    label: str = "p"

p = Point(1.0, 2.0)
q = p._replace(y=5.0)
x, y, label = q
print(p, q, p.x + q.y, p[1], len(p), label, p == Point(1.0, 2.0, "p"))
print(Point._fields, p._asdict(), tuple(p), isinstance(p, tuple))
q

a, b = 1, 2
a, b = b, a
first, *rest = [1, 2, 3, 4]
*init, last = "hello"
head, *mid, tail = range(6)
(p, q), r = (1, 2), 3
x, *empty, y = 10, 20
for i, (name, score) in enumerate([("a", 1.5), ("b", 2.5)]):
    print(i, name, score)
print(a, b, first, rest, init, last, head, mid, tail, p, q, r, empty)
d = {"k1": 1, "k2": 2}
for k, v in d.items():
    print(k, v)
m, n = divmod(17, 5)
(a, b, first, rest, mid, m, n)

xs = [3, 1, 4, 1, 5, 9, 2, 6]
ys = xs.copy()
ys.sort()
xs.append(7); xs.extend([8, 0]); xs.insert(0, -1)
popped = xs.pop(); popped0 = xs.pop(0)
xs.remove(1)
print(xs, ys, popped, popped0, xs.index(4), xs.count(1), sorted(xs, reverse=True))
words = ["pear", "fig", "banana", "kiwi"]
print(sorted(words, key=len), sorted(words, key=lambda w: (len(w), w)), min(words), max(words, key=len))
d = {"b": 2, "a": 1}
d["c"] = 3
d.update({"a": 10}, z=26)
print(d, list(d.keys()), list(d.values()), d.get("q"), d.get("q", 0), d.pop("b"), "b" in d)
print(d.setdefault("n", []), d, len(d), sorted(d))
t = (1, 2, 3, 2)
print(t.count(2), t.index(3), t + (4,), t * 2, t[1:3], list(zip(t, "abcd")))
s = {3, 1, 2}
s.add(5); s.discard(1)
print(sorted(s), 2 in s, sorted(s | {9}), sorted(s & {2, 3, 4}), sorted(s - {2}))
(xs, d, ys[::2])

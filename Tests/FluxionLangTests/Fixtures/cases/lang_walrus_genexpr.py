# Assignment expressions; generator expressions (generator functions with yield are not supported).
data = [5, 12, 7, 20]
if (n := len(data)) > 3:
    print("long list", n)
big = [y for x in data if (y := x * 2) > 15]
gen = (x * x for x in range(4))
print(big, list(gen), list(gen), sum(x for x in data if x > 6))
count = 0
while (count := count + 1) < 3:
    print("count", count)
print(max((len(w), w) for w in ["aa", "b", "cccc"]), any(v > 10 for v in data))
(big, n, count)

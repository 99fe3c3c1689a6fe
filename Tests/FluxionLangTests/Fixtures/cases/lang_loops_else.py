def find(xs, target):
    for i, x in enumerate(xs):
        if x == target:
            break
    else:
        return -1
    return i

out = []
i = 0
while i < 10:
    i += 1
    if i % 2:
        continue
    if i > 7:
        break
    out.append(i)
else:
    out.append("no break")
print(find([5, 6, 7], 6), find([5, 6, 7], 9), out)
acc = []
for a in range(3):
    for b in range(3):
        if b > a:
            break
        acc.append((a, b))
print(acc)
n = 0
while n < 3:
    n += 1
else:
    print("while finished", n)
for c in reversed(range(0, 10, 3)):
    print(c, end=" ")
print()
(find([1, 2], 2), out, acc[-1])

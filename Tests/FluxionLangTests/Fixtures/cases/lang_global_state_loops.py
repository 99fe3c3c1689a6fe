history = []
def record(event, **details):
    history.append((event, tuple(sorted(details.items()))))
    return len(history)

for step in range(3):
    record("step", index=step, square=step * step)
record("done")
totals = {}
for event, details in history:
    totals[event] = totals.get(event, 0) + 1
print(history[-1], totals, len(history))
matrix = [[1, 2, 3], [4, 5, 6]]
transposed = [list(col) for col in zip(*matrix)]
print(transposed, [sum(r) for r in matrix], list(map(list, zip(*transposed))))
(totals, transposed)

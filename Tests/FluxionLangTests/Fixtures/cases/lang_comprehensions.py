squares = [x * x for x in range(6)]
evens = [x for x in squares if x % 2 == 0]
pairs = [(i, j) for i in range(3) for j in range(i)]
table = {k: v for k, v in zip("abc", range(3))}
inverse = {v: k for k, v in table.items()}
uniq = sorted({x % 3 for x in range(10)})
nested = [[i * j for j in range(3)] for i in range(3)]
gen_total = sum(x for x in range(101))
flat = [y for row in nested for y in row if y > 0]
print(squares, evens, pairs)
print(table, inverse, uniq)
print(nested, gen_total, flat)
print(any(x > 20 for x in squares), all(x >= 0 for x in squares), max(squares, key=lambda v: -v))
(squares, table, pairs)

total = 0

def add(n):
    global total
    total += n
    return total

def outer():
    a = 1
    def mid():
        nonlocal a
        a += 10
        def deep():
            nonlocal a
            a *= 2
        deep()
        return a
    r = mid()
    return a, r

add(3); add(4)
print(total, outer())
def shadow():
    total = -1
    return total
print(shadow(), total)
(total, outer())

def append_to(item, bucket=[]):
    bucket.append(item)
    return bucket

def safe_append(item, bucket=None):
    if bucket is None:
        bucket = []
    bucket.append(item)
    return bucket

n = 5
def uses_n(k=n):
    return k
n = 10
print(append_to(1), append_to(2))
print(safe_append(1), safe_append(2))
print(uses_n(), uses_n(7))
def kwonly(a, *, scale=2, shift=0):
    return a * scale + shift
print(kwonly(3), kwonly(3, shift=1), kwonly(3, scale=-1))
(append_to(3), uses_n(), kwonly(1, scale=3, shift=4))

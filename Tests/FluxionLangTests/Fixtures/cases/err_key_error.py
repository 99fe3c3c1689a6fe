d = {"a": 1}
try:
    d["b"]
except KeyError as e:
    print("missing", e, repr(e), e.args)
try:
    {}.pop("z")
except KeyError as e:
    print("pop", e)
d[("t", 1)]

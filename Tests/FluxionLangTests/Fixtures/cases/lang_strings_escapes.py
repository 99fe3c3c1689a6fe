s = "tab\tnew\\nquote\"'"
raw = r"C:\path\n"
multi = """line one
  line two"""
joined = ("implicit " "concat")
print(s, raw, len(raw), multi, joined, sep="|")
print(repr(s), repr(raw), repr(multi))
print("café".upper(), len("naïve"), "αβγ"[1], "snake_case_name".split("_"), "a-b-c".rsplit("-", 1))
print("%s|%5s|%-5s|" % ("x", "y", "z"), "{:*<6}|{:#x}|{:08.2e}".format("ab", 255, 12345.678))
print(str(12), str(-0.5), str([1, "2"]), str((1,)), "x".join("abc"), "abc".encode if False else "no bytes")
(s, raw, multi, joined)

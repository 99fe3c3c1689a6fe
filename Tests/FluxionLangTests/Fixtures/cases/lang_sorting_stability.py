records = [("bob", 3), ("alice", 3), ("carol", 1), ("dave", 2)]
by_score = sorted(records, key=lambda r: r[1])
by_score_desc = sorted(records, key=lambda r: -r[1])
print(by_score, by_score_desc)
print(sorted(records), sorted(records, key=lambda r: (r[1], r[0]), reverse=True))
words = "the quick brown fox jumps over the lazy dog".split()
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:3], max(freq, key=freq.get))
nums = [3, -1, 2.5, 0, -7]
nums.sort(key=abs, reverse=True)
print(nums, sorted(nums, key=str), min(nums), sorted([True, False, 0, 1]))
(by_score, nums)

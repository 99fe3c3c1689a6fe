import FluxionLang
import Testing

/// A PRNG key value given to two consuming calls is warned of, naming both uses.
struct KeyReuseTests {
  func warnings(_ script: String) -> [String] {
    let s = Session()
    #expect(s.evaluateWorkspace(script) == nil)
    return s.keyReuseWarnings.map(\.description)
  }

  @Test func aSamplerReusingAKeyIsNamedWithTheFirstUse() {
    let w = warnings(
      """
      import jax
      from jax import random
      key = random.PRNGKey(0)
      k1, k2 = random.split(key)
      a = random.normal(k1, (3,))
      b = random.uniform(k1, (3,))
      c = random.normal(k2)
      """)
    #expect(
      w == [
        "PRNG key reuse: random.uniform at line 6, column 5 uses the key that random.normal used at line 5, column 5; "
          + "split it for each use"
      ])
  }

  @Test func splittingAsJAXTeachesIsQuiet() {
    let w = warnings(
      """
      from jax import random
      key = random.key(42)
      xs = []
      for i in range(3):
          key, sub = random.split(key)
          xs.append(random.normal(sub, (2,)))
      folded = random.fold_in(key, 7)
      """)
    #expect(w.isEmpty)
  }

  @Test func splitAndFoldInConsumeToo() {
    let w = warnings(
      """
      from jax import random
      key = random.key(1)
      a = random.split(key)
      b = random.fold_in(key, 3)
      """)
    #expect(w.count == 1)
    #expect(
      w.first?.hasPrefix("PRNG key reuse: random.fold_in at line 4, column 5 uses the key that random.split") == true)
  }

  @Test func equalKeyDataIsTheSameKeyAndALoopWarnsOnce() {
    let w = warnings(
      """
      from jax import random
      noise = [random.normal(random.PRNGKey(0), (2,)) for _ in range(5)]
      """)
    #expect(w.count == 1)
    #expect(w.first?.contains("at line 2, column 10 uses the key that random.normal used at line 2, column 10") == true)
  }

  @Test func tracedKeysInsideJitAreNotTracked() {
    let w = warnings(
      """
      import jax
      from jax import random
      f = jax.jit(lambda k: random.normal(k) + random.uniform(k))
      y = f(random.PRNGKey(3))
      """)
    #expect(w.isEmpty)
  }
}

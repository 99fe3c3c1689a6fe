import FluxionLang
import Testing

/// Random bytes and random token soups give tokens or a SyntaxError: never a trap or a hang.
struct LexerFuzzTests {
  /// A small deterministic generator (SplitMix64), so failures reproduce.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  @Test func randomBytesNeverCrash() {
    var rng = SplitMix(state: 1)
    let alphabet = Array("()[]{}'\"\\\n\r\t #:=.,0123456789xjeE_+-*/%@&|^~<>!fbr".utf8)
    for _ in 0..<2_000 {
      let count = Int.random(in: 0..<40, using: &rng)
      let bytes = (0..<count).map { _ in
        Bool.random(using: &rng) ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng) ?? 0
      }
      _ = try? Parser.parse(bytes: bytes)
    }
  }

  @Test func randomTokenSoupsNeverCrash() {
    var rng = SplitMix(state: 2)
    let words = [
      "x", "f", "(", ")", "[", "]", "{", "}", ",", ":", "=", "==", "+", "-", "**", "*", "lambda", "if", "else", "for",
      "in", "not", "and", "def", "class", "return", "yield", "await", "@", ".", "...", "1", "2.5", "'s'", "f'{x}'",
      "f'{", "}", "\n", "\n    ", "\n  ", ";", "->", ":=", "import", "from", "as", "try", "except", "with", "del",
      "*", "/", "**", "is", "None", "print", "\\\n", "#c\n", "\t",
    ]
    for _ in 0..<2_000 {
      let count = Int.random(in: 0..<30, using: &rng)
      let source = (0..<count).map { _ in words.randomElement(using: &rng) ?? "" }.joined(separator: " ")
      _ = try? Parser.parse(source)
      _ = try? Parser.parseExpression(source)
    }
  }

  /// The explorer reparses on every key: every prefix of a seed script (as it is typed), and
  /// random cuts, deletions and insertions in it, give an AST or a SyntaxError.
  @Test func editingASeedScriptNeverCrashes() throws {
    var rng = SplitMix(state: 3)
    for name in ["03_pytree_point.py", "04_logistic_jvp.py"] {
      let source = Array(try ParserFixture.script(name).utf8)
      for end in stride(from: 0, through: source.count, by: 7) {
        _ = try? Parser.parse(bytes: Array(source[..<end]))
      }
      let noise = Array("([{'\"\\\n\t :=*f".utf8)
      for _ in 0..<200 {
        var bytes = source
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        if Bool.random(using: &rng) {
          bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1..<20, using: &rng)))
        } else {
          bytes.insert(noise.randomElement(using: &rng) ?? 0, at: i)
        }
        _ = try? Parser.parse(bytes: bytes)
      }
    }
  }
}

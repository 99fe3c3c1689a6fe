import Fluxion
import Foundation

// Until the explorer arrives, `fluxion` shows the engine at work on the seed examples:
// every number below is computed now, by the tracer and the backend.
let started = DispatchTime.now()
print("Fluxion — the engine on its founding examples (seed/*.py), computed in Swift\n")
for (i, example) in Seeds.all.enumerated() {
  print("\(i + 1). \(example.title)")
  print("   \(example.python)")
  let t0 = DispatchTime.now()
  let lines = example.run().lines
  let ms = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6
  for line in lines {
    print(line.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n"))
  }
  print(String(format: "   (%.2f ms)\n", ms))
}
let total = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
print(String(format: "All examples in %.1f ms. The interactive explorer comes with the TUI issue.", total))

import FluxionLang
import Foundation

/// What `fluxion` prints without a terminal: each founding example run through the language,
/// with what it printed and the value of its last expression.
enum SeedReport {
  static func print() throws {
    let started = DispatchTime.now()
    Swift.print("Fluxion — the founding examples (seed/*.py), run through the language\n")
    for (k, seed) in SeedScripts.all.enumerated() {
      let interp = Interpreter()
      var printed = ""
      interp.write = { printed += $0 }
      let t0 = DispatchTime.now()
      Swift.print("\(k + 1). \(seed.name).py")
      do {
        let value = try interp.run(seed.source, filename: "\(seed.name).py")
        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6
        for line in printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
          Swift.print("   " + line)
        }
        if let value {
          Swift.print("   => " + (try interp.representation(value)).replacingOccurrences(of: "\n", with: "\n      "))
        }
        Swift.print(String(format: "   (%.2f ms)\n", ms))
      } catch {
        Swift.print(interp.traceback(error))
        throw ScriptFailure()
      }
    }
    let total = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
    Swift.print(String(format: "All examples in %.1f ms.", total))
  }
}

import FluxionLang
import Foundation

// libFuzzer drives this: each input is a script (any bytes), run by a fresh interpreter with
// tight limits. An error is fine (it is Python's or JAX's answer to bad input); a trap, a
// crash or a hang is the bug the fuzzer looks for.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let interp = Interpreter()
  interp.write = { _ in }
  interp.limits.wallTime = 0.5
  interp.limits.arrayElements = 1 << 16
  interp.limits.recursionDepth = 200
  _ = try? interp.run(String(decoding: bytes, as: UTF8.self), filename: "<fuzz>")
  return 0
}
exit(status)

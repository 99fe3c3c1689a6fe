import CKernels
import Foundation

/// How much of this thread's stack is left: deep recursion in a script becomes Python's
/// RecursionError before the machine stack overflows, whatever thread runs the interpreter.
enum StackGuard {
  /// The lowest usable address of the calling thread's stack (plus a safety margin), found
  /// once per thread.
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  /// Bytes kept free below the limit for the error's own unwinding and the engine's calls.
  static let margin = 256 * 1024

  @inline(__always) static func nearlyExhausted() -> Bool {
    UInt(fx_stack_here()) < limit()
  }

  private static func limit() -> UInt {
    if let p = pthread_getspecific(key) { return UInt(bitPattern: p) }
    let bound = UInt(fx_stack_low_bound())
    var low: UInt = bound == 0 ? 0 : bound + UInt(margin)
    // The main thread's reported stack can exceed its rlimit; never trust less than 1 MiB below here.
    let here = UInt(fx_stack_here())
    if low == 0 || low > here { low = here - min(here, UInt(1 << 20)) }
    pthread_setspecific(key, UnsafeRawPointer(bitPattern: low))
    return low
  }
}

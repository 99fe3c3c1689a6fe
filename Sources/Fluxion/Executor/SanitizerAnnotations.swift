import Foundation
import Synchronization

/// ThreadSanitizer's own annotations, called when the process runs under it (`make tsan`).
///
/// On Linux the sanitizer does not see `Synchronization.Mutex` (its lock word is changed inside
/// the prebuilt standard library), so state guarded by one would be reported as raced. Code
/// that hands work between threads under a Mutex tells the sanitizer of the ordering itself:
/// `acquire` after taking the lock, `release` before giving it back, on the guarded object's
/// address. Outside the sanitizer the functions are absent and each call is one load and test.
enum SanitizerAnnotations {
  private typealias Annotation = @convention(c) (UnsafeRawPointer?) -> Void

  /// The addresses of `__tsan_acquire` and `__tsan_release` (0 when not running under it).
  private static let functions: (acquire: UInt, release: UInt) = {
    let process = UnsafeMutableRawPointer(bitPattern: 0)
    guard let a = dlsym(process, "__tsan_acquire"), let r = dlsym(process, "__tsan_release") else { return (0, 0) }
    return (UInt(bitPattern: a), UInt(bitPattern: r))
  }()

  @inline(__always) private static func call(_ address: UInt, _ object: AnyObject) {
    guard let f = UnsafeRawPointer(bitPattern: address) else { return }
    unsafeBitCast(f, to: Annotation.self)(UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()))
  }

  static func acquire(_ object: AnyObject) { call(functions.acquire, object) }
  static func release(_ object: AnyObject) { call(functions.release, object) }
}

extension Mutex where Value: ~Copyable {
  /// `withLock`, with the ordering it gives told to ThreadSanitizer on `owner`'s address.
  func withAnnotatedLock<R: Sendable>(_ owner: AnyObject, _ body: (inout Value) -> R) -> R {
    withLock { value in
      SanitizerAnnotations.acquire(owner)
      defer { SanitizerAnnotations.release(owner) }
      return body(&value)
    }
  }
}

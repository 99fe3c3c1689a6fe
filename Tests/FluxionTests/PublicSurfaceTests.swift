#if os(Linux)
  import Foundation
  import Testing

  /// Arrays are write-once: code outside this package can build them from values and read them,
  /// never write into one. Test targets are inside the package (they see `package` members), so
  /// the check compiles a client of its own: `swiftc -typecheck -verify` on `client` against the
  /// modules of this build, without this package's name. The compiler then requires exactly the
  /// errors marked `expected-error` — one per way of writing — and none elsewhere.
  struct PublicSurfaceTests {
    static let client = """
      import Fluxion
      import FluxionBackend

      // Building from values and reading are public.
      let a = DenseArray.from([Float(1), 2, 3], shape: [3])
      let filled = DenseArray.filled(.float(2), shape: [2], dtype: .float32)
      let first = a.withUnsafeBufferPointer(of: Float.self) { $0[0] }
      let bytes = a.buffer.withUnsafeBytes { $0.count }
      let values = try Tensor(a).doubles
      print(first, bytes, a.elements(Float.self), a.scalar(at: 1), a.scalars, filled.doubles, values)

      // Writing, and storage not yet filled, are not.
      a.set(0, .float(9))  // expected-error {{'set' is inaccessible due to 'package' protection level}}
      _ = a.mutablePointer(Float.self)  // expected-error {{'mutablePointer' is inaccessible due to 'package' protection level}}
      _ = a.pointer(Float.self)  // expected-error {{'pointer' is inaccessible due to 'package' protection level}}
      _ = a.buffer.raw  // expected-error {{'raw' is inaccessible due to 'package' protection level}}
      _ = a.buffer.mutablePointer(Float.self)  // expected-error {{'mutablePointer' is inaccessible due to 'package' protection level}}
      _ = Buffer(byteCount: 16)  // expected-error {{'Buffer' initializer is inaccessible due to 'package' protection level}}
      _ = DenseArray(uninitializedShape: [2], dtype: .float32)  // expected-error {{'DenseArray' initializer is inaccessible due to 'package' protection level}}
      _ = DenseArray(shape: [3], dtype: .float32, buffer: a.buffer)  // expected-error {{'DenseArray' initializer is inaccessible due to 'package' protection level}}
      a.withUnsafeBufferPointer(of: Float.self) { $0[0] = 9 }  // expected-error {{cannot assign through subscript: subscript is get-only}}
      a.buffer.withUnsafeBytes { $0[0] = 9 }  // expected-error {{cannot assign through subscript: subscript is get-only}}

      // The flat transformations are the language layer's SPI, out of a Swift user's way.
      let tree: Tree = ["w": .leaf(Tensor(1.0)), "b": [2.0, nil]]
      print(grad { (t: Tree) in t["w"].tensor * t["b"][0].tensor }(tree))
      _ = vjpFlat({ $0 }, primals: [Tensor(1.0)])  // expected-error {{cannot find 'vjpFlat' in scope}}
      _ = vmapFlat({ $0 }, [Tensor(1.0)], inAxes: [0], outAxes: { _ in 0 })  // expected-error {{cannot find 'vmapFlat' in scope}}
      """

    @Test func codeOutsideThePackageCanReadArraysButNotWriteThem() throws {
      // The test binary sits in the build directory, next to the modules it was linked from.
      let build = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
      let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
      let modules = build.appendingPathComponent("Modules")
      try #require(
        FileManager.default.fileExists(atPath: modules.appendingPathComponent("Fluxion.swiftmodule").path),
        "no Fluxion.swiftmodule in \(modules.path)")
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-public-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let file = dir.appendingPathComponent("client.swift")
      try Self.client.write(to: file, atomically: true, encoding: .utf8)

      let swiftc = Process()
      swiftc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      swiftc.arguments = [
        "swiftc", "-typecheck", "-I", modules.path,
        "-Xcc", "-fmodule-map-file=\(build.appendingPathComponent("CKernels.build/module.modulemap").path)",
        "-Xcc", "-I", "-Xcc", root.appendingPathComponent("Sources/CKernels/include").path,
        "-Xcc", "-fmodule-map-file=\(root.appendingPathComponent("Sources/CBLAS/module.modulemap").path)",
        "-module-cache-path", dir.appendingPathComponent("ModuleCache").path,
        "-Xfrontend", "-verify", "-Xfrontend", "-verify-ignore-unrelated", file.path,
      ]
      let output = Pipe()
      swiftc.standardOutput = output
      swiftc.standardError = output
      try swiftc.run()
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      swiftc.waitUntilExit()
      #expect(swiftc.terminationStatus == 0, "swiftc -verify disagrees with the expected errors:\n\(text)")
    }
  }
#endif

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

    /// A user's program that imports only Fluxion and writes what a JAX program says: the API
    /// people translate to (issue 15) must resolve without ambiguity from outside the package.
    static let translatedClient = """
      import Fluxion

      let x = Tensor([[1.0, 2.0], [3.0, 4.0]])
      let d = 2.0
      let n = 3
      let y = d * x + x ** 2 - n
      let mask = x .> d
      let z = einsum("ij,jk->ik", x, y) + Linalg.norm(x, ord: .infinity, axis: 1, keepDims: true)
      let p = NN.softmax(NN.relu(z), axis: -1) + NN.gelu(z) + NN.oneHot(Tensor([0, 1]), 2)
      let s = logsumexp(z, axis: 1, keepDims: true) + logaddexp(z, 0.5)
      let ok = allclose(p, p) .&& any(mask) .&& all(isclose(s, s))
      let ints = Tensor([[1, 2], [3, 4]])
      let f32 = Tensor.float32(2.0) * ints
      let key = Random.key(0)
      let (next, subkey) = Random.split2(key)
      let w = Random.normal(subkey, [2, 2])
      let (value, gradient) = valueAndGrad { (m: Tensor) in (NN.softplus(m) * w).sum() }(x)
      print(y, z, p, s, ok, f32, next, value, gradient, inner(x, x))

      // lax's control flow and jax.checkpoint.
      let c = cond(x.sum() .> 0, { $0 * 2 }, { $0 - 1 }, x)
      let sw = switchCase(Tensor(1), [{ $0 }, { sin($0) }], x)
      let wl = whileLoop(cond: { $0.sum() .< 100 }, body: { $0 * 2 }, initial: x)
      let fl = foriLoop(0, 3, body: { i, a in a * 2 + i }, initial: x)
      let (carry, ys) = scan({ c, r in (c + r, c * r) }, initial: zeros([2]), xs: x)
      let ck = grad(checkpoint { (m: Tensor) in sin(m).sum() })(x)
      print(c, sw, wl, fl, carry, ys, ck)
      """

    @Test func translatedJAXProgramTypeChecksOutsideThePackage() throws {
      let (status, text) = try Self.typecheck(Self.translatedClient, verify: false)
      #expect(status == 0, "swiftc -typecheck failed:\n\(text)")
    }

    @Test func codeOutsideThePackageCanReadArraysButNotWriteThem() throws {
      let (status, text) = try Self.typecheck(Self.client, verify: true)
      #expect(status == 0, "swiftc -verify disagrees with the expected errors:\n\(text)")
    }

    /// Runs `swiftc -typecheck` (with `-verify` when asked) on `source` against this build's
    /// modules: the exit status and what it printed.
    static func typecheck(_ source: String, verify: Bool) throws -> (Int32, String) {
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
      try source.write(to: file, atomically: true, encoding: .utf8)

      let swiftc = Process()
      swiftc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      swiftc.arguments = [
        "swiftc", "-typecheck", "-I", modules.path,
        "-Xcc", "-fmodule-map-file=\(build.appendingPathComponent("CKernels.build/module.modulemap").path)",
        "-Xcc", "-I", "-Xcc", root.appendingPathComponent("Sources/CKernels/include").path,
        "-module-cache-path", dir.appendingPathComponent("ModuleCache").path,
      ]
      swiftc.arguments! += verify ? ["-Xfrontend", "-verify", "-Xfrontend", "-verify-ignore-unrelated"] : []
      swiftc.arguments!.append(file.path)
      let output = Pipe()
      swiftc.standardOutput = output
      swiftc.standardError = output
      try swiftc.run()
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      swiftc.waitUntilExit()
      return (swiftc.terminationStatus, text)
    }
  }
#endif

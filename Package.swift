// swift-tools-version: 6.1
import PackageDescription

// Layers (DESIGN.md): fluxion → FluxionTUI (with its examples, FluxionExamples) → FluxionLang → Fluxion → FluxionBackend → CKernels (kernels, and OpenBLAS loaded on first use: Sources/CKernels/blas.c), CCurses.
// A layer imports only the layers below it.

/// C kernels are always optimised, even in debug builds: tests run real-size arrays through them.
/// They are never instrumented by ThreadSanitizer: their `target_clones` resolvers run while
/// the loader relocates, before the sanitizer's runtime exists (`swift test --sanitize=thread`
/// crashed there). They work on disjoint ranges of buffers; the Swift code around them is checked.
let kernelFlags: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno", "-fno-sanitize=thread"])]

let package = Package(
  name: "Fluxion",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Fluxion", targets: ["Fluxion"]),
    .library(name: "FluxionLang", targets: ["FluxionLang"]),
    .library(name: "FluxionTUI", targets: ["FluxionTUI"]),
    .executable(name: "fluxion", targets: ["fluxion"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
  ],
  targets: [
    .systemLibrary(name: "CCurses", path: "Sources/CCurses"),
    .target(
      name: "CKernels", path: "Sources/CKernels", cSettings: kernelFlags,
      linkerSettings: [.linkedLibrary("sleef"), .linkedLibrary("m"), .linkedLibrary("dl")]),
    .target(name: "FluxionBackend", dependencies: ["CKernels"]),
    .target(name: "Fluxion", dependencies: ["FluxionBackend"]),
    .target(
      name: "FluxionLang", dependencies: ["Fluxion", "CKernels", .product(name: "BigInt", package: "BigInt")],
      // The interpreter's objects are reached from one thread at a time; the run-time checks of
      // exclusive access cost a tenth of a Python loop iteration.
      swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
    // The explorer's built-in examples (Resources/examples), loaded by its examples menu.
    .target(name: "FluxionExamples", path: "Resources", resources: [.copy("examples")]),
    .target(name: "FluxionTUI", dependencies: ["FluxionLang", "FluxionExamples", "CCurses"]),
    .executableTarget(
      name: "fluxion",
      dependencies: [
        "Fluxion", "FluxionLang", "FluxionTUI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(
      name: "FluxionBackendTests", dependencies: ["FluxionBackend", "CKernels"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "FluxionTests", dependencies: ["Fluxion"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "FluxionADOracleTests", dependencies: ["Fluxion"]),
    .testTarget(
      name: "FluxionLangTests", dependencies: ["FluxionLang"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "FluxionTUITests", dependencies: ["FluxionTUI", "CCurses"], exclude: ["Snapshots"]),
    .testTarget(
      name: "fluxionTests", dependencies: ["fluxion", "Fluxion"],
      resources: [.copy("Fixtures")]),
  ],
  swiftLanguageModes: [.v6]
)

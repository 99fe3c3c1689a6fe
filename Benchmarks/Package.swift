// swift-tools-version: 6.1
import PackageDescription

// Fluxion's benchmark harness: a package of its own, so it never slows the main package's
// `swift build`. Run it with `make bench` (or `./run.sh` from this folder); see ../BENCHMARKS.md.

let package = Package(
  name: "FluxionBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [.package(name: "Fluxion", path: "..")],
  targets: [
    // OpenBLAS, for the direct cblas_sgemm baseline and openblas_get_corename(). A system-library
    // target of its own: the parent's CBLAS target is not a product (and target names must be
    // unique across the package graph).
    .systemLibrary(name: "CBLASBench", path: "Sources/CBLASBench"),
    .executableTarget(
      name: "fluxion-bench",
      dependencies: [
        .product(name: "Fluxion", package: "Fluxion"), .product(name: "FluxionLang", package: "Fluxion"), "CBLASBench",
      ],
      path: "Sources/fluxion-bench"),
  ],
  swiftLanguageModes: [.v6]
)

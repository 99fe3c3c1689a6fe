// swift-tools-version: 6.1
import PackageDescription

// The libFuzzer targets (the language, scripts from a grammar, the engine's ops, session files):
// a package of its own,
// because it links libFuzzer's driver, which the main package's builds must not need
// (../shared/TOOLING.md). Run it with `make fuzz`.

let package = Package(
  name: "FluxionFuzz",
  platforms: [.macOS(.v14)],
  dependencies: [.package(name: "Fluxion", path: "..")],
  targets: [
    .executableTarget(
      name: "fluxion-fuzz",
      dependencies: [
        .product(name: "Fluxion", package: "Fluxion"), .product(name: "FluxionLang", package: "Fluxion"),
        .product(name: "FluxionTUI", package: "Fluxion"),
      ],
      path: "Sources/FluxionFuzz")
  ],
  swiftLanguageModes: [.v6]
)

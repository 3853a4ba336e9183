// swift-tools-version: 6.1
//
// Micro-benchmarks of fmevolve's kernels with ordo-one/package-benchmark: wall clock,
// throughput and malloc counts per call. A package of its own, so that `make test` and CI do
// not build the harness. Run with `make benchmarks` (or, here,
// `swift package --disable-sandbox benchmark`). Whole-program speed is `fmevolve bench`.
import PackageDescription

let package = Package(
    name: "fmevolve-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "fmevolve", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Kernels",
            dependencies: [
                .product(name: "FMEvolveKernels", package: "fmevolve"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)

// swift-tools-version: 6.1
//
// fmevolve: double-modulator FM matching of recorded notes (Horner 1996).
// One module per pipeline stage, dependencies one way:
//   C wrappers (FFTW, AudioIO, SQLite, Optimizer) -> Analysis -> FMSynthesis -> PitchFit -> Fitness
//   -> Refinement -> Evolution -> Checkpoint -> Archipelago (islands over MPI) -> Export -> FMEvolveCLI
//   -> fmevolve
// Only wrapper modules import a C module (CSndFile, CFFTW3, CSQLite3, CNLopt; CMPI with the MPI trait).
import PackageDescription

/// The fitness kernel and the unit spectra are the hot paths: they are compiled for the CPU that
/// builds them (like -march=native), so that the kernel's 8-lane vectors are one AVX-512 register
/// where the machine has one (AMD Zen 4/5, Intel server parts) and two AVX2 registers elsewhere.
/// fmevolve is built from source where it runs; a binary copied to an older CPU may not start.
#if arch(x86_64) || arch(arm64)
let hot: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native"])]
#else
let hot: [SwiftSetting] = []
#endif

let package = Package(
    name: "fmevolve",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fmevolve", targets: ["fmevolve"]),
        // the pipeline stages the kernel micro-benchmarks (Benchmarks/, a package of its own) use
        .library(name: "FMEvolveKernels", targets: ["AudioIO", "Analysis", "FMSynthesis", "Fitness", "Refinement", "Evolution"]),
    ],
    // `swift build --traits MPI` builds the islands over Open MPI (libopenmpi-dev); a plain
    // build needs no MPI and runs islands in one process.
    traits: [
        .trait(name: "MPI", description: "Islands over Open MPI: mpirun -np P fmevolve evolve … --islands N"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: C libraries (system packages)
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW3", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CNLopt", pkgConfig: "nlopt", providers: [.apt(["libnlopt-dev"])]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),

        // MARK: wrappers
        .target(name: "FFTW", dependencies: ["CFFTW3"]),
        .target(name: "AudioIO", dependencies: ["CSndFile"]),
        .target(name: "SQLite", dependencies: ["CSQLite3"]),
        .target(name: "Optimizer", dependencies: ["CNLopt"]),
        .target(name: "MessagePassing", dependencies: [.target(name: "CMPI", condition: .when(traits: ["MPI"]))],
                swiftSettings: [.define("FMEVOLVE_MPI", .when(traits: ["MPI"]))]),

        // MARK: pipeline stages
        .target(name: "Analysis", dependencies: ["AudioIO", "FFTW"]),
        .target(name: "FMSynthesis", swiftSettings: hot),
        .target(name: "PitchFit", dependencies: ["Analysis", "FMSynthesis"]),
        .target(name: "Fitness", dependencies: ["FMSynthesis", "Analysis"], swiftSettings: hot),
        .target(name: "Refinement", dependencies: ["Optimizer", "Fitness", "FMSynthesis", "Analysis"], swiftSettings: hot),
        .target(name: "Evolution", dependencies: ["Fitness", "FMSynthesis"]),
        .target(name: "Checkpoint", dependencies: ["SQLite", "Refinement", "Evolution", "FMSynthesis", "Analysis"]),
        .target(name: "Archipelago", dependencies: ["Checkpoint", "Evolution", "MessagePassing"]),
        .target(name: "Export", dependencies: ["Checkpoint", "Refinement", "Evolution", "Fitness", "FMSynthesis", "Analysis", "AudioIO"]),
        .target(name: "FMEvolveCLI", dependencies: [
            "Export", "Archipelago", "MessagePassing", "Checkpoint", "Refinement", "Evolution", "Fitness", "PitchFit", "FMSynthesis", "Analysis", "AudioIO",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "fmevolve", dependencies: ["FMEvolveCLI"]),

        // MARK: tests
        .target(name: "TestSupport", dependencies: ["FFTW", "AudioIO", "FMSynthesis"], path: "Tests/TestSupport"),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "AudioIO", "FMSynthesis", "TestSupport"]),
        .testTarget(name: "PitchFitTests", dependencies: ["PitchFit", "Analysis", "AudioIO", "FMSynthesis", "TestSupport"]),
        .testTarget(name: "FMSynthesisTests", dependencies: ["FMSynthesis", "FFTW", "TestSupport"]),
        .testTarget(name: "FitnessTests", dependencies: ["Fitness", "FMSynthesis", "Analysis", "AudioIO", "Evolution", "TestSupport"]),
        .testTarget(name: "RefinementTests", dependencies: ["Refinement", "Fitness", "FMSynthesis", "Analysis", "AudioIO", "TestSupport"]),
        .testTarget(name: "EvolutionTests", dependencies: ["Evolution", "Fitness", "FMSynthesis", "Analysis", "AudioIO", "TestSupport"]),
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "AllocationTests", dependencies: ["AllocationCounter", "Fitness", "Evolution", "Analysis", "AudioIO", "TestSupport"]),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "SQLite", "Evolution", "Fitness", "FMSynthesis", "Analysis", "AudioIO", "TestSupport"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "FMSynthesis", "Analysis", "AudioIO", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "AudioIO", "Analysis", "SQLite", "fmevolve"]),
    ]
)

// swift-tools-version:6.1
import PackageDescription

// CI builds with DRIFTLINE_WERROR=1 so every warning in our own targets fails the build
// (dependencies are compiled with warnings suppressed by SwiftPM).
let warningsAsErrors: [SwiftSetting] =
    Context.environment["DRIFTLINE_WERROR"] == "1" ? [.unsafeFlags(["-warnings-as-errors"])] : []

let swiftSettings: [SwiftSetting] =
    [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ] + warningsAsErrors

let package = Package(
    name: "driftline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "driftline", targets: ["driftline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "DriftlineKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftlineCore",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/VERSION"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftlineStats",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "DriftlineModel",
            dependencies: ["COpenBLAS"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftlineStore",
            dependencies: [
                "DriftlineCore",
                "DriftlineStats",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftlineAlerts",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftlinePipeline",
            dependencies: [
                "DriftlineAlerts",
                "DriftlineKafka",
                "DriftlineCore",
                "DriftlineModel",
                "DriftlineStats",
                "DriftlineStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo, the traffic generator and the throwaway local PostgreSQL (initdb): for
        // `driftline demo` / `generate`, the benchmarks and the tests, not the production library.
        .target(
            name: "DriftlineDemo",
            dependencies: [
                "DriftlineAlerts",
                "DriftlineKafka",
                "DriftlineCore",
                "DriftlineStats",
                "DriftlineModel",
                "DriftlineStore",
                "DriftlinePipeline",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "driftline",
            dependencies: [
                "DriftlineAlerts",
                "DriftlinePipeline",
                "DriftlineDemo",
                "DriftlineModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftlineTestSupport",
            dependencies: [
                "DriftlineKafka",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DriftlineBenchmarks",
            dependencies: ["DriftlinePipeline", "DriftlineDemo", "DriftlineModel", "DriftlineTestSupport"],
            path: "Benchmarks/DriftlineBenchmarks",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftlineStatsTests",
            dependencies: ["DriftlineStats"],
            // River/Evidently/numpy outputs and the scripts that wrote them, read by path (#filePath).
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftlineCoreTests",
            dependencies: [
                "DriftlineCore", "DriftlineStats", "DriftlineTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            // Read by path (DriftlineTestSupport.repositoryRoot), also by the pipeline tests; not bundled as resources.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftlineModelTests",
            dependencies: ["DriftlineModel"],
            // Fixtures are read by path (#filePath); the scripts that make them never run in CI.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftlineKafkaTests",
            dependencies: ["DriftlineKafka", "DriftlineTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftlineAlertsTests",
            dependencies: [
                "DriftlineAlerts",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftlinePipelineTests",
            dependencies: [
                "DriftlineAlerts", "DriftlineModel", "DriftlinePipeline", "DriftlineDemo", "DriftlineTestSupport",
                "driftline", .product(name: "Yams", package: "Yams"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        // Tests that need a running service: librdkafka's mock cluster, the test PostgreSQL
        // (POSTGRES_* from scripts/test-postgres.sh) or the built `driftline` executable. The
        // targets above need neither and run on their own with `swift test --skip DriftlineIntegrationTests`.
        .testTarget(
            name: "DriftlineIntegrationTests",
            dependencies: [
                "DriftlineAlerts", "DriftlineKafka", "DriftlineModel", "DriftlineStore", "DriftlinePipeline",
                "DriftlineDemo", "DriftlineTestSupport", "driftline",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Support/produce_otlp_fixtures.py", "Quality/Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)

// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "blueprint-remote-providers",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RemoteProviders", targets: ["RemoteProviders"]),
        .executable(name: "blueprint-remote", targets: ["BlueprintRemoteCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "RemoteProvidersCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "ProviderTransport",
            dependencies: [
                "RemoteProvidersCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CloudDrivers",
            dependencies: [
                "RemoteProvidersCore", "ProviderTransport", "RemoteExecution",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Catalog",
            dependencies: ["RemoteProvidersCore"],
            swiftSettings: strict
        ),
        .target(
            name: "RemoteExecution",
            dependencies: [
                "RemoteProvidersCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DeploymentStore",
            dependencies: [
                "RemoteProvidersCore", "RemoteExecution",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Workloads",
            dependencies: [
                "RemoteProvidersCore", "RemoteExecution", "DeploymentStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Orchestrator",
            dependencies: ["RemoteProvidersCore", "Catalog", "RemoteExecution", "DeploymentStore", "Workloads"],
            swiftSettings: strict
        ),
        .target(
            name: "RemoteProviders",
            dependencies: ["RemoteProvidersCore", "ProviderTransport", "CloudDrivers", "Catalog", "RemoteExecution", "DeploymentStore", "Workloads", "Orchestrator"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "BlueprintRemoteCLI",
            dependencies: [
                "RemoteProviders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "StoreSeeder",
            dependencies: ["DeploymentStore", "RemoteProvidersCore"],
            path: "Benchmarks/StoreSeeder",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "EC2Bench",
            dependencies: [
                "CloudDrivers", "ProviderTransport", "RemoteExecution", "RemoteProvidersCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/EC2Bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "OptimizerBench",
            dependencies: ["Catalog", "RemoteProvidersCore"],
            path: "Benchmarks/OptimizerBench",
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "RemoteExecution", "DeploymentStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .target(
            name: "CloudFakes",
            dependencies: ["TestSupport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto")],
            path: "Tests/CloudFakes",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "cloud-fake",
            dependencies: ["CloudFakes"],
            path: "Tests/CloudFakeServer",
            swiftSettings: strict
        ),
        .testTarget(
            name: "RemoteProvidersCoreTests",
            dependencies: ["RemoteProvidersCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProviderTransportTests",
            dependencies: [
                "ProviderTransport", "TestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CloudDriversTests",
            dependencies: [
                "CloudDrivers", "CloudFakes", "ProviderTransport", "RemoteExecution", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CatalogTests",
            dependencies: ["Catalog", "CloudDrivers", "ProviderTransport", "Workloads", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: [
                "Orchestrator", "CloudDrivers", "ProviderTransport", "Catalog", "DeploymentStore", "RemoteExecution", "Workloads", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RemoteExecutionTests",
            dependencies: ["RemoteExecution", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WorkloadsTests",
            dependencies: ["Workloads", "RemoteExecution", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DeploymentStoreTests",
            dependencies: [
                "DeploymentStore", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BlueprintRemoteCLITests",
            dependencies: ["BlueprintRemoteCLI", "CloudFakes", "DeploymentStore", "RemoteExecution", "TestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

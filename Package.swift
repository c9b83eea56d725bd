// swift-tools-version: 6.2

import PackageDescription

let package = Package(
    name: "newsd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsd", targets: ["newsd"]),
        .library(name: "Analysis", targets: ["Analysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(
            url: "https://github.com/apple/swift-configuration",
            from: "1.4.0",
            traits: [.defaults, "YAML"]
        ),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The only C in the package: libsystemd's headers, through pkg-config.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // sd_notify and the native journal protocol as Swift types.
        .target(
            name: "Systemd",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The article analysis: pure functions of bytes, no I/O, usable without the daemon.
        .target(name: "Analysis"),
        // The corpus ledger: one SQLite row per processed input, near-duplicate fingerprints, queries,
        // and the rebuild from the outbox. The only target that speaks SQL.
        .target(
            name: "Ledger",
            dependencies: [
                "Analysis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the writer's inserts (RawStatement).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The spool: inbox watching, claims, atomic outbox writes, recovery, workers.
        .target(
            name: "Spool",
            dependencies: [
                "Analysis",
                "Ledger",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Settings and the daemon's wiring (spool + systemd + signals), shared by the commands and tests.
        .target(
            name: "Service",
            dependencies: [
                "Analysis",
                "Ledger",
                "Spool",
                "Systemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Thin @main: the commands.
        .executableTarget(
            name: "newsd",
            dependencies: [
                "Analysis",
                "Ledger",
                "Service",
                "Spool",
                "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AnalysisTests",
            dependencies: ["Analysis"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "Analysis", .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "Ledger", "Analysis", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "Spool", "Ledger"]),
        // Drives the built `newsd` binary against real directories, journald and a notify socket.
        .testTarget(name: "EndToEndTests", dependencies: ["newsd"]),
    ]
)

// One strict-settings loop for every target: Swift 6 mode, warnings are errors.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.unsafeFlags(["-warnings-as-errors"]))
    target.swiftSettings = settings
}

// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "conform",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "conform", targets: ["conform"]),
        .library(name: "ConformKit", targets: ["ConformKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The layers, from the bottom: each target imports only targets listed above it, and
        // Tests/layers-check.sh fails when a source file imports a target that is not below it.
        //
        //   ConformSupport     vocabulary shared by all: locations, diagnostics, deadlines, defaults
        //   ConformRegex       the linear-time regex engine                 → Support
        //   ConformJSON        the located JSON reader and JSONValue        → Support
        //   ConformJSONSchema  the JSON Schema validator                    → JSON, Regex, Support
        //   ConformXML         the libxml2 quarantine (XSD, XML writer)     → CLibXML2, Support
        //   ConformHTTP        the HTTP/1.1 + TLS transport on SwiftNIO     → Support
        //   ConformKit         suites, checks, runner, reports, mocks       → all of the above
        //   conform            the command line                             → ConformKit
        .target(name: "ConformSupport"),
        .target(name: "ConformRegex", dependencies: ["ConformSupport"]),
        .target(name: "ConformJSON", dependencies: ["ConformSupport"]),
        .target(name: "ConformJSONSchema", dependencies: ["ConformSupport", "ConformJSON", "ConformRegex"]),
        .target(
            name: "ConformXML",
            dependencies: [
                "ConformSupport", "CLibXML2", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ConformHTTP",
            dependencies: [
                "ConformSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "ConformKit",
            dependencies: [
                "ConformSupport", "ConformRegex", "ConformJSON", "ConformJSONSchema", "ConformXML", "ConformHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "conform",
            dependencies: [
                "ConformKit", "ConformSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ConformKitTests",
            // The executable is a dependency so that the command-line tests can run the real binary.
            dependencies: [
                "ConformKit", "conform",
                "ConformSupport", "ConformRegex", "ConformJSON", "ConformJSONSchema", "ConformXML", "ConformHTTP",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Fixtures", "__Snapshots__"]
        ),
    ]
)

// Coverage-guided fuzzing with libFuzzer (fuzz/run.sh): the fuzz target is part of the package only when
// CONFORM_FUZZ=1, so that ordinary builds and tests never see it. It must be built with
// `-sanitize=fuzzer` (fuzz/run.sh does), whose runtime provides the driver it calls.
if Context.environment["CONFORM_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "ConformFuzz",
            dependencies: [
                "ConformKit", "ConformSupport", "ConformJSON", "ConformJSONSchema", "ConformXML", "ConformHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "fuzz/Sources/ConformFuzz",
            // No top-level code: the entry point is ConformFuzz_main, which hands over to libFuzzer.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
}
